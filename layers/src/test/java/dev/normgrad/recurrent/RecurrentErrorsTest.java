package dev.normgrad.recurrent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.normgrad.autograd.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Each misuse fails with a message that names the layer, the problem and the shapes. */
class RecurrentErrorsTest {
    private final Random rng = new Random(1);
    private final LSTM lstm = new LSTM(3, 8, 2, CellNormalization.none(), rng);

    private static void assertMessage(Executable call, String... parts) {
        RuntimeException e = assertThrows(RuntimeException.class, call);
        for (String part : parts) {
            assertTrue(e.getMessage().contains(part), "message lacks '" + part + "': " + e.getMessage());
        }
    }

    @Test
    void emptySequence() {
        assertMessage(() -> lstm.forward(List.of()), "LSTM", "the sequence is empty", "N×3");
        assertMessage(() -> lstm.forward((List<Tensor>) null), "LSTM", "the sequence is empty");
    }

    @Test
    void stepsOfDifferentBatchSizes() {
        List<Tensor> steps = List.of(Tensor.zeros(4, 3), Tensor.zeros(4, 3), Tensor.zeros(5, 3));
        assertMessage(() -> lstm.forward(steps), "LSTM", "step 2 is (5x3)", "step 0 is (4x3)", "different batch sizes");
    }

    @Test
    void wrongFeatureCount() {
        List<Tensor> steps = List.of(Tensor.zeros(4, 3), Tensor.zeros(4, 2));
        assertMessage(() -> lstm.forward(steps), "LSTM", "step 1 is (4x2)", "inputSize = 3", "wrong feature count");
        RNNCell cell = new RNNCell(3, 8, rng);
        assertMessage(() -> cell.forward(Tensor.zeros(4, 5)), "RNNCell", "(4x5)", "inputSize = 3", "wrong feature count");
    }

    @Test
    void stateOfTheWrongShape() {
        List<Tensor> steps = List.of(Tensor.zeros(4, 3));
        List<CellState> initial = new ArrayList<>(lstm.initialState(4));
        initial.set(1, CellState.of(Tensor.zeros(4, 7), Tensor.zeros(4, 7)));
        assertMessage(() -> lstm.forward(steps, initial), "LSTM", "initial state h of layer 1 is (4x7)", "must be (4x8)",
                "state of the wrong shape");
        assertMessage(() -> lstm.forward(steps, List.of(CellState.of(Tensor.zeros(4, 8), Tensor.zeros(4, 8)))),
                "LSTM", "1 initial states given for 2 layers");
        assertMessage(() -> lstm.forward(steps, List.of(CellState.of(Tensor.zeros(4, 8)), CellState.of(Tensor.zeros(4, 8)))),
                "LSTM", "layer 0 has no cell state c");
        GRUCell gru = new GRUCell(3, 8, rng);
        assertMessage(() -> gru.forward(Tensor.zeros(4, 3), CellState.of(Tensor.zeros(2, 8))), "GRUCell",
                "state h is (2x8)", "must be (4x8)", "state of the wrong shape");
        assertMessage(() -> CellState.of(Tensor.zeros(4, 8), Tensor.zeros(4, 6)), "CellState", "(4x8)", "(4x6)");
    }

    @Test
    void stackedLayersMustChainAndTheFlatInputMustBeWholeSteps() {
        assertMessage(() -> new Recurrent(new LSTMCell(3, 8, rng), new GRUCell(5, 4, rng)), "layer 1 has inputSize 5",
                "hiddenSize 8");
        assertMessage(() -> lstm.forward(Tensor.zeros(4, 7)), "LSTM", "(4x7)", "not a multiple of 3");
        assertMessage(() -> new LSTM(3, 8, 0, CellNormalization.none(), rng), "LSTM", "numLayers must be at least 1");
    }

    @Test
    void batchNormNeedsMoreThanOneSequenceInTraining() {
        LSTM bn = new LSTM(3, 8, 1, CellNormalization.recurrentBatchNorm(5), rng);
        assertMessage(() -> bn.forward(List.of(Tensor.zeros(1, 3))), "RecurrentBatchNorm(32, maxSteps=5) at step 0",
                "more than 1 value per channel when training", "(1x32)", "at least 2 sequences");
        // the same exception type as every other normalization layer's batch of one
        assertEquals(IllegalArgumentException.class, assertThrows(RuntimeException.class,
                () -> bn.forward(List.of(Tensor.zeros(1, 3)))).getClass());
    }
}

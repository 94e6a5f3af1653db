package dev.normgrad.recurrent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.normgrad.autograd.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TruncatedBPTTTest {
    private static List<Tensor> steps(int count, Random rng) {
        List<Tensor> steps = new ArrayList<>();
        for (int t = 0; t < count; t++) {
            steps.add(Tensor.randn(3, 2, rng));
        }
        return steps;
    }

    @Test
    void chunksAreAtMostKStepsAndCoverTheSequence() {
        TruncatedBPTT bptt = new TruncatedBPTT(new GRU(2, 4, new Random(0)), 4);
        List<List<Tensor>> chunks = bptt.chunks(steps(10, new Random(1)));
        assertEquals(List.of(4, 4, 2), chunks.stream().map(List::size).toList());
    }

    @Test
    void carryingTheStateGivesTheValuesOfTheUntruncatedForward() {
        Random rng = new Random(2);
        LSTM lstm = new LSTM(2, 5, 2, CellNormalization.layerNorm(), rng);
        List<Tensor> steps = steps(11, rng);
        SequenceOutput full = lstm.forward(steps);
        SequenceOutput truncated = new TruncatedBPTT(lstm, 3).forwardWhole(steps);
        for (int t = 0; t < 11; t++) {
            for (int i = 0; i < full.outputs().get(t).data().getNumElements(); i++) {
                assertEquals(full.outputs().get(t).data().data[i], truncated.outputs().get(t).data().data[i], 1e-15);
            }
        }
        assertEquals(full.finalState().c().get(1, 2), truncated.finalState().c().get(1, 2), 1e-15);
    }

    @Test
    void theGradientReachesBackOnlyToTheStartOfTheLastChunk() {
        Random rng = new Random(3);
        RNN rnn = new RNN(2, 4, 1, RNNCell.Nonlinearity.TANH, CellNormalization.none(), rng);
        List<Tensor> steps = steps(10, rng);
        SequenceOutput out = new TruncatedBPTT(rnn, 4).forwardWhole(steps);   // chunks [0,4) [4,8) [8,10)
        out.last().mul(Tensor.randn(3, 4, rng)).sum().backward();
        double[] profile = HiddenGradients.of(out).layer(0).gradNorms();
        for (int t = 0; t < 8; t++) {
            assertEquals(0.0, profile[t], "step " + t + " is behind a chunk boundary");
        }
        assertTrue(profile[8] > 0 && profile[9] > 0);
    }

    @Test
    void chunksKeepTheTrueTimeIndexForPerStepStatistics() {
        Random rng = new Random(4);
        LSTM lstm = new LSTM(2, 3, 1, CellNormalization.recurrentBatchNorm(20), rng);
        TruncatedBPTT bptt = new TruncatedBPTT(lstm, 5);
        for (List<Tensor> chunk : bptt.chunks(steps(12, rng))) {
            bptt.forward(chunk);
        }
        assertEquals(12, bptt.nextStep());
        RecurrentBatchNorm bn = (RecurrentBatchNorm) lstm.cell(0).children().get("normIh");
        assertEquals(12, bn.trackedSteps(), "steps 0..11 each have their own statistics");
        bptt.reset();
        assertEquals(0, bptt.nextStep());
        assertNull(bptt.state());
    }

    @Test
    void aChunkLongerThanKIsRefused() {
        TruncatedBPTT bptt = new TruncatedBPTT(new GRU(2, 4, new Random(0)), 3);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> bptt.forward(steps(4, new Random(5))));
        assertTrue(e.getMessage().contains("4 steps, more than k = 3"), e.getMessage());
    }
}

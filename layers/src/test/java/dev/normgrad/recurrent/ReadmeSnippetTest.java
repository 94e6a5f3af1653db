package dev.normgrad.recurrent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.normgrad.autograd.Tensor;
import dev.normgrad.data.AddingProblem;
import dev.normgrad.data.SequenceBatch;
import dev.normgrad.gradcheck.GradCheck;
import dev.normgrad.loss.MSELoss;
import dev.normgrad.nn.Linear;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The README's layer-normalized LSTM, line for line. */
class ReadmeSnippetTest {

    @Test
    void layerNormalizedLstmInAFewLines() {
        // --- README snippet begins
        LSTM lstm = new LSTM(2, 16, 1, CellNormalization.layerNorm(), new Random(0));   // Ba et al. 2016
        SequenceBatch batch = new AddingProblem(50, new Random(1)).sample(32);          // 50 steps of 32×2
        SequenceOutput out = lstm.forward(batch.steps());
        Tensor loss = new MSELoss().apply(new Linear(16, 1).apply(out.last()), batch.targets());
        loss.backward();
        double[] profile = HiddenGradients.of(out).layer(0).gradNorms();                // ‖∂L/∂h_t‖, t = 0..49
        GradCheck.check(lstm, batch.steps().subList(0, 3).toArray(new Tensor[0])).assertPassed();
        // --- README snippet ends

        assertEquals(50, profile.length);
        assertTrue(profile[0] > 0 && profile[49] > 0);
        assertEquals("(32x16)", out.last().shape());
    }
}

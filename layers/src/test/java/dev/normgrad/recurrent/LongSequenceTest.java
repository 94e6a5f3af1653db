package dev.normgrad.recurrent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.normgrad.autograd.Tensor;
import dev.normgrad.reliability.Heap;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Long unrolled sequences: the backward is iterative (surefire runs with -Xss512k, a small stack),
 * and the memory the graph holds grows linearly in T.
 */
class LongSequenceTest {

    private static List<Tensor> steps(int count, int batch, int features, Random rng) {
        List<Tensor> steps = new ArrayList<>(count);
        for (int t = 0; t < count; t++) {
            steps.add(Tensor.randn(batch, features, rng));
        }
        return steps;
    }

    @Test
    void backwardThroughTenThousandStepsCompletesWithoutStackOverflow() {
        Random rng = new Random(11);
        LSTM lstm = new LSTM(2, 4, 1, CellNormalization.layerNorm(), rng);
        List<Tensor> steps = steps(10_000, 2, 2, rng);
        steps.get(0).requiresGrad(true);
        SequenceOutput out = lstm.forward(steps);
        out.last().mul(Tensor.randn(2, 4, rng)).sum().backward();

        assertEquals(10_000, out.steps());
        assertNotNull(steps.get(0).gradData(), "the gradient reached step 0");
        assertNotNull(lstm.cell(0).weightHh().gradData());
        for (double g : lstm.cell(0).weightHh().gradData().data) {
            assertTrue(Double.isFinite(g));
        }
        double[] profile = HiddenGradients.of(out).layer(0).gradNorms();
        assertEquals(10_000, profile.length);
        assertTrue(profile[9_999] > 0);
    }

    /**
     * Retained heap with the graph of T steps alive, after GC, minus the heap without it. Linear
     * memory gives retained(2000) / retained(1000) ≈ 2; we assert 1.6 to 2.5 (a quadratic graph
     * would give 4). Batch 16, hidden 32: about 30 MB per 1000 steps, well above GC noise.
     */
    @Test
    void memoryHeldByTheGraphGrowsLinearlyInT() {
        long base = Heap.usedAfterGc();
        long m1000 = retained(1000) - base;
        long m2000 = retained(2000) - base;
        double ratio = (double) m2000 / m1000;
        assertTrue(m1000 > 5_000_000, "1000 steps should hold megabytes, measured " + m1000 + " bytes");
        assertTrue(ratio > 1.6 && ratio < 2.5, "retained(2000) / retained(1000) = " + ratio
                + " (" + m2000 + " / " + m1000 + " bytes); linear growth gives about 2");
    }

    private static long retained(int steps) {
        Random rng = new Random(12);
        RNN rnn = new RNN(8, 32, 1, RNNCell.Nonlinearity.TANH, CellNormalization.none(), rng);
        SequenceOutput out = rnn.forward(steps(steps, 16, 8, rng));
        long used = Heap.usedAfterGc();
        // keep the graph reachable until measured
        assertEquals(steps, out.steps());
        return used;
    }
}

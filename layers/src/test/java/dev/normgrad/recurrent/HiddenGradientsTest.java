package dev.normgrad.recurrent;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.normgrad.autograd.NoGrad;
import dev.normgrad.autograd.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class HiddenGradientsTest {

    private static List<Tensor> steps(int count, Random rng) {
        List<Tensor> steps = new ArrayList<>();
        for (int t = 0; t < count; t++) {
            steps.add(Tensor.randn(3, 2, rng));
        }
        return steps;
    }

    @Test
    void stackedLayersGetOneProfileEachAndTheTopLastStepIsTheSeed() {
        Random rng = new Random(1);
        LSTM lstm = new LSTM(2, 4, 2, CellNormalization.layerNorm(), rng);
        SequenceOutput out = lstm.forward(steps(6, rng));
        Tensor seed = Tensor.randn(3, 4, rng);
        out.last().mul(seed).sum().backward();

        HiddenGradients g = HiddenGradients.of(out);
        assertEquals(2, g.layers().size());
        assertEquals(6, g.layer(0).gradNorms().length);
        assertEquals(6, g.top().gradNorms().length);
        double seedNorm = 0;
        for (double v : seed.data().data) {
            seedNorm += v * v;
        }
        assertEquals(Math.sqrt(seedNorm), g.top().at(5), 1e-12, "the loss reads h_5 of the top layer directly");
        for (int t = 0; t < 6; t++) {
            assertTrue(g.layer(0).at(t) > 0, "layer 0 step " + t);
        }
    }

    @Test
    void aStepTheLossDoesNotReachHasNormZero() {
        Random rng = new Random(2);
        GRU gru = new GRU(2, 4, 1, CellNormalization.none(), rng);
        SequenceOutput out = gru.forward(steps(5, rng));
        out.outputs().get(2).sum().backward();       // the loss reads step 2 only
        double[] norms = HiddenGradients.of(out).layer(0).gradNorms();
        assertEquals(0.0, norms[3]);
        assertEquals(0.0, norms[4]);
        assertTrue(norms[0] > 0 && norms[2] > 0);
    }

    @Test
    void jsonHasOneEntryPerLayerAndReadsBack() {
        Random rng = new Random(3);
        RNN rnn = new RNN(2, 3, 2, RNNCell.Nonlinearity.TANH, CellNormalization.none(), rng);
        SequenceOutput out = rnn.forward(steps(4, rng));
        out.last().sum().backward();
        HiddenGradients g = HiddenGradients.of(out);
        String json = g.toJson();
        assertTrue(json.startsWith("{\"layers\":[{\"layer\":0,\"gradNorms\":["), json);
        HiddenGradients back = HiddenGradients.fromJson(json);
        for (int l = 0; l < 2; l++) {
            assertEquals(l, back.layer(l).layer());
            assertArrayEquals(g.layer(l).gradNorms(), back.layer(l).gradNorms(), 0.0);
        }
    }

    /** h_t = tanh(w·h_{t−1} + x_t), scalar, from a zero initial state; returns h_0 … h_{T−1}. */
    private static List<Tensor> unroll(Tensor w, double[] xs) {
        List<Tensor> hs = new ArrayList<>();
        Tensor h = Tensor.scalar(0);
        for (double x : xs) {
            h = h.mul(w).add(x).tanh();
            hs.add(h);
        }
        return hs;
    }

    @Test
    void normsFollowTheChainRuleBackThroughTime() {
        double w = 0.8;
        double[] xs = {0.5, -0.3, 0.9, 0.1, 0.4};
        List<Tensor> hs = unroll(Tensor.scalar(w).requiresGrad(true), xs);
        hs.get(hs.size() - 1).backward();      // L = h_{T−1}
        // by hand: ∂L/∂h_{T−1} = 1;  ∂L/∂h_{t−1} = ∂L/∂h_t · (1 − h_t²) · w
        double[] expected = new double[xs.length];
        expected[xs.length - 1] = 1;
        for (int t = xs.length - 1; t > 0; t--) {
            double ht = hs.get(t).item();
            expected[t - 1] = Math.abs(expected[t] * (1 - ht * ht) * w);
        }
        assertArrayEquals(expected, HiddenGradients.gradNorms(hs), 1e-14);
    }

    @Test
    void aStateTheLossDoesNotDependOnHasNormZero() {
        List<Tensor> hs = unroll(Tensor.scalar(0.5).requiresGrad(true), new double[] {0.1, 0.2, 0.3});
        hs.get(1).backward();                  // L = h_1: h_2 comes after it
        double[] norms = HiddenGradients.gradNorms(hs);
        assertEquals(0.0, norms[2]);
        assertEquals(1.0, norms[1]);
    }

    @Test
    void beforeBackwardTheErrorSaysToCallBackward() {
        List<Tensor> hs = unroll(Tensor.scalar(0.5).requiresGrad(true), new double[] {0.1, 0.2});
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> HiddenGradients.gradNorms(hs));
        assertEquals("HiddenGradients.gradNorms: none of the 2 hidden states has a gradient; call backward() on the loss first", e.getMessage());
    }

    @Test
    void statesOutsideTheGraphAreRefused() {
        List<Tensor> hs;
        try (NoGrad off = NoGrad.enter()) {
            hs = unroll(Tensor.scalar(0.5).requiresGrad(true), new double[] {0.1, 0.2});
        }
        List<Tensor> states = hs;
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> HiddenGradients.gradNorms(states));
        assertEquals("HiddenGradients.gradNorms: state 0 (1x1) does not require grad, so it cannot hold ∂L/∂h; compute the states "
                + "inside the graph (not inside NoGrad, not detached)", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> HiddenGradients.gradNorms(List.of()));
    }
}

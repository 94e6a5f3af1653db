package dev.normgrad.diagnostics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.normgrad.autograd.NoGrad;
import dev.normgrad.autograd.Tensor;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SequenceGradientsTest {
    /** h_t = tanh(w·h_{t−1} + x_t), scalar, h_0 = 0; returns h_1..h_T. */
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
        hs.get(hs.size() - 1).backward();      // L = h_T
        // by hand: ∂L/∂h_T = 1;  ∂L/∂h_{t−1} = ∂L/∂h_t · (1 − h_t²) · w
        double[] expected = new double[xs.length];
        expected[xs.length - 1] = 1;
        for (int t = xs.length - 1; t > 0; t--) {
            double ht = hs.get(t).item();
            expected[t - 1] = Math.abs(expected[t] * (1 - ht * ht) * w);
        }
        assertArrayEquals(expected, SequenceGradients.norms(hs), 1e-14);
    }

    @Test
    void aStateTheLossDoesNotDependOnHasNormZero() {
        List<Tensor> hs = unroll(Tensor.scalar(0.5).requiresGrad(true), new double[] {0.1, 0.2, 0.3});
        hs.get(1).backward();                  // L = h_2: h_3 comes after it
        double[] norms = SequenceGradients.norms(hs);
        assertEquals(0.0, norms[2]);
        assertEquals(1.0, norms[1]);
    }

    @Test
    void beforeBackwardTheErrorSaysToCallBackward() {
        List<Tensor> hs = unroll(Tensor.scalar(0.5).requiresGrad(true), new double[] {0.1, 0.2});
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> SequenceGradients.norms(hs));
        assertEquals("SequenceGradients.norms: none of the 2 hidden states has a gradient; call backward() on the loss first", e.getMessage());
    }

    @Test
    void statesOutsideTheGraphAreRefused() {
        List<Tensor> hs;
        try (NoGrad off = NoGrad.enter()) {
            hs = unroll(Tensor.scalar(0.5).requiresGrad(true), new double[] {0.1, 0.2});
        }
        List<Tensor> states = hs;
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SequenceGradients.norms(states));
        assertEquals("SequenceGradients.norms: state 0 (1x1) does not require grad, so it cannot hold ∂L/∂h; compute the states "
                + "inside the graph (not inside NoGrad, not detached)", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> SequenceGradients.norms(List.of()));
    }

    @Test
    void diagnosticsStoreSequenceNormsWithTheStepAndInJson() {
        DiagnosticsTest.TanhLayer cell = new DiagnosticsTest.TanhLayer();
        Diagnostics d = Diagnostics.attach(cell);
        d.step(4);
        Tensor w = Tensor.scalar(0.8).requiresGrad(true);
        List<Tensor> hs = new ArrayList<>();
        Tensor h = Tensor.scalar(0);
        for (double x : new double[] {0.5, -0.3, 0.9}) {
            h = cell.apply(h.mul(w).add(x));
            hs.add(h);
        }
        h.backward();
        double[] norms = d.recordSequence("rnn", hs);
        assertEquals(List.of(new SequenceGradients(4, "rnn", norms)), d.sequences());
        assertEquals(3, d.records("").get(0).calls());
        JsonObject seq = JsonParser.parseString(d.toJson()).getAsJsonObject().getAsJsonArray("sequences").get(0).getAsJsonObject();
        assertEquals(4, seq.get("step").getAsInt());
        assertEquals("rnn", seq.get("name").getAsString());
        assertEquals(norms[0], seq.getAsJsonArray("norms").get(0).getAsDouble());
        assertEquals(1.0, seq.getAsJsonArray("norms").get(2).getAsDouble());
    }
}

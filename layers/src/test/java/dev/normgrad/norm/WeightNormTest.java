package dev.normgrad.norm;

import static dev.normgrad.testing.Close.assertClose;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.normgrad.autograd.NoGrad;
import dev.normgrad.autograd.Tensor;
import dev.normgrad.nn.Linear;
import dev.normgrad.testing.Tolerance;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class WeightNormTest {
    private final Random rng = new Random(3);

    private Linear linear(int in, int out) {
        return new Linear(in, out, true, new Random(in * 10 + out));
    }

    @Test
    void wrappingKeepsTheFunctionAndNamesTheParametersLikePyTorch() {
        Linear l = linear(4, 3);
        Tensor x = Tensor.randn(5, 4, rng);
        Tensor before = l.apply(x);
        WeightNorm wn = new WeightNorm(l);
        assertEquals(List.of("bias", "weightG", "weightV"), List.copyOf(wn.namedParameters().keySet()));
        assertSame(l.bias(), wn.namedParameters().get("bias"));
        assertEquals("(3x1)", wn.weightG().shape());
        assertEquals("(3x4)", wn.weightV().shape());
        assertClose(before.data(), wn.apply(x).data(), Tolerance.relativeToLargest(1e-15), "same function after wrapping");
    }

    @Test
    void eachRowOfTheWeightHasNormG() {
        WeightNorm wn = new WeightNorm(linear(4, 3));
        wn.weightG().data().setTo(Tensor.column(2, 0.5, 3).data());
        Tensor w;
        try (NoGrad off = NoGrad.enter()) {
            w = wn.weight();
        }
        for (int i = 0; i < 3; i++) {
            double norm = 0;
            for (int j = 0; j < 4; j++) {
                norm += w.get(i, j) * w.get(i, j);
            }
            assertEquals(wn.weightG().get(i, 0), Math.sqrt(norm), 1e-14);
        }
    }

    @Test
    void gradientsReachGAndVNotTheWrappedWeight() {
        Linear l = linear(4, 3);
        WeightNorm wn = new WeightNorm(l);
        Tensor x = Tensor.randn(5, 4, rng).requiresGrad(true);
        wn.apply(x).backward(Tensor.randn(5, 3, rng));
        assertTrue(wn.weightG().gradData() != null && wn.weightV().gradData() != null && l.bias().gradData() != null);
        assertTrue(x.gradData() != null);
        assertTrue(l.weight().gradData() == null || isZero(l.weight().gradData().data), "the derived weight holds no gradient");
    }

    @Test
    void theGradientOfGAndVMatchesTheClosedForm() {
        // dg = Σ_j dw_ij v_ij / ‖v_i‖ ; dv = (g/‖v‖)(dw − (w/g)·dg), with dw = dyᵀ·x for y = x·wᵀ + b
        Linear l = linear(4, 3);
        WeightNorm wn = new WeightNorm(l);
        wn.weightG().data().setTo(Tensor.column(2, -0.5, 3).data());
        Tensor x = Tensor.randn(5, 4, rng);
        Tensor dy = Tensor.randn(5, 3, rng);
        wn.apply(x).backward(dy);
        Tensor dw = dy.transpose().matmul(x);
        for (int i = 0; i < 3; i++) {
            double norm = 0, dg = 0, g = wn.weightG().get(i, 0);
            for (int j = 0; j < 4; j++) {
                norm += Math.pow(wn.weightV().get(i, j), 2);
            }
            norm = Math.sqrt(norm);
            for (int j = 0; j < 4; j++) {
                dg += dw.get(i, j) * wn.weightV().get(i, j) / norm;
            }
            assertEquals(dg, wn.weightG().grad().get(i, 0), 1e-12);
            for (int j = 0; j < 4; j++) {
                double w = g * wn.weightV().get(i, j) / norm;
                assertEquals(g / norm * (dw.get(i, j) - w / g * dg), wn.weightV().grad().get(i, j), 1e-12);
            }
        }
    }

    @Test
    void aSecondBackwardThroughOneForwardIsAClearError() {
        WeightNorm wn = new WeightNorm(linear(4, 3));
        Tensor y = wn.apply(Tensor.randn(2, 4, rng)).sum();
        y.backward(true);
        IllegalStateException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class, y::backward);
        assertEquals("weightNorm(Linear): this forward was already back-propagated once; the wrapped layer's own graph "
                + "is released after its backward, so run the forward again", e.getMessage());
    }

    @Test
    void dimMinusOneUsesTheNormOfTheWholeWeight() {
        WeightNorm wn = new WeightNorm(linear(4, 3), "weight", -1);
        assertEquals("(1x1)", wn.weightG().shape());
        double norm = 0;
        for (double v : java.util.Arrays.copyOf(wn.weightV().data().data, 12)) {
            norm += v * v;
        }
        assertEquals(Math.sqrt(norm), wn.weightG().item(), 1e-14);
    }

    @Test
    void trainAndEvalReachTheWrappedLayer() {
        Linear l = linear(2, 2);
        WeightNorm wn = new WeightNorm(l);
        wn.eval();
        assertTrue(!l.isTraining());
        wn.train();
        assertTrue(l.isTraining());
    }

    @Test
    void resetParametersReinitialisesTheLayerAndTakesGAndVFromIt() {
        Linear l = linear(3, 2);
        WeightNorm wn = new WeightNorm(l);
        double[] before = l.weight().data().data.clone();
        wn.weightG().data().fill(9);
        wn.weightV().data().fill(1);
        wn.resetParameters();
        // Linear draws a new weight; v is that weight, g its row norms
        assertTrue(before[0] != l.weight().data().data[0], "the wrapped layer was re-initialised");
        assertArrayEquals(l.weight().data().data, wn.weightV().data().data, 0.0);
        for (int i = 0; i < 2; i++) {
            double norm = Math.sqrt(Math.pow(l.weight().get(i, 0), 2) + Math.pow(l.weight().get(i, 1), 2) + Math.pow(l.weight().get(i, 2), 2));
            assertEquals(norm, wn.weightG().get(i, 0), 1e-15);
        }
    }

    private static boolean isZero(double[] a) {
        for (double v : a) {
            if (v != 0) {
                return false;
            }
        }
        return true;
    }
}

package dev.normgrad.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.normgrad.autograd.ShapeException;
import dev.normgrad.autograd.Tensor;
import dev.normgrad.gradcheck.GradCheck;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The tanh RNN cell's recurrence as one op, {@code h' = tanh(P + h·W_hhᵀ + b_hh)}: its backward
 * passes a float64 gradient check, and the cell built on it gives the value and every gradient of
 * the composed cell {@code linear(x) + linear(h)} then {@code tanh} bit for bit, over several
 * unrolled steps, so that a model gives the same numbers whichever form computes it.
 */
class TanhRecurrenceOpTest {
    @ParameterizedTest(name = "batch {0}, hidden {1}")
    @CsvSource({"3, 5", "1, 1", "2, 3"})
    void gradientCheckPasses(int n, int hidden) {
        Random rng = new Random(n * 10L + hidden);
        Tensor p = Tensor.randn(n, hidden, rng).requiresGrad(true);
        Tensor h = Tensor.randn(n, hidden, rng).requiresGrad(true);
        Tensor w = Tensor.randn(hidden, hidden, rng).mul(0.5).detach().requiresGrad(true);
        Tensor b = Tensor.randn(1, hidden, rng).requiresGrad(true);
        GradCheck.check(t -> new TanhRecurrenceOp().apply(t[0], t[1], t[2], t[3]), p, h, w, b).assertPassed();
    }

    @ParameterizedTest(name = "batch {0}, input {1}, hidden {2}, {3} steps")
    @CsvSource({"4, 3, 5, 3", "32, 32, 128, 4", "2, 1, 7, 5"})
    void theCellOnItEqualsTheComposedCellBitForBit(int n, int input, int hidden, int steps) {
        Random rng = new Random(7L * n + input + 13L * hidden);
        Tensor wIh1 = Tensor.uniform(hidden, input, -0.5, 0.5, rng).requiresGrad(true);
        Tensor wHh1 = Tensor.uniform(hidden, hidden, -0.5, 0.5, rng).requiresGrad(true);
        Tensor bIh1 = Tensor.uniform(1, hidden, -0.5, 0.5, rng).requiresGrad(true);
        Tensor bHh1 = Tensor.uniform(1, hidden, -0.5, 0.5, rng).requiresGrad(true);
        Tensor[] xs1 = new Tensor[steps];
        for (int t = 0; t < steps; t++) {
            xs1[t] = Tensor.randn(n, input, rng).requiresGrad(true);
        }
        Tensor h01 = Tensor.randn(n, hidden, rng).requiresGrad(true);
        Tensor seed = Tensor.randn(n, hidden, rng);
        Tensor wIh2 = wIh1.copy().requiresGrad(true);
        Tensor wHh2 = wHh1.copy().requiresGrad(true);
        Tensor bIh2 = bIh1.copy().requiresGrad(true);
        Tensor bHh2 = bHh1.copy().requiresGrad(true);
        Tensor[] xs2 = new Tensor[steps];
        for (int t = 0; t < steps; t++) {
            xs2[t] = xs1[t].copy().requiresGrad(true);
        }
        Tensor h02 = h01.copy().requiresGrad(true);

        Tensor fused = h01;
        Tensor composed = h02;
        for (int t = 0; t < steps; t++) {
            fused = new TanhRecurrenceOp().apply(new LinearOp().apply(xs1[t], wIh1, bIh1), fused, wHh1, bHh1);
            composed = new LinearOp().apply(xs2[t], wIh2, bIh2).add(new LinearOp().apply(composed, wHh2, bHh2)).tanh();
            assertArrayEquals(composed.data().data, fused.data().data, "h after step " + t);
        }
        fused.backward(seed);
        composed.backward(seed);
        assertArrayEquals(wIh2.gradData().data, wIh1.gradData().data, "dW_ih");
        assertArrayEquals(wHh2.gradData().data, wHh1.gradData().data, "dW_hh");
        assertArrayEquals(bIh2.gradData().data, bIh1.gradData().data, "db_ih");
        assertArrayEquals(bHh2.gradData().data, bHh1.gradData().data, "db_hh");
        assertArrayEquals(h02.gradData().data, h01.gradData().data, "dh_0");
        for (int t = 0; t < steps; t++) {
            assertArrayEquals(xs2[t].gradData().data, xs1[t].gradData().data, "dx at step " + t);
        }
    }

    @Test
    void anInputThatNeedsNoGradientGetsNone() {
        Random rng = new Random(3);
        Tensor p = Tensor.randn(2, 4, rng);
        Tensor h = Tensor.randn(2, 4, rng);
        Tensor w = Tensor.randn(4, 4, rng).requiresGrad(true);
        Tensor b = Tensor.randn(1, 4, rng).requiresGrad(true);
        new TanhRecurrenceOp().apply(p, h, w, b).sum().backward();
        assertNull(p.grad());
        assertNull(h.grad());
        assertTrue(w.gradData().data[0] != 0);
    }

    @Test
    void mismatchedShapesNameTheOpTheInputsAndTheirShapes() {
        Tensor p = Tensor.zeros(2, 4);
        Tensor h = Tensor.zeros(2, 4);
        Tensor w = Tensor.zeros(4, 4);
        Tensor b = Tensor.zeros(1, 4);
        assertMessage("tanh_recurrence: hidden state (2x3) and weightHh (4x4)",
                () -> new TanhRecurrenceOp().apply(p, Tensor.zeros(2, 3), w, b));
        assertMessage("tanh_recurrence: weightHh (4x3) must be square",
                () -> new TanhRecurrenceOp().apply(p, Tensor.zeros(2, 3), Tensor.zeros(4, 3), b));
        assertMessage("tanh_recurrence: biasHh (1x3) does not fit weightHh (4x4)",
                () -> new TanhRecurrenceOp().apply(p, h, w, Tensor.zeros(1, 3)));
        assertMessage("tanh_recurrence: input part (3x4) and hidden state (2x4)",
                () -> new TanhRecurrenceOp().apply(Tensor.zeros(3, 4), h, w, b));
        assertMessage("tanh_recurrence: input part (2x5) and hidden state (2x4)",
                () -> new TanhRecurrenceOp().apply(Tensor.zeros(2, 5), h, w, b));
        IllegalArgumentException count = assertThrows(IllegalArgumentException.class,
                () -> new TanhRecurrenceOp().apply(p, h, w));
        assertTrue(count.getMessage().startsWith("tanh_recurrence: expected 4 inputs"), count.getMessage());
    }

    private static void assertMessage(String start, org.junit.jupiter.api.function.Executable call) {
        ShapeException e = assertThrows(ShapeException.class, call);
        assertTrue(e.getMessage().startsWith(start), e.getMessage());
    }
}

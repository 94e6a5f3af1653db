package dev.normgrad.ops;

import static dev.normgrad.testing.Close.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.normgrad.autograd.ShapeException;
import dev.normgrad.autograd.Tensor;
import dev.normgrad.gradcheck.GradCheck;
import dev.normgrad.testing.Tolerance;
import java.util.Random;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The fused {@link LinearOp} {@code x·Wᵀ + b}: its backward passes a float64 gradient check, and
 * its value and every gradient equal those of the composed {@code x.matmulTransposeB(w).add(b)}
 * (to 1e-12 relative: the product accumulates onto b instead of b being added after it).
 */
class LinearOpTest {
    private static final Tolerance TOLERANCE = Tolerance.relative(1e-12).withScaleFloor(1);

    @ParameterizedTest(name = "{0}x{1} -> {2}, bias {3}")
    @CsvSource({"4, 3, 5, true", "4, 3, 5, false", "1, 7, 2, true", "6, 1, 1, true", "32, 40, 30, true"})
    void gradientCheckPasses(int n, int in, int out, boolean bias) {
        Random rng = new Random(n * 31L + in * 7L + out);
        Tensor x = Tensor.randn(n, in, rng).requiresGrad(true);
        Tensor w = Tensor.randn(out, in, rng).requiresGrad(true);
        Tensor b = Tensor.randn(1, out, rng).requiresGrad(true);
        if (bias) {
            GradCheck.check(t -> new LinearOp().apply(t[0], t[1], t[2]), x, w, b).assertPassed();
        } else {
            GradCheck.check(t -> new LinearOp().apply(t[0], t[1]), x, w).assertPassed();
        }
    }

    @ParameterizedTest(name = "{0}x{1} -> {2}")
    @CsvSource({"4, 3, 5", "128, 784, 256", "32, 128, 128", "3, 2, 1"})
    void equalsTheComposedForm(int n, int in, int out) {
        Random rng = new Random(n + 1000L * in + out);
        Tensor x1 = Tensor.randn(n, in, rng).requiresGrad(true);
        Tensor w1 = Tensor.randn(out, in, rng).requiresGrad(true);
        Tensor b1 = Tensor.randn(1, out, rng).requiresGrad(true);
        Tensor seed = Tensor.randn(n, out, rng);
        Tensor x2 = x1.copy().requiresGrad(true);
        Tensor w2 = w1.copy().requiresGrad(true);
        Tensor b2 = b1.copy().requiresGrad(true);

        Tensor fused = new LinearOp().apply(x1, w1, b1);
        Tensor composed = x2.matmulTransposeB(w2).add(b2);
        assertClose(composed.data(), fused.data(), TOLERANCE, "y");
        fused.backward(seed);
        composed.backward(seed);
        assertClose(x2.gradData(), x1.gradData(), TOLERANCE, "dX");
        assertClose(w2.gradData(), w1.gradData(), TOLERANCE, "dW");
        assertClose(b2.gradData(), b1.gradData(), TOLERANCE, "db");
    }

    @Test
    void gradientsAccumulateOverTwoPasses() {
        Random rng = new Random(5);
        Tensor x = Tensor.randn(3, 4, rng).requiresGrad(true);
        Tensor w = Tensor.randn(2, 4, rng).requiresGrad(true);
        Tensor b = Tensor.randn(1, 2, rng).requiresGrad(true);
        new LinearOp().apply(x, w, b).sum().backward();
        DMatrixRMaj once = b.gradData().copy();
        new LinearOp().apply(x, w, b).sum().backward();
        for (int j = 0; j < 2; j++) {
            assertEquals(2 * once.data[j], b.gradData().data[j], 1e-12);
            assertEquals(3.0, once.data[j], 0.0, "db = column sums of a ones seed: the batch size");
        }
    }

    @Test
    void mismatchedShapesNameTheOpAndTheShapes() {
        Tensor x = Tensor.zeros(4, 3);
        ShapeException e = assertThrows(ShapeException.class, () -> new LinearOp().apply(x, Tensor.zeros(5, 2)));
        assertTrue(e.getMessage().startsWith("linear: input (4x3) and weight (5x2)"), e.getMessage());
        ShapeException bias = assertThrows(ShapeException.class,
                () -> new LinearOp().apply(x, Tensor.zeros(5, 3), Tensor.zeros(1, 4)));
        assertTrue(bias.getMessage().contains("bias (1x4)") && bias.getMessage().contains("1x5"), bias.getMessage());
    }
}

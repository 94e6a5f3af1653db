package dev.normgrad.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.normgrad.autograd.Tensor;
import java.util.SplittableRandom;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;

/**
 * The per-op loops that replace the shared ones on the hot path (relu, tanh, sigmoid, and
 * add/sub/mul of same-shape operands) compute exactly what the ops define, at the special values
 * too.
 */
class FastElementwiseLoopsTest {

    @Test
    void reluLoopsMatchItsDefinitionIncludingNaNAndSignedZero() {
        double[] values = {-2, -0.0, 0.0, 1e-300, -1e-300, 3, Double.NaN, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY};
        Relu reference = new Relu();
        Tensor x = Tensor.of(1, values.length, values).requiresGrad(true);
        Tensor y = x.relu();
        Tensor seed = Tensor.full(1, values.length, 2.0);
        y.backward(seed);
        for (int i = 0; i < values.length; i++) {
            double expected = reference.apply(values[i]);
            assertEquals(Double.doubleToLongBits(expected), Double.doubleToLongBits(y.data().data[i]), "relu(" + values[i] + ")");
            double dx = 2.0 * reference.derivative(values[i], expected);
            assertEquals(dx, x.gradData().data[i], 0.0, "relu'(" + values[i] + ")");
        }
    }

    @Test
    void sameShapeAddSubMulMatchTheirDefinitionAndGradients() {
        SplittableRandom rng = new SplittableRandom(3);
        int n = 37;
        double[] a = new double[n];
        double[] b = new double[n];
        double[] g = new double[n];
        for (int i = 0; i < n; i++) {
            a[i] = rng.nextDouble() * 4 - 2;
            b[i] = rng.nextDouble() * 4 - 2;
            g[i] = rng.nextDouble() * 4 - 2;
        }
        for (String op : new String[] {"add", "sub", "mul"}) {
            Tensor ta = Tensor.of(1, n, a).requiresGrad(true);
            Tensor tb = Tensor.of(1, n, b).requiresGrad(true);
            Tensor z = op.equals("add") ? ta.add(tb) : op.equals("sub") ? ta.sub(tb) : ta.mul(tb);
            z.backward(Tensor.of(1, n, g));
            for (int i = 0; i < n; i++) {
                double value = op.equals("add") ? a[i] + b[i] : op.equals("sub") ? a[i] - b[i] : a[i] * b[i];
                double da = op.equals("mul") ? g[i] * b[i] : g[i];
                double db = op.equals("add") ? g[i] : op.equals("sub") ? -g[i] : g[i] * a[i];
                assertEquals(value, z.data().data[i], 0.0, op + " value " + i);
                assertEquals(da, ta.gradData().data[i], 0.0, op + " da " + i);
                assertEquals(db, tb.gradData().data[i], 0.0, op + " db " + i);
            }
        }
    }

    @Test
    void anOperandUsedTwiceGetsBothContributions() {
        Tensor x = Tensor.of(2, 2, 1, -2, 3, 0.5).requiresGrad(true);
        x.mul(x).add(x.sub(x)).sum().backward();      // d/dx (x² + 0) = 2x
        DMatrixRMaj g = x.gradData();
        double[] expected = {2, -4, 6, 1};
        for (int i = 0; i < 4; i++) {
            assertEquals(expected[i], g.data[i], 0.0);
        }
    }

    @Test
    void tanhAndSigmoidGradientsAreOneMinusYSquaredAndYOneMinusY() {
        Tensor x = Tensor.of(1, 4, -3, -0.1, 0.2, 2).requiresGrad(true);
        Tensor t = x.tanh();
        t.sum().backward();
        Tensor x2 = Tensor.of(1, 4, -3, -0.1, 0.2, 2).requiresGrad(true);
        Tensor s = x2.sigmoid();
        s.sum().backward();
        for (int i = 0; i < 4; i++) {
            double y = t.data().data[i];
            assertEquals(1 - y * y, x.gradData().data[i], 0.0);
            double p = s.data().data[i];
            assertEquals(p * (1 - p), x2.gradData().data[i], 0.0);
        }
    }
}

package dev.normgrad.ops;

import static dev.normgrad.testing.Close.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.normgrad.autograd.Tensor;
import dev.normgrad.gradcheck.GradCheck;
import dev.normgrad.testing.Tolerance;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Cody's erf/erfc and the exact GELU against 40-digit references computed with mpmath:
 * {@code mpmath.mp.dps = 40; float(mpmath.erf(x)), float(mpmath.erfc(x))} and
 * {@code float(x·ncdf(x)), float(ncdf(x) + x·npdf(x))}. The PyTorch comparison lives in the
 * layers module (fixtures/nn.json).
 */
class GeluTest {
    /** x, erf(x), erfc(x). */
    private static final double[][] ERF = {
        {0.0, 0.0, 1.0},
        {1e-20, 1.1283791670955125e-20, 1.0},
        {1e-08, 1.1283791670955126e-08, 0.9999999887162083},
        {0.1, 0.1124629160182849, 0.887537083981715},
        {0.3, 0.3286267594591274, 0.6713732405408726},
        {0.46875, 0.49261347321793797, 0.507386526782062},
        {0.5, 0.5204998778130465, 0.4795001221869535},
        {1.0, 0.8427007929497149, 0.15729920705028513},
        {1.5, 0.9661051464753108, 0.033894853524689274},
        {2.0, 0.9953222650189527, 0.004677734981047266},
        {3.0, 0.9999779095030014, 2.209049699858544e-05},
        {4.0, 0.9999999845827421, 1.541725790028002e-08},
        {4.5, 0.9999999998033839, 1.9661604415428876e-10},
        {6.0, 1.0, 2.1519736712498913e-17},
        {10.0, 1.0, 2.088487583762545e-45},
        {26.0, 1.0, 5.663192408856143e-296},
        {-0.2, -0.22270258921047847, 1.2227025892104784},
        {-0.7, -0.6778011938374184, 1.6778011938374184},
        {-2.5, -0.999593047982555, 1.999593047982555},
        {-5.0, -0.9999999999984626, 1.9999999999984626},
    };

    /** x, gelu(x), gelu'(x). */
    private static final double[][] GELU = {
        {-30.0, -1.472014178144456e-196, -4.416031690708495e-195},
        {-10.0, -7.619853024160526e-23, -7.618400096464814e-22},
        {-6.0, -5.9195258702261885e-09, -3.5468709453902015e-08},
        {-3.0, -0.0040496940948902835, -0.011945647204183927},
        {-1.0, -0.15865525393145705, -0.0833154705876863},
        {-0.5, -0.15426876936299344, 0.13250487534383715},
        {0.0, 0.0, 0.5},
        {0.5, 0.34573123063700656, 0.8674951246561629},
        {1.0, 0.8413447460685429, 1.0833154705876864},
        {3.0, 2.99595030590511, 1.011945647204184},
        {6.0, 5.999999994080474, 1.0000000354687095},
        {10.0, 10.0, 1.0},
    };

    @Test
    void erfAndErfcMatchHighPrecisionReferenceTo1e15Relative() {
        for (double[] row : ERF) {
            assertClose(row[1], Gelu.erf(row[0]), Tolerance.relative(1e-15), "erf(" + row[0] + ")");
            assertClose(row[2], Gelu.erfc(row[0]), Tolerance.relative(1e-15), "erfc(" + row[0] + ")");
        }
    }

    @Test
    void erfIsOddAndHasTheRightLimits() {
        for (double x = -6; x <= 6; x += 0.37) {
            assertEquals(-Gelu.erf(x), Gelu.erf(-x), 0.0, "erf(-x) = -erf(x) at " + x);
            assertEquals(1.0, Gelu.erf(x) + Gelu.erfc(x), 2e-16, "erf + erfc = 1 at " + x);
        }
        assertEquals(1.0, Gelu.erf(Double.POSITIVE_INFINITY));
        assertEquals(-1.0, Gelu.erf(Double.NEGATIVE_INFINITY));
        assertEquals(0.0, Gelu.erfc(Double.POSITIVE_INFINITY));
        assertEquals(2.0, Gelu.erfc(Double.NEGATIVE_INFINITY));
        assertTrue(Double.isNaN(Gelu.erf(Double.NaN)));
        assertTrue(Double.isNaN(Gelu.erfc(Double.NaN)));
    }

    @Test
    void geluValueAndDerivativeMatchHighPrecisionReferenceIncludingTheLeftTail() {
        double[] xs = new double[GELU.length];
        for (int i = 0; i < xs.length; i++) {
            xs[i] = GELU[i][0];
        }
        Tensor x = Tensor.row(xs).requiresGrad(true);
        Tensor y = new Gelu().apply(x);
        y.sum().backward();
        for (int i = 0; i < xs.length; i++) {
            // x/√2 is rounded (relative error ≤ 1.1e-16) and erfc(u) magnifies a relative error of u
            // by 2u²: 900 at x = −30. The tolerance is that conditioning, with a 1e-14 floor.
            double u2 = xs[i] * xs[i] / 2;
            double rtol = Math.max(1e-14, 2 * 2 * u2 * 1.1e-16);   // twice the bound
            assertClose(GELU[i][1], y.get(0, i), Tolerance.relative(rtol), "gelu(" + xs[i] + ")");
            assertClose(GELU[i][2], x.grad().get(0, i), Tolerance.relative(rtol), "gelu'(" + xs[i] + ")");
        }
    }

    @Test
    void geluPassesAGradientCheck() {
        GradCheck.check(in -> new Gelu().apply(in[0]), Tensor.randn(4, 5, new Random(7)).mul(2.0)).assertPassed();
    }

    @Test
    void bceWithLogitsIsFiniteAtExtremeLogitsAndPassesAGradientCheck() {
        Tensor x = Tensor.row(-1e4, -30, 0, 30, 1e4);
        Tensor y = Tensor.row(1, 0, 0.5, 1, 0);
        Tensor l = new BinaryCrossEntropyWithLogits().apply(x, y);
        assertEquals(1e4, l.get(0, 0), 0.0);
        assertEquals(Math.log1p(Math.exp(-30)), l.get(0, 1), 1e-28);
        assertEquals(Math.log(2), l.get(0, 2), 1e-16);
        assertEquals(1e4, l.get(0, 4), 0.0);
        Random rng = new Random(3);
        GradCheck.check(in -> new BinaryCrossEntropyWithLogits().apply(in[0], in[1]),
                Tensor.randn(3, 4, rng).mul(3.0), Tensor.uniform(3, 4, 0, 1, rng)).assertPassed();
    }
}

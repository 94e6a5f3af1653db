package dev.normgrad.init;

import static dev.normgrad.nn.NnFixtures.PYTORCH;
import static dev.normgrad.nn.NnFixtures.tensor;
import static dev.normgrad.testing.Close.assertClose;
import static dev.normgrad.testing.PyTorchFixtures.matrix;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.normgrad.autograd.Tensor;
import dev.normgrad.init.Init.FanMode;
import dev.normgrad.init.Init.Nonlinearity;
import dev.normgrad.nn.NnFixtures;
import dev.normgrad.nn.Parameter;
import java.util.Random;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.junit.jupiter.api.Test;

/**
 * Each scheme's distribution, checked statistically on a 300×500 matrix (150,000 draws: the sample
 * mean is within 4 standard errors of 0 and the sample standard deviation within 2% of the target),
 * and orthogonality exactly.
 */
class InitTest {
    private static final int ROWS = 300;
    private static final int COLS = 500;

    private static double[] stats(Tensor t) {
        double[] d = t.data().data;
        double sum = 0, max = 0;
        for (double v : d) {
            sum += v;
            max = Math.max(max, Math.abs(v));
        }
        double mean = sum / d.length, ss = 0;
        for (double v : d) {
            ss += (v - mean) * (v - mean);
        }
        return new double[] {mean, Math.sqrt(ss / d.length), max};
    }

    private static void assertDistribution(Tensor t, double expectedStd, double bound) {
        double[] s = stats(t);
        double n = ROWS * COLS;
        assertEquals(0.0, s[0], 4 * expectedStd / Math.sqrt(n), "mean");
        assertEquals(expectedStd, s[1], 0.02 * expectedStd, "standard deviation");
        if (bound > 0) {
            assertTrue(s[2] <= bound && s[2] > 0.99 * bound, "uniform within ±" + bound + ", max |w| = " + s[2]);
        }
    }

    private static Parameter weight() {
        return new Parameter(ROWS, COLS);
    }

    @Test
    void fansOfAnOutByInWeightAreColumnsAndRows() {
        assertEquals(COLS, Init.fanIn(weight()));
        assertEquals(ROWS, Init.fanOut(weight()));
    }

    @Test
    void gainsMatchPyTorchsCalculateGain() {
        JsonObject g = NnFixtures.get("gainsCalculateGain");
        assertClose(g.get("linear").getAsDouble(), Init.gain(Nonlinearity.LINEAR, 0), PYTORCH, "linear");
        assertClose(g.get("sigmoid").getAsDouble(), Init.gain(Nonlinearity.SIGMOID, 0), PYTORCH, "sigmoid");
        assertClose(g.get("tanh").getAsDouble(), Init.gain(Nonlinearity.TANH, 0), PYTORCH, "tanh");
        assertClose(g.get("relu").getAsDouble(), Init.gain(Nonlinearity.RELU, 0), PYTORCH, "relu");
        assertClose(g.get("leaky_relu_0.01").getAsDouble(), Init.gain(Nonlinearity.LEAKY_RELU, 0.01), PYTORCH, "leaky 0.01");
        assertClose(g.get("leaky_relu_sqrt5").getAsDouble(), Init.gain(Nonlinearity.LEAKY_RELU, Math.sqrt(5)), PYTORCH, "leaky √5");
        assertClose(g.get("selu").getAsDouble(), Init.gain(Nonlinearity.SELU, 0), PYTORCH, "selu");
    }

    @Test
    void xavierUniformHasBoundGainTimesSqrtSixOverFanSum() {
        double a = 2.0 * Math.sqrt(6.0 / (ROWS + COLS));
        assertDistribution(Init.xavierUniform(weight(), 2.0, new Random(1)), a / Math.sqrt(3), a);
    }

    @Test
    void xavierNormalHasStdGainTimesSqrtTwoOverFanSum() {
        assertDistribution(Init.xavierNormal(weight(), 1.5, new Random(2)), 1.5 * Math.sqrt(2.0 / (ROWS + COLS)), 0);
    }

    @Test
    void kaimingUniformHasBoundGainTimesSqrtThreeOverFan() {
        double b = Math.sqrt(2.0) * Math.sqrt(3.0 / COLS);
        assertDistribution(Init.kaimingUniform(weight(), 0, FanMode.FAN_IN, Nonlinearity.RELU, new Random(3)), b / Math.sqrt(3), b);
        double bOut = Math.sqrt(2.0 / (1 + 0.04)) * Math.sqrt(3.0 / ROWS);
        assertDistribution(Init.kaimingUniform(weight(), 0.2, FanMode.FAN_OUT, Nonlinearity.LEAKY_RELU, new Random(4)),
                bOut / Math.sqrt(3), bOut);
    }

    @Test
    void kaimingNormalHasStdGainOverSqrtFan() {
        assertDistribution(Init.kaimingNormal(weight(), 0, FanMode.FAN_IN, Nonlinearity.RELU, new Random(5)),
                Math.sqrt(2.0 / COLS), 0);
        assertDistribution(Init.kaimingNormal(weight(), 0, FanMode.FAN_OUT, Nonlinearity.TANH, new Random(6)),
                (5.0 / 3.0) / Math.sqrt(ROWS), 0);
    }

    @Test
    void linearsDefaultKaimingUniformWithASqrtFiveIsUniformOneOverSqrtFanIn() {
        double b = 1 / Math.sqrt(COLS);
        assertDistribution(Init.kaimingUniform(weight(), Math.sqrt(5), FanMode.FAN_IN, Nonlinearity.LEAKY_RELU,
                new Random(7)), b / Math.sqrt(3), b);
    }

    @Test
    void uniformNormalAndConstantsFillInPlace() {
        Parameter p = weight();
        assertSame(p, Init.uniform(p, -3, 3, new Random(8)));
        assertDistribution(p, 3 / Math.sqrt(3), 3);
        Init.normal(p, 0, 0.5, new Random(9));
        assertDistribution(p, 0.5, 0);
        Init.normal(p, 2.0, 0.1, new Random(9));
        assertEquals(2.0, stats(p)[0], 0.01);
        Init.constant(p, 0.25);
        assertEquals(0.25, p.get(7, 9));
        Init.ones(p);
        assertEquals(1.0, p.get(299, 499));
        Init.zeros(p);
        assertEquals(0.0, stats(p)[2]);
        assertThrows(IllegalArgumentException.class, () -> Init.uniform(p, 1, 0, new Random(1)));
        assertThrows(IllegalArgumentException.class, () -> Init.normal(p, 0, -1, new Random(1)));
    }

    private static void assertOrthonormalColumns(DMatrixRMaj w, double gain) {
        DMatrixRMaj wtw = new DMatrixRMaj(w.numCols, w.numCols);
        CommonOps_DDRM.multTransA(w, w, wtw);
        for (int i = 0; i < w.numCols; i++) {
            for (int j = 0; j < w.numCols; j++) {
                assertEquals(i == j ? gain * gain : 0.0, wtw.get(i, j), 1e-12, "WᵀW[" + i + "," + j + "]");
            }
        }
    }

    @Test
    void orthogonalGivesWTransposeWEqualToGainSquaredTimesIdentity() {
        Parameter tall = new Parameter(50, 20);
        Init.orthogonal(tall, 1.0, new Random(10));
        assertOrthonormalColumns(tall.data(), 1.0);
        Parameter wide = new Parameter(20, 50);
        Init.orthogonal(wide, 2.0, new Random(11));
        assertOrthonormalColumns(CommonOps_DDRM.transpose(wide.data(), null), 2.0);
        Parameter square = new Parameter(30, 30);
        Init.orthogonal(square, 1.0, new Random(12));
        assertOrthonormalColumns(square.data(), 1.0);
        assertOrthonormalColumns(CommonOps_DDRM.transpose(square.data(), null), 1.0);
    }

    @Test
    void orthogonalOfAGivenGaussianEqualsPyTorchsIncludingTheSignFix() {
        for (JsonElement e : NnFixtures.root().getAsJsonArray("orthogonal")) {
            JsonObject f = e.getAsJsonObject();
            DMatrixRMaj q = Init.orthogonalFrom(tensor(f.get("gaussian")).data(), f.get("gain").getAsDouble());
            assertClose(matrix(f.get("result")), q, PYTORCH, "orthogonal " + q.numRows + "x" + q.numCols);
        }
    }

    @Test
    void manualSeedResetsTheSharedGenerator() {
        Init.manualSeed(123);
        Tensor a = Init.normal(Tensor.zeros(3, 3), 0, 1);
        Init.manualSeed(123);
        Tensor b = Init.normal(Tensor.zeros(3, 3), 0, 1);
        assertArrayEquals(a.data().data, b.data().data);
        assertSame(Init.defaultRandom(), Init.defaultRandom());
    }
}

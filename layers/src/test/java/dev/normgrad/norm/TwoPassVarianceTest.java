package dev.normgrad.norm;

import static dev.normgrad.testing.Close.assertClose;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.normgrad.autograd.Tensor;
import dev.normgrad.testing.Tolerance;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The variance is computed in two passes (mean first), never as E[x²] − E[x]²: on data with mean
 * 1e4 and standard deviation 1e-2 the running mean and variance and the normalized output are
 * exact to 1e-9 relative, against statistics computed exactly (BigDecimal) from the same doubles,
 * where the one-pass formula loses every digit.
 */
class TwoPassVarianceTest {
    private static final MathContext MC = new MathContext(60);
    private static final int N = 64;
    private static final int C = 3;

    private static Tensor data() {
        Random r = new Random(12);
        return Tensor.randn(N, C, r).mul(1e-2).add(1e4).detach();
    }

    /** Exact mean and biased variance of column c. */
    private static BigDecimal[] exact(Tensor x, int c) {
        BigDecimal sum = BigDecimal.ZERO;
        for (int i = 0; i < N; i++) {
            sum = sum.add(new BigDecimal(x.get(i, c)));
        }
        BigDecimal mean = sum.divide(BigDecimal.valueOf(N), MC);
        BigDecimal sq = BigDecimal.ZERO;
        for (int i = 0; i < N; i++) {
            BigDecimal d = new BigDecimal(x.get(i, c)).subtract(mean);
            sq = sq.add(d.multiply(d));
        }
        return new BigDecimal[] {mean, sq.divide(BigDecimal.valueOf(N), MC)};
    }

    @Test
    void batchNormStatisticsAndOutputAreExactForMean1e4Std1e2() {
        Tensor x = data();
        for (boolean fused : new boolean[] {true, false}) {
            // momentum 1: the running statistics are this batch's; eps 0 so the output shows the variance bare
            BatchNorm1d bn = new BatchNorm1d(C, 0.0, 1.0, false, true);
            bn.setFused(fused);
            Tensor y = bn.apply(x);
            for (int c = 0; c < C; c++) {
                BigDecimal[] e = exact(x, c);
                double mean = e[0].doubleValue();
                double var = e[1].doubleValue();
                double unbiased = e[1].multiply(BigDecimal.valueOf(N)).divide(BigDecimal.valueOf(N - 1), MC).doubleValue();
                String form = fused ? "fused" : "composed";
                assertClose(mean, bn.runningMean().get(0, c), Tolerance.relative(1e-15), form + " runningMean");
                assertClose(unbiased, bn.runningVar().get(0, c), Tolerance.relative(1e-9), form + " runningVar (unbiased)");
                for (int i = 0; i < N; i++) {
                    double exactOut = new BigDecimal(x.get(i, c)).subtract(e[0]).doubleValue() / Math.sqrt(var);
                    // relative to the output's scale (about 1): an absolute 1e-9
                    assertTrue(Math.abs(y.get(i, c) - exactOut) <= 1e-9,
                            form + " output [" + i + ", " + c + "]: " + y.get(i, c) + " vs exact " + exactOut);
                }
            }
        }
    }

    @Test
    void layerNormOutputIsExactForRowsOfMean1e4Std1e2() {
        Tensor x = data().transpose().detach(); // C rows of N features
        for (boolean fused : new boolean[] {true, false}) {
            LayerNorm ln = new LayerNorm(new int[] {N}, 0.0, false);
            ln.setFused(fused);
            Tensor y = ln.apply(x);
            Tensor xt = x.transpose();
            for (int row = 0; row < C; row++) {
                BigDecimal[] e = exact(xt, row);
                for (int j = 0; j < N; j++) {
                    double exactOut = new BigDecimal(x.get(row, j)).subtract(e[0]).doubleValue() / Math.sqrt(e[1].doubleValue());
                    assertTrue(Math.abs(y.get(row, j) - exactOut) <= 1e-9, (fused ? "fused" : "composed") + " output");
                }
            }
        }
    }

    @Test
    void theOnePassFormulaWouldFailOnTheSameData() {
        // shows that the data above discriminates: E[x²] − E[x]² is off by more than 1e-6 (here ~1e-3), the two-pass by < 1e-9
        Tensor x = data();
        double s = 0, s2 = 0;
        for (int i = 0; i < N; i++) {
            s += x.get(i, 0);
            s2 += x.get(i, 0) * x.get(i, 0);
        }
        double onePass = s2 / N - (s / N) * (s / N);
        double var = exact(x, 0)[1].doubleValue();
        assertTrue(Math.abs(onePass - var) / var > 1e-6, "one-pass relative error " + Math.abs(onePass - var) / var);
    }
}

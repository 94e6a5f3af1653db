package dev.normgrad.tutorials.coursework;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.normgrad.autograd.ShapeException;
import dev.normgrad.autograd.Tensor;
import dev.normgrad.gradcheck.GradCheck;
import dev.normgrad.norm.LayerNorm;
import java.util.Random;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;

class FeatureLayerNormTest {

    /** The reference solution of the exercise (the notebook ships the same formula). */
    static final class Solution extends FeatureLayerNorm {
        @Override
        protected void backward(DMatrixRMaj dy, DMatrixRMaj[] dx) {
            int n = xhat.numRows;
            int f = xhat.numCols;
            for (int i = 0; i < n; i++) {
                double meanG = 0;
                double meanGx = 0;
                for (int j = 0; j < f; j++) {
                    double g = dy.get(i, j) * gamma.data[j];
                    meanG += g / f;
                    meanGx += g * xhat.get(i, j) / f;
                }
                for (int j = 0; j < f; j++) {
                    if (dx[0] != null) {
                        double g = dy.get(i, j) * gamma.data[j];
                        dx[0].add(i, j, invStd[i] * (g - meanG - xhat.get(i, j) * meanGx));
                    }
                    if (dx[1] != null) {
                        dx[1].data[j] += dy.get(i, j) * xhat.get(i, j);
                    }
                    if (dx[2] != null) {
                        dx[2].data[j] += dy.get(i, j);
                    }
                }
            }
        }
    }

    /** Treats σ as a constant: drops the x̂·mean(g·x̂) term. */
    static final class Forgetful extends FeatureLayerNorm {
        @Override
        protected void backward(DMatrixRMaj dy, DMatrixRMaj[] dx) {
            int n = xhat.numRows;
            int f = xhat.numCols;
            for (int i = 0; i < n; i++) {
                double meanG = 0;
                for (int j = 0; j < f; j++) {
                    meanG += dy.get(i, j) * gamma.data[j] / f;
                }
                for (int j = 0; j < f; j++) {
                    if (dx[0] != null) {
                        dx[0].add(i, j, invStd[i] * (dy.get(i, j) * gamma.data[j] - meanG));
                    }
                }
            }
        }
    }

    private final Random rng = new Random(3);
    private final Tensor x = Tensor.randn(4, 5, rng).mul(2.0).add(1.0);
    private final Tensor gamma = Tensor.randn(1, 5, rng);
    private final Tensor beta = Tensor.randn(1, 5, rng);

    @Test
    void forwardAndSolutionMatchTheLibrarysLayerNorm() {
        LayerNorm ln = new LayerNorm(5);
        ln.weight().data().setTo(gamma.data());
        ln.bias().data().setTo(beta.data());
        Tensor xa = x.copy().requiresGrad(true);
        Tensor xb = x.copy().requiresGrad(true);
        Tensor g = gamma.copy().requiresGrad(true);
        Tensor b = beta.copy().requiresGrad(true);
        Tensor mine = new Solution().apply(xa, g, b);
        Tensor theirs = ln.apply(xb);
        Tensor seed = Tensor.randn(4, 5, rng);
        mine.backward(seed);
        theirs.backward(seed);
        for (int i = 0; i < 20; i++) {
            assertEquals(theirs.data().data[i], mine.data().data[i], 1e-12);
            assertEquals(xb.gradData().data[i], xa.gradData().data[i], 1e-12);
        }
        for (int j = 0; j < 5; j++) {
            assertEquals(ln.weight().gradData().data[j], g.gradData().data[j], 1e-12);
            assertEquals(ln.bias().gradData().data[j], b.gradData().data[j], 1e-12);
        }
    }

    @Test
    void theSolutionPassesGradCheck() {
        GradCheck.check(in -> new Solution().apply(in[0], in[1], in[2]), x, gamma, beta).assertPassed();
    }

    @Test
    void forgettingThatSigmaDependsOnXPassesASumCheckAtInitialisationButNotGradCheck() {
        Tensor ones = Tensor.ones(1, 5);
        Tensor zeros = Tensor.zeros(1, 5);
        assertTrue(GradCheck.check(in -> new Forgetful().apply(in[0], ones, zeros).sum(), x).passed(),
                "through sum() both gradients are 0");
        assertFalse(GradCheck.check(in -> new Forgetful().apply(in[0], ones, zeros), x).passed(),
                "the random projection sees the missing term");
    }

    @Test
    void wrongShapesNameTheInput() {
        ShapeException e = assertThrows(ShapeException.class,
                () -> new Solution().apply(x, Tensor.ones(1, 4), beta));
        assertTrue(e.getMessage().contains("gamma must be (1x5)"), e.getMessage());
    }
}

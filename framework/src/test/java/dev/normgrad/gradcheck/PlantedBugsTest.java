package dev.normgrad.gradcheck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.normgrad.autograd.Function;
import dev.normgrad.autograd.Tensor;
import java.util.Random;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;

/**
 * The checker must catch the classic backward bugs a student writes, and must pass the same ops
 * written correctly. Each planted bug is a small Function whose forward is right and whose
 * backward is wrong in one named way.
 */
class PlantedBugsTest {
    private final Random rng = new Random(7);

    /** y = x − mean(x) per row (centring), with an optional bug in its backward. */
    private static final class BuggyCentre extends Function {
        enum Bug { NONE, MISSING_TERM, WRONG_SIGN }

        private final Bug bug;

        BuggyCentre(Bug bug) {
            this.bug = bug;
        }

        @Override
        protected DMatrixRMaj forward(DMatrixRMaj... in) {
            DMatrixRMaj x = in[0];
            DMatrixRMaj y = x.copy();
            for (int i = 0; i < x.numRows; i++) {
                double m = 0;
                for (int j = 0; j < x.numCols; j++) {
                    m += x.get(i, j);
                }
                m /= x.numCols;
                for (int j = 0; j < x.numCols; j++) {
                    y.add(i, j, -m);
                }
            }
            return y;
        }

        @Override
        protected void backward(DMatrixRMaj dy, DMatrixRMaj[] dx) {
            for (int i = 0; i < dy.numRows; i++) {
                double m = 0;
                for (int j = 0; j < dy.numCols; j++) {
                    m += dy.get(i, j);
                }
                m /= dy.numCols;
                for (int j = 0; j < dy.numCols; j++) {
                    double g = dy.get(i, j) - m;                                 // dx = dy − mean(dy)
                    dx[0].add(i, j, switch (bug) {
                        case NONE -> g;
                        case MISSING_TERM -> dy.get(i, j);
                        case WRONG_SIGN -> -g;
                    });
                }
            }
        }
    }

    private GradCheckReport checkMatMul(PlantedOps.MatMul.Bug bug) {
        Tensor x = Tensor.randn(3, 4, rng);
        Tensor w = Tensor.randn(4, 4, rng).name("W");
        return GradCheck.check(in -> new PlantedOps.MatMul(bug).apply(in[0], in[1]), x, w);
    }

    @Test
    void correctMatMulPasses() {
        GradCheckReport r = checkMatMul(PlantedOps.MatMul.Bug.NONE);
        assertTrue(r.passed(), r::toString);
        assertEquals("good", r.reading(), r::toString);
    }

    @Test
    void catchesBackwardOffByFactorTwo() {
        GradCheckReport r = checkMatMul(PlantedOps.MatMul.Bug.FACTOR_TWO);
        assertFalse(r.passed());
        assertEquals(0, r.tensor("input 0").failed(), "dX is right");
        assertEquals(16, r.tensor("W").failed(), r::toString);
        assertEquals("wrong", r.reading());
    }

    @Test
    void catchesWrongSign() {
        GradCheckReport r = checkMatMul(PlantedOps.MatMul.Bug.SIGN);
        assertFalse(r.passed());
        assertTrue(r.tensor("W").failed() > 0, r::toString);
    }

    @Test
    void catchesTransposedGradient() {
        GradCheckReport r = checkMatMul(PlantedOps.MatMul.Bug.TRANSPOSED_SQUARE);
        assertFalse(r.passed());
        assertTrue(r.tensor("W").failed() >= 12, r::toString);   // every off-diagonal entry
    }

    @Test
    void catchesMissingTerm() {
        Tensor x = Tensor.randn(3, 5, rng);
        assertTrue(GradCheck.check(in -> new BuggyCentre(BuggyCentre.Bug.NONE).apply(in[0]), x).passed());
        GradCheckReport r = GradCheck.check(in -> new BuggyCentre(BuggyCentre.Bug.MISSING_TERM).apply(in[0]), x);
        assertFalse(r.passed(), r::toString);
        assertEquals(15, r.failed());
    }

    @Test
    void projectionCatchesWhatSumHides() {
        // The centred output sums to a constant (0), so dL/dy = 1 everywhere makes dx = 0 for the
        // right backward and for the wrong-sign one alike: checking through sum() proves nothing.
        Tensor x = Tensor.randn(3, 5, rng);
        GradCheckReport viaSum = GradCheck.check(in -> new BuggyCentre(BuggyCentre.Bug.WRONG_SIGN).apply(in[0]).sum(), x);
        assertTrue(viaSum.passed(), "through sum() the bug is invisible");
        GradCheckReport projected = GradCheck.check(in -> new BuggyCentre(BuggyCentre.Bug.WRONG_SIGN).apply(in[0]), x);
        assertFalse(projected.passed(), "the random projection exposes it");
        assertEquals(15, projected.failed());
    }

    @Test
    void catchesGradientSummedOverWrongAxis() {
        Tensor x = Tensor.randn(3, 3, rng);
        Tensor b = Tensor.randn(1, 3, rng).name("b");
        assertTrue(GradCheck.check(in -> new PlantedOps.BiasAdd(PlantedOps.BiasAdd.Bug.NONE).apply(in[0], in[1]), x, b).passed());
        GradCheckReport r = GradCheck.check(in -> new PlantedOps.BiasAdd(PlantedOps.BiasAdd.Bug.WRONG_AXIS).apply(in[0], in[1]), x, b);
        assertFalse(r.passed());
        assertEquals(0, r.tensor("input 0").failed());
        assertTrue(r.tensor("b").failed() > 0, r::toString);
    }

    @Test
    void fastModeCatchesFactorTwoToo() {
        Tensor x = Tensor.randn(3, 4, rng);
        Tensor w = Tensor.randn(4, 4, rng);
        GradCheck check = new GradCheck();
        assertTrue(check.fast(in -> new PlantedOps.MatMul(PlantedOps.MatMul.Bug.NONE).apply(in[0], in[1]), 4, x, w).passed());
        GradCheckReport r = check.fast(in -> new PlantedOps.MatMul(PlantedOps.MatMul.Bug.FACTOR_TWO).apply(in[0], in[1]), 4, x, w);
        assertFalse(r.passed(), r::toString);
        assertEquals("fast", r.mode());
        assertEquals(4, r.tensors().size());
    }
}

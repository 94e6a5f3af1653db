package dev.normgrad.autograd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.ejml.MatrixDimensionException;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.junit.jupiter.api.Test;

/**
 * The engine refuses a backward that leaves a gradient buffer in another shape than its input, or
 * replaces the buffer, or trips EJML's dimension check: the error names the op's class, the input
 * and both shapes, instead of a silently mis-shaped {@code grad()} or a bare EJML exception.
 */
class MalformedGradientTest {
    private final Random rng = new Random(5);

    /** y = x·W (x 4×3, W 3×7) with one of the classic ways of writing dW wrongly. */
    static final class LinearWithBadWeightGradient extends Function {
        enum How { SET_TO_TRANSPOSED, RESHAPE, REPLACE_WRONG_SIZE, REPLACE_RIGHT_SIZE, EJML_DIMENSIONS, RIGHT }

        private final How how;
        private DMatrixRMaj x;
        private DMatrixRMaj w;

        LinearWithBadWeightGradient(How how) {
            this.how = how;
        }

        @Override
        protected DMatrixRMaj forward(DMatrixRMaj... in) {
            x = in[0];
            w = in[1];
            DMatrixRMaj y = new DMatrixRMaj(x.numRows, w.numCols);
            CommonOps_DDRM.mult(x, w, y);
            return y;
        }

        @Override
        protected void backward(DMatrixRMaj dy, DMatrixRMaj[] dx) {
            if (dx[0] != null) {
                CommonOps_DDRM.multAddTransB(dy, w, dx[0]);
            }
            if (dx[1] == null) {
                return;
            }
            switch (how) {
                case SET_TO_TRANSPOSED -> {
                    DMatrixRMaj dwT = new DMatrixRMaj(w.numCols, w.numRows);   // dYᵀ·X: 7×3
                    CommonOps_DDRM.multTransA(dy, x, dwT);
                    dx[1].setTo(dwT);
                }
                case RESHAPE -> {
                    CommonOps_DDRM.multAddTransA(x, dy, dx[1]);
                    dx[1].reshape(1, w.numRows * w.numCols, true);
                }
                case REPLACE_WRONG_SIZE -> dx[1] = new DMatrixRMaj(w.numCols, w.numRows);
                case REPLACE_RIGHT_SIZE -> {
                    dx[1] = new DMatrixRMaj(w.numRows, w.numCols);
                    CommonOps_DDRM.multTransA(x, dy, dx[1]);
                }
                case EJML_DIMENSIONS -> CommonOps_DDRM.multAddTransA(dy, x, dx[1]);   // (7x4)·(4x3) into 3x7
                case RIGHT -> CommonOps_DDRM.multAddTransA(x, dy, dx[1]);
            }
        }
    }

    private RuntimeException backwardOf(LinearWithBadWeightGradient.How how, Tensor w) {
        Tensor x = Tensor.randn(4, 3, rng).requiresGrad(true);
        Tensor y = new LinearWithBadWeightGradient(how).apply(x, w);
        return assertThrows(RuntimeException.class, () -> y.sum().backward());
    }

    @Test
    void setToWithTheTransposedShapeFailsAtTheOpNamingClassInputAndBothShapes() {
        Tensor w = Tensor.randn(3, 7, rng).requiresGrad(true);
        RuntimeException e = backwardOf(LinearWithBadWeightGradient.How.SET_TO_TRANSPOSED, w);
        assertInstanceOf(ShapeException.class, e);
        assertEquals("LinearWithBadWeightGradient.backward: the gradient of input 1 must keep that input's shape (3x7), "
                + "but is (7x3) after the backward; add into the buffer you are given (CommonOps_DDRM.addEquals, "
                + "multAddTransA, ...), never setTo, reshape or replace it", e.getMessage());
        assertEquals(3, w.gradData().numRows, "the buffer is given its shape back: the tensor stays usable");
        assertEquals(7, w.gradData().numCols);
    }

    @Test
    void aReshapedBufferFailsTheSameWay() {
        RuntimeException e = backwardOf(LinearWithBadWeightGradient.How.RESHAPE, Tensor.randn(3, 7, rng).requiresGrad(true));
        assertInstanceOf(ShapeException.class, e);
        assertTrue(e.getMessage().contains("input 1 must keep that input's shape (3x7), but is (1x21)"), e.getMessage());
    }

    @Test
    void aBufferReplacedByOneOfTheWrongSizeFails() {
        RuntimeException e = backwardOf(LinearWithBadWeightGradient.How.REPLACE_WRONG_SIZE, Tensor.randn(3, 7, rng).requiresGrad(true));
        assertInstanceOf(ShapeException.class, e);
        assertTrue(e.getMessage().startsWith("LinearWithBadWeightGradient.backward: the gradient of input 1 must keep "
                + "that input's shape (3x7), but is (7x3)"), e.getMessage());
    }

    @Test
    void aBufferReplacedByAnotherMatrixOfTheRightSizeFailsInsteadOfDroppingTheGradient() {
        Tensor w = Tensor.randn(3, 7, rng).requiresGrad(true);
        RuntimeException e = backwardOf(LinearWithBadWeightGradient.How.REPLACE_RIGHT_SIZE, w);
        assertInstanceOf(IllegalStateException.class, e);
        assertEquals("LinearWithBadWeightGradient.backward: replaced the gradient buffer of input 1 (gradInputs[1] = ...) "
                + "instead of adding into it; the engine never sees a replaced buffer, so that gradient would be lost", e.getMessage());
    }

    @Test
    void ejmlsDimensionErrorInsideABackwardComesOutNamingTheOp() {
        RuntimeException e = backwardOf(LinearWithBadWeightGradient.How.EJML_DIMENSIONS, Tensor.randn(3, 7, rng).requiresGrad(true));
        assertInstanceOf(ShapeException.class, e);
        assertInstanceOf(MatrixDimensionException.class, e.getCause());
        assertTrue(e.getMessage().startsWith("LinearWithBadWeightGradient.backward: EJML refused the shapes ("), e.getMessage());
        assertTrue(e.getMessage().contains("inputs (4x3), (3x7); output gradient (4x7)"), e.getMessage());
    }

    @Test
    void theSameOpWrittenRightPasses() {
        Tensor x = Tensor.randn(4, 3, rng).requiresGrad(true);
        Tensor w = Tensor.randn(3, 7, rng).requiresGrad(true);
        new LinearWithBadWeightGradient(LinearWithBadWeightGradient.How.RIGHT).apply(x, w).sum().backward();
        assertEquals(3, w.gradData().numRows);
        assertEquals(7, w.gradData().numCols);
    }

    @Test
    void anIntermediateGradientOfTheWrongShapeIsCaughtAtTheOpThatMadeIt() {
        // the weight is the output of another op: its buffer is this pass's, not a leaf's
        Tensor x = Tensor.randn(4, 3, rng).requiresGrad(true);
        Tensor v = Tensor.randn(3, 7, rng).requiresGrad(true);
        Tensor y = new LinearWithBadWeightGradient(LinearWithBadWeightGradient.How.SET_TO_TRANSPOSED).apply(x, v.tanh());
        RuntimeException e = assertThrows(ShapeException.class, () -> y.sum().backward());
        assertTrue(e.getMessage().contains("input 1 must keep that input's shape (3x7), but is (7x3)"), e.getMessage());
    }
}

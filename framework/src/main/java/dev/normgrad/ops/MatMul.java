package dev.normgrad.ops;

import dev.normgrad.gemm.MatMulKernel;
import dev.normgrad.autograd.Function;
import dev.normgrad.autograd.ShapeException;
import org.ejml.data.DMatrixRMaj;

/**
 * Matrix product with optional transposes, {@code Y = op(A)·op(B)} where op is the identity or the
 * transpose (a Linear layer computes {@code x·Wᵀ} as {@code new MatMul(false, true)} without
 * materialising Wᵀ). With Â = op(A), B̂ = op(B):
 * <pre>
 *   dÂ = dY·B̂ᵀ        dB̂ = Âᵀ·dY
 *   dA = dÂ  (or dÂᵀ when A was transposed),  dB likewise
 * </pre>
 * Saves both operands (each gradient needs the other). Every product goes through
 * {@link MatMulKernel}. Shapes: (m×k)·(k×n) → m×n.
 */
public final class MatMul extends Function {
    private final boolean transA;
    private final boolean transB;
    private DMatrixRMaj a;
    private DMatrixRMaj b;

    public MatMul(boolean transposeA, boolean transposeB) {
        this.transA = transposeA;
        this.transB = transposeB;
    }

    @Override
    public String name() {
        return transA ? (transB ? "matmulTransposeAB" : "matmulTransposeA") : (transB ? "matmulTransposeB" : "matmul");
    }

    @Override
    protected DMatrixRMaj forward(DMatrixRMaj... in) {
        a = in[0];
        b = in[1];
        int m = transA ? a.numCols : a.numRows;
        int ka = transA ? a.numRows : a.numCols;
        int kb = transB ? b.numCols : b.numRows;
        int n = transB ? b.numRows : b.numCols;
        if (ka != kb) {
            throw new ShapeException(name() + ": " + ShapeException.shape(a.numRows, a.numCols) + (transA ? "ᵀ" : "")
                    + " @ " + ShapeException.shape(b.numRows, b.numCols) + (transB ? "ᵀ" : "")
                    + ": inner dimensions " + ka + " and " + kb + " differ");
        }
        DMatrixRMaj y = new DMatrixRMaj(m, n);
        MatMulKernel.gemm(transA, a, transB, b, y, false);
        return y;
    }

    @Override
    protected void backward(DMatrixRMaj dy, DMatrixRMaj[] grads) {
        if (grads[0] != null) {
            if (!transA) {
                MatMulKernel.gemm(false, dy, !transB, b, grads[0], true);   // dA += dY·B̂ᵀ
            } else {
                MatMulKernel.gemm(transB, b, true, dy, grads[0], true);     // dA += B̂·dYᵀ
            }
        }
        if (grads[1] != null) {
            if (!transB) {
                MatMulKernel.gemm(!transA, a, false, dy, grads[1], true);   // dB += Âᵀ·dY
            } else {
                MatMulKernel.gemm(true, dy, transA, a, grads[1], true);     // dB += dYᵀ·Â
            }
        }
    }
}

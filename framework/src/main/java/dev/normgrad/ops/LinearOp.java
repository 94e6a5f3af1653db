package dev.normgrad.ops;

import dev.normgrad.gemm.MatMulKernel;
import dev.normgrad.autograd.Function;
import dev.normgrad.autograd.ShapeException;
import org.ejml.data.DMatrixRMaj;

/**
 * The affine map of a Linear layer as one op, the bias added inside the product:
 * <pre>
 *   Y = X·Wᵀ + b          X: N×in, W: out×in (PyTorch's layout), b: 1×out broadcast down the rows → N×out
 *   dX = dY·W     dW = dYᵀ·X     db = Σᵢ dYᵢ   (the column sums of dY)
 * </pre>
 * The same values and gradients as {@code x.matmulTransposeB(w).add(b)} (tested equal), in one
 * pass less each way: the forward writes b into every row of Y and lets the product accumulate
 * onto it ({@code β = 1} in BLAS terms), where the composed form computes X·Wᵀ, then reads it again
 * to add b into a second N×out matrix. Saves X and W (each gradient needs the other), not b.
 *
 * <p>Inputs: {@code x, w} or {@code x, w, b}; apply as {@code new LinearOp().apply(x, w, b)}. All
 * products go through {@link MatMulKernel}.
 */
public final class LinearOp extends Function {
    private DMatrixRMaj x;
    private DMatrixRMaj w;

    @Override
    public String name() {
        return "linear";
    }

    @Override
    protected DMatrixRMaj forward(DMatrixRMaj... in) {
        if (in.length != 2 && in.length != 3) {
            throw new IllegalArgumentException(name() + ": expected the inputs x, weight and optionally bias, got "
                    + in.length + " inputs");
        }
        x = in[0];
        w = in[1];
        DMatrixRMaj b = in.length == 3 ? in[2] : null;
        checkInput(name(), "input", x, "weight", w);
        if (b != null) {
            checkBias(name(), "bias", b, "weight", w);
        }
        return affine(x, w, b);
    }

    @Override
    protected void backward(DMatrixRMaj dy, DMatrixRMaj[] grads) {
        accumulateGradients(dy, x, w, grads[0], grads[1], grads.length == 3 ? grads[2] : null);
    }

    /**
     * {@code Y = b + X·Wᵀ} (b broadcast down the rows), or {@code X·Wᵀ} when b is null: a new N×out
     * matrix. Shapes are the caller's to check. For ops that compute affine maps inside them.
     */
    static DMatrixRMaj affine(DMatrixRMaj x, DMatrixRMaj w, DMatrixRMaj b) {
        int n = x.numRows, out = w.numRows;
        DMatrixRMaj y = new DMatrixRMaj(n, out);
        if (b == null) {
            MatMulKernel.gemm(false, x, true, w, y, false);
            return y;
        }
        for (int i = 0; i < n; i++) {
            System.arraycopy(b.data, 0, y.data, i * out, out);
        }
        MatMulKernel.gemm(false, x, true, w, y, true);                // Y = b + X·Wᵀ
        return y;
    }

    /** {@code dX += dY·W, dW += dYᵀ·X, db += Σᵢ dYᵢ}; a null buffer is skipped. dY, X, W: not modified. */
    static void accumulateGradients(DMatrixRMaj dy, DMatrixRMaj x, DMatrixRMaj w, DMatrixRMaj dx, DMatrixRMaj dw,
                                    DMatrixRMaj db) {
        if (dx != null) {
            MatMulKernel.gemm(false, dy, false, w, dx, true);   // dX += dY·W
        }
        if (dw != null) {
            MatMulKernel.gemm(true, dy, false, x, dw, true);    // dW += dYᵀ·X
        }
        if (db != null) {                                       // db += Σᵢ dYᵢ
            int out = dy.numCols;
            for (int i = 0, at = 0; i < dy.numRows; i++) {
                for (int j = 0; j < out; j++, at++) {
                    db.data[j] += dy.data[at];
                }
            }
        }
    }

    /** Refuses an input X (N×in) that does not fit a weight W (out×in), naming the op and both as the caller calls them. */
    static void checkInput(String op, String xName, DMatrixRMaj x, String wName, DMatrixRMaj w) {
        if (x.numCols != w.numCols) {
            throw new ShapeException(op + ": " + xName + " " + ShapeException.shape(x.numRows, x.numCols) + " and " + wName
                    + " " + ShapeException.shape(w.numRows, w.numCols) + ": the " + xName + " has " + x.numCols
                    + " features per row, the " + wName + " (out x in) expects " + w.numCols);
        }
    }

    /** Refuses a bias that is not a 1×out row for the weight W (out×in). */
    static void checkBias(String op, String bName, DMatrixRMaj b, String wName, DMatrixRMaj w) {
        if (b.numRows != 1 || b.numCols != w.numRows) {
            throw new ShapeException(op + ": " + bName + " " + ShapeException.shape(b.numRows, b.numCols) + " does not fit "
                    + wName + " " + ShapeException.shape(w.numRows, w.numCols) + "; expected a 1x" + w.numRows + " row");
        }
    }
}

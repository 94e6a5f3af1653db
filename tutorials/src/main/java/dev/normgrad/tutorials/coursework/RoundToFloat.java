package dev.normgrad.tutorials.coursework;

import dev.normgrad.autograd.Function;
import org.ejml.data.DMatrixRMaj;

/**
 * Simulates float32 arithmetic inside NormGrad's float64: the forward rounds every entry to the
 * nearest float ({@code (double) (float) x}, a relative error up to 2⁻²⁴ ≈ 6·10⁻⁸); the backward
 * passes the gradient through unchanged, as if the rounding were exact. Put it after an op to see
 * what a gradient check computed in float32 would report.
 *
 * <pre>{@code
 * GradCheck.check(in -> new RoundToFloat().apply(in[0].tanh()), x);   // tanh "in float32": fails
 * }</pre>
 */
public final class RoundToFloat extends Function {
    @Override
    protected DMatrixRMaj forward(DMatrixRMaj... in) {
        DMatrixRMaj x = in[0];
        DMatrixRMaj y = new DMatrixRMaj(x.numRows, x.numCols);
        for (int i = 0; i < y.getNumElements(); i++) {
            y.data[i] = (float) x.data[i];
        }
        return y;
    }

    /** dL/dx = dL/dy: rounding is treated as the identity. */
    @Override
    protected void backward(DMatrixRMaj dy, DMatrixRMaj[] dx) {
        if (dx[0] == null) {
            return;
        }
        for (int i = 0; i < dy.getNumElements(); i++) {
            dx[0].data[i] += dy.data[i];
        }
    }
}

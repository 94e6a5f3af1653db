package dev.normgrad.ops;

import dev.normgrad.autograd.Function;
import org.ejml.data.DMatrixRMaj;

/**
 * log(softmax) of each row, computed stably as {@code y_ij = (x_ij − m_i) − log Σ_k exp(x_ik − m_i)}
 * (m_i the row's maximum: finite even for logits of ±1e4). The shift is subtracted first, as in
 * PyTorch: {@code x − (m + log Σ)} would round {@code m + log Σ} at the scale of m and lose up to
 * ulp(m) ≈ 2e-12 for logits near 1e4. Backward (saves the output only):
 * {@code dx_ij = dy_ij − exp(y_ij) · Σ_k dy_ik}.
 */
public final class LogSoftmax extends Function {
    private DMatrixRMaj y;

    @Override
    protected DMatrixRMaj forward(DMatrixRMaj... in) {
        DMatrixRMaj x = in[0];
        y = new DMatrixRMaj(x.numRows, x.numCols);
        int c = x.numCols;
        for (int i = 0; i < x.numRows; i++) {
            int o = i * c;
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < c; j++) {
                max = Math.max(max, x.data[o + j]);
            }
            double sum = 0;
            for (int j = 0; j < c; j++) {
                sum += StrictMath.exp(x.data[o + j] - max);
            }
            double logSum = StrictMath.log(sum);
            for (int j = 0; j < c; j++) {
                y.data[o + j] = (x.data[o + j] - max) - logSum;
            }
        }
        return y;
    }

    @Override
    protected void backward(DMatrixRMaj dy, DMatrixRMaj[] dx) {
        if (dx[0] == null) {
            return;
        }
        int c = y.numCols;
        for (int i = 0; i < y.numRows; i++) {
            int o = i * c;
            double total = 0;
            for (int j = 0; j < c; j++) {
                total += dy.data[o + j];
            }
            for (int j = 0; j < c; j++) {
                dx[0].data[o + j] += dy.data[o + j] - StrictMath.exp(y.data[o + j]) * total;
            }
        }
    }
}

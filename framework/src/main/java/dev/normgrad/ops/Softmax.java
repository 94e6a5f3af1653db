package dev.normgrad.ops;

import dev.normgrad.autograd.Function;
import org.ejml.data.DMatrixRMaj;

/**
 * Softmax of each row: {@code y_ij = exp(x_ij − m_i) / Σ_k exp(x_ik − m_i)} with m_i the row's
 * maximum, so that no exponential overflows. Backward (saves the output only):
 * {@code dx_ij = y_ij · (dy_ij − Σ_k dy_ik · y_ik)}.
 */
public final class Softmax extends Function {
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
                double e = StrictMath.exp(x.data[o + j] - max);
                y.data[o + j] = e;
                sum += e;
            }
            for (int j = 0; j < c; j++) {
                y.data[o + j] /= sum;
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
            double dot = 0;
            for (int j = 0; j < c; j++) {
                dot += dy.data[o + j] * y.data[o + j];
            }
            for (int j = 0; j < c; j++) {
                dx[0].data[o + j] += y.data[o + j] * (dy.data[o + j] - dot);
            }
        }
    }
}

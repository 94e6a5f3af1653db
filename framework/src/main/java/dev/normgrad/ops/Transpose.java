package dev.normgrad.ops;

import dev.normgrad.autograd.Function;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;

/** {@code Y = Xᵀ ; dX += dYᵀ}. Saves nothing. */
public final class Transpose extends Function {
    @Override
    protected DMatrixRMaj forward(DMatrixRMaj... in) {
        return CommonOps_DDRM.transpose(in[0], null);
    }

    @Override
    protected void backward(DMatrixRMaj dy, DMatrixRMaj[] dx) {
        if (dx[0] == null) {
            return;
        }
        int r = dy.numRows, c = dy.numCols;
        for (int i = 0; i < r; i++) {
            for (int j = 0; j < c; j++) {
                dx[0].data[j * r + i] += dy.data[i * c + j];
            }
        }
    }
}

package dev.normgrad.ops;

import dev.normgrad.autograd.Function;
import dev.normgrad.autograd.ShapeException;
import org.ejml.data.DMatrixRMaj;

/**
 * The inputs side by side, {@code Y = [X₁ X₂ … X_k]} (same number of rows); backward hands each
 * input its block of columns of dY. Saves only the widths.
 */
public final class ConcatColumns extends Function {
    private int[] widths;

    @Override
    protected DMatrixRMaj forward(DMatrixRMaj... in) {
        if (in.length == 0) {
            throw new IllegalArgumentException(name() + ": needs at least one tensor");
        }
        int rows = in[0].numRows;
        int total = 0;
        widths = new int[in.length];
        for (int k = 0; k < in.length; k++) {
            if (in[k].numRows != rows) {
                throw new ShapeException(name() + ": tensor " + k + " is " + ShapeException.shape(in[k].numRows, in[k].numCols)
                        + " but tensor 0 is " + ShapeException.shape(rows, in[0].numCols) + "; all need the same number of rows");
            }
            widths[k] = in[k].numCols;
            total += widths[k];
        }
        DMatrixRMaj y = new DMatrixRMaj(rows, total);
        for (int i = 0; i < rows; i++) {
            int offset = 0;
            for (int k = 0; k < in.length; k++) {
                System.arraycopy(in[k].data, i * widths[k], y.data, i * total + offset, widths[k]);
                offset += widths[k];
            }
        }
        return y;
    }

    @Override
    protected void backward(DMatrixRMaj dy, DMatrixRMaj[] dx) {
        int total = dy.numCols;
        int offset = 0;
        for (int k = 0; k < widths.length; k++) {
            if (dx[k] != null) {
                for (int i = 0; i < dy.numRows; i++) {
                    for (int j = 0; j < widths[k]; j++) {
                        dx[k].data[i * widths[k] + j] += dy.data[i * total + offset + j];
                    }
                }
            }
            offset += widths[k];
        }
    }
}

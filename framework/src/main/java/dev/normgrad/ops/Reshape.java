package dev.normgrad.ops;

import dev.normgrad.autograd.Function;
import dev.normgrad.autograd.ShapeException;
import org.ejml.data.DMatrixRMaj;

/**
 * The same entries, read row-major, in a new shape: {@code Y = reshape(X, r, c)} with
 * rows·cols unchanged; backward reshapes dY back. This is how one normalization kernel serves
 * every layout: an N×(C·L) batch viewed as (N·C)×L puts each sample-channel's positions in one row.
 * Saves only the input's shape.
 */
public final class Reshape extends Function {
    private final int rows;
    private final int cols;

    public Reshape(int rows, int cols) {
        this.rows = rows;
        this.cols = cols;
    }

    @Override
    protected DMatrixRMaj forward(DMatrixRMaj... in) {
        DMatrixRMaj x = in[0];
        if (rows <= 0 || cols <= 0 || (long) rows * cols != x.getNumElements()) {
            throw new ShapeException(name() + ": cannot view " + ShapeException.shape(x.numRows, x.numCols) + " ("
                    + x.getNumElements() + " entries) as " + ShapeException.shape(rows, cols) + " ("
                    + (long) rows * cols + " entries)");
        }
        DMatrixRMaj y = new DMatrixRMaj(rows, cols);
        System.arraycopy(x.data, 0, y.data, 0, x.getNumElements());
        return y;
    }

    @Override
    protected void backward(DMatrixRMaj dy, DMatrixRMaj[] dx) {
        if (dx[0] == null) {
            return;
        }
        int n = dy.getNumElements();
        for (int i = 0; i < n; i++) {
            dx[0].data[i] += dy.data[i];
        }
    }
}

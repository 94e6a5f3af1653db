package dev.normgrad.ops;

import dev.normgrad.autograd.Function;
import dev.normgrad.autograd.ShapeException;
import org.ejml.data.DMatrixRMaj;

/**
 * Columns {@code from} (inclusive) to {@code to} (exclusive): {@code Y = X[:, from:to]}; backward
 * adds dY into those columns of dX and leaves the others. Recurrent cells cut their gates out of one
 * product this way. Saves only the input's width.
 */
public final class SliceColumns extends Function {
    private final int from;
    private final int to;
    private int width;

    public SliceColumns(int from, int to) {
        this.from = from;
        this.to = to;
    }

    @Override
    protected DMatrixRMaj forward(DMatrixRMaj... in) {
        DMatrixRMaj x = in[0];
        if (from < 0 || to > x.numCols || from >= to) {
            throw new ShapeException(name() + ": columns [" + from + ", " + to + ") of " + ShapeException.shape(x.numRows, x.numCols)
                    + ": need 0 <= from < to <= " + x.numCols);
        }
        width = x.numCols;
        int w = to - from;
        DMatrixRMaj y = new DMatrixRMaj(x.numRows, w);
        for (int i = 0; i < x.numRows; i++) {
            System.arraycopy(x.data, i * width + from, y.data, i * w, w);
        }
        return y;
    }

    @Override
    protected void backward(DMatrixRMaj dy, DMatrixRMaj[] dx) {
        if (dx[0] == null) {
            return;
        }
        int w = to - from;
        for (int i = 0; i < dy.numRows; i++) {
            for (int j = 0; j < w; j++) {
                dx[0].data[i * width + from + j] += dy.data[i * w + j];
            }
        }
    }
}

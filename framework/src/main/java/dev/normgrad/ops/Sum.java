package dev.normgrad.ops;

import dev.normgrad.autograd.Function;
import org.ejml.data.DMatrixRMaj;

/**
 * Sum over a dimension, kept as in PyTorch's {@code keepdim=True}: dim 0 (over the rows, the
 * batch) gives 1×cols, dim 1 (over the columns) gives rows×1, dim −1 (everything) gives 1×1.
 * Backward broadcasts the gradient back: {@code dx_ij += dy_(reduced index)} — times a scale, which
 * is how {@link Mean} reuses this kernel. Saves only the input's shape.
 */
public class Sum extends Function {
    private final int dim;
    private int rows;
    private int cols;
    private double scale;

    /** @param dim 0, 1, or −1 for all entries */
    public Sum(int dim) {
        if (dim < -1 || dim > 1) {
            throw new IllegalArgumentException(getClass().getSimpleName().toLowerCase(java.util.Locale.ROOT)
                    + ": dim must be 0 (over rows), 1 (over columns) or -1 (all), got " + dim);
        }
        this.dim = dim;
    }

    /** The factor applied to the sum: 1 for a sum, 1/count for a mean. */
    protected double scale(int rows, int cols, int dim) {
        return 1.0;
    }

    @Override
    protected final DMatrixRMaj forward(DMatrixRMaj... in) {
        DMatrixRMaj x = in[0];
        rows = x.numRows;
        cols = x.numCols;
        scale = scale(rows, cols, dim);
        DMatrixRMaj y = new DMatrixRMaj(dim == 1 ? rows : 1, dim == 0 ? cols : 1);
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                y.data[index(i, j)] += x.data[i * cols + j];
            }
        }
        int n = y.getNumElements();
        for (int k = 0; k < n; k++) {
            y.data[k] *= scale;
        }
        return y;
    }

    @Override
    protected final void backward(DMatrixRMaj dy, DMatrixRMaj[] dx) {
        if (dx[0] == null) {
            return;
        }
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                dx[0].data[i * cols + j] += scale * dy.data[index(i, j)];
            }
        }
    }

    private int index(int i, int j) {
        return dim == 0 ? j : dim == 1 ? i : 0;
    }
}

package dev.normgrad.ops;

/**
 * Mean over a dimension (kept) or over everything: {@link Sum} scaled by 1/count, so
 * {@code dx_ij += dy / count}.
 */
public final class Mean extends Sum {
    /** @param dim 0 (over rows), 1 (over columns), or −1 for all entries */
    public Mean(int dim) {
        super(dim);
    }

    @Override
    protected double scale(int rows, int cols, int dim) {
        return 1.0 / (dim == 0 ? rows : dim == 1 ? cols : (double) rows * cols);
    }
}

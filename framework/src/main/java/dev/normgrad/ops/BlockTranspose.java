package dev.normgrad.ops;

import dev.normgrad.autograd.Function;
import dev.normgrad.autograd.ShapeException;
import org.ejml.data.DMatrixRMaj;

/**
 * The transpose of a matrix of blocks: X, r × (c·k), read as r rows of c blocks of k consecutive
 * entries, becomes Y, c × (r·k), whose row j holds block j of every row of X, in order. As
 * tensors it is (r, c, k) → (c, r, k), PyTorch's {@code x.transpose(0, 1)} on a 3-D tensor; with
 * k = 1 it is the ordinary transpose.
 *
 * <pre>
 *   Y[j, i·k + t] = X[i, j·k + t]        (i &lt; r, j &lt; c, t &lt; k)
 *   dX[i, j·k + t] += dY[j, i·k + t]     (the same permutation undone: BlockTranspose(k) of dY)
 * </pre>
 *
 * <p>Why it exists: a batch of N samples with C channels of L positions is N × (C·L), and
 * BatchNorm's statistics are per channel over N and L — entries that are scattered across rows.
 * {@code new BlockTranspose(L).apply(x)} gathers them, C × (N·L), one channel per row, so that
 * BatchNorm becomes "normalize each row", like LayerNorm; applying it again (now to C × (N·L))
 * puts the entries back. Saves nothing but the shape.
 */
public final class BlockTranspose extends Function {
    private final int k;
    private int r;
    private int c;

    /** @param blockLength k, the number of consecutive entries that move together (L, the positions of a channel) */
    public BlockTranspose(int blockLength) {
        if (blockLength <= 0) {
            throw new IllegalArgumentException("blockTranspose: the block length must be at least 1, got " + blockLength);
        }
        this.k = blockLength;
    }

    @Override
    protected DMatrixRMaj forward(DMatrixRMaj... in) {
        DMatrixRMaj x = in[0];
        if (x.numCols % k != 0) {
            throw new ShapeException(name() + ": " + ShapeException.shape(x.numRows, x.numCols) + " cannot be read as blocks of "
                    + k + " entries: the number of columns must be a multiple of " + k);
        }
        r = x.numRows;
        c = x.numCols / k;
        DMatrixRMaj y = new DMatrixRMaj(c, r * k);
        permute(x.data, y.data, false);
        return y;
    }

    @Override
    protected void backward(DMatrixRMaj dy, DMatrixRMaj[] dx) {
        if (dx[0] != null) {
            permute(dy.data, dx[0].data, true);
        }
    }

    /** Copies (forward) or adds back (backward) each block of k entries to its place. */
    private void permute(double[] from, double[] to, boolean back) {
        for (int i = 0; i < r; i++) {
            for (int j = 0; j < c; j++) {
                int xAt = (i * c + j) * k;
                int yAt = (j * r + i) * k;
                if (back) {
                    for (int t = 0; t < k; t++) {
                        to[xAt + t] += from[yAt + t];
                    }
                } else {
                    System.arraycopy(from, xAt, to, yAt, k);
                }
            }
        }
    }
}

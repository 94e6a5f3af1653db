package dev.normgrad.ops;

/**
 * The two rearrangements that turn a convolution into one matrix product (Chellapilla, Puri &amp;
 * Simard, <i>High Performance Convolutional Neural Networks for Document Processing</i>, 2006), as
 * static math on raw arrays.
 *
 * <p><b>im2col</b> writes, for every output position of a {@link SlidingWindow}, the values the
 * window covers as one column: row {@code (c·kH + i)·kW + j} (channel c, kernel row i, kernel
 * column j), column {@code oh·outWidth + ow}:
 * <pre>
 *   cols[(c·kH + i)·kW + j][oh·W' + ow] = x[c][oh·sH − pH + i][ow·sW − pW + j]      (0 in the padding)
 * </pre>
 * so that a convolution with weights W (C'×(C·kH·kW), PyTorch's (C', C, kH, kW) flattened) is
 * {@code Y = W·cols}, (C'×P) with P = H'·W' positions. The images of a batch sit side by side —
 * image n's columns at n·P of a matrix of N·P columns — so one product serves the whole batch.
 *
 * <p><b>col2im</b> is its adjoint: it adds every entry of a column matrix back onto the input
 * position it was copied from, {@code dx[c][ih][iw] += Σ dcols[...]} over every window that covered
 * it. It turns the gradient of the columns, {@code Wᵀ·dY}, into the gradient of the images.
 *
 * <p>Both read a block of {@code channels} consecutive channels starting at {@code channelFrom} (one
 * group of a grouped convolution). Padding is written as explicit zeros, so the column buffer may be
 * reused without clearing. Both go through a table of where each (kernel offset, output position)
 * reads — the same for every channel and image — rather than row by row: rows are only W' long on
 * small images, and a loop per row costs more than the copy.
 */
public final class Im2Col {
    private Im2Col() {
    }

    /**
     * Copies the patches of every image of a batch into one column matrix.
     *
     * @param x           the batch, {@code images} rows of C·H·W values, row-major. Not modified.
     * @param window      the geometry
     * @param channelFrom the first channel read
     * @param channels    how many channels are read: the matrix has channels·kH·kW rows
     * @param cols        the column matrix, row-major, channels·kH·kW × (images·P). Modified: overwritten.
     */
    public static void im2col(double[] x, int images, SlidingWindow window, int channelFrom, int channels, double[] cols) {
        int[][] sources = sources(window);
        int positions = window.positions(), ld = images * positions, size = window.inputSize();
        int planeSize = window.height() * window.width();
        for (int c = 0; c < channels; c++) {
            for (int t = 0; t < sources.length; t++) {
                int[] from = sources[t];
                int row = (c * sources.length + t) * ld;
                for (int n = 0; n < images; n++) {
                    int plane = n * size + (channelFrom + c) * planeSize;
                    int at = row + n * positions;
                    for (int p = 0; p < positions; p++) {
                        int q = from[p];
                        cols[at + p] = q < 0 ? 0.0 : x[plane + q];
                    }
                }
            }
        }
    }

    /**
     * Adds a column matrix back onto the images it was copied from: the adjoint of {@link #im2col}.
     *
     * @param cols the column matrix, channels·kH·kW × (images·P). Not modified.
     * @param dx   the batch's gradient, {@code images} rows of C·H·W values. Modified: added into (the
     *             channels read; padding is dropped).
     */
    public static void col2im(double[] cols, int images, SlidingWindow window, int channelFrom, int channels, double[] dx) {
        int[][] sources = sources(window);
        int positions = window.positions(), ld = images * positions, size = window.inputSize();
        int planeSize = window.height() * window.width();
        for (int c = 0; c < channels; c++) {
            for (int t = 0; t < sources.length; t++) {
                int[] from = sources[t];
                int row = (c * sources.length + t) * ld;
                for (int n = 0; n < images; n++) {
                    int plane = n * size + (channelFrom + c) * planeSize;
                    int at = row + n * positions;
                    for (int p = 0; p < positions; p++) {
                        int q = from[p];
                        if (q >= 0) {
                            dx[plane + q] += cols[at + p];
                        }
                    }
                }
            }
        }
    }

    /**
     * For each kernel offset t = i·kW + j and output position p = oh·W' + ow, where in a channel's
     * H×W plane the window reads: ih·W + iw, or −1 in the padding.
     */
    static int[][] sources(SlidingWindow w) {
        int outH = w.outHeight(), outW = w.outWidth();
        int[][] sources = new int[w.kernelHeight() * w.kernelWidth()][outH * outW];
        for (int i = 0; i < w.kernelHeight(); i++) {
            for (int j = 0; j < w.kernelWidth(); j++) {
                int[] from = sources[i * w.kernelWidth() + j];
                for (int oh = 0, p = 0; oh < outH; oh++) {
                    int ih = oh * w.strideHeight() - w.paddingHeight() + i;
                    for (int ow = 0; ow < outW; ow++, p++) {
                        int iw = ow * w.strideWidth() - w.paddingWidth() + j;
                        from[p] = ih < 0 || ih >= w.height() || iw < 0 || iw >= w.width() ? -1 : ih * w.width() + iw;
                    }
                }
            }
        }
        return sources;
    }
}

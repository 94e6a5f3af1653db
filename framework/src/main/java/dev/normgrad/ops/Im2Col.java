package dev.normgrad.ops;

import java.util.Arrays;

/**
 * The two rearrangements that turn a convolution into one matrix product (Chellapilla, Puri &amp;
 * Simard, <i>High Performance Convolutional Neural Networks for Document Processing</i>, 2006), as
 * static math on raw arrays.
 *
 * <p><b>im2col</b> writes, for every output position of a {@link SlidingWindow}, the values the
 * window covers as one column: row {@code (c·kH + i)·kW + j} (channel c, kernel row i, kernel
 * column j), column {@code oh·outWidth + ow}:
 * <pre>
 *   cols[(c·kH + i)·kW + j][oh·oW + ow] = x[c][oh·sH − pH + i][ow·sW − pW + j]      (0 in the padding)
 * </pre>
 * so that a convolution with weights W (C'×(C·kH·kW), PyTorch's (C', C, kH, kW) flattened) is
 * {@code Y = W·cols}, (C'×P) with P = outHeight·outWidth positions.
 *
 * <p><b>col2im</b> is its adjoint: it adds every entry of a column matrix back onto the input
 * position it was copied from, {@code dx[c][ih][iw] += Σ dcols[...]} over every window that covered
 * it. It turns the gradient of the columns, {@code Wᵀ·dY}, into the gradient of the image.
 *
 * <p>Both work on one image of a batch at a time, on a block of {@code channels} consecutive
 * channels starting at {@code channelFrom} (one group of a grouped convolution), and read or write
 * the columns of that image at {@code colOffset} of a matrix with row stride {@code ld}: the images
 * of a batch sit side by side, image n's columns at n·P, and one product serves the whole batch.
 * Padding is written as explicit zeros, so the column buffer may be reused without clearing.
 */
public final class Im2Col {
    private Im2Col() {
    }

    /**
     * Copies the patches of one image into columns.
     *
     * @param x           the batch, row-major; the image starts at {@code xOffset}. Not modified.
     * @param window      the geometry
     * @param channelFrom the first channel read
     * @param channels    how many channels are read (rows of cols: channels·kH·kW)
     * @param cols        the column matrix, row-major with row stride {@code ld}. Modified: the
     *                    channels·kH·kW × P block at {@code colOffset} is overwritten.
     */
    public static void im2col(double[] x, int xOffset, SlidingWindow window, int channelFrom, int channels, double[] cols,
            int ld, int colOffset) {
        int h = window.height(), w = window.width(), kh = window.kernelHeight(), kw = window.kernelWidth();
        int sh = window.strideHeight(), sw = window.strideWidth(), ph = window.paddingHeight(), pw = window.paddingWidth();
        int outH = window.outHeight(), outW = window.outWidth();
        for (int c = 0; c < channels; c++) {
            int plane = xOffset + (channelFrom + c) * h * w;
            for (int i = 0; i < kh; i++) {
                for (int j = 0; j < kw; j++) {
                    int row = ((c * kh + i) * kw + j) * ld + colOffset;
                    int lo = firstInside(pw - j, sw, outW);
                    int hi = endInside(w + pw - j, sw, outW);
                    for (int oh = 0, at = row; oh < outH; oh++, at += outW) {
                        int ih = oh * sh - ph + i;
                        if (ih < 0 || ih >= h || lo >= hi) {
                            Arrays.fill(cols, at, at + outW, 0.0);
                            continue;
                        }
                        Arrays.fill(cols, at, at + lo, 0.0);
                        int src = plane + ih * w + lo * sw - pw + j;
                        if (sw == 1) {
                            System.arraycopy(x, src, cols, at + lo, hi - lo);
                        } else {
                            for (int ow = lo; ow < hi; ow++, src += sw) {
                                cols[at + ow] = x[src];
                            }
                        }
                        Arrays.fill(cols, at + hi, at + outW, 0.0);
                    }
                }
            }
        }
    }

    /**
     * Adds columns back onto one image: the adjoint of {@link #im2col}.
     *
     * @param cols the column matrix, row-major with row stride {@code ld}; the image's block at
     *             {@code colOffset}. Not modified.
     * @param dx   the batch's gradient, row-major; the image starts at {@code dxOffset}. Modified:
     *             added into (entries of the channels read by the window; padding is dropped).
     */
    public static void col2im(double[] cols, int ld, int colOffset, SlidingWindow window, int channelFrom, int channels,
            double[] dx, int dxOffset) {
        int h = window.height(), w = window.width(), kh = window.kernelHeight(), kw = window.kernelWidth();
        int sh = window.strideHeight(), sw = window.strideWidth(), ph = window.paddingHeight(), pw = window.paddingWidth();
        int outH = window.outHeight(), outW = window.outWidth();
        for (int c = 0; c < channels; c++) {
            int plane = dxOffset + (channelFrom + c) * h * w;
            for (int i = 0; i < kh; i++) {
                for (int j = 0; j < kw; j++) {
                    int row = ((c * kh + i) * kw + j) * ld + colOffset;
                    int lo = firstInside(pw - j, sw, outW);
                    int hi = endInside(w + pw - j, sw, outW);
                    if (lo >= hi) {
                        continue;
                    }
                    for (int oh = 0, at = row; oh < outH; oh++, at += outW) {
                        int ih = oh * sh - ph + i;
                        if (ih < 0 || ih >= h) {
                            continue;
                        }
                        int dst = plane + ih * w + lo * sw - pw + j;
                        for (int ow = lo; ow < hi; ow++, dst += sw) {
                            dx[dst] += cols[at + ow];
                        }
                    }
                }
            }
        }
    }

    /** The first output column ow whose input column ow·s − (p − j) is ≥ 0: ⌈(p − j)/s⌉, clipped to [0, outW]. */
    static int firstInside(int padMinusJ, int stride, int outW) {
        if (padMinusJ <= 0) {
            return 0;
        }
        return Math.min(outW, (padMinusJ + stride - 1) / stride);
    }

    /** One past the last output column whose input column ow·s − p + j is &lt; W: ⌊(W + p − j − 1)/s⌋ + 1, clipped. */
    static int endInside(int widthPlusPadMinusJ, int stride, int outW) {
        if (widthPlusPadMinusJ <= 0) {
            return 0;
        }
        return Math.min(outW, (widthPlusPadMinusJ - 1) / stride + 1);
    }
}

package dev.normgrad.ops;

import dev.normgrad.autograd.Function;
import org.ejml.data.DMatrixRMaj;

/**
 * 2-D max pooling (PyTorch's {@code F.max_pool2d}, floor mode): each output is the largest value
 * its window covers, per channel; padding never wins (it counts as −∞).
 * <pre>
 *   y[n, c, oh, ow] = max_{i &lt; kH, j &lt; kW} x[n, c, oh·sH − pH + i, ow·sW − pW + j]
 *   dx[n, c, ih, iw] += dy[n, c, oh, ow]          for the one (ih, iw) that won the window
 * </pre>
 * The gradient goes to the winner only: where two entries tie, the first in row-major order wins
 * (as in PyTorch), and a NaN wins over any number, so it propagates. Max is not differentiable at a
 * tie; a gradient check on random data never lands on one.
 *
 * <p>Shapes: x is N × (C·H·W), one (C, H, W) image per row; y is N × (C·H'·W'). The padding may be
 * at most half the kernel (PyTorch's rule), so that every window covers part of the image. Saves the
 * minimum: the index of each winner within its row (not x).
 */
public final class MaxPool2dOp extends Function {
    private final SlidingWindow window;
    private int[] winners;

    /** @param window the input image (C, H, W), kernel, stride and padding (at most half the kernel) */
    public MaxPool2dOp(SlidingWindow window) {
        if (window == null) {
            throw new IllegalArgumentException("maxPool2d: the window is null");
        }
        checkPadding("maxPool2d", window);
        this.window = window;
    }

    /** PyTorch's rule for pooling: padding at most half the kernel, so no window lies entirely in the padding. */
    static void checkPadding(String who, SlidingWindow window) {
        if (2 * window.paddingHeight() > window.kernelHeight() || 2 * window.paddingWidth() > window.kernelWidth()) {
            throw new IllegalArgumentException(who + ": the padding " + SlidingWindow.pair(window.paddingHeight(),
                    window.paddingWidth()) + " must be at most half the kernel " + SlidingWindow.pair(window.kernelHeight(),
                    window.kernelWidth()) + ", or some windows would hold only padding");
        }
    }

    @Override
    public String name() {
        return "maxPool2d";
    }

    @Override
    protected DMatrixRMaj forward(DMatrixRMaj... in) {
        DMatrixRMaj x = in[0];
        window.checkInput(name(), x);
        int n = x.numRows, c = window.channels(), h = window.height(), w = window.width();
        int outH = window.outHeight(), outW = window.outWidth(), size = window.inputSize(), outSize = c * outH * outW;
        int kh = window.kernelHeight(), kw = window.kernelWidth(), sh = window.strideHeight(), sw = window.strideWidth();
        int ph = window.paddingHeight(), pw = window.paddingWidth();
        DMatrixRMaj y = new DMatrixRMaj(n, outSize);
        winners = new int[n * outSize];
        if (kh == 2 && kw == 2 && ph == 0 && pw == 0) {
            twoByTwo(x.data, y.data, n);
            return y;
        }
        for (int i = 0; i < n; i++) {
            int out = i * outSize;
            for (int ch = 0; ch < c; ch++) {
                int plane = i * size + ch * h * w;
                for (int oh = 0; oh < outH; oh++) {
                    int h0 = Math.max(0, oh * sh - ph), h1 = Math.min(h, oh * sh - ph + kh);
                    for (int ow = 0; ow < outW; ow++, out++) {
                        int w0 = Math.max(0, ow * sw - pw), w1 = Math.min(w, ow * sw - pw + kw);
                        int best = plane + h0 * w + w0;
                        double max = Double.NEGATIVE_INFINITY;
                        boolean nan = false;
                        for (int ih = h0; ih < h1; ih++) {
                            for (int at = plane + ih * w + w0, end = at + (w1 - w0); at < end; at++) {
                                double v = x.data[at];
                                boolean larger = v > max;        // as selects, not a branch: random data
                                best = larger ? at : best;       // mispredicts half of such branches
                                max = larger ? v : max;
                                nan |= v != v;
                            }
                        }
                        if (nan) {
                            best = lastNaN(x.data, plane, w, h0, h1, w0, w1);
                            max = Double.NaN;
                        }
                        y.data[out] = max;
                        winners[out] = best - i * size;
                    }
                }
            }
        }
        return y;
    }

    /**
     * The common 2×2 window without padding (any stride), its four values compared one by one: the
     * same result as the general loops, which on such small windows cost more than the comparisons.
     */
    private void twoByTwo(double[] x, double[] y, int n) {
        int w = window.width(), planeSize = window.height() * w, size = window.inputSize();
        int outH = window.outHeight(), outW = window.outWidth(), sh = window.strideHeight(), sw = window.strideWidth();
        for (int plane = 0, out = 0; plane < n * window.channels(); plane++) {
            int base = plane * planeSize, row = plane / window.channels() * size;
            for (int oh = 0; oh < outH; oh++) {
                for (int ow = 0, at = base + oh * sh * w; ow < outW; ow++, out++, at += sw) {
                    double a = x[at], b = x[at + 1], c = x[at + w], d = x[at + w + 1];
                    int best = at;
                    double max = a;
                    if (b > max) {
                        max = b;
                        best = at + 1;
                    }
                    if (c > max) {
                        max = c;
                        best = at + w;
                    }
                    if (d > max) {
                        max = d;
                        best = at + w + 1;
                    }
                    if (a != a || b != b || c != c || d != d) {
                        best = lastNaN(x, base, w, oh * sh, oh * sh + 2, ow * sw, ow * sw + 2);
                        max = Double.NaN;
                    }
                    y[out] = max;
                    winners[out] = best - row;
                }
            }
        }
    }

    /** A window holding NaN: PyTorch's rule keeps the last NaN as the maximum (and its index). */
    private static int lastNaN(double[] x, int plane, int w, int h0, int h1, int w0, int w1) {
        int at = -1;
        for (int ih = h0; ih < h1; ih++) {
            for (int iw = w0; iw < w1; iw++) {
                if (Double.isNaN(x[plane + ih * w + iw])) {
                    at = plane + ih * w + iw;
                }
            }
        }
        return at;
    }

    @Override
    protected void backward(DMatrixRMaj dy, DMatrixRMaj[] dx) {
        if (dx[0] == null) {
            return;
        }
        int outSize = dy.numCols, size = window.inputSize();
        for (int i = 0, at = 0; i < dy.numRows; i++) {
            int row = i * size;
            for (int o = 0; o < outSize; o++, at++) {
                dx[0].data[row + winners[at]] += dy.data[at];
            }
        }
    }
}

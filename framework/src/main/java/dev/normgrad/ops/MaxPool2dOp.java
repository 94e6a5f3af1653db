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
        for (int i = 0; i < n; i++) {
            int out = i * outSize;
            for (int ch = 0; ch < c; ch++) {
                int plane = i * size + ch * h * w;
                for (int oh = 0; oh < outH; oh++) {
                    int h0 = Math.max(0, oh * sh - ph), h1 = Math.min(h, oh * sh - ph + kh);
                    for (int ow = 0; ow < outW; ow++, out++) {
                        int w0 = Math.max(0, ow * sw - pw), w1 = Math.min(w, ow * sw - pw + kw);
                        int best = plane + h0 * w + w0;
                        double max = x.data[best];
                        for (int ih = h0; ih < h1; ih++) {
                            for (int iw = w0, at = plane + ih * w + w0; iw < w1; iw++, at++) {
                                double v = x.data[at];
                                if (v > max || Double.isNaN(v)) {
                                    max = v;
                                    best = at;
                                }
                            }
                        }
                        y.data[out] = max;
                        winners[out] = best - i * size;
                    }
                }
            }
        }
        return y;
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

package dev.normgrad.ops;

import dev.normgrad.autograd.Function;
import org.ejml.data.DMatrixRMaj;

/**
 * 2-D average pooling (PyTorch's {@code F.avg_pool2d}, floor mode): each output is the mean of the
 * values its window covers, per channel.
 * <pre>
 *   y[n, c, oh, ow] = (1/d) Σ_{i &lt; kH, j &lt; kW} x[n, c, oh·sH − pH + i, ow·sW − pW + j]     (padding reads 0)
 *   dx[n, c, ih, iw] += dy[n, c, oh, ow] / d                        for every window covering (ih, iw)
 * </pre>
 * with d = kH·kW when {@code countIncludePad} (PyTorch's default: the padding's zeros count), or
 * d = the number of the window's entries inside the image when not.
 *
 * <p>Shapes: x is N × (C·H·W), one (C, H, W) image per row; y is N × (C·H'·W'). The padding may be
 * at most half the kernel (PyTorch's rule). Saves nothing: the backward needs only the geometry.
 */
public final class AvgPool2dOp extends Function {
    private final SlidingWindow window;
    private final boolean countIncludePad;

    /**
     * @param window          the input image (C, H, W), kernel, stride and padding (at most half the kernel)
     * @param countIncludePad divide by kH·kW (true, PyTorch's default) or by the entries inside the image
     */
    public AvgPool2dOp(SlidingWindow window, boolean countIncludePad) {
        if (window == null) {
            throw new IllegalArgumentException("avgPool2d: the window is null");
        }
        MaxPool2dOp.checkPadding("avgPool2d", window);
        this.window = window;
        this.countIncludePad = countIncludePad;
    }

    @Override
    public String name() {
        return "avgPool2d";
    }

    @Override
    protected DMatrixRMaj forward(DMatrixRMaj... in) {
        DMatrixRMaj x = in[0];
        window.checkInput(name(), x);
        DMatrixRMaj y = new DMatrixRMaj(x.numRows, window.channels() * window.positions());
        pool(x.data, y.data, x.numRows, false);
        return y;
    }

    @Override
    protected void backward(DMatrixRMaj dy, DMatrixRMaj[] dx) {
        if (dx[0] != null) {
            pool(dx[0].data, dy.data, dy.numRows, true);
        }
    }

    /** Forward: y = window means of x. Backward: x += dy / d over each window (the same loops, the other way). */
    private void pool(double[] x, double[] y, int n, boolean backward) {
        int c = window.channels(), h = window.height(), w = window.width(), outH = window.outHeight(), outW = window.outWidth();
        int kh = window.kernelHeight(), kw = window.kernelWidth(), sh = window.strideHeight(), sw = window.strideWidth();
        int ph = window.paddingHeight(), pw = window.paddingWidth();
        for (int plane = 0, out = 0; plane < n * c; plane++) {
            int base = plane * h * w;
            for (int oh = 0; oh < outH; oh++) {
                int h0 = Math.max(0, oh * sh - ph), h1 = Math.min(h, oh * sh - ph + kh);
                for (int ow = 0; ow < outW; ow++, out++) {
                    int w0 = Math.max(0, ow * sw - pw), w1 = Math.min(w, ow * sw - pw + kw);
                    double divisor = countIncludePad ? kh * kw : (h1 - h0) * (w1 - w0);
                    if (backward) {
                        double g = y[out] / divisor;
                        for (int ih = h0; ih < h1; ih++) {
                            for (int at = base + ih * w + w0, end = at + (w1 - w0); at < end; at++) {
                                x[at] += g;
                            }
                        }
                    } else {
                        double sum = 0;
                        for (int ih = h0; ih < h1; ih++) {
                            for (int at = base + ih * w + w0, end = at + (w1 - w0); at < end; at++) {
                                sum += x[at];
                            }
                        }
                        y[out] = sum / divisor;
                    }
                }
            }
        }
    }
}

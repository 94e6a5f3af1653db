package dev.normgrad.nn;

import dev.normgrad.autograd.Tensor;
import dev.normgrad.ops.AvgPool2dOp;

/**
 * 2-D average pooling, PyTorch's {@code nn.AvgPool2d}: each output is the mean of a kH×kW window,
 * channel by channel.
 * <pre>
 *   y[n, c, oh, ow] = (1/d) Σ_{i &lt; kH, j &lt; kW} x[n, c, oh·sH − pH + i, ow·sW − pW + j]     (padding reads 0)
 * </pre>
 * d = kH·kW with {@code countIncludePad} (PyTorch's default: the padding's zeros are averaged in),
 * else the number of the window's values inside the image; see {@link AvgPool2dOp}.
 *
 * <p><b>Shapes.</b> The layer declares its input image (C, H, W) ({@link ImageShape}); input
 * N × (C·H·W), output N × (C·H'·W'), images of {@link #outputShape()}. The stride defaults to the
 * kernel size (PyTorch's {@code stride=None}); the padding, 0 by default, may be at most half the
 * kernel. No parameters.
 *
 * <pre>{@code
 * AvgPool2d pool = new AvgPool2d(new ImageShape(16, 4, 4), 2);   // (16, 4, 4) → (16, 2, 2)
 * }</pre>
 */
public class AvgPool2d extends Pool2d {
    private final boolean countIncludePad;

    /** A square kernel, stride = kernel, no padding. */
    public AvgPool2d(ImageShape input, int kernelSize) {
        this(input, kernelSize, kernelSize, 0);
    }

    /** A square kernel, the same stride and padding along height and width, padding counted. */
    public AvgPool2d(ImageShape input, int kernelSize, int stride, int padding) {
        this(input, Pairs.square(kernelSize), Pairs.square(stride), Pairs.square(padding), true);
    }

    /**
     * @param input           the input image (C, H, W)
     * @param kernelSize      (kH, kW)
     * @param stride          (sH, sW), each at least 1
     * @param padding         (pH, pW), each at most half the kernel
     * @param countIncludePad divide by kH·kW (true, PyTorch's default) or by the values inside the image
     */
    public AvgPool2d(ImageShape input, int[] kernelSize, int[] stride, int[] padding, boolean countIncludePad) {
        super("AvgPool2d", input, kernelSize, stride, padding);
        this.countIncludePad = countIncludePad;
    }

    @Override
    public Tensor forward(Tensor x) {
        inputShape().check(who(), x);
        return new AvgPool2dOp(window(), countIncludePad).apply(x);
    }

    /** True when the padding's zeros count in each mean (PyTorch's default). */
    public boolean countIncludePad() {
        return countIncludePad;
    }

    @Override
    protected String extraRepr() {
        return super.extraRepr() + ", countIncludePad=" + countIncludePad;
    }
}

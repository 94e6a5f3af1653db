package dev.normgrad.nn;

import dev.normgrad.autograd.Tensor;
import dev.normgrad.ops.MaxPool2dOp;

/**
 * 2-D max pooling, PyTorch's {@code nn.MaxPool2d}: each output is the largest value under a kH×kW
 * window, channel by channel.
 * <pre>
 *   y[n, c, oh, ow] = max_{i &lt; kH, j &lt; kW} x[n, c, oh·sH − pH + i, ow·sW − pW + j]     (padding never wins)
 *   H' = ⌊(H + 2·pH − kH) / sH⌋ + 1,   W' likewise
 * </pre>
 * The gradient flows to each window's winner only (the first in row-major order on a tie, as in
 * PyTorch); see {@link MaxPool2dOp}.
 *
 * <p><b>Shapes.</b> The layer declares its input image (C, H, W) ({@link ImageShape}); input
 * N × (C·H·W), output N × (C·H'·W'), images of {@link #outputShape()}. The stride defaults to the
 * kernel size (windows side by side, PyTorch's {@code stride=None}); the padding, 0 by default, may
 * be at most half the kernel. No parameters.
 *
 * <pre>{@code
 * MaxPool2d pool = new MaxPool2d(new ImageShape(8, 8, 8), 2);   // (8, 8, 8) → (8, 4, 4)
 * }</pre>
 */
public class MaxPool2d extends Pool2d {
    /** A square kernel, stride = kernel, no padding. */
    public MaxPool2d(ImageShape input, int kernelSize) {
        this(input, kernelSize, kernelSize, 0);
    }

    /** A square kernel, the same stride and padding along height and width. */
    public MaxPool2d(ImageShape input, int kernelSize, int stride, int padding) {
        this(input, Pairs.square(kernelSize), Pairs.square(stride), Pairs.square(padding));
    }

    /**
     * @param input      the input image (C, H, W)
     * @param kernelSize (kH, kW)
     * @param stride     (sH, sW), each at least 1
     * @param padding    (pH, pW), each at most half the kernel
     */
    public MaxPool2d(ImageShape input, int[] kernelSize, int[] stride, int[] padding) {
        super("MaxPool2d", input, kernelSize, stride, padding);
    }

    @Override
    public Tensor forward(Tensor x) {
        inputShape().check(who(), x);
        return new MaxPool2dOp(window()).apply(x);
    }
}

package dev.normgrad.nn;

import dev.normgrad.autograd.Tensor;
import dev.normgrad.init.Init;
import dev.normgrad.ops.Conv2dOp;
import dev.normgrad.ops.SlidingWindow;
import java.util.Random;

/**
 * A 2-D convolution layer, PyTorch's {@code nn.Conv2d}: C' filters of kH×kW slide over the
 * input image with a stride, after zero padding; each output value is a filter's dot product with
 * the window under it, plus the filter's bias.
 * <pre>
 *   y[n, o, oh, ow] = b[o] + Σ_{c in o's group} Σ_{i &lt; kH, j &lt; kW} W[o, c, i, j] · x[n, c, oh·sH − pH + i, ow·sW − pW + j]
 *   H' = ⌊(H + 2·pH − kH) / sH⌋ + 1,   W' = ⌊(W + 2·pW − kW) / sW⌋ + 1
 * </pre>
 * computed as one matrix product per group through im2col ({@link Conv2dOp}); the backward gives
 * dx (col2im of Wᵀ·dY), dW (dY·colsᵀ) and db (dY summed over the batch and the positions).
 *
 * <p><b>Shapes.</b> The layer declares its input image (C, H, W) ({@link ImageShape}): the input is
 * N × (C·H·W), one image per row in (C, H, W) row-major order, and an input of another width is an
 * error naming the layer and the sizes. The output is N × (C'·H'·W'), images of
 * {@link #outputShape()}. With {@code groups} G, input and output channels are split into G groups
 * and each output channel reads only its group's C/G input channels (G = C: depthwise).
 *
 * <p><b>Parameters,</b> in PyTorch's layout: {@code weight} is C' × (C/G·kH·kW), PyTorch's
 * (C', C/G, kH, kW) flattened row-major — row o is filter o, channel by channel, each kH×kW
 * kernel row by row — so {@code weight.get(o, (c·kH + i)·kW + j)} is PyTorch's
 * {@code weight[o, c, i, j]}; {@code bias} is 1 × C' (absent with {@code bias = false}).
 *
 * <p><b>Initialisation</b> is PyTorch's default ({@link Init#uniformFanIn}): W and b ~
 * U(−1/√fanIn, 1/√fanIn) with fanIn = C/G·kH·kW, drawn from {@link Init#defaultRandom()} unless a
 * {@link Random} is given. ({@code Init}'s fans read a weight as out × in: fanIn is PyTorch's,
 * fanOut is C' where PyTorch counts C'·kH·kW.)
 *
 * <pre>{@code
 * ImageShape digits = new ImageShape(1, 8, 8);
 * Conv2d conv = new Conv2d(digits, 8, 3, 1, 1);      // 8 filters 3×3, stride 1, padding 1: (1, 8, 8) → (8, 8, 8)
 * Tensor y = conv.apply(x);                          // x: N×64 → N×512
 * }</pre>
 * Defaults as PyTorch's: stride 1, padding 0, groups 1, with bias.
 */
public class Conv2d extends Module {
    private final ImageShape input;
    private final int outChannels;
    private final int[] kernelSize;
    private final int[] stride;
    private final int[] padding;
    private final int groups;
    private final SlidingWindow window;
    private final ImageShape output;
    private final Parameter weight;
    private final Parameter bias;
    private final Random random;

    /** A square kernel, stride 1, no padding, one group, with bias. */
    public Conv2d(ImageShape input, int outChannels, int kernelSize) {
        this(input, outChannels, kernelSize, 1, 0);
    }

    /** A square kernel, the same stride and padding along height and width, one group, with bias. */
    public Conv2d(ImageShape input, int outChannels, int kernelSize, int stride, int padding) {
        this(input, outChannels, Pairs.square(kernelSize), Pairs.square(stride), Pairs.square(padding), 1, true);
    }

    /** Initialised from {@link Init#defaultRandom()}. */
    public Conv2d(ImageShape input, int outChannels, int[] kernelSize, int[] stride, int[] padding, int groups, boolean bias) {
        this(input, outChannels, kernelSize, stride, padding, groups, bias, Init.defaultRandom());
    }

    /**
     * @param input       the input image (C, H, W)
     * @param outChannels C', the number of filters; divisible by {@code groups}
     * @param kernelSize  (kH, kW)
     * @param stride      (sH, sW), each at least 1
     * @param padding     (pH, pW) rows and columns of zeros on each side, each at least 0
     * @param groups      G, dividing C and C'
     * @param bias        learn a bias per output channel
     * @param random      draws the initial weights (kept: {@link #resetParameters()} draws from it again)
     */
    public Conv2d(ImageShape input, int outChannels, int[] kernelSize, int[] stride, int[] padding, int groups, boolean bias,
            Random random) {
        String who = "Conv2d(input=" + input + ", outChannels=" + outChannels + ")";
        if (input == null || random == null) {
            throw new IllegalArgumentException(who + ": the input shape and the random generator must not be null");
        }
        this.kernelSize = Pairs.of(who, "kernelSize", kernelSize);
        this.stride = Pairs.of(who, "stride", stride);
        this.padding = Pairs.of(who, "padding", padding);
        if (outChannels < 1 || groups < 1 || input.channels() % groups != 0 || outChannels % groups != 0) {
            throw new IllegalArgumentException(who + ": groups " + groups + " must divide both inChannels " + input.channels()
                    + " and outChannels " + outChannels + " (each at least 1)");
        }
        this.input = input;
        this.outChannels = outChannels;
        this.groups = groups;
        this.window = SlidingWindow.of("Conv2d(input=" + input + ", outChannels=" + outChannels + ", kernelSize="
                + Pairs.repr(this.kernelSize) + ", stride=" + Pairs.repr(this.stride) + ", padding=" + Pairs.repr(this.padding)
                + ")", input.channels(), input.height(), input.width(), this.kernelSize[0], this.kernelSize[1], this.stride[0],
                this.stride[1], this.padding[0], this.padding[1]);
        this.output = new ImageShape(outChannels, window.outHeight(), window.outWidth());
        this.random = random;
        this.weight = registerParameter("weight", new Parameter(outChannels, window.patchSize(input.channels() / groups)));
        this.bias = bias ? registerParameter("bias", new Parameter(1, outChannels)) : null;
        resetParameters();
    }

    /** W, b ~ U(−1/√fanIn, 1/√fanIn), fanIn = C/G·kH·kW: PyTorch's default. */
    @Override
    public void resetParameters() {
        Init.uniformFanIn(weight, bias, random);
    }

    @Override
    public Tensor forward(Tensor x) {
        input.check(who(), x);
        Conv2dOp op = new Conv2dOp(window, outChannels, groups);
        return bias == null ? op.apply(x, weight) : op.apply(x, weight, bias);
    }

    /** How messages name the layer: {@code Conv2d(in=(1, 8, 8), out=(8, 8, 8))}. */
    private String who() {
        return "Conv2d(in=" + input + ", out=" + output + ")";
    }

    /** The filters, C' × (C/G·kH·kW): PyTorch's (C', C/G, kH, kW) flattened row-major. */
    public Parameter weight() {
        return weight;
    }

    /** The bias, 1 × C', or null for a layer built with {@code bias = false}. */
    public Parameter bias() {
        return bias;
    }

    /** The input image (C, H, W) this layer declares. */
    public ImageShape inputShape() {
        return input;
    }

    /** The output image (C', H', W'). */
    public ImageShape outputShape() {
        return output;
    }

    public int inChannels() {
        return input.channels();
    }

    public int outChannels() {
        return outChannels;
    }

    /** (kH, kW), a copy. */
    public int[] kernelSize() {
        return kernelSize.clone();
    }

    /** (sH, sW), a copy. */
    public int[] stride() {
        return stride.clone();
    }

    /** (pH, pW), a copy. */
    public int[] padding() {
        return padding.clone();
    }

    public int groups() {
        return groups;
    }

    @Override
    protected String extraRepr() {
        return "input=" + input + ", outChannels=" + outChannels + ", kernelSize=" + Pairs.repr(kernelSize) + ", stride="
                + Pairs.repr(stride) + ", padding=" + Pairs.repr(padding) + ", groups=" + groups + ", bias=" + (bias != null);
    }
}

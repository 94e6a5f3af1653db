package dev.normgrad.nn;

import dev.normgrad.autograd.ShapeException;
import dev.normgrad.autograd.Tensor;
import dev.normgrad.init.Init;
import dev.normgrad.ops.Conv2dOp;
import dev.normgrad.ops.SlidingWindow;
import java.util.Random;

/**
 * A 1-D convolution layer, PyTorch's {@code nn.Conv1d}: C' filters of k taps slide along a signal
 * of C channels and L positions.
 * <pre>
 *   y[n, o, t] = b[o] + Σ_{c in o's group} Σ_{j &lt; k} W[o, c, j] · x[n, c, t·s − p + j]        L' = ⌊(L + 2p − k) / s⌋ + 1
 * </pre>
 * It is {@link Conv2d}'s computation on images of height 1 — the same op ({@link Conv2dOp}),
 * reading the row as (C, 1, L) with a 1×k kernel — not a second implementation.
 *
 * <p><b>Shapes.</b> Input N × (C·L), each row C channel blocks of L positions (PyTorch's (N, C, L),
 * the layout of the normalization layers); L is the width divided by C, so the layer takes any
 * length, as PyTorch's does. A width that is not a multiple of C, or a length shorter than the
 * kernel after padding, is an error naming the layer and the sizes. Output: N × (C'·L').
 *
 * <p><b>Parameters,</b> in PyTorch's layout: {@code weight} C' × (C/G·k), PyTorch's (C', C/G, k)
 * flattened row-major; {@code bias} 1 × C'. Initialisation: PyTorch's default,
 * U(−1/√fanIn, 1/√fanIn) with fanIn = C/G·k ({@link Init#uniformFanIn}).
 *
 * <pre>{@code
 * Conv1d conv = new Conv1d(4, 8, 3, 1, 1);     // 4 → 8 channels, kernel 3, stride 1, padding 1
 * Tensor y = conv.apply(x);                    // x: N×(4·L) → N×(8·L)
 * }</pre>
 * Defaults as PyTorch's: stride 1, padding 0, groups 1, with bias.
 */
public class Conv1d extends Module {
    private final int inChannels;
    private final int outChannels;
    private final int kernelSize;
    private final int stride;
    private final int padding;
    private final int groups;
    private final Parameter weight;
    private final Parameter bias;
    private final Random random;

    /** Stride 1, no padding, one group, with bias. */
    public Conv1d(int inChannels, int outChannels, int kernelSize) {
        this(inChannels, outChannels, kernelSize, 1, 0);
    }

    /** One group, with bias. */
    public Conv1d(int inChannels, int outChannels, int kernelSize, int stride, int padding) {
        this(inChannels, outChannels, kernelSize, stride, padding, 1, true);
    }

    /** Initialised from {@link Init#defaultRandom()}. */
    public Conv1d(int inChannels, int outChannels, int kernelSize, int stride, int padding, int groups, boolean bias) {
        this(inChannels, outChannels, kernelSize, stride, padding, groups, bias, Init.defaultRandom());
    }

    /**
     * @param inChannels  C, divisible by {@code groups}
     * @param outChannels C', divisible by {@code groups}
     * @param kernelSize  k, at least 1
     * @param stride      s, at least 1
     * @param padding     p zeros on each side, at least 0
     * @param groups      G
     * @param bias        learn a bias per output channel
     * @param random      draws the initial weights (kept: {@link #resetParameters()} draws from it again)
     */
    public Conv1d(int inChannels, int outChannels, int kernelSize, int stride, int padding, int groups, boolean bias,
            Random random) {
        this.inChannels = inChannels;
        this.outChannels = outChannels;
        this.kernelSize = kernelSize;
        this.stride = stride;
        this.padding = padding;
        this.groups = groups;
        if (random == null) {
            throw new IllegalArgumentException(who() + ": the random generator is null");
        }
        if (inChannels < 1 || outChannels < 1 || groups < 1 || inChannels % groups != 0 || outChannels % groups != 0) {
            throw new IllegalArgumentException(who() + ": groups " + groups + " must divide both inChannels " + inChannels
                    + " and outChannels " + outChannels + " (each at least 1)");
        }
        if (kernelSize < 1 || stride < 1 || padding < 0) {
            throw new IllegalArgumentException(who() + ": kernelSize and stride must be at least 1 and padding at least 0, got "
                    + "kernelSize=" + kernelSize + ", stride=" + stride + ", padding=" + padding);
        }
        this.random = random;
        this.weight = registerParameter("weight", new Parameter(outChannels, inChannels / groups * kernelSize));
        this.bias = bias ? registerParameter("bias", new Parameter(1, outChannels)) : null;
        resetParameters();
    }

    /** W, b ~ U(−1/√fanIn, 1/√fanIn), fanIn = C/G·k: PyTorch's default. */
    @Override
    public void resetParameters() {
        Init.uniformFanIn(weight, bias, random);
    }

    @Override
    public Tensor forward(Tensor x) {
        if (x.cols() % inChannels != 0) {
            throw new ShapeException(who() + ": input is " + x.shape() + ", expected rows of " + inChannels
                    + " channels of L positions (a width that is a multiple of " + inChannels + ")");
        }
        // the signal (C, L) is the image (C, 1, L); the window refuses a kernel longer than the padded signal
        SlidingWindow window = SlidingWindow.of(who() + " on length " + x.cols() / inChannels, inChannels, 1,
                x.cols() / inChannels, 1, kernelSize, 1, stride, 0, padding);
        Conv2dOp op = new Conv2dOp(window, outChannels, groups);
        return bias == null ? op.apply(x, weight) : op.apply(x, weight, bias);
    }

    /** L' = ⌊(L + 2p − k) / s⌋ + 1, the output length for an input of {@code length} positions. */
    public int outputLength(int length) {
        return (length + 2 * padding - kernelSize) / stride + 1;
    }

    private String who() {
        return "Conv1d(" + inChannels + ", " + outChannels + ", kernelSize=" + kernelSize + ")";
    }

    /** The filters, C' × (C/G·k): PyTorch's (C', C/G, k) flattened row-major. */
    public Parameter weight() {
        return weight;
    }

    /** The bias, 1 × C', or null for a layer built with {@code bias = false}. */
    public Parameter bias() {
        return bias;
    }

    public int inChannels() {
        return inChannels;
    }

    public int outChannels() {
        return outChannels;
    }

    public int kernelSize() {
        return kernelSize;
    }

    public int stride() {
        return stride;
    }

    public int padding() {
        return padding;
    }

    public int groups() {
        return groups;
    }

    @Override
    protected String extraRepr() {
        return "inChannels=" + inChannels + ", outChannels=" + outChannels + ", kernelSize=" + kernelSize + ", stride=" + stride
                + ", padding=" + padding + ", groups=" + groups + ", bias=" + (bias != null);
    }
}

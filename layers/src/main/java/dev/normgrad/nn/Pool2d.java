package dev.normgrad.nn;

import dev.normgrad.ops.SlidingWindow;

/** What {@link MaxPool2d} and {@link AvgPool2d} share: the declared input image and the window over it. */
abstract class Pool2d extends Module {
    private final ImageShape input;
    private final int[] kernelSize;
    private final int[] stride;
    private final int[] padding;
    private final SlidingWindow window;
    private final ImageShape output;

    Pool2d(String kind, ImageShape input, int[] kernelSize, int[] stride, int[] padding) {
        String who = kind + "(input=" + input + ")";
        if (input == null) {
            throw new IllegalArgumentException(who + ": the input shape must not be null");
        }
        this.kernelSize = Pairs.of(who, "kernelSize", kernelSize);
        this.stride = Pairs.of(who, "stride", stride);
        this.padding = Pairs.of(who, "padding", padding);
        this.input = input;
        String full = kind + "(input=" + input + ", kernelSize=" + Pairs.repr(this.kernelSize) + ", stride="
                + Pairs.repr(this.stride) + ", padding=" + Pairs.repr(this.padding) + ")";
        if (2 * this.padding[0] > this.kernelSize[0] || 2 * this.padding[1] > this.kernelSize[1]) {
            throw new IllegalArgumentException(full + ": the padding must be at most half the kernel (PyTorch's rule), "
                    + "or some windows would hold only padding");
        }
        this.window = SlidingWindow.of(full, input.channels(), input.height(), input.width(), this.kernelSize[0],
                this.kernelSize[1], this.stride[0], this.stride[1], this.padding[0], this.padding[1]);
        this.output = new ImageShape(input.channels(), window.outHeight(), window.outWidth());
    }

    SlidingWindow window() {
        return window;
    }

    /** How messages name the layer: {@code MaxPool2d(in=(8, 8, 8), out=(8, 4, 4))}. */
    String who() {
        return getClass().getSimpleName() + "(in=" + input + ", out=" + output + ")";
    }

    /** The input image (C, H, W) this layer declares. */
    public ImageShape inputShape() {
        return input;
    }

    /** The output image (C, H', W'): pooling keeps the channels. */
    public ImageShape outputShape() {
        return output;
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

    @Override
    protected String extraRepr() {
        return "input=" + input + ", kernelSize=" + Pairs.repr(kernelSize) + ", stride=" + Pairs.repr(stride) + ", padding="
                + Pairs.repr(padding);
    }
}

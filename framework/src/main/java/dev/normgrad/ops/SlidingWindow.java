package dev.normgrad.ops;

import dev.normgrad.autograd.ShapeException;
import org.ejml.data.DMatrixRMaj;

/**
 * Where a kH×kW window visits a (C, H, W) image: the geometry that convolution and pooling share,
 * with PyTorch's conventions (zero padding on both sides, floor mode).
 *
 * <pre>
 *   outHeight = ⌊(H + 2·pH − kH) / sH⌋ + 1          outWidth = ⌊(W + 2·pW − kW) / sW⌋ + 1
 *   output position (oh, ow) reads input row    ih = oh·sH − pH + i,  i &lt; kH
 *                                  and column   iw = ow·sW − pW + j,  j &lt; kW
 * </pre>
 * A position outside the image (ih or iw out of range) is padding. A row of a batch holds one
 * image, C·H·W values in (C, H, W) row-major order; one output image is C'·outHeight·outWidth
 * values in the same order. A 1-D signal of C channels and L positions is the image (C, 1, L) with
 * kH = 1, sH = 1, pH = 0.
 *
 * <p>Build one with {@link #of}, which names the layer in its messages: a stride of 0, a negative
 * padding, or a kernel larger than the padded image is refused there.
 *
 * @param channels      C
 * @param height        H
 * @param width         W
 * @param kernelHeight  kH
 * @param kernelWidth   kW
 * @param strideHeight  sH, at least 1
 * @param strideWidth   sW, at least 1
 * @param paddingHeight pH rows of zeros above and below
 * @param paddingWidth  pW columns of zeros left and right
 */
public record SlidingWindow(int channels, int height, int width, int kernelHeight, int kernelWidth, int strideHeight,
        int strideWidth, int paddingHeight, int paddingWidth) {

    public SlidingWindow {
        check("slidingWindow", channels, height, width, kernelHeight, kernelWidth, strideHeight, strideWidth, paddingHeight,
                paddingWidth);
    }

    /**
     * The window, checked with {@code who} (the layer, as messages name it) in every message.
     *
     * @throws IllegalArgumentException for a size below 1, a stride below 1, a negative padding, or a
     *                                  kernel larger than the padded image
     */
    public static SlidingWindow of(String who, int channels, int height, int width, int kernelHeight, int kernelWidth,
            int strideHeight, int strideWidth, int paddingHeight, int paddingWidth) {
        check(who, channels, height, width, kernelHeight, kernelWidth, strideHeight, strideWidth, paddingHeight, paddingWidth);
        return new SlidingWindow(channels, height, width, kernelHeight, kernelWidth, strideHeight, strideWidth, paddingHeight,
                paddingWidth);
    }

    private static void check(String who, int channels, int height, int width, int kernelHeight, int kernelWidth,
            int strideHeight, int strideWidth, int paddingHeight, int paddingWidth) {
        if (channels < 1 || height < 1 || width < 1) {
            throw new IllegalArgumentException(who + ": the input (C, H, W) = (" + channels + ", " + height + ", " + width
                    + ") must have at least 1 channel, row and column");
        }
        if (kernelHeight < 1 || kernelWidth < 1) {
            throw new IllegalArgumentException(who + ": the kernel size must be at least 1, got " + pair(kernelHeight, kernelWidth));
        }
        if (strideHeight < 1 || strideWidth < 1) {
            throw new IllegalArgumentException(who + ": the stride must be at least 1, got " + pair(strideHeight, strideWidth)
                    + " (a stride of 1 visits every position)");
        }
        if (paddingHeight < 0 || paddingWidth < 0) {
            throw new IllegalArgumentException(who + ": the padding must be at least 0, got " + pair(paddingHeight, paddingWidth));
        }
        long paddedHeight = height + 2L * paddingHeight;
        long paddedWidth = width + 2L * paddingWidth;
        if (kernelHeight > paddedHeight || kernelWidth > paddedWidth) {
            throw new IllegalArgumentException(who + ": the " + kernelHeight + "x" + kernelWidth + " kernel is larger than the "
                    + "padded input: " + height + "x" + width + " padded by " + pair(paddingHeight, paddingWidth) + " is "
                    + paddedHeight + "x" + paddedWidth + "; use a smaller kernel or more padding");
        }
    }

    /** "(2, 1)": a (height, width) pair as PyTorch prints one. */
    public static String pair(int height, int width) {
        return "(" + height + ", " + width + ")";
    }

    /** ⌊(H + 2·pH − kH) / sH⌋ + 1. */
    public int outHeight() {
        return (height + 2 * paddingHeight - kernelHeight) / strideHeight + 1;
    }

    /** ⌊(W + 2·pW − kW) / sW⌋ + 1. */
    public int outWidth() {
        return (width + 2 * paddingWidth - kernelWidth) / strideWidth + 1;
    }

    /** The output positions per channel: outHeight · outWidth. */
    public int positions() {
        return outHeight() * outWidth();
    }

    /** The values of one input image: C·H·W. */
    public int inputSize() {
        return channels * height * width;
    }

    /** The values one window covers in {@code channels} channels: channels·kH·kW (a row of im2col's matrix per value). */
    public int patchSize(int channels) {
        return channels * kernelHeight * kernelWidth;
    }

    /** Refuses an input whose rows are not C·H·W values, naming the op and the shapes. */
    void checkInput(String op, DMatrixRMaj x) {
        if (x.numCols != inputSize()) {
            throw new ShapeException(op + ": input " + ShapeException.shape(x.numRows, x.numCols) + " is not rows of C·H·W = "
                    + channels + "·" + height + "·" + width + " = " + inputSize() + " values (one (" + channels + ", " + height
                    + ", " + width + ") image per row)");
        }
    }
}

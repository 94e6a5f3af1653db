package dev.normgrad.ops;

import dev.normgrad.autograd.Tensor;
import dev.normgrad.gradcheck.GradCheck;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * Property: for random images (channels, height, width), kernels, strides, paddings and groups,
 * convolution and both poolings agree with central differences. Geometries whose kernel does not
 * fit the padded image are moved to one that does (every draw is checked, none skipped). The
 * generator's seed is fixed, so a failure reproduces.
 */
class ConvolutionGradCheckProperties {

    @Property(tries = 150, seed = "20261205")
    void convolutionPassesForRandomGeometries(@ForAll @IntRange(min = 1, max = 3) int groups,
            @ForAll @IntRange(min = 1, max = 2) int inPerGroup, @ForAll @IntRange(min = 1, max = 2) int outPerGroup,
            @ForAll @IntRange(min = 1, max = 6) int height, @ForAll @IntRange(min = 1, max = 6) int width,
            @ForAll @IntRange(min = 1, max = 3) int kernelHeight, @ForAll @IntRange(min = 1, max = 3) int kernelWidth,
            @ForAll @IntRange(min = 1, max = 3) int strideHeight, @ForAll @IntRange(min = 1, max = 3) int strideWidth,
            @ForAll @IntRange(min = 0, max = 2) int paddingHeight, @ForAll @IntRange(min = 0, max = 2) int paddingWidth,
            @ForAll @IntRange(min = 1, max = 3) int batch, @ForAll boolean bias, @ForAll long seed) {
        int channels = groups * inPerGroup, out = groups * outPerGroup;
        SlidingWindow w = fit(channels, height, width, kernelHeight, kernelWidth, strideHeight, strideWidth, paddingHeight,
                paddingWidth);
        Random r = new Random(seed);
        Tensor x = Tensor.randn(batch, w.inputSize(), r);
        Tensor weight = Tensor.randn(out, w.patchSize(inPerGroup), r);
        Tensor[] inputs = bias ? new Tensor[] {x, weight, Tensor.randn(1, out, r)} : new Tensor[] {x, weight};
        GradCheck.check(in -> new Conv2dOp(w, out, groups).apply(in), inputs).assertPassed();
    }

    @Property(tries = 150, seed = "20261205")
    void poolingPassesForRandomGeometries(@ForAll @IntRange(min = 1, max = 3) int channels,
            @ForAll @IntRange(min = 1, max = 7) int height, @ForAll @IntRange(min = 1, max = 7) int width,
            @ForAll @IntRange(min = 1, max = 3) int kernelHeight, @ForAll @IntRange(min = 1, max = 3) int kernelWidth,
            @ForAll @IntRange(min = 1, max = 3) int strideHeight, @ForAll @IntRange(min = 1, max = 3) int strideWidth,
            @ForAll boolean padded, @ForAll boolean countIncludePad, @ForAll long seed) {
        // pooling pads at most half the kernel
        SlidingWindow w = fit(channels, height, width, kernelHeight, kernelWidth, strideHeight, strideWidth,
                padded ? kernelHeight / 2 : 0, padded ? kernelWidth / 2 : 0);
        Tensor x = Tensor.randn(2, w.inputSize(), new Random(seed));
        GradCheck.check(in -> new MaxPool2dOp(w).apply(in[0]), x).assertPassed();
        GradCheck.check(in -> new AvgPool2dOp(w, countIncludePad).apply(in[0]), x).assertPassed();
    }

    /** The window drawn, with the image grown where the kernel would not fit its padded size. */
    private static SlidingWindow fit(int c, int h, int w, int kh, int kw, int sh, int sw, int ph, int pw) {
        return new SlidingWindow(c, Math.max(h, kh - 2 * ph), Math.max(w, kw - 2 * pw), kh, kw, sh, sw, ph, pw);
    }
}

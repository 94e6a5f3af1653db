package dev.normgrad.reliability;

import dev.normgrad.autograd.NoGrad;
import dev.normgrad.autograd.Tensor;
import dev.normgrad.gradcheck.GradCheck;
import dev.normgrad.nn.AvgPool2d;
import dev.normgrad.nn.Conv1d;
import dev.normgrad.nn.Conv2d;
import dev.normgrad.nn.ImageShape;
import dev.normgrad.nn.MaxPool2d;
import dev.normgrad.nn.Module;
import dev.normgrad.nn.ReLU;
import dev.normgrad.nn.Sequential;
import dev.normgrad.norm.BatchNorm2d;
import dev.normgrad.norm.GroupNorm;
import dev.normgrad.norm.InstanceNorm2d;
import dev.normgrad.norm.LayerNorm;
import dev.normgrad.norm.NormalizationLayer;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * Property: for random image shapes and hyper-parameters — channels, odd and non-square heights and
 * widths, kernels, strides, paddings, groups — the convolution and pooling layers, the spatial
 * normalization layers (training and evaluation, fused and composed) and a conv → norm → ReLU → pool
 * block agree with central differences for the input and every parameter. A kernel that does not fit
 * the padded image grows the image instead (every draw is checked). The generator's seed is fixed, so
 * a failure reproduces.
 */
class ConvLayersGradCheckProperties {

    @Property(tries = 200, seed = "20261205")
    void convolutionAndPoolingLayersPass(@ForAll @IntRange(min = 1, max = 2) int groups,
            @ForAll @IntRange(min = 1, max = 2) int inPerGroup, @ForAll @IntRange(min = 1, max = 2) int outPerGroup,
            @ForAll @IntRange(min = 1, max = 6) int height, @ForAll @IntRange(min = 1, max = 6) int width,
            @ForAll @IntRange(min = 1, max = 3) int kernelHeight, @ForAll @IntRange(min = 1, max = 3) int kernelWidth,
            @ForAll @IntRange(min = 1, max = 2) int stride, @ForAll @IntRange(min = 0, max = 1) int padding,
            @ForAll boolean bias, @ForAll long seed) {
        Random r = new Random(seed);
        int channels = groups * inPerGroup;
        int[] kernel = {kernelHeight, kernelWidth};
        ImageShape image = new ImageShape(channels, Math.max(height, kernelHeight), Math.max(width, kernelWidth));
        Tensor x = Tensor.randn(2, image.size(), r);
        Conv2d conv = new Conv2d(image, groups * outPerGroup, kernel, new int[] {stride, 1}, new int[] {padding, padding}, groups,
                bias, r);
        GradCheck.check(conv, x).assertPassed();
        int[] poolPadding = {Math.min(padding, kernelHeight / 2), Math.min(padding, kernelWidth / 2)};
        GradCheck.check(new MaxPool2d(image, kernel, new int[] {1, stride}, poolPadding), x).assertPassed();
        GradCheck.check(new AvgPool2d(image, kernel, new int[] {stride, stride}, poolPadding, bias), x).assertPassed();
        Conv1d conv1d = new Conv1d(channels, groups * outPerGroup, kernelWidth, stride, padding, groups, bias, r);
        GradCheck.check(conv1d, Tensor.randn(3, channels * Math.max(width, kernelWidth), r)).assertPassed();
    }

    private enum Norm {
        BATCH_NORM_2D, INSTANCE_NORM_2D, GROUP_NORM, LAYER_NORM
    }

    @Property(tries = 200, seed = "20261205")
    void spatialNormalizationPassesAloneAndInAConvBlock(@ForAll Norm kind, @ForAll @IntRange(min = 1, max = 4) int channels,
            @ForAll @IntRange(min = 1, max = 4) int height, @ForAll @IntRange(min = 2, max = 5) int width,
            @ForAll boolean training, @ForAll boolean fused, @ForAll long seed) {
        Random r = new Random(seed);
        ImageShape image = new ImageShape(channels, height, width);
        NormalizationLayer norm = norm(kind, image, r);
        norm.setFused(fused);
        perturb(norm, image, r);
        norm.train(training);
        GradCheck.check(norm, Tensor.randn(3, image.size(), r).mul(2).add(1)).assertPassed();

        ImageShape in = new ImageShape(1 + r.nextInt(2), height + 1, width);
        Conv2d conv = new Conv2d(in, channels, 2, 1, 1);
        NormalizationLayer blockNorm = norm(kind, conv.outputShape(), r);
        blockNorm.setFused(fused);
        Module block = new Sequential(conv, blockNorm, new ReLU(), new MaxPool2d(conv.outputShape(), 2, 1, 0));
        perturb(block, in, r);
        block.train(training);
        GradCheck.check(block, Tensor.randn(3, in.size(), r)).assertPassed();
    }

    private static NormalizationLayer norm(Norm kind, ImageShape s, Random r) {
        int c = s.channels();
        return switch (kind) {
            case BATCH_NORM_2D -> new BatchNorm2d(c);
            case INSTANCE_NORM_2D -> new InstanceNorm2d(c, 1e-5, 0.1, true, true);
            case GROUP_NORM -> new GroupNorm(divisorOf(c, r), c);
            case LAYER_NORM -> new LayerNorm(c, s.height(), s.width());
        };
    }

    private static int divisorOf(int c, Random r) {
        int g;
        do {
            g = 1 + r.nextInt(c);
        } while (c % g != 0);
        return g;
    }

    /** γ and β away from 1 and 0, and running statistics moved by two training forwards. */
    private static void perturb(Module layer, ImageShape in, Random r) {
        for (Tensor p : layer.parameters()) {
            for (int i = 0; i < p.data().getNumElements(); i++) {
                p.data().data[i] += 0.3 * r.nextGaussian();
            }
        }
        try (NoGrad off = NoGrad.enter()) {
            for (int i = 0; i < 2; i++) {
                layer.apply(Tensor.randn(3, in.size(), r).mul(2).add(0.5));
            }
        }
    }
}

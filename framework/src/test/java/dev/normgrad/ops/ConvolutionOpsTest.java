package dev.normgrad.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.normgrad.autograd.ShapeException;
import dev.normgrad.autograd.Tensor;
import dev.normgrad.gradcheck.GradCheck;
import dev.normgrad.gradcheck.GradCheckReport;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Convolution and pooling: every geometry gradient-checked in float64 (the PyTorch comparison is
 * in OpsMatchPyTorchTest), im2col and col2im adjoint to each other, the sliding window's sizes, and
 * the messages of every shape that does not fit.
 */
class ConvolutionOpsTest {

    /** (C, H, W), kernel, stride, padding, out channels, groups. */
    static Stream<Arguments> convolutions() {
        return Stream.of(
                Arguments.of("1->2, 5x5, 3x3", new SlidingWindow(1, 5, 5, 3, 3, 1, 1, 0, 0), 2, 1),
                Arguments.of("3->4, 7x5, kernel (3, 2), stride (2, 1), padding (1, 0)", new SlidingWindow(3, 7, 5, 3, 2, 2, 1, 1, 0), 4, 1),
                Arguments.of("4->6 in 2 groups, 6x7, stride 2, padding 1", new SlidingWindow(4, 6, 7, 3, 3, 2, 2, 1, 1), 6, 2),
                Arguments.of("depthwise 3->3, 4x5, kernel (2, 3), padding (0, 1)", new SlidingWindow(3, 4, 5, 2, 3, 1, 1, 0, 1), 3, 3),
                Arguments.of("1-D: (2, 1, 9), kernel (1, 3), stride (1, 2), padding (0, 1)", new SlidingWindow(2, 1, 9, 1, 3, 1, 2, 0, 1), 3, 1),
                Arguments.of("padding 2 beyond the kernel's half, 2->2, 3x4", new SlidingWindow(2, 3, 4, 2, 2, 1, 1, 2, 2), 2, 1));
    }

    @ParameterizedTest(name = "conv2d {0}")
    @MethodSource("convolutions")
    void convolutionPassesTheGradientCheckForInputWeightAndBias(String name, SlidingWindow window, int out, int groups) {
        Random r = new Random(name.hashCode());
        Tensor x = Tensor.randn(3, window.inputSize(), r);
        Tensor w = Tensor.randn(out, window.patchSize(window.channels() / groups), r);
        Tensor b = Tensor.randn(1, out, r);
        assertPasses(GradCheck.check(in -> new Conv2dOp(window, out, groups).apply(in), x, w, b));
        assertPasses(GradCheck.check(in -> new Conv2dOp(window, out, groups).apply(in), x, w));
    }

    @ParameterizedTest(name = "pooling {0}")
    @MethodSource("convolutions")
    void poolingPassesTheGradientCheck(String name, SlidingWindow window, int out, int groups) {
        if (2 * window.paddingHeight() > window.kernelHeight() || 2 * window.paddingWidth() > window.kernelWidth()) {
            return;   // pooling refuses padding beyond half the kernel (tested below)
        }
        Random r = new Random(name.hashCode());
        Tensor x = Tensor.randn(2, window.inputSize(), r);
        assertPasses(GradCheck.check(in -> new MaxPool2dOp(window).apply(in[0]), x));
        assertPasses(GradCheck.check(in -> new AvgPool2dOp(window, true).apply(in[0]), x));
        assertPasses(GradCheck.check(in -> new AvgPool2dOp(window, false).apply(in[0]), x));
    }

    @Test
    void twoConvolutionsOfDifferentSizesInOneGraphShareTheThreadsBuffersCorrectly() {
        // the second convolution's forward and backward reuse (and outgrow) the first's work buffers
        SlidingWindow first = new SlidingWindow(2, 6, 5, 3, 3, 1, 1, 1, 1);
        SlidingWindow second = new SlidingWindow(4, 6, 5, 3, 2, 2, 1, 1, 0);
        Random r = new Random(3);
        Tensor x = Tensor.randn(3, first.inputSize(), r);
        Tensor w1 = Tensor.randn(4, first.patchSize(2), r);
        Tensor w2 = Tensor.randn(6, second.patchSize(2), r);
        assertPasses(GradCheck.check(in -> new Conv2dOp(second, 6, 2).apply(new Conv2dOp(first, 4, 1).apply(in[0], in[1]).tanh(),
                in[2]), x, w1, w2));
    }

    @Test
    void im2colAndCol2imAreAdjoint() {
        // <im2col(x), c> = <x, col2im(c)> for every x and c: col2im is the transpose im2col's backward needs
        Random r = new Random(11);
        for (SlidingWindow w : new SlidingWindow[] {new SlidingWindow(3, 7, 5, 3, 2, 2, 1, 1, 0),
            new SlidingWindow(2, 4, 6, 2, 3, 2, 3, 1, 1), new SlidingWindow(1, 1, 9, 1, 4, 1, 2, 0, 2)}) {
            int rows = w.patchSize(w.channels()), cols = w.positions();
            double[] x = Tensor.randn(1, w.inputSize(), r).data().data;
            double[] c = Tensor.randn(rows, cols, r).data().data;
            double[] xc = new double[rows * cols];
            java.util.Arrays.fill(xc, Double.NaN);                  // im2col overwrites every entry, padding too
            Im2Col.im2col(x, 1, w, 0, w.channels(), xc);
            double[] back = new double[w.inputSize()];
            Im2Col.col2im(c, 1, w, 0, w.channels(), back);
            double left = 0, right = 0;
            for (int i = 0; i < xc.length; i++) {
                left += xc[i] * c[i];
            }
            for (int i = 0; i < x.length; i++) {
                right += x[i] * back[i];
            }
            assertEquals(left, right, 1e-12 * Math.max(1, Math.abs(left)), w.toString());
        }
    }

    @Test
    void im2colOfTwoSmallImagesIsTheirPatchesAsColumnsSideBySide() {
        // two 3x3 images of one channel, 2x2 kernel, stride 1, padding 0: four positions each, a column of 4 values
        double[] x = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 20, 30, 40, 50, 60, 70, 80, 90};
        double[] cols = new double[32];
        Im2Col.im2col(x, 2, new SlidingWindow(1, 3, 3, 2, 2, 1, 1, 0, 0), 0, 1, cols);
        assertArrayEquals(new double[] {1, 2, 4, 5, 10, 20, 40, 50, 2, 3, 5, 6, 20, 30, 50, 60, 4, 5, 7, 8, 40, 50, 70, 80,
            5, 6, 8, 9, 50, 60, 80, 90}, cols);
        // the first image with padding 1 and stride 2: the windows read zeros outside the image
        double[] padded = new double[4 * 4];
        Im2Col.im2col(x, 1, new SlidingWindow(1, 3, 3, 2, 2, 2, 2, 1, 1), 0, 1, padded);
        assertArrayEquals(new double[] {0, 0, 0, 5, 0, 0, 4, 6, 0, 2, 0, 8, 1, 3, 7, 9}, padded);
    }

    @Test
    void theWindowGivesPyTorchsOutputSizes() {
        SlidingWindow w = new SlidingWindow(3, 7, 5, 3, 2, 2, 1, 1, 0);
        assertEquals(4, w.outHeight());                             // ⌊(7 + 2 − 3)/2⌋ + 1
        assertEquals(4, w.outWidth());                              // ⌊(5 − 2)/1⌋ + 1
        assertEquals(105, w.inputSize());
        assertEquals(18, w.patchSize(3));
        SlidingWindow floor = new SlidingWindow(1, 6, 6, 3, 3, 2, 2, 0, 0);
        assertEquals(2, floor.outHeight(), "floor mode: the last row is never a window's first");
    }

    @Test
    void aWindowThatCannotSlideIsRefusedNamingTheLayerAndTheSizes() {
        IllegalArgumentException big = assertThrows(IllegalArgumentException.class,
                () -> SlidingWindow.of("Conv2d(1, 8, kernelSize=(9, 9))", 1, 8, 8, 9, 9, 1, 1, 0, 0));
        assertEquals("Conv2d(1, 8, kernelSize=(9, 9)): the 9x9 kernel is larger than the padded input: 8x8 padded by "
                + "(0, 0) is 8x8; use a smaller kernel or more padding", big.getMessage());
        IllegalArgumentException stride = assertThrows(IllegalArgumentException.class,
                () -> SlidingWindow.of("MaxPool2d(2)", 1, 8, 8, 2, 2, 0, 2, 0, 0));
        assertEquals("MaxPool2d(2): the stride must be at least 1, got (0, 2) (a stride of 1 visits every position)",
                stride.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new SlidingWindow(1, 8, 8, 3, 3, 1, 1, -1, 0));
        assertThrows(IllegalArgumentException.class, () -> new SlidingWindow(0, 8, 8, 3, 3, 1, 1, 0, 0));
        IllegalArgumentException pad = assertThrows(IllegalArgumentException.class,
                () -> new MaxPool2dOp(new SlidingWindow(1, 8, 8, 2, 2, 2, 2, 2, 0)));
        assertTrue(pad.getMessage().startsWith("maxPool2d: the padding (2, 0) must be at most half the kernel (2, 2)"),
                pad.getMessage());
    }

    @Test
    void inputsThatDoNotFitAreShapeErrorsNamingTheOpAndTheSizes() {
        SlidingWindow w = new SlidingWindow(2, 4, 5, 3, 3, 1, 1, 1, 1);
        ShapeException width = assertThrows(ShapeException.class,
                () -> new Conv2dOp(w, 3, 1).apply(Tensor.zeros(2, 41), Tensor.zeros(3, 18)));
        assertEquals("conv2d: input (2x41) is not rows of C·H·W = 2·4·5 = 40 values (one (2, 4, 5) image per row)",
                width.getMessage());
        ShapeException weight = assertThrows(ShapeException.class,
                () -> new Conv2dOp(w, 3, 1).apply(Tensor.zeros(2, 40), Tensor.zeros(3, 9)));
        assertEquals("conv2d: weight (3x9) must be (3x18): out channels × (in channels / groups)·kH·kW = 3 × 2·3·3",
                weight.getMessage());
        ShapeException bias = assertThrows(ShapeException.class,
                () -> new Conv2dOp(w, 3, 1).apply(Tensor.zeros(2, 40), Tensor.zeros(3, 18), Tensor.zeros(1, 2)));
        assertTrue(bias.getMessage().startsWith("conv2d: bias (1x2) must be (1x3)"), bias.getMessage());
        ShapeException pool = assertThrows(ShapeException.class,
                () -> new MaxPool2dOp(new SlidingWindow(2, 4, 4, 2, 2, 2, 2, 0, 0)).apply(Tensor.zeros(3, 30)));
        assertTrue(pool.getMessage().startsWith("maxPool2d: input (3x30) is not rows of C·H·W = 2·4·4 = 32"), pool.getMessage());
        IllegalArgumentException groups = assertThrows(IllegalArgumentException.class, () -> new Conv2dOp(w, 3, 2));
        assertTrue(groups.getMessage().contains("groups 2 must divide both the 2 input channels and the 3 output channels"),
                groups.getMessage());
    }

    private static void assertPasses(GradCheckReport report) {
        report.assertPassed();
        assertTrue(report.relativeError() < 1e-6, () -> "relative error " + report.relativeError() + "\n" + report);
    }
}

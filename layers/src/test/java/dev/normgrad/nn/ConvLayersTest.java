package dev.normgrad.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.normgrad.autograd.ShapeException;
import dev.normgrad.autograd.Tensor;
import dev.normgrad.gradcheck.GradCheck;
import dev.normgrad.norm.BatchNorm2d;
import dev.normgrad.recurrent.LastStep;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The convolution, pooling and flatten layers: defaults, shapes, initialisation, gradient checks of
 * inputs and parameters, and the messages of every input that does not fit (PyTorch's numbers are in
 * ConvFixtureTest).
 */
class ConvLayersTest {
    private final Random rng = new Random(7);

    @Test
    void conv2dHasPyTorchsDefaultsLayoutAndShapes() {
        Conv2d conv = new Conv2d(new ImageShape(3, 7, 5), 4, 3);
        assertArrayEquals(new int[] {3, 3}, conv.kernelSize());
        assertArrayEquals(new int[] {1, 1}, conv.stride());
        assertArrayEquals(new int[] {0, 0}, conv.padding());
        assertEquals(1, conv.groups());
        assertEquals("4x27", conv.weight().rows() + "x" + conv.weight().cols(), "(C', C·kH·kW)");
        assertEquals(4, conv.bias().cols());
        assertEquals(new ImageShape(4, 5, 3), conv.outputShape());
        assertEquals("Conv2d(input=(3, 7, 5), outChannels=4, kernelSize=(3, 3), stride=(1, 1), padding=(0, 0), groups=1, bias=true)",
                conv.toString());
        Conv2d grouped = new Conv2d(new ImageShape(4, 6, 7), 6, new int[] {3, 2}, new int[] {2, 1}, new int[] {1, 0}, 2, false, rng);
        assertEquals(new ImageShape(6, 3, 6), grouped.outputShape());
        assertEquals("6x12", grouped.weight().rows() + "x" + grouped.weight().cols(), "(C', C/G·kH·kW)");
        assertNull(grouped.bias());
        assertEquals(18 * 6 * 3 * 6, grouped.apply(Tensor.randn(18, 4 * 6 * 7, rng)).data().getNumElements());
    }

    @Test
    void conv1dAndThePoolsHavePyTorchsDefaults() {
        Conv1d conv = new Conv1d(2, 3, 3);
        assertEquals(1, conv.stride());
        assertEquals(0, conv.padding());
        assertEquals("3x6", conv.weight().rows() + "x" + conv.weight().cols());
        assertEquals(3 * 7, conv.apply(Tensor.randn(2, 2 * 9, rng)).cols(), "L' = 9 − 3 + 1");
        assertEquals(5, new Conv1d(2, 3, 3, 2, 1).outputLength(9));
        MaxPool2d max = new MaxPool2d(new ImageShape(8, 8, 6), 2);
        assertArrayEquals(new int[] {2, 2}, max.stride(), "the stride defaults to the kernel size");
        assertEquals(new ImageShape(8, 4, 3), max.outputShape());
        AvgPool2d avg = new AvgPool2d(new ImageShape(2, 7, 5), 3, 2, 1);
        assertTrue(avg.countIncludePad(), "PyTorch's default");
        assertEquals(new ImageShape(2, 4, 3), avg.outputShape());
        assertEquals("MaxPool2d(input=(8, 8, 6), kernelSize=(2, 2), stride=(2, 2), padding=(0, 0))", max.toString());
        assertEquals("AvgPool2d(input=(2, 7, 5), kernelSize=(3, 3), stride=(2, 2), padding=(1, 1), countIncludePad=true)",
                avg.toString());
    }

    @Test
    void initialisationIsPyTorchsUniformWithinOneOverRootFanIn() {
        Conv2d conv = new Conv2d(new ImageShape(4, 5, 5), 16, new int[] {3, 2}, new int[] {1, 1}, new int[] {0, 0}, 2, true,
                new Random(1));
        double bound = 1 / Math.sqrt(2 * 3 * 2);                    // fanIn = C/G·kH·kW = 12
        double max = 0;
        for (double v : conv.weight().data().data) {
            max = Math.max(max, Math.abs(v));
        }
        for (double v : conv.bias().data().data) {
            assertTrue(Math.abs(v) <= bound);
        }
        assertTrue(max <= bound && max > 0.9 * bound, "weights fill U(−" + bound + ", " + bound + "), max |w| " + max);
        Conv2d same = new Conv2d(new ImageShape(4, 5, 5), 16, new int[] {3, 2}, new int[] {1, 1}, new int[] {0, 0}, 2, true,
                new Random(1));
        assertArrayEquals(conv.weight().data().data, same.weight().data().data, "a seeded Random gives the same weights");
        double first = conv.weight().data().data[0];
        conv.resetParameters();
        assertNotEquals(first, conv.weight().data().data[0], "resetParameters draws again from the layer's generator");
    }

    @Test
    void everyLayerPassesTheGradientCheckOfItsInputAndParameters() {
        ImageShape image = new ImageShape(3, 5, 4);
        Tensor x = Tensor.randn(3, image.size(), rng);
        GradCheck.check(new Conv2d(image, 4, new int[] {3, 2}, new int[] {2, 1}, new int[] {1, 1}, 1, true, rng), x).assertPassed();
        GradCheck.check(new Conv2d(image, 6, new int[] {2, 2}, new int[] {1, 2}, new int[] {0, 1}, 3, true, rng), x).assertPassed();
        GradCheck.check(new MaxPool2d(image, new int[] {2, 3}, new int[] {1, 1}, new int[] {1, 1}), x).assertPassed();
        GradCheck.check(new AvgPool2d(image, new int[] {3, 2}, new int[] {2, 1}, new int[] {1, 0}, false), x).assertPassed();
        GradCheck.check(new Flatten(), x).assertPassed();
        GradCheck.check(new Conv1d(4, 6, 3, 2, 1, 2, true, rng), Tensor.randn(3, 4 * 7, rng)).assertPassed();
        GradCheck.check(new LastStep(4), Tensor.randn(3, 3 * 4, rng)).assertPassed();
    }

    @Test
    void aSmallCnnPassesTheGradientCheckInTrainingAndEvaluation() {
        ImageShape in = new ImageShape(2, 6, 5);
        Conv2d conv1 = new Conv2d(in, 3, 3, 1, 1);
        MaxPool2d pool = new MaxPool2d(conv1.outputShape(), 2);
        Conv2d conv2 = new Conv2d(pool.outputShape(), 4, 2);
        Sequential cnn = new Sequential(conv1, new BatchNorm2d(3), new ReLU(), pool, conv2, new Tanh(), new Flatten(),
                new Linear(conv2.outputShape().size(), 3, true, rng));
        Tensor x = Tensor.randn(4, in.size(), rng);
        GradCheck.check(cnn, x).assertPassed();
        cnn.apply(x);
        cnn.eval();
        GradCheck.check(cnn, x).assertPassed();
    }

    @Test
    void flattenIsTheIdentityOnFlatRowsAndLastStepKeepsTheLastStep() {
        Tensor x = Tensor.randn(2, 12, rng);
        assertSame(x, new Flatten().apply(x));
        Tensor last = new LastStep(4).apply(x);
        assertEquals(x.get(1, 8), last.get(1, 0));
        assertEquals(x.get(0, 11), last.get(0, 3));
        assertEquals("LastStep(features=4)", new LastStep(4).toString());
    }

    @Test
    void anInputThatIsNotCHWIsRefusedNamingTheLayerAndTheSizes() {
        Conv2d conv = new Conv2d(new ImageShape(1, 8, 8), 8, 3, 1, 1);
        ShapeException c = assertThrows(ShapeException.class, () -> conv.apply(Tensor.zeros(4, 72)));
        assertEquals("Conv2d(in=(1, 8, 8), out=(8, 8, 8)): input is (4x72), expected rows of C·H·W = 1·8·8 = 64 values (one "
                + "(1, 8, 8) image per row); check the previous layer's output shape", c.getMessage());
        ShapeException pool = assertThrows(ShapeException.class,
                () -> new MaxPool2d(new ImageShape(8, 8, 8), 2).apply(Tensor.zeros(4, 100)));
        assertTrue(pool.getMessage().startsWith("MaxPool2d(in=(8, 8, 8), out=(8, 4, 4)): input is (4x100), expected rows of "
                + "C·H·W = 8·8·8 = 512"), pool.getMessage());
        ShapeException avg = assertThrows(ShapeException.class,
                () -> new AvgPool2d(new ImageShape(2, 3, 3), 2).apply(Tensor.zeros(1, 17)));
        assertTrue(avg.getMessage().startsWith("AvgPool2d(in=(2, 3, 3), out=(2, 1, 1)): input is (1x17)"), avg.getMessage());
    }

    @Test
    void aChannelCountThatDoesNotMatchIsRefusedNamingTheLayerAndTheSizes() {
        // three-channel images into a layer declared for one channel
        Conv2d conv = new Conv2d(new ImageShape(1, 8, 8), 8, 3, 1, 1);
        ShapeException channels = assertThrows(ShapeException.class, () -> conv.apply(Tensor.zeros(4, 3 * 64)));
        assertEquals("Conv2d(in=(1, 8, 8), out=(8, 8, 8)): input is (4x192), expected rows of C·H·W = 1·8·8 = 64 values (one "
                + "(1, 8, 8) image per row); check the previous layer's output shape", channels.getMessage());
        ShapeException conv1d = assertThrows(ShapeException.class, () -> new Conv1d(3, 2, 2).apply(Tensor.zeros(2, 10)));
        assertEquals("Conv1d(3, 2, kernelSize=2): input is (2x10), expected rows of 3 channels of L positions (a width that is "
                + "a multiple of 3)", conv1d.getMessage());
    }

    @Test
    void aKernelLargerThanThePaddedInputIsRefusedNamingTheLayerAndTheSizes() {
        IllegalArgumentException conv = assertThrows(IllegalArgumentException.class,
                () -> new Conv2d(new ImageShape(1, 8, 6), 4, new int[] {5, 9}, new int[] {1, 1}, new int[] {1, 1}, 1, true, rng));
        assertEquals("Conv2d(input=(1, 8, 6), outChannels=4, kernelSize=(5, 9), stride=(1, 1), padding=(1, 1)): the 5x9 kernel "
                + "is larger than the padded input: 8x6 padded by (1, 1) is 10x8; use a smaller kernel or more padding",
                conv.getMessage());
        IllegalArgumentException pool = assertThrows(IllegalArgumentException.class,
                () -> new MaxPool2d(new ImageShape(4, 2, 2), 3));
        assertTrue(pool.getMessage().startsWith("MaxPool2d(input=(4, 2, 2), kernelSize=(3, 3), stride=(3, 3), padding=(0, 0)): "
                + "the 3x3 kernel is larger than the padded input"), pool.getMessage());
        IllegalArgumentException conv1d = assertThrows(IllegalArgumentException.class,
                () -> new Conv1d(2, 2, 7).apply(Tensor.zeros(3, 2 * 5)));
        assertEquals("Conv1d(2, 2, kernelSize=7) on length 5: the 1x7 kernel is larger than the padded input: 1x5 padded by "
                + "(0, 0) is 1x5; use a smaller kernel or more padding", conv1d.getMessage());
    }

    @Test
    void aStrideOfZeroIsRefusedNamingTheLayer() {
        IllegalArgumentException stride = assertThrows(IllegalArgumentException.class,
                () -> new Conv2d(new ImageShape(1, 8, 8), 4, 3, 0, 1));
        assertTrue(stride.getMessage().startsWith("Conv2d(input=(1, 8, 8), outChannels=4, kernelSize=(3, 3), stride=(0, 0), "
                + "padding=(1, 1)): the stride must be at least 1, got (0, 0)"), stride.getMessage());
        IllegalArgumentException poolStride = assertThrows(IllegalArgumentException.class,
                () -> new AvgPool2d(new ImageShape(1, 8, 8), 2, 0, 0));
        assertTrue(poolStride.getMessage().contains("the stride must be at least 1, got (0, 0)"), poolStride.getMessage());
        IllegalArgumentException conv1d = assertThrows(IllegalArgumentException.class, () -> new Conv1d(2, 2, 3, 0, 0));
        assertTrue(conv1d.getMessage().contains("stride=0"), conv1d.getMessage());
    }

    @Test
    void groupsThatDoNotDivideTheChannelsAndPoolingPaddingBeyondHalfTheKernelAreRefused() {
        IllegalArgumentException groups = assertThrows(IllegalArgumentException.class,
                () -> new Conv2d(new ImageShape(6, 4, 4), 4, new int[] {1, 1}, new int[] {1, 1}, new int[] {0, 0}, 3, true, rng));
        assertEquals("Conv2d(input=(6, 4, 4), outChannels=4): groups 3 must divide both inChannels 6 and outChannels 4 (each at least 1)",
                groups.getMessage());
        IllegalArgumentException padding = assertThrows(IllegalArgumentException.class,
                () -> new MaxPool2d(new ImageShape(1, 8, 8), 2, 2, 2));
        assertTrue(padding.getMessage().contains("the padding must be at most half the kernel"), padding.getMessage());
        IllegalArgumentException pair = assertThrows(IllegalArgumentException.class,
                () -> new MaxPool2d(new ImageShape(1, 8, 8), new int[] {2}, new int[] {2, 2}, new int[] {0, 0}));
        assertTrue(pair.getMessage().contains("kernelSize must be a (height, width) pair"), pair.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new ImageShape(0, 8, 8));
    }
}

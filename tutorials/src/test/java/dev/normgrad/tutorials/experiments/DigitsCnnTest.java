package dev.normgrad.tutorials.experiments;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.normgrad.autograd.Tensor;
import dev.normgrad.data.Batch;
import dev.normgrad.data.Dataset;
import dev.normgrad.data.Digits;
import dev.normgrad.data.Standardizer;
import dev.normgrad.gradcheck.GradCheck;
import dev.normgrad.nn.Conv2d;
import dev.normgrad.nn.Identity;
import dev.normgrad.nn.Linear;
import dev.normgrad.nn.Sequential;
import dev.normgrad.norm.BatchNorm2d;
import dev.normgrad.norm.GroupNorm;
import dev.normgrad.norm.InstanceNorm2d;
import dev.normgrad.norm.LayerNorm;
import dev.normgrad.optim.Adam;
import java.util.Iterator;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The course's small CNN on the digits: its shapes, its five normalizations, its gradients, and that it learns. */
class DigitsCnnTest {
    @Test
    void theNetworkIsTwoConvNormReluPoolBlocksThenALinearToTheTenDigits() {
        Sequential cnn = Nets.digitsCnn(Nets.ImageNorm.BATCH_NORM, new Random(1));
        assertEquals(10, cnn.size());
        Conv2d conv1 = (Conv2d) cnn.get(0);
        Conv2d conv2 = (Conv2d) cnn.get(4);
        assertEquals(Nets.DIGITS, conv1.inputShape());
        assertEquals("(8, 8, 8)", conv1.outputShape().toString());
        assertEquals("(16, 4, 4)", conv2.outputShape().toString());
        assertEquals(64, ((Linear) cnn.get(9)).inFeatures());
        assertEquals(10, cnn.apply(Tensor.randn(3, 64, new Random(2))).cols());
        assertTrue(cnn.get(1) instanceof BatchNorm2d && cnn.get(5) instanceof BatchNorm2d);
    }

    @Test
    void everyNormalizationIsBuiltForItsConvolutionsOutputAndTheWeightsDoNotDependOnIt() {
        assertTrue(Nets.digitsCnn(Nets.ImageNorm.NONE, new Random(1)).get(5) instanceof Identity);
        assertEquals("GroupNorm(4, 16, eps=1e-05, affine=true)", Nets.digitsCnn(Nets.ImageNorm.GROUP_NORM, new Random(1)).get(5).toString());
        assertEquals("LayerNorm((8, 8, 8), eps=1e-05, elementwiseAffine=true)",
                Nets.digitsCnn(Nets.ImageNorm.LAYER_NORM, new Random(1)).get(1).toString());
        InstanceNorm2d in = (InstanceNorm2d) Nets.digitsCnn(Nets.ImageNorm.INSTANCE_NORM, new Random(1)).get(5);
        assertTrue(in.affine() && !in.trackRunningStats());
        double[] withNone = ((Conv2d) Nets.digitsCnn(Nets.ImageNorm.NONE, new Random(4)).get(4)).weight().data().data;
        double[] withLayerNorm = ((Conv2d) Nets.digitsCnn(Nets.ImageNorm.LAYER_NORM, new Random(4)).get(4)).weight().data().data;
        assertArrayEquals(withNone, withLayerNorm, "the same seed, the same convolutions");
        Sequential custom = Nets.digitsCnn(s -> new GroupNorm(2, s.channels()), new Random(1));
        assertEquals(2, ((GroupNorm) custom.get(1)).numGroups());
    }

    @Test
    void everyVariantPassesTheGradientCheck() {
        Tensor x = Tensor.randn(4, 64, new Random(3));
        for (Nets.ImageNorm norm : Nets.ImageNorm.values()) {
            Sequential cnn = Nets.digitsCnn(norm, new Random(5));
            GradCheck.check(in -> cnn.apply(in[0]), x).assertPassed();           // every entry of the input
            new GradCheck().fast(cnn, 8, x).assertPassed();                       // and every parameter, along 8 directions
        }
        assertTrue(Nets.digitsCnn(Nets.ImageNorm.LAYER_NORM, new Random(5)).get(1) instanceof LayerNorm);
    }

    @Test
    void withBatchNormItLearnsTheDigitsInAHundredSteps() {
        Dataset.Split split = Digits.load().split(0.2, new Random(0));
        Standardizer z = Standardizer.fit(split.train());
        Dataset train = z.transform(split.train()), test = z.transform(split.test());
        Sequential cnn = Nets.digitsCnn(Nets.ImageNorm.BATCH_NORM, new Random(6));
        Adam adam = new Adam(cnn.parameters(), 0.005);
        Iterator<Batch> batches = Training.batches(train, 32, new Random(7));
        for (int step = 0; step < 100; step++) {
            Training.step(cnn, adam, batches.next());
        }
        double accuracy = Training.evaluate(cnn, test).accuracy();
        assertTrue(accuracy > 0.85, "100 steps of Adam: " + accuracy);
    }
}

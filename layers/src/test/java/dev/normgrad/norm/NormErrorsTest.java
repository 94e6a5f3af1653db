package dev.normgrad.norm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.normgrad.autograd.ShapeException;
import dev.normgrad.autograd.Tensor;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Each error names the layer and the shapes, and says what to do instead. */
class NormErrorsTest {
    private final Random rng = new Random(1);

    @Test
    void aTrainingBatchWithOneValuePerChannelIsAnErrorThatSuggestsABiggerBatchOrEval() {
        BatchNorm1d bn = new BatchNorm1d(16);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> bn.apply(Tensor.randn(1, 16, rng)));
        assertEquals("BatchNorm1d(16): expected more than 1 value per channel when training, got input (1x16); "
                + "use a batch of at least 2, or call eval()", e.getMessage());
        assertEquals(0, bn.numBatchesTracked(), "the failed forward counted no batch");
        bn.eval();
        assertEquals(16, bn.apply(Tensor.randn(1, 16, rng)).cols(), "in eval one sample is fine");
    }

    @Test
    void oneSampleWithSeveralPositionsIsEnoughForBatchNorm() {
        BatchNorm1d bn = new BatchNorm1d(4);
        assertEquals(12, bn.apply(Tensor.randn(1, 12, rng)).cols()); // N = 1, L = 3: 3 values per channel
    }

    @Test
    void batchRenormRefusesOneValuePerChannelToo() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new BatchRenorm1d(8).apply(Tensor.randn(1, 8, rng)));
        assertTrue(e.getMessage().startsWith("BatchRenorm1d(8): expected more than 1 value per channel when training"),
                e.getMessage());
    }

    @Test
    void withoutRunningStatisticsEvalCannotHelpAOneSampleBatch() {
        BatchNorm1d bn = new BatchNorm1d(4, 1e-5, 0.1, true, false);
        bn.eval();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> bn.apply(Tensor.randn(1, 4, rng)));
        assertTrue(e.getMessage().contains("trackRunningStats=false") && e.getMessage().contains("batch of at least 2"),
                e.getMessage());
    }

    @Test
    void groupNormWhoseGroupsDoNotDivideTheChannelsListsTheGroupCountsThatDo() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new GroupNorm(3, 16));
        assertEquals("GroupNorm(3, 16): numChannels 16 must be divisible by numGroups 3 (each group holds "
                + "numChannels / numGroups channels); choose numGroups among 1, 2, 4, 8, 16", e.getMessage());
    }

    @Test
    void aFeatureCountThatDoesNotMatchTheLayerNamesBothAndTheAcceptedWidths() {
        ShapeException bn = assertThrows(ShapeException.class, () -> new BatchNorm1d(16).apply(Tensor.randn(4, 20, rng)));
        assertEquals("BatchNorm1d(16): expected 16 features, or 16 channels of L positions (a width that is a multiple "
                + "of 16), got input (4x20)", bn.getMessage());
        ShapeException ln = assertThrows(ShapeException.class, () -> new LayerNorm(16).apply(Tensor.randn(4, 20, rng)));
        assertEquals("LayerNorm(16): expected rows of 16 features (or of a multiple of 16, normalized in blocks of 16), "
                + "got input (4x20)", ln.getMessage());
        ShapeException gn = assertThrows(ShapeException.class, () -> new GroupNorm(2, 4).apply(Tensor.randn(3, 6, rng)));
        assertTrue(gn.getMessage().startsWith("GroupNorm(2, 4): expected 4 features, or 4 channels"), gn.getMessage());
        ShapeException rms = assertThrows(ShapeException.class, () -> new RMSNorm(3, 5).apply(Tensor.randn(2, 16, rng)));
        assertTrue(rms.getMessage().startsWith("RMSNorm((3, 5)): expected rows of 15 features"), rms.getMessage());
        ShapeException in = assertThrows(ShapeException.class, () -> new InstanceNorm1d(3).apply(Tensor.randn(2, 10, rng)));
        assertTrue(in.getMessage().startsWith("InstanceNorm1d(3): expected 3 features, or 3 channels"), in.getMessage());
    }

    @Test
    void instanceNormOfPlainFeaturesSaysToUseLayerNormOrBatchNorm() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new InstanceNorm1d(16).apply(Tensor.randn(4, 16, rng)));
        assertTrue(e.getMessage().startsWith("InstanceNorm1d(16): expected more than 1 value per channel when training, "
                + "got input (4x16); InstanceNorm normalizes each channel of each sample over its L positions, and these rows "
                + "are 16 channels of L = 1"), e.getMessage());
        assertTrue(e.getMessage().contains("use LayerNorm or BatchNorm1d"), e.getMessage());
    }

    @Test
    void aMomentumOutsideZeroOneMentionsTheKerasConvention() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new BatchNorm1d(4, 1e-5, 99.0, true, true));
        assertTrue(e.getMessage().contains("Keras"), e.getMessage());
    }

    @Test
    void badConstructorArgumentsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new BatchNorm1d(0));
        assertThrows(IllegalArgumentException.class, () -> new BatchNorm1d(4, -1, 0.1, true, true));
        assertThrows(IllegalArgumentException.class, () -> new LayerNorm());
        assertThrows(IllegalArgumentException.class, () -> new LayerNorm(4, 0));
        assertThrows(IllegalArgumentException.class, () -> new BatchRenorm1d(4, 0.5, 1));
        IllegalArgumentException wn = assertThrows(IllegalArgumentException.class, () -> new WeightNorm(new LayerNorm(4), "w", 0));
        assertTrue(wn.getMessage().contains("has no parameter 'w'") && wn.getMessage().contains("[weight, bias]"), wn.getMessage());
    }

    @Test
    void theFunctionalFormsCheckShapesToo() {
        ShapeException e = assertThrows(ShapeException.class, () -> Normalization.batchNorm(Tensor.randn(4, 6, rng), 3,
                Tensor.zeros(1, 2), Tensor.ones(1, 2), null, null, true, 0.1, 1e-5, true));
        assertEquals("batchNorm: runningMean must be (1x3), got (1x2)", e.getMessage());
        ShapeException k = assertThrows(ShapeException.class, () -> Normalization.normalize(Tensor.randn(4, 6, rng),
                StatisticsSet.batchNorm(4, 3, 1), 1e-5, null, null, 1, true));
        assertTrue(k.getMessage().startsWith("normalize: input (4x6) has 24 entries but the statistics set"), k.getMessage());
    }
}

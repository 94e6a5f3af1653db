package dev.normgrad.tutorials.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The LayerNorm-family experiments at a reduced size: shapes, and the claims that hold on the digits. */
class LayerNormFamilyTest {
    private static final long SEED = 7;

    @Test
    void onlyTrainingModeBatchNormMakesASampleDependOnItsBatch() {
        LayerNormFamily.BatchDependence d = LayerNormFamily.batchDependence(16, 5, SEED);
        assertEquals(LayerNormFamily.Layer.values().length, d.layers().size());
        for (LayerNormFamily.BatchDependencePoint p : d.layers()) {
            if (p.layer().equals("BatchNorm1d (train)")) {
                assertTrue(p.maxChange() > 0.1 * p.outputStd(), p.toString());
            } else {
                assertEquals(0.0, p.maxChange(), p.layer() + " is the same whatever the batch");
            }
        }
    }

    @Test
    void atBatchSizeTwoLayerNormTrainsWhereBatchNormFails() {
        LayerNormFamily.BatchSizeSweep sweep = LayerNormFamily.batchSizeSweep(
                new LayerNormFamily.Normalizer[] {LayerNormFamily.Normalizer.BATCH_NORM, LayerNormFamily.Normalizer.LAYER_NORM},
                new int[] {2}, 1, 0.003, SEED);
        assertEquals(2, sweep.points().size());
        LayerNormFamily.BatchSizePoint bn = sweep.points().get(0);
        LayerNormFamily.BatchSizePoint ln = sweep.points().get(1);
        assertEquals("BatchNorm", bn.normalization());
        assertEquals("LayerNorm", ln.normalization());
        assertEquals(DigitsSplit.load(SEED).train().size() / 2, ln.steps(), "one epoch of batches of 2");
        assertTrue(ln.testAccuracy() > 0.8, "LN at batch 2: " + ln.testAccuracy());
        assertTrue(bn.testAccuracy() < ln.testAccuracy() - 0.2, "BN at batch 2: " + bn.testAccuracy());
    }

    @Test
    void eachLayerIsZeroMeanUnitVarianceOverItsOwnAxesAndTheAffineCanUndoIt() {
        LayerNormFamily.NormalizedStatistics s = LayerNormFamily.normalizedStatistics(16, 40, SEED);
        assertEquals(5, s.layers().size());
        for (LayerNormFamily.LayerStatistics l : s.layers()) {
            assertTrue(l.inputMeanRange()[1] > 0.5, l.layer() + ": the input is not centred");
            if (l.layer().equals("RMSNorm")) {
                assertTrue(l.maxAbsMeanSquareMinusOne() < 1e-9, l.toString());
                assertTrue(l.maxAbsMean() > 0.5, "RMSNorm does not centre: " + l);
            } else {
                assertTrue(l.maxAbsMean() < 1e-12, l.toString());
                // the variance is σ²/(σ² + eps): 1 up to eps
                assertTrue(l.maxAbsVarMinusOne() < 1e-3, l.toString());
            }
        }
        assertEquals(16, s.layers().get(0).groups() * 2, "BatchNorm: one statistic per channel (8)");
        assertEquals(16 * LayerNormFamily.CHANNELS, s.layers().get(3).groups(), "InstanceNorm: one per sample and channel");
        assertTrue(s.identityError() < 1e-12, "γ = σ, β = μ gives the input back: " + s.identityError());
        assertEquals(3, s.learned().size());
        for (LayerNormFamily.LearnedAffine a : s.learned()) {
            assertTrue(a.gammaRange()[0] <= a.gammaRange()[1] && a.gammaRange()[1] <= a.gammaRange()[2], a.toString());
        }
    }

    @Test
    void affineAblationGivesAnAccuracyWithAndWithoutForEachPair() {
        List<LayerNormFamily.AffineAblation> a = LayerNormFamily.affineAblation(30, SEED);
        assertEquals(4, a.size());
        for (LayerNormFamily.AffineAblation p : a) {
            assertTrue(p.withAffine() >= 0 && p.withAffine() <= 1 && p.withoutAffine() >= 0 && p.withoutAffine() <= 1, p.toString());
        }
    }
}

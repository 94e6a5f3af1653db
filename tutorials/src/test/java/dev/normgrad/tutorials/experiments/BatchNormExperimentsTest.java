package dev.normgrad.tutorials.experiments;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The batch normalization experiments at a reduced size: the shape of each result, and the direction
 * of each claim where it holds robustly on the digits. (Claims that do not hold robustly here, such as
 * BN helping very small networks or generalizing better, are only recorded, in CLAIMS-DRAFT.md.)
 */
class BatchNormExperimentsTest {
    private static final long SEED = 7;

    @Test
    void figure1BatchNormReachesHigherAccuracySoonerAndItsPercentilesAreOrdered() {
        BatchNormExperiments.Figure1 f = BatchNormExperiments.figure1(BatchNormExperiments.HIDDEN, 150, 30, 32, 0.5, 0.1, 0, 100, SEED);
        for (BatchNormExperiments.Figure1Curve c : List.of(f.withoutBatchNorm(), f.withBatchNorm())) {
            assertArrayEquals(new int[] {0, 30, 60, 90, 120, 150}, c.steps(), c.model());
            for (int i = 0; i < c.steps().length; i++) {
                assertTrue(c.testAccuracy()[i] >= 0 && c.testAccuracy()[i] <= 1, c.model());
                assertTrue(c.p15()[i] <= c.p50()[i] && c.p50()[i] <= c.p85()[i], c.model() + " percentiles at " + c.steps()[i]);
            }
        }
        // the same initial weights: the same accuracy before any step
        assertEquals(f.withoutBatchNorm().testAccuracy()[0], f.withBatchNorm().testAccuracy()[0]);
        double withBn = f.withBatchNorm().testAccuracy()[5];
        double without = f.withoutBatchNorm().testAccuracy()[5];
        assertTrue(withBn > 0.85, "BN after 150 steps: " + withBn);
        assertTrue(withBn > without + 0.2, "BN " + withBn + " vs without " + without);
        assertEquals(100, f.settings().fixedBatchSize());
    }

    @Test
    void runningStatisticsConvergeToTheDataAndSmallTestBatchesHurtTheTrainedNetwork() {
        BatchNormExperiments.RunningStatistics r = BatchNormExperiments.runningStatistics(32, 100, 100, new int[] {2, 360}, SEED);
        assertEquals(3, r.layerCurves().size());
        for (BatchNormExperiments.RunningStatsCurve c : r.layerCurves()) {
            assertEquals(101, c.steps().length);
            int last = c.steps().length - 1;
            assertTrue(c.meanError()[last] < c.meanError()[0] / 2, c.momentum() + " mean error falls");
            assertTrue(c.varianceError()[last] < c.varianceError()[0] / 2, c.momentum() + " variance error falls");
        }
        // momentum 0.1 forgets its initial 0/1 faster than 0.01; the cumulative average is the closest for stationary data
        double m01 = r.layerCurves().get(0).meanError()[100];
        double m001 = r.layerCurves().get(1).meanError()[100];
        double cumulative = r.layerCurves().get(2).meanError()[100];
        assertTrue(m01 < m001, m01 + " vs " + m001);
        assertTrue(cumulative < 0.05, "cumulative " + cumulative);
        assertEquals(3, r.networkRunningMeanError().length);
        double batchOfTwo = r.networkBatchStatistics().get(0).accuracy();
        assertTrue(batchOfTwo < r.networkEvalAccuracy() - 0.2, "batch of 2: " + batchOfTwo + ", eval " + r.networkEvalAccuracy());
    }

    @Test
    void initScaleSweepAccuracyVariesLessWithBatchNorm() {
        BatchNormExperiments.InitSweep sweep = BatchNormExperiments.initScaleSweep(Activation.SIGMOID, new double[] {0.01, 0.1, 1},
                100, 32, 0.1, SEED);
        assertEquals(6, sweep.points().size());
        double[] spread = new double[2];
        for (int bn = 0; bn < 2; bn++) {
            double lo = 1;
            double hi = 0;
            for (BatchNormExperiments.InitSweepPoint p : sweep.points()) {
                if (p.batchNorm() == (bn == 1)) {
                    lo = Math.min(lo, p.testAccuracy());
                    hi = Math.max(hi, p.testAccuracy());
                }
            }
            spread[bn] = hi - lo;
        }
        assertTrue(spread[1] < spread[0], "spread with BN " + spread[1] + ", without " + spread[0]);
        for (BatchNormExperiments.InitSweepPoint p : sweep.points()) {
            if (p.batchNorm()) {
                assertTrue(p.testAccuracy() > 0.7, "BN at σ=" + p.initStd() + ": " + p.testAccuracy());
            }
        }
    }

    @Test
    void convergenceBatchNormTrainsWellAtALearningRateTooHighForPlainSgd() {
        BatchNormExperiments.Convergence c = BatchNormExperiments.convergence(Activation.RELU, WeightInit.he(), new double[] {1.0},
                100, 20, 32, SEED);
        assertEquals(2, c.runs().size());
        BatchNormExperiments.ConvergenceRun plain = c.runs().get(0);
        BatchNormExperiments.ConvergenceRun bn = c.runs().get(1);
        assertEquals(6, bn.steps().length);
        assertEquals(6, bn.trainLoss().length);
        assertTrue(bn.finalTestAccuracy() > 0.9, "BN at lr 1: " + bn.finalTestAccuracy());
        assertTrue(bn.finalTestAccuracy() > plain.finalTestAccuracy() + 0.1,
                "BN " + bn.finalTestAccuracy() + ", plain SGD at lr 1: " + plain.finalTestAccuracy());
        assertTrue(bn.stepsTo90() >= 0 && bn.stepsTo90() <= 100, "BN's steps to 90%: " + bn.stepsTo90());
        assertTrue(plain.stepsTo90() == -1 || plain.stepsTo90() > bn.stepsTo90(), "plain's steps to 90%: " + plain.stepsTo90());
    }

    @Test
    void smallBatchesHurtBatchNormOnly() {
        List<BatchNormExperiments.SmallBatchPoint> points = BatchNormExperiments.smallBatches(new int[] {2}, 1, 0.02, SEED);
        assertEquals(2, points.size());
        BatchNormExperiments.SmallBatchPoint plain = points.get(0);
        BatchNormExperiments.SmallBatchPoint bn = points.get(1);
        assertEquals(DigitsSplit.load(SEED).train().size() / 2, bn.steps(), "one epoch of batches of 2");
        assertEquals(plain.evalAccuracy(), plain.batchStatisticsAccuracy());
        assertTrue(bn.evalAccuracy() < plain.evalAccuracy() - 0.2, "batch 2: BN " + bn.evalAccuracy() + ", none " + plain.evalAccuracy());
    }

    @Test
    void momentumChangesOnlyTheRunningStatisticsNotTraining() {
        List<BatchNormExperiments.MomentumPoint> points = BatchNormExperiments.momentumSweep(new Double[] {0.1, 0.001}, 100, 32, 0.1, SEED);
        BatchNormExperiments.MomentumPoint usual = points.get(0);
        BatchNormExperiments.MomentumPoint slow = points.get(1);
        assertEquals(usual.trainLoss(), slow.trainLoss(), "the training forward never reads the running statistics");
        assertEquals(usual.batchStatisticsAccuracy(), slow.batchStatisticsAccuracy());
        assertTrue(slow.runningVarError() > usual.runningVarError(), slow.runningVarError() + " vs " + usual.runningVarError());
        assertTrue(slow.evalAccuracy() < usual.evalAccuracy() - 0.02, "momentum 0.001: " + slow.evalAccuracy() + " vs " + usual.evalAccuracy());
    }

    @Test
    void aLargeEpsStopsBatchNormFromNormalizingAndHurts() {
        List<BatchNormExperiments.EpsPoint> points = BatchNormExperiments.epsSweep(Activation.SIGMOID, new double[] {1e-5, 100}, 100, 32,
                0.5, SEED);
        assertTrue(points.get(0).testAccuracy() > points.get(1).testAccuracy() + 0.3,
                "eps 1e-5: " + points.get(0).testAccuracy() + ", eps 100: " + points.get(1).testAccuracy());
    }

    @Test
    void tinyNetworksGetBetterWithWidthAndAreReportedPerSeed() {
        List<BatchNormExperiments.WidthPoint> points = BatchNormExperiments.tinyNetworks(new int[] {2, 16}, 200, 32, 0.1, 2, SEED);
        assertEquals(4, points.size());
        for (BatchNormExperiments.WidthPoint p : points) {
            assertEquals(2, p.testAccuracy().length);
            assertEquals((p.testAccuracy()[0] + p.testAccuracy()[1]) / 2, p.meanAccuracy(), 1e-12);
        }
        assertTrue(points.get(2).meanAccuracy() > points.get(0).meanAccuracy(), "width 16 beats width 2 without BN");
        assertTrue(points.get(3).meanAccuracy() > points.get(1).meanAccuracy(), "width 16 beats width 2 with BN");
    }

    @Test
    void resultsAreJsonWithTheirComponentNamesAndTheSameOnEveryRun() {
        List<BatchNormExperiments.WidthPoint> a = BatchNormExperiments.tinyNetworks(new int[] {4}, 50, 32, 0.1, 1, SEED);
        List<BatchNormExperiments.WidthPoint> b = BatchNormExperiments.tinyNetworks(new int[] {4}, 50, 32, 0.1, 1, SEED);
        assertEquals(Json.toJson(a), Json.toJson(b));
        JsonObject first = JsonParser.parseString(Json.toJson(a)).getAsJsonArray().get(0).getAsJsonObject();
        assertEquals(4, first.get("width").getAsInt());
        assertTrue(first.has("testAccuracy") && first.has("meanAccuracy") && first.has("trainLoss"), first.toString());
        BatchNormExperiments.WidthPoint[] back = Json.fromJson(Json.toJson(a), BatchNormExperiments.WidthPoint[].class);
        assertEquals(a.get(0).meanAccuracy(), back[0].meanAccuracy());
        assertArrayEquals(a.get(0).testAccuracy(), back[0].testAccuracy());
    }
}

package dev.normgrad.tutorials.coursework;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.normgrad.autograd.Tensor;
import dev.normgrad.gradcheck.GradCheck;
import dev.normgrad.norm.BatchNorm1d;
import java.util.Arrays;
import java.util.Random;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;

class CourseworkToolsTest {
    private final Tensor x = Tensor.randn(3, 4, new Random(5));

    @Test
    void roundToFloatRoundsForwardAndPassesGradientsThrough() {
        Tensor in = Tensor.row(0.1, 1.0 / 3).requiresGrad(true);
        Tensor y = new RoundToFloat().apply(in);
        assertEquals((double) 0.1f, y.get(0, 0));
        assertNotEquals(0.1, y.get(0, 0));
        y.sum().backward();
        assertArrayEquals(new double[] {1, 1}, in.gradData().data);
    }

    @Test
    void aFloat32CheckFailsWhereTheFloat64OneWithTheSameBackwardPasses() {
        assertTrue(GradCheck.check(in -> in[0].tanh(), x).passed());
        assertFalse(GradCheck.check(in -> new RoundToFloat().apply(in[0].tanh()), x).passed());
    }

    @Test
    void stepSweepShowsTruncationAtLargeStepsAndRoundingAtSmallOnes() {
        double[] steps = StepSweep.decades(9);
        assertEquals(1e-1, steps[0], 1e-15);
        assertEquals(1e-9, steps[8], 1e-20);
        double[] f64 = StepSweep.maxAbsError(in -> in[0].tanh(), steps, x);
        double[] f32 = StepSweep.maxAbsError(in -> new RoundToFloat().apply(in[0].tanh()), steps, x);
        assertTrue(f64[0] > 1e-4, "truncation at h = 0.1: " + f64[0]);
        assertTrue(f64[4] < 1e-8, "float64 at h = 1e-5: " + f64[4]);
        assertTrue(f32[5] > 1e-2, "float32 at h = 1e-6: " + f32[5]);
        double best32 = Arrays.stream(f32).min().orElseThrow();
        double best64 = Arrays.stream(f64).min().orElseThrow();
        assertTrue(best32 > 1000 * best64, "float32 at its best step " + best32 + " vs float64 " + best64);
    }

    @Test
    void naiveNumericGradientMatchesBackwardForAPureFunction() {
        DMatrixRMaj p = Tensor.randn(3, 4, new Random(6)).data();
        DMatrixRMaj numeric = NaiveGradCheck.numeric(t -> t.mul(t).tanh(), x, p, 1e-6);
        DMatrixRMaj analytic = NaiveGradCheck.analytic(t -> t.mul(t).tanh(), x, p);
        assertTrue(NaiveGradCheck.maxAbsDifference(numeric, analytic) < 1e-8);
        DMatrixRMaj viaSum = NaiveGradCheck.numericThroughSum(t -> t.mul(2.0), x, 1e-6);
        for (double v : viaSum.data) {
            assertEquals(2.0, v, 1e-8);
        }
    }

    @Test
    void theNaiveCheckDriftsRunningStatisticsWhileGradCheckRestoresThem() {
        BatchNorm1d naive = new BatchNorm1d(4);
        BatchNorm1d checked = new BatchNorm1d(4);
        Tensor batch = x.add(3.0);
        NaiveGradCheck.numericThroughSum(naive::apply, batch, 1e-6);
        assertEquals(2 * 12, naive.numBatchesTracked(), "one update per perturbed forward");
        assertTrue(naive.runningMean().get(0, 0) > 2.5, "pulled almost all the way to the batch mean");

        GradCheck.check(checked, batch);
        assertEquals(0, checked.numBatchesTracked());
        assertEquals(0.0, checked.runningMean().get(0, 0));
    }
}

package dev.normgrad.recurrent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.normgrad.autograd.Tensor;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Per-step statistics (Cooijmans et al. 2016): what is kept for which step, and what eval reuses. */
class RecurrentBatchNormTest {
    private static final double TOL = 1e-12;

    @Test
    void gammaStartsAtOneTenthAndBetaAtZero() {
        RecurrentBatchNorm bn = new RecurrentBatchNorm(5, 3);
        for (int j = 0; j < 5; j++) {
            assertEquals(0.1, bn.weight().get(0, j));
            assertEquals(0.0, bn.bias().get(0, j));
        }
        assertEquals("RecurrentBatchNorm(5, maxSteps=3, eps=1e-05, momentum=0.1, initialGamma=0.1)", bn.toString());
    }

    @Test
    void eachStepUpdatesItsOwnRowOfRunningStatistics() {
        RecurrentBatchNorm bn = new RecurrentBatchNorm(2, 4);
        Tensor x0 = Tensor.of(new double[][] {{4, 0}, {6, 2}});     // mean (5, 1), unbiased var (2, 2)
        Tensor x1 = Tensor.of(new double[][] {{-3, 1}, {-3, 3}});   // mean (-3, 2), unbiased var (0, 2)
        bn.forward(x0, 0);
        bn.forward(x1, 1);
        assertEquals(0.5, bn.runningMean().get(0, 0), TOL);
        assertEquals(0.1, bn.runningMean().get(0, 1), TOL);
        assertEquals(-0.3, bn.runningMean().get(1, 0), TOL);
        assertEquals(0.2, bn.runningMean().get(1, 1), TOL);
        assertEquals(0.9 + 0.2, bn.runningVar().get(0, 0), TOL);
        assertEquals(0.9, bn.runningVar().get(1, 0), TOL);
        assertEquals(0.0, bn.runningMean().get(2, 0));               // untouched
        assertEquals(2, bn.trackedSteps());
    }

    @Test
    void trainingNormalizesWithTheBatchStatisticsOfThatStep() {
        RecurrentBatchNorm bn = new RecurrentBatchNorm(1, 2);
        Tensor y = bn.forward(Tensor.column(1, 3), 1);               // mean 2, biased var 1
        assertEquals(0.1 * -1 / Math.sqrt(1 + 1e-5), y.get(0, 0), TOL);
        assertEquals(0.1 * 1 / Math.sqrt(1 + 1e-5), y.get(1, 0), TOL);
    }

    @Test
    void evaluationBeyondTheLongestTrainingSequenceReusesTheLastStep() {
        RecurrentBatchNorm bn = new RecurrentBatchNorm(3, 10);
        Random rng = new Random(2);
        for (int t = 0; t < 3; t++) {                               // training sequences of 3 steps
            bn.forward(Tensor.randn(6, 3, rng).add(t), t);
        }
        assertEquals(3, bn.trackedSteps());
        bn.eval();
        Tensor x = Tensor.randn(2, 3, rng);
        Tensor atStep2 = bn.forward(x, 2);
        Tensor atStep7 = bn.forward(x, 7);
        Tensor atStep1 = bn.forward(x, 1);
        assertEquals(2, bn.statisticsRow(7));
        for (int j = 0; j < 3; j++) {
            assertEquals(atStep2.get(0, j), atStep7.get(0, j), 0.0);
            assertNotEquals(atStep2.get(0, j), atStep1.get(0, j));
            double expected = 0.1 * (x.get(0, j) - bn.runningMean().get(2, j)) / Math.sqrt(bn.runningVar().get(2, j) + 1e-5);
            assertEquals(expected, atStep7.get(0, j), TOL);
        }
    }

    @Test
    void stepsBeyondMaxStepsShareTheLastRowInTraining() {
        RecurrentBatchNorm bn = new RecurrentBatchNorm(1, 2);
        bn.forward(Tensor.column(0, 2), 0);
        bn.forward(Tensor.column(0, 2), 1);     // row 1: 0.9·0 + 0.1·1
        bn.forward(Tensor.column(10, 12), 5);   // row 1 again: 0.9·0.1 + 0.1·11
        assertEquals(0.9 * 0.1 + 1.1, bn.runningMean().get(1, 0), TOL);
        assertEquals(2, bn.trackedSteps());
        assertEquals(1, bn.statisticsRow(5));
    }

    @Test
    void fusedAndComposedFormsAgreeInValuesGradientsAndStatistics() {
        Random rng = new Random(6);
        Tensor x = Tensor.randn(5, 4, rng);
        Tensor seed = Tensor.randn(5, 4, rng);
        RecurrentBatchNorm fused = new RecurrentBatchNorm(4, 3);
        RecurrentBatchNorm composed = new RecurrentBatchNorm(4, 3);
        composed.setFused(false);
        assertEquals("RecurrentBatchNorm(4, maxSteps=3, eps=1e-05, momentum=0.1, initialGamma=0.1, fused=false)",
                composed.toString());
        for (RecurrentBatchNorm bn : new RecurrentBatchNorm[] {fused, composed}) {
            bn.forward(x.copy().requiresGrad(true), 2).mul(seed).sum().backward();
        }
        for (int j = 0; j < 4; j++) {
            assertEquals(fused.weight().gradData().get(0, j), composed.weight().gradData().get(0, j), 1e-13);
            assertEquals(fused.runningVar().get(2, j), composed.runningVar().get(2, j), 1e-13);
        }
        fused.eval();
        composed.eval();
        Tensor a = fused.forward(x, 4);
        Tensor b = composed.forward(x, 4);
        for (int i = 0; i < a.data().getNumElements(); i++) {
            assertEquals(a.data().data[i], b.data().data[i], 1e-13);
        }
    }

    @Test
    void theCellBuildsOneBatchNormPerSiteAndNamesItsBuffers() {
        LSTMCell cell = new LSTMCell(3, 4, CellNormalization.recurrentBatchNorm(7), new Random(0));
        assertEquals(java.util.Set.of("normIh.runningMean", "normIh.runningVar", "normIh.trackedSteps",
                "normHh.runningMean", "normHh.runningVar", "normHh.trackedSteps",
                "normC.runningMean", "normC.runningVar", "normC.trackedSteps"), cell.namedBuffers().keySet());
        assertEquals("(7x16)", cell.namedBuffers().get("normIh.runningMean").shape());
        assertEquals("(7x4)", cell.namedBuffers().get("normC.runningVar").shape());
        assertEquals("LSTMCell(3, 4, normalization=recurrentBatchNorm(maxSteps=7)\n"
                + "  (normIh): RecurrentBatchNorm(16, maxSteps=7, eps=1e-05, momentum=0.1, initialGamma=0.1)\n"
                + "  (normHh): RecurrentBatchNorm(16, maxSteps=7, eps=1e-05, momentum=0.1, initialGamma=0.1)\n"
                + "  (normC): RecurrentBatchNorm(4, maxSteps=7, eps=1e-05, momentum=0.1, initialGamma=0.1)\n)",
                cell.toString());
    }
}

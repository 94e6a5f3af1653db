package dev.normgrad.norm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.normgrad.autograd.Tensor;
import dev.normgrad.recurrent.RecurrentBatchNorm;
import java.util.List;
import java.util.Random;
import java.util.function.DoubleFunction;
import org.junit.jupiter.api.Test;

/**
 * The normalization family is one shell: {@link NormalizationLayer} holds eps, γ and β for every
 * layer, {@link RunningStatsNormalization} adds the running statistics, and the guard against a
 * statistic over one value is one check with one exception type.
 */
class NormalizationShellTest {
    private final Random rng = new Random(5);

    /** Every normalization layer, built with the given eps. */
    private static final List<DoubleFunction<NormalizationLayer>> EVERY_LAYER = List.of(
            eps -> new BatchNorm1d(4, eps, 0.1, true, true),
            eps -> new BatchNorm2d(4, eps, 0.1, true, true),
            eps -> new InstanceNorm1d(4, eps, 0.1, true, true),
            eps -> new InstanceNorm2d(4, eps, 0.1, true, true),
            eps -> new BatchRenorm1d(4, eps, 0.1, true, 3, 5),
            eps -> new LayerNorm(new int[] {4}, eps, true),
            eps -> new GroupNorm(2, 4, eps, true),
            eps -> new RMSNorm(new int[] {4}, eps, true),
            eps -> new RecurrentBatchNorm(4, 3, eps, 0.1, 0.1));

    @Test
    void everyLayerHoldsEpsGammaAndBetaInTheSameBase() {
        for (DoubleFunction<NormalizationLayer> make : EVERY_LAYER) {
            NormalizationLayer layer = make.apply(1e-3);
            assertEquals(1e-3, layer.eps(), layer.toString());
            assertEquals(4, layer.weight().cols(), layer.toString());
            assertSame(layer.weight(), layer.namedParameters().get("weight"), layer.toString());
            assertTrue(layer.affine(), layer.toString());
            if (layer instanceof RMSNorm) {
                assertNull(layer.bias(), "RMSNorm has no β");
            } else {
                assertSame(layer.bias(), layer.namedParameters().get("bias"), layer.toString());
                assertEquals(0.0, layer.bias().data().data[0], layer.toString());
            }
        }
        assertFalse(new InstanceNorm2d(4).affine(), "PyTorch's default: no γ, β");
        assertNull(new InstanceNorm2d(4).weight());
    }

    @Test
    void onlyTheLayersWithRunningStatisticsExtendTheRunningStatisticsBase() {
        for (DoubleFunction<NormalizationLayer> make : EVERY_LAYER) {
            NormalizationLayer layer = make.apply(1e-5);
            boolean running = layer instanceof BatchNorm1d || layer instanceof BatchNorm2d || layer instanceof InstanceNorm1d
                    || layer instanceof InstanceNorm2d || layer instanceof BatchRenorm1d;
            assertEquals(running, layer instanceof RunningStatsNormalization, layer.toString());
        }
    }

    @Test
    void everyLayerRefusesANegativeEpsWithTheSameMessage() {
        for (DoubleFunction<NormalizationLayer> make : EVERY_LAYER) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> make.apply(-1));
            assertTrue(e.getMessage().matches("[A-Za-z0-9]+\\(.*\\): eps must be >= 0, got -1.0"), e.getMessage());
        }
        assertEquals("GroupNorm(2, 4): eps must be >= 0, got NaN",
                assertThrows(IllegalArgumentException.class, () -> new GroupNorm(2, 4, Double.NaN, true)).getMessage());
    }

    @Test
    void aMomentumOutsideZeroOneIsRefusedTheSameWayByEveryLayerThatHasOne() {
        for (Runnable make : List.<Runnable>of(() -> new BatchNorm2d(3, 1e-5, 1.5, true, true),
                () -> new InstanceNorm2d(3, 1e-5, -0.1, false, true), () -> new RecurrentBatchNorm(3, 2, 1e-5, 2.0, 0.1))) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, make::run);
            assertTrue(e.getMessage().contains("momentum must be in [0, 1]") && e.getMessage().contains("Keras"), e.getMessage());
        }
    }

    @Test
    void oneValuePerChannelIsOneCheckWithOneExceptionTypeAndChangesNothing() {
        // BatchNorm1d and BatchNorm2d on one sample of one position per channel; BatchRenorm1d too
        for (RunningStatsNormalization layer : List.of(new BatchNorm1d(3), new BatchNorm2d(3), new BatchRenorm1d(3))) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> layer.apply(Tensor.randn(1, 3, rng)));
            assertEquals(IllegalArgumentException.class, e.getClass(), layer.toString());
            assertEquals(layer.getClass().getSimpleName() + "(3): expected more than 1 value per channel when training, got "
                    + "input (1x3); use a batch of at least 2, or call eval()", e.getMessage());
            assertEquals(0, layer.numBatchesTracked(), "a refused batch is not counted");
            assertEquals(0.0, layer.runningMean().data().data[0], "a refused batch moves no running statistic");
        }
        // InstanceNorm on rows of one position per channel
        for (RunningStatsNormalization layer : List.of(new InstanceNorm1d(3), new InstanceNorm2d(3))) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> layer.apply(Tensor.randn(4, 3, rng)));
            assertEquals(IllegalArgumentException.class, e.getClass());
            assertTrue(e.getMessage().startsWith(layer.getClass().getSimpleName()
                    + "(3): expected more than 1 value per channel when training, got input (4x3); "), e.getMessage());
        }
        // RecurrentBatchNorm on a batch of one sequence
        RecurrentBatchNorm recurrent = new RecurrentBatchNorm(3, 2);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> recurrent.forward(Tensor.randn(1, 3, rng), 1));
        assertEquals(IllegalArgumentException.class, e.getClass());
        assertEquals("RecurrentBatchNorm(3, maxSteps=2) at step 1: expected more than 1 value per channel when training, got "
                + "input (1x3); use a batch of at least 2 sequences, or call eval()", e.getMessage());
        assertEquals(0, recurrent.trackedSteps());
    }

    @Test
    void withoutRunningStatisticsTheAdviceDoesNotSuggestEval() {
        BatchNorm2d bn = new BatchNorm2d(2, 1e-5, 0.1, true, false);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> bn.apply(Tensor.randn(1, 2, rng)));
        assertEquals("BatchNorm2d(2): expected more than 1 value per channel when training, got input (1x2); use a batch "
                + "of at least 2 (without running statistics, eval() uses the batch's statistics too)", e.getMessage());
    }

    @Test
    void resetParametersRestoresGammaBetaAndTheRunningStatistics() {
        BatchNorm2d bn = new BatchNorm2d(2);
        bn.apply(Tensor.randn(4, 2 * 6, rng).add(3));
        bn.weight().data().fill(2);
        bn.bias().data().fill(-1);
        bn.resetParameters();
        assertEquals(1.0, bn.weight().data().data[1]);
        assertEquals(0.0, bn.bias().data().data[1]);
        assertEquals(0.0, bn.runningMean().data().data[1]);
        assertEquals(1.0, bn.runningVar().data().data[1]);
        assertEquals(0, bn.numBatchesTracked());
        RecurrentBatchNorm recurrent = new RecurrentBatchNorm(2, 3, 1e-5, 0.1, 0.25);
        recurrent.weight().data().fill(5);
        recurrent.resetParameters();
        assertEquals(0.25, recurrent.weight().data().data[0], "the recurrent layer's γ starts at its initialGamma");
    }
}

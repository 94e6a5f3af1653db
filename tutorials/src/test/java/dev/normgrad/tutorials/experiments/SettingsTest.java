package dev.normgrad.tutorials.experiments;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class SettingsTest {

    @Test
    void eachWithChangesOneNamedFieldAndLeavesTheOriginal() {
        Settings d = Settings.defaults();
        Settings s = d.withSteps(3000).withHidden(64, 64).withActivation(Activation.SIGMOID).withInit(WeightInit.normal(0.1))
                .withBatchSize(60).withLearningRate(0.5).withEvalEvery(100).withSeeds(7, 8).withEps(1e-3).withMomentum(null);
        assertEquals(300, d.steps(), "the defaults are unchanged");
        assertEquals(3000, s.steps());
        assertArrayEquals(new int[] {64, 64}, s.hidden());
        assertEquals(Activation.SIGMOID, s.activation());
        assertEquals(WeightInit.normal(0.1), s.init());
        assertEquals(60, s.batchSize());
        assertEquals(0.5, s.learningRate());
        assertEquals(100, s.evalEvery());
        assertArrayEquals(new long[] {7, 8}, s.seeds());
        assertEquals(7, s.seed());
        assertEquals(1e-3, s.eps());
        assertNull(s.momentum());
        assertEquals(d.withSteps(3000), Settings.defaults().withSteps(3000), "settings compare by value, arrays included");
    }

    @Test
    void itPrintsWhatARunDependsOnInOneReadableLine() {
        assertEquals("hidden [100, 100, 100], relu, init he, batch 32, lr 0.1, 300 steps, test accuracy every 10, seeds [1, 2, 3], "
                + "BatchNorm eps 1e-05 and momentum 0.1", Settings.defaults().toString());
        assertTrue(Settings.defaults().withMomentum(null).toString().endsWith("momentum none (cumulative average)"));
        assertEquals("3000", Settings.format(3000));
        assertEquals("0.003", Settings.format(0.003));
        assertEquals("1e-05", Settings.format(1e-5));
    }

    @Test
    void settingsThatCannotRunAreRefusedWithTheirName() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Settings.defaults().withBatchSize(1)).getMessage().contains("batchSize"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Settings.defaults().withHidden()).getMessage().contains("hidden"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Settings.defaults().withSeeds()).getMessage().contains("seed"));
        int[] widths = {10, 10};
        Settings s = Settings.defaults().withHidden(widths);
        widths[0] = 99;
        assertEquals(10, s.hidden()[0], "the record keeps its own copy");
    }

    @Test
    void parallelRunsComeBackInTheOrderOfTheirInputsWithTheSameNumbers() {
        List<Long> seeds = List.of(1L, 2L, 3L, 4L, 5L);
        List<Double> once = Parallel.map(seeds, seed -> new java.util.Random(seed).nextGaussian());
        List<Double> twice = Parallel.map(seeds, seed -> new java.util.Random(seed).nextGaussian());
        assertEquals(once, twice);
        assertEquals(new java.util.Random(3).nextGaussian(), once.get(2));
        assertEquals(List.of(2L, 4L, 6L), Parallel.seeds(new long[] {1, 2, 3}, s -> 2 * s));
        IllegalStateException failure = assertThrows(IllegalStateException.class,
                () -> Parallel.map(seeds, s -> { if (s == 4) throw new IllegalStateException("seed 4 diverged"); return s; }));
        assertEquals("seed 4 diverged", failure.getMessage());
    }

    @Test
    void aMeanAndItsRangeReadAsTheClaimsTableQuotesThem() {
        assertEquals("0.958 (0.950–0.964)", Stats.meanAndRange(new double[] {0.950, 0.960, 0.964}, "%.3f"));
    }
}

package dev.normgrad.tutorials.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The vanishing-gradient experiment at a reduced size: shapes, and Glorot &amp; Bengio's observations. */
class VanishingGradientsTest {
    private static final long SEED = 7;

    private static VanishingGradients.Result run(List<VanishingGradients.Config> configs) {
        return VanishingGradients.run(configs, 6, 32, 128, 20, 32, 0.1, 10, SEED);
    }

    @Test
    void everyLayerHasItsHistogramsAndTheRecordsHaveOneValuePerLayer() {
        VanishingGradients.Result r = run(List.of(new VanishingGradients.Config(Activation.TANH, WeightInit.xavier(), false)));
        VanishingGradients.Run run = r.runs().get(0);
        assertEquals("tanh, xavier", run.label());
        assertEquals(6, run.atInit().size());
        for (VanishingGradients.LayerSnapshot l : run.atInit()) {
            long values = 128L * 32;
            assertEquals(values, Arrays.stream(l.activationHistogram()).sum(), "activation counts, layer " + l.layer());
            assertEquals(values, Arrays.stream(l.gradientHistogram()).sum(), "gradient counts, layer " + l.layer());
            assertEquals(values, Arrays.stream(l.logAbsGradientHistogram()).sum(), "log gradient counts, layer " + l.layer());
            assertEquals(VanishingGradients.ACTIVATION_EDGES.length + 1, l.activationHistogram().length);
            assertEquals(run.gradientEdges().length + 1, l.gradientHistogram().length);
            assertTrue(l.activationStd() > 0 && l.gradientStd() > 0 && l.weightGradientNorm() > 0, l.toString());
            assertTrue(l.saturation() >= 0 && l.saturation() <= 1, l.toString());
        }
        assertEquals(2, run.training().size(), "records at steps 0 and 10");
        assertEquals(10, run.training().get(1).step());
        assertEquals(6, run.training().get(0).saturation().length);
        assertEquals(7, run.training().get(0).updateRatio().length, "6 hidden Linear layers and the output layer");
        for (double u : run.training().get(0).updateRatio()) {
            assertTrue(u > 0 && u < 1, "update ratio " + u);
        }
    }

    @Test
    void smallGaussianWeightsMakeSigmoidGradientsVanishTowardsTheInputAndBatchNormPreventsIt() {
        WeightInit small = WeightInit.normal(0.1);
        VanishingGradients.Result r = run(List.of(new VanishingGradients.Config(Activation.SIGMOID, small, false),
                new VanishingGradients.Config(Activation.SIGMOID, small, true)));
        VanishingGradients.Run plain = r.runs().get(0);
        VanishingGradients.Run bn = r.runs().get(1);
        // each layer passes back at most 1/4 · 0.1 · √32 ≈ 0.14 of its gradient: five layers shrink it by > 1000
        assertTrue(plain.gradientRatio() < 1e-3, "without BN: " + plain.gradientRatio());
        for (int l = 1; l < 6; l++) {
            assertTrue(plain.atInit().get(l - 1).gradientNorm() < plain.atInit().get(l).gradientNorm(), "shrinks towards layer 1 at " + l);
        }
        assertTrue(bn.gradientRatio() > 0.1, "with BN: " + bn.gradientRatio());
    }

    @Test
    void largeWeightsSaturateTanhAndXavierKeepsTheGradientWithinAnOrderOfMagnitude() {
        VanishingGradients.Result r = run(List.of(new VanishingGradients.Config(Activation.TANH, WeightInit.normal(1), false),
                new VanishingGradients.Config(Activation.TANH, WeightInit.xavier(), false)));
        VanishingGradients.Run large = r.runs().get(0);
        VanishingGradients.Run xavier = r.runs().get(1);
        for (VanishingGradients.LayerSnapshot l : large.atInit()) {
            assertTrue(l.saturation() > 0.5, "N(0, 1): layer " + l.layer() + " saturation " + l.saturation());
        }
        for (VanishingGradients.LayerSnapshot l : xavier.atInit()) {
            assertTrue(l.saturation() < 0.1, "xavier: layer " + l.layer() + " saturation " + l.saturation());
        }
        assertTrue(xavier.gradientRatio() > 0.1 && xavier.gradientRatio() < 10, "xavier: " + xavier.gradientRatio());
    }
}

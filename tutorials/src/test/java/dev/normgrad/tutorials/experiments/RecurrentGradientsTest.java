package dev.normgrad.tutorials.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The recurrent-gradient experiments of notebook 6 at a reduced size, and the qualitative results they show. */
class RecurrentGradientsTest {
    private static final long SEED = 1;

    @Test
    void spectralRadiusBelowOneVanishesByDecadesAndAboveOneGrows() {
        List<RecurrentGradients.Profile> p = RecurrentGradients.spectralRadius(new double[] {0.5, 1.0, 1.5}, 40, 16, 16, SEED);
        assertEquals(3, p.size());
        assertEquals(40, p.get(0).gradNorms().length);
        assertTrue(p.get(0).firstToLast() < 1e-6, "ρ = 0.5: " + p.get(0).firstToLast());
        assertTrue(p.get(2).firstToLast() > 10, "ρ = 1.5: " + p.get(2).firstToLast());
        assertTrue(p.get(0).firstToLast() < p.get(1).firstToLast() && p.get(1).firstToLast() < p.get(2).firstToLast(),
                "the profile rises with ρ");
    }

    @Test
    void clippingBoundsEveryUpdateByLearningRateTimesMaxNorm() {
        RecurrentGradients.Clipping c = RecurrentGradients.clipping(20, 16, 1.5, 0.05, 30, 16, 1.0, SEED);
        RecurrentGradients.ClippingRun plain = c.runs().get(0);
        RecurrentGradients.ClippingRun clipped = c.runs().get(1);
        assertEquals("no clipping", plain.name());
        double bound = c.learningRate() * clipped.maxNorm();
        double largestPlain = 0;
        for (int k = 0; k < c.steps(); k++) {
            assertTrue(clipped.updateNorm()[k] <= bound * (1 + 1e-9), "step " + k + ": " + clipped.updateNorm()[k]);
            largestPlain = Math.max(largestPlain, plain.updateNorm()[k]);
        }
        assertTrue(plain.gradNorm()[0] > 10 * clipped.maxNorm(), "the first gradient is a spike: " + plain.gradNorm()[0]);
        assertTrue(largestPlain > 10 * bound, "without clipping the spike moves the weights far: " + largestPlain);
        assertEquals(plain.gradNorm()[0], clipped.gradNorm()[0], 1e-12, "same network, same first batch");
    }

    @Test
    void onTheAddingProblemAGruLearnsWhereATanhRnnDoesNot() {
        RecurrentGradients.Adding a = RecurrentGradients.addingProblem(
                new RecurrentGradients.Model[] {RecurrentGradients.Model.RNN_TANH, RecurrentGradients.Model.GRU_PLAIN},
                20, 16, 200, 32, 0.01, SEED);
        assertEquals(200, a.runs().get(0).loss().length);
        assertTrue(a.baselineMse() > 0.14 && a.baselineMse() < 0.19, "predict-the-mean MSE ≈ 1/6: " + a.baselineMse());
        assertTrue(a.runs().get(0).testMse() > 0.8 * a.baselineMse(), "tanh RNN: " + a.runs().get(0).testMse());
        assertTrue(a.runs().get(1).testMse() < 0.2 * a.baselineMse(), "GRU: " + a.runs().get(1).testMse());
    }

    @Test
    void recurrentBatchNormGammaChangesHowTheGradientCarriesBackByOrdersOfMagnitude() {
        List<RecurrentGradients.Profile> p = RecurrentGradients.gammaSweep(new double[] {0.1, 0.5, 1.0}, 50, 32, 64, SEED);
        assertTrue(p.get(0).firstToLast() < p.get(1).firstToLast() && p.get(1).firstToLast() < p.get(2).firstToLast(),
                "ratios " + p.get(0).firstToLast() + ", " + p.get(1).firstToLast() + ", " + p.get(2).firstToLast());
        assertTrue(p.get(2).firstToLast() > 100 * p.get(0).firstToLast(), "γ = 1 vs 0.1");
    }

    @Test
    void expectedTanhDerivativeFallsAsThePreActivationWidens() {
        // tanh′(a) ≈ 1 − a² for small a: E = 1 − s² to first order
        assertEquals(0.99, RecurrentGradients.expectedTanhDerivative(0.1), 1e-3);
        double previous = 1;
        for (double s : new double[] {0.1, 0.3, 0.5, 0.7, 1.0, 3.0}) {
            double e = RecurrentGradients.expectedTanhDerivative(s);
            assertTrue(e < previous, "s = " + s + ": " + e);
            previous = e;
        }
        assertTrue(RecurrentGradients.expectedTanhDerivative(3.0) < 0.35, "a wide pre-activation saturates tanh");
    }
}

package dev.normgrad.tutorials.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The hand-written W2 baseline computes the real gradients (so engine ÷ raw compares equal work). */
class W2RawTest {
    @Test
    void handWrittenGradientsMatchCentralDifferencesForEveryParameter() {
        W2Raw net = new W2Raw(3, 5, 4, 2, 19);
        Random rng = new Random(4);
        for (int j = 0; j < 5; j++) {   // γ and β away from 1 and 0, so their roles are tested
            net.gamma.data[j] = 0.5 + rng.nextDouble();
            net.beta.data[j] = rng.nextGaussian() * 0.3;
        }
        net.lossAndGradients();
        int checked = CentralDifferences.assertMatches(net.parametersAndGradients, net::loss, 1e-8);
        assertEquals(15 + 5 + 25 + 5 + 5 + 5, checked);
    }

    @Test
    void gradientsAreRecomputedNotAccumulatedAcrossCalls() {
        W2Raw net = new W2Raw(3, 5, 4, 2, 19);
        net.lossAndGradients();
        double first = net.dwhh.get(1, 3);
        net.lossAndGradients();
        assertEquals(first, net.dwhh.get(1, 3), 1e-15);
    }
}

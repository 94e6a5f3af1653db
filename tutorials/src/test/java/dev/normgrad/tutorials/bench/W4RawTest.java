package dev.normgrad.tutorials.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The hand-written W4 baseline computes the real gradients (so engine ÷ raw compares equal work). */
class W4RawTest {
    @Test
    void handWrittenGradientsMatchCentralDifferencesForEveryParameter() {
        W4Raw net = new W4Raw(4, 3, 0.1, 13);
        net.lossAndGradients();
        int checked = CentralDifferences.assertMatches(net.parametersAndGradients, net::loss, 1e-7);
        assertEquals(8 * 9 + 8 + 8 + 8 + 16 * 72 + 16 + 16 + 16 + 3 * 64 + 3, checked);
    }

    @Test
    void stepMovesEveryParameterAgainstItsGradientAndLowersTheLoss() {
        W4Raw net = new W4Raw(16, 10, 0.1, 11);
        double first = net.lossAndGradients();
        double w = net.w3.get(1, 2);
        double dw = net.dw3.get(1, 2);
        net.step();
        assertEquals(w - 0.1 * dw, net.w3.get(1, 2), 1e-15);
        double loss = first;
        for (int i = 0; i < 30; i++) {
            loss = net.step();
        }
        assertTrue(loss < first, "loss " + first + " -> " + loss);
    }
}

package dev.normgrad.tutorials.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The hand-written W1 baseline computes the real gradients (so engine ÷ raw compares equal work). */
class W1RawTest {
    @Test
    void handWrittenGradientsMatchCentralDifferencesForEveryParameter() {
        W1Raw net = new W1Raw(5, 4, 3, 6, 0.1, 11);
        net.lossAndGradients();
        int checked = CentralDifferences.assertMatches(net.parametersAndGradients, net::loss, 1e-7);
        assertEquals(20 + 4 + 4 + 4 + 16 + 4 + 4 + 4 + 12 + 3, checked);
    }

    @Test
    void stepMovesEveryParameterAgainstItsGradientAndLowersTheLoss() {
        W1Raw net = new W1Raw(5, 4, 3, 6, 0.1, 11);
        double first = net.lossAndGradients();
        double w = net.w2.get(1, 2);
        double dw = net.dw2.get(1, 2);
        net.step();
        assertEquals(w - 0.1 * dw, net.w2.get(1, 2), 1e-15);
        double loss = first;
        for (int i = 0; i < 50; i++) {
            loss = net.step();
        }
        assertTrue(loss < first, "loss " + first + " -> " + loss);
    }

    @Test
    void runningStatisticsFollowPyTorchsMomentumAndUnbiasedVariance() {
        W1Raw net = new W1Raw(2, 3, 2, 4, 0.1, 3);
        net.loss();
        for (int j = 0; j < 3; j++) {
            double[] z = new double[4];
            double mean = 0;
            for (int i = 0; i < 4; i++) {
                z[i] = net.b1.get(0, j) + net.x.get(i, 0) * net.w1.get(j, 0) + net.x.get(i, 1) * net.w1.get(j, 1);
                mean += z[i] / 4;
            }
            double ss = 0;
            for (double v : z) {
                ss += (v - mean) * (v - mean);
            }
            assertEquals(0.1 * mean, net.runningMean1.get(0, j), 1e-14);
            assertEquals(0.9 + 0.1 * ss / 3, net.runningVar1.get(0, j), 1e-14);
        }
    }
}

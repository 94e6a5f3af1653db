package dev.normgrad.tutorials.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.ejml.data.DMatrixRMaj;
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
        double h = 1e-6;
        int checked = 0;
        for (DMatrixRMaj[] pg : net.parametersAndGradients) {
            DMatrixRMaj p = pg[0];
            double[] analytic = pg[1].data.clone();
            for (int i = 0; i < p.getNumElements(); i++) {
                double saved = p.data[i];
                p.data[i] = saved + h;
                double up = net.loss();
                p.data[i] = saved - h;
                double down = net.loss();
                p.data[i] = saved;
                double numeric = (up - down) / (2 * h);
                assertEquals(numeric, analytic[i], 1e-8 + 1e-5 * Math.abs(numeric),
                        "entry " + i + " of a " + p.numRows + "x" + p.numCols + " parameter");
                checked++;
            }
        }
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

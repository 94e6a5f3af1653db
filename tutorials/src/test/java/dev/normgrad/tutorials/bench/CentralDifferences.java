package dev.normgrad.tutorials.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.function.DoubleSupplier;
import org.ejml.data.DMatrixRMaj;

/**
 * The hand-written baselines' gradient check: every entry of every parameter against the central
 * difference (loss(p + h) − loss(p − h)) / 2h, h = 1e-6, within atol + 1e-5·|numeric|.
 */
final class CentralDifferences {
    private CentralDifferences() {
    }

    /** Asserts each {parameter, gradient} pair; returns how many entries were checked. */
    static int assertMatches(DMatrixRMaj[][] parametersAndGradients, DoubleSupplier loss, double atol) {
        double h = 1e-6;
        int checked = 0;
        for (DMatrixRMaj[] pg : parametersAndGradients) {
            DMatrixRMaj p = pg[0];
            double[] analytic = pg[1].data.clone();
            for (int i = 0; i < p.getNumElements(); i++) {
                double saved = p.data[i];
                p.data[i] = saved + h;
                double up = loss.getAsDouble();
                p.data[i] = saved - h;
                double down = loss.getAsDouble();
                p.data[i] = saved;
                double numeric = (up - down) / (2 * h);
                assertEquals(numeric, analytic[i], atol + 1e-5 * Math.abs(numeric),
                        "entry " + i + " of a " + p.numRows + "x" + p.numCols + " parameter");
                checked++;
            }
        }
        return checked;
    }
}

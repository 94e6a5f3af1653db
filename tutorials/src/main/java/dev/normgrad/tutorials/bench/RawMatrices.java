package dev.normgrad.tutorials.bench;

import java.util.Random;
import org.ejml.data.DMatrixRMaj;

/**
 * What the hand-written steps share: their random weights and inputs, their SGD update, and the copy
 * of their weights into the engine's parameters.
 */
final class RawMatrices {
    private RawMatrices() {
    }

    /** An r×c matrix of independent draws, uniform on (−bound, bound). */
    static DMatrixRMaj uniform(int r, int c, double bound, Random rng) {
        DMatrixRMaj m = new DMatrixRMaj(r, c);
        for (int i = 0; i < r * c; i++) {
            m.data[i] = (2 * rng.nextDouble() - 1) * bound;
        }
        return m;
    }

    /** Plain SGD, {@code p ← p − lr·g}, for each {parameter, gradient} pair. */
    static void sgd(DMatrixRMaj[][] parametersAndGradients, double lr) {
        for (DMatrixRMaj[] pg : parametersAndGradients) {
            double[] p = pg[0].data;
            double[] g = pg[1].data;
            for (int i = 0, size = pg[0].getNumElements(); i < size; i++) {
                p[i] -= lr * g[i];
            }
        }
    }

    /**
     * Copies a hand-written step's matrix into the engine's parameter of the same shape, so that the
     * two sides start from the same weights.
     *
     * @param workload names the workload in the error when the shapes differ
     */
    static void copy(String workload, DMatrixRMaj from, DMatrixRMaj to) {
        if (from.numRows != to.numRows || from.numCols != to.numCols) {
            throw new IllegalStateException(workload + ": " + from.numRows + "x" + from.numCols + " into "
                    + to.numRows + "x" + to.numCols);
        }
        System.arraycopy(from.data, 0, to.data, 0, from.getNumElements());
    }
}

package dev.normgrad.tutorials.coursework.assignments;

import org.ejml.data.DMatrixRMaj;

/** The statistics the known mistakes of the normalization assignments are built from. */
final class Stats {
    private Stats() {
    }

    /** σᵢ = √(biased variance of row i + eps). */
    static double[] rowSigma(DMatrixRMaj x, double eps) {
        double[] sigma = new double[x.numRows];
        for (int i = 0; i < x.numRows; i++) {
            double mean = 0;
            for (int j = 0; j < x.numCols; j++) {
                mean += x.get(i, j) / x.numCols;
            }
            double var = 0;
            for (int j = 0; j < x.numCols; j++) {
                var += (x.get(i, j) - mean) * (x.get(i, j) - mean) / x.numCols;
            }
            sigma[i] = Math.sqrt(var + eps);
        }
        return sigma;
    }

    /** rᵢ = √(mean of row i's squares + eps). */
    static double[] rowRms(DMatrixRMaj x, double eps) {
        double[] rms = new double[x.numRows];
        for (int i = 0; i < x.numRows; i++) {
            double ms = 0;
            for (int j = 0; j < x.numCols; j++) {
                ms += x.get(i, j) * x.get(i, j) / x.numCols;
            }
            rms[i] = Math.sqrt(ms + eps);
        }
        return rms;
    }

    /** Each column's mean, 1×C. */
    static DMatrixRMaj columnMean(DMatrixRMaj x) {
        DMatrixRMaj m = new DMatrixRMaj(1, x.numCols);
        for (int i = 0; i < x.numRows; i++) {
            for (int j = 0; j < x.numCols; j++) {
                m.data[j] += x.get(i, j) / x.numRows;
            }
        }
        return m;
    }

    /** Each column's variance over (N − correction), 1×C: correction 0 biased, 1 unbiased. */
    static DMatrixRMaj columnVariance(DMatrixRMaj x, int correction) {
        DMatrixRMaj mean = columnMean(x);
        DMatrixRMaj v = new DMatrixRMaj(1, x.numCols);
        for (int i = 0; i < x.numRows; i++) {
            for (int j = 0; j < x.numCols; j++) {
                double d = x.get(i, j) - mean.data[j];
                v.data[j] += d * d / (x.numRows - correction);
            }
        }
        return v;
    }

    /** (1 − w)·a + w·b. */
    static DMatrixRMaj blend(DMatrixRMaj a, DMatrixRMaj b, double w) {
        DMatrixRMaj m = new DMatrixRMaj(a.numRows, a.numCols);
        for (int i = 0; i < m.getNumElements(); i++) {
            m.data[i] = (1 - w) * a.data[i] + w * b.data[i];
        }
        return m;
    }
}

package dev.normgrad.norm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import dev.normgrad.autograd.Tensor;
import org.ejml.data.DMatrixRMaj;

/** Comparisons used by the normalization tests: norm-wise relative error, max|a − e| / max|e|. */
final class Close {
    private Close() {
    }

    /** Fails unless max|actual − expected| ≤ rel · max|expected| (and the shapes agree). */
    static void assertClose(String what, double[][] expected, DMatrixRMaj actual, double rel) {
        assertClose(what, expected, actual, rel, 0.0);
    }

    /** Fails unless max|actual − expected| ≤ rel · max(max|expected|, scale). */
    static void assertClose(String what, double[][] expected, DMatrixRMaj actual, double rel, double scaleFloor) {
        if (actual == null) {
            fail(what + ": no value (null), expected " + expected.length + "x" + expected[0].length);
        }
        assertEquals(expected.length, actual.numRows, what + ": rows");
        assertEquals(expected[0].length, actual.numCols, what + ": columns");
        double scale = scaleFloor, err = 0;
        int worst = -1;
        for (int i = 0; i < expected.length; i++) {
            for (int j = 0; j < expected[i].length; j++) {
                scale = Math.max(scale, Math.abs(expected[i][j]));
                double e = Math.abs(actual.get(i, j) - expected[i][j]);
                if (e > err || Double.isNaN(e)) {
                    err = Double.isNaN(e) ? Double.POSITIVE_INFINITY : e;
                    worst = i * expected[i].length + j;
                }
            }
        }
        if (err > rel * Math.max(scale, Double.MIN_NORMAL)) {
            int r = worst / expected[0].length, c = worst % expected[0].length;
            fail(String.format("%s: max abs error %.3e at [%d, %d] (expected %.17g, got %.17g), relative %.3e > %.0e",
                    what, err, r, c, expected[r][c], actual.get(r, c), err / scale, rel));
        }
    }

    static void assertClose(String what, Tensor expected, Tensor actual, double rel) {
        assertClose(what, expected.toArray(), actual == null ? null : actual.data(), rel);
    }

    /** The largest |a − b| over two tensors of the same shape. */
    static double maxAbsDiff(DMatrixRMaj a, DMatrixRMaj b) {
        assertEquals(a.numRows, b.numRows);
        assertEquals(a.numCols, b.numCols);
        double m = 0;
        for (int i = 0; i < a.getNumElements(); i++) {
            m = Math.max(m, Math.abs(a.data[i] - b.data[i]));
        }
        return m;
    }
}

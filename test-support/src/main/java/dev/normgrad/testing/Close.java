package dev.normgrad.testing;

import static org.junit.jupiter.api.Assertions.fail;

import org.ejml.data.DMatrixRMaj;

/**
 * The one comparison of numbers the tests use: {@code assertClose(expected, actual, tolerance, what)},
 * in JUnit's order (expected first, the message last), with the rule spelled out by a
 * {@link Tolerance}. A failure names what was compared, how many entries are out, the worst one
 * (its index, both values, the difference and the bound) and the rule.
 */
public final class Close {
    private Close() {
    }

    /** Fails unless {@code actual} has {@code expected}'s shape and every entry is within {@code tolerance}. */
    public static void assertClose(DMatrixRMaj expected, DMatrixRMaj actual, Tolerance tolerance, String what) {
        if (expected == null) {
            throw new IllegalArgumentException(what + ": no expected value given");
        }
        assertClose(expected.data, expected.numRows, expected.numCols, actual, tolerance, what);
    }

    /** As {@link #assertClose(DMatrixRMaj, DMatrixRMaj, Tolerance, String)}, the expected value given as rows. */
    public static void assertClose(double[][] expected, DMatrixRMaj actual, Tolerance tolerance, String what) {
        int rows = expected.length;
        int cols = rows == 0 ? 0 : expected[0].length;
        double[] flat = new double[rows * cols];
        for (int i = 0; i < rows; i++) {
            if (expected[i].length != cols) {
                throw new IllegalArgumentException(what + ": the expected rows differ in length (" + cols + " and " + expected[i].length + ")");
            }
            System.arraycopy(expected[i], 0, flat, i * cols, cols);
        }
        assertClose(flat, rows, cols, actual, tolerance, what);
    }

    /** Fails unless {@code actual} is within {@code tolerance} of {@code expected}. */
    public static void assertClose(double expected, double actual, Tolerance tolerance, String what) {
        double bound = tolerance.bound(Math.abs(expected));
        if (!close(expected, actual, bound)) {
            fail(what + ": expected " + expected + ", actual " + actual + " (difference " + Math.abs(actual - expected)
                    + ", allowed " + bound + ": " + tolerance + ")");
        }
    }

    /**
     * Fails unless the two matrices have the same shape and the same bits in every entry (so −0 is not
     * +0): for what must be reproduced exactly, such as a model saved and loaded.
     */
    public static void assertBitIdentical(DMatrixRMaj expected, DMatrixRMaj actual, String what) {
        if (expected == null) {
            throw new IllegalArgumentException(what + ": no expected value given");
        }
        checkShape(expected.numRows, expected.numCols, actual, what);
        for (int k = 0; k < expected.getNumElements(); k++) {
            if (Double.doubleToRawLongBits(expected.data[k]) != Double.doubleToRawLongBits(actual.data[k])) {
                fail(what + " " + index(k, expected.numCols) + ": expected " + expected.data[k] + ", actual " + actual.data[k]
                        + " (not the same bits)");
            }
        }
    }

    private static void assertClose(double[] expected, int rows, int cols, DMatrixRMaj actual, Tolerance tolerance, String what) {
        checkShape(rows, cols, actual, what);
        int n = rows * cols;
        double largest = 0;
        for (int k = 0; k < n; k++) {
            if (Double.isFinite(expected[k])) {
                largest = Math.max(largest, Math.abs(expected[k]));
            }
        }
        int failed = 0;
        int worst = -1;
        double worstRatio = -1;
        for (int k = 0; k < n; k++) {
            double bound = tolerance.bound(tolerance.ofLargest() ? largest : Math.abs(expected[k]));
            if (!close(expected[k], actual.data[k], bound)) {
                failed++;
                double diff = Math.abs(actual.data[k] - expected[k]);
                double ratio = diff / bound;
                if (Double.isNaN(ratio)) {
                    ratio = Double.POSITIVE_INFINITY;   // a NaN, or an infinity where a number was expected
                }
                if (ratio > worstRatio) {
                    worstRatio = ratio;
                    worst = k;
                }
            }
        }
        if (failed > 0) {
            double bound = tolerance.bound(tolerance.ofLargest() ? largest : Math.abs(expected[worst]));
            fail(String.format("%s: %d of %d entries outside %s; the worst %s: expected %s, actual %s (difference %.3e, allowed %.3e)",
                    what, failed, n, tolerance, index(worst, cols), expected[worst], actual.data[worst],
                    Math.abs(actual.data[worst] - expected[worst]), bound));
        }
    }

    private static boolean close(double expected, double actual, double bound) {
        if (Double.isNaN(expected)) {
            return Double.isNaN(actual);
        }
        if (Double.isInfinite(expected)) {
            return actual == expected;
        }
        return Math.abs(actual - expected) <= bound;   // false for a NaN or infinite actual
    }

    private static void checkShape(int rows, int cols, DMatrixRMaj actual, String what) {
        if (actual == null) {
            fail(what + ": no value (null) where a " + rows + "x" + cols + " was expected; did the backward reach it?");
        }
        if (actual.numRows != rows || actual.numCols != cols) {
            fail(what + ": shape (" + actual.numRows + "x" + actual.numCols + "), expected (" + rows + "x" + cols + ")");
        }
    }

    private static String index(int k, int cols) {
        return "at [" + k / cols + ", " + k % cols + "]";
    }
}

package dev.normgrad.gradcheck;

import dev.normgrad.gradcheck.GradCheckReport.Failure;
import dev.normgrad.gradcheck.GradCheckReport.TensorResult;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/** Gathers one tensor's entries (or one fast-mode direction) into a {@link TensorResult}. */
final class TensorCheck {
    /** How an entry's numeric derivative was found. */
    enum Judged {
        /** (L(θ + h) − L(θ − h)) / 2h. */
        CENTRAL,
        /** the ±h step crossed a kink; a one-sided difference from the smooth side. */
        ONE_SIDED,
        /** θ sits on the kink: anything between the left and the right derivative is right. */
        AT_KINK,
        /** kinks within 2h on both sides: no difference quotient measures a derivative. */
        UNCHECKED
    }

    /**
     * The numeric side of one entry.
     *
     * @param numeric the derivative (CENTRAL, ONE_SIDED), or the left derivative (AT_KINK)
     * @param right   the right derivative (AT_KINK)
     * @param kinkOp  the op whose kink the ±h step crossed, or null
     */
    record Estimate(Judged how, double numeric, double right, String kinkOp) {
        static Estimate central(double numeric) {
            return new Estimate(Judged.CENTRAL, numeric, Double.NaN, null);
        }
    }

    private final String name;
    private final int rows;
    private final int cols;
    private final double atol;
    private final double rtol;
    private final double[] values;
    private final List<ErrorPatterns.Size> sizes;
    private final double[] analytic;
    private final double[] numeric;
    private final boolean[] compared;
    private final boolean[] failedAt;
    private int entries;
    private int checked;
    private int failed;
    private int kinks;
    private int unchecked;
    private final TreeSet<String> kinkOps = new TreeSet<>();
    private double maxAbs;
    private double maxA;
    private double maxN;
    private double worstRatio = -1;
    private int worstRow = -1;
    private int worstCol = -1;
    private double worstAnalytic;
    private double worstNumeric;
    private final List<Failure> failures = new ArrayList<>();

    /**
     * @param values the tensor's values, for a diagnosis; null for a fast-mode direction (never diagnosed)
     * @param sizes  the sizes of the check a ratio may match
     */
    TensorCheck(String name, int rows, int cols, double atol, double rtol, double[] values, List<ErrorPatterns.Size> sizes) {
        this.name = name;
        this.rows = rows;
        this.cols = cols;
        this.atol = atol;
        this.rtol = rtol;
        this.values = values;
        this.sizes = sizes;
        this.analytic = new double[rows * cols];
        this.numeric = new double[rows * cols];
        this.compared = new boolean[rows * cols];
        this.failedAt = new boolean[rows * cols];
    }

    void add(int row, int col, double a, Estimate e) {
        entries++;
        if (e.kinkOp() != null) {
            kinkOps.add(e.kinkOp());
        }
        double n;
        switch (e.how()) {
            case UNCHECKED -> {
                unchecked++;
                return;
            }
            case AT_KINK -> {
                kinks++;
                double lo = Math.min(e.numeric(), e.right());
                double hi = Math.max(e.numeric(), e.right());
                n = Double.isNaN(a) ? lo : Math.max(lo, Math.min(hi, a));   // the nearest right answer
            }
            case ONE_SIDED -> {
                kinks++;
                n = e.numeric();
            }
            default -> n = e.numeric();
        }
        checked++;
        int k = row * cols + col;
        analytic[k] = a;
        numeric[k] = n;
        compared[k] = true;
        double err = Math.abs(a - n);
        if (Double.isNaN(err)) {
            err = Double.POSITIVE_INFINITY;
        }
        double tolerance = atol + rtol * Math.abs(n);
        double ratio = err <= tolerance && tolerance == 0 ? 0 : err / tolerance;
        if (Double.isNaN(ratio)) {
            ratio = Double.POSITIVE_INFINITY;
        }
        maxAbs = Math.max(maxAbs, err);
        maxA = Math.max(maxA, Double.isNaN(a) ? Double.POSITIVE_INFINITY : Math.abs(a));
        maxN = Math.max(maxN, Double.isNaN(n) ? Double.POSITIVE_INFINITY : Math.abs(n));
        if (ratio > worstRatio) {
            worstRatio = ratio;
            worstRow = row;
            worstCol = col;
            worstAnalytic = a;
            worstNumeric = n;
        }
        if (!(err <= tolerance)) {
            failed++;
            failedAt[k] = true;
            if (failures.size() < GradCheckReport.MAX_LISTED_FAILURES) {
                failures.add(new Failure(row, col, a, n));
            }
        }
    }

    TensorResult result() {
        double rel = maxAbs / Math.max(1e-8, maxA + maxN);
        if (Double.isNaN(rel)) {
            rel = Double.POSITIVE_INFINITY;
        }
        boolean zero = checked > 0 && maxA <= atol && maxN <= atol && failed == 0;
        Diagnosis diagnosis = failed > 0 && values != null
                ? ErrorPatterns.diagnose(new ErrorPatterns.Errors(name, rows, cols, analytic, numeric, compared, failedAt,
                        atol, rtol, values, sizes))
                : null;
        return new TensorResult(name, rows, cols, entries, checked, failed, kinks, unchecked, List.copyOf(kinkOps),
                Math.max(0, worstRatio), maxAbs, rel, zero, worstRow, worstCol, worstAnalytic, worstNumeric,
                List.copyOf(failures), diagnosis);
    }
}

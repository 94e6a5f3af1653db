package dev.normgrad.gradcheck;

import dev.normgrad.gradcheck.Diagnosis.Kind;
import dev.normgrad.gradcheck.Diagnosis.Term;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * Finds the {@link Diagnosis} of a failing tensor from its analytic and numeric gradients: the
 * patterns are described on {@link Diagnosis}. Runs only on a tensor that failed.
 */
final class ErrorPatterns {
    /** How closely a ratio must hold: "a = c·n to about 1e-3 of c". */
    static final double RATIO_TOLERANCE = 1e-3;

    /** A size of the check that a ratio may match, and what it is. */
    record Size(int value, String meaning) {
    }

    /**
     * One failing tensor's entries, row-major.
     *
     * @param compared entries with a numeric value (not left unchecked at a kink)
     * @param failed   entries outside the tolerance
     * @param values   the tensor's own values (x̂ for the missing-term patterns is computed from them)
     */
    record Errors(String name, int rows, int cols, double[] analytic, double[] numeric, boolean[] compared,
            boolean[] failed, double atol, double rtol, double[] values, List<Size> sizes) {
        int entries() {
            return rows * cols;
        }

        double tolerance(int k) {
            return atol + rtol * Math.abs(numeric[k]);
        }

        String quoted() {
            return "'" + name + "'";
        }
    }

    private ErrorPatterns() {
    }

    static Diagnosis diagnose(Errors e) {
        boolean allCompared = true;
        double maxA = 0;
        for (int k = 0; k < e.entries(); k++) {
            allCompared &= e.compared[k];
            if (e.compared[k]) {
                maxA = Math.max(maxA, Double.isNaN(e.analytic[k]) ? Double.POSITIVE_INFINITY : Math.abs(e.analytic[k]));
            }
        }
        if (maxA <= e.atol) {
            return zero(e, maxA);
        }
        if (allCompared && e.rows > 1 && e.cols > 1 && transposed(e)) {
            return transposedDiagnosis(e);
        }
        double c = ratio(e, null);
        if (!Double.isNaN(c)) {
            return ratioDiagnosis(e, c);
        }
        if (allCompared && e.rows > 1) {
            Diagnosis d = missingTerm(e);
            if (d != null) {
                return d;
            }
        }
        Diagnosis d = partial(e);
        return d != null ? d : unstructured(e);
    }

    // ------------------------------------------------------------------ zero

    private static Diagnosis zero(Errors e, double maxA) {
        int at = worstNumeric(e);
        String detail = maxA == 0
                ? "the backward never wrote the gradient of " + e.quoted() + ": it is 0 on every entry, but the numeric gradient is not"
                : "the gradient of " + e.quoted() + " is practically 0 (every |analytic| ≤ " + sci(maxA) + "), but the numeric gradient is not";
        detail += " (|numeric| up to " + num(Math.abs(e.numeric[at])) + " at " + index(e, at) + ")";
        return new Diagnosis(Kind.ZERO, detail, Double.NaN, 0, null, List.of(), List.of(), null, null);
    }

    private static int worstNumeric(Errors e) {
        int at = 0;
        for (int k = 0; k < e.entries(); k++) {
            if (e.compared[k] && Math.abs(e.numeric[k]) > Math.abs(e.numeric[at])) {
                at = k;
            }
        }
        return at;
    }

    // ------------------------------------------------------------------ transposed

    /** a, read row by row as the transpose's shape (cols × rows), equals nᵀ. */
    private static boolean transposed(Errors e) {
        for (int p = 0; p < e.entries(); p++) {
            int i = p % e.rows;
            int j = p / e.rows;
            int q = i * e.cols + j;   // nᵀ[j][i] = n[i][j], laid out row-major in a cols × rows matrix
            if (!(Math.abs(e.analytic[p] - e.numeric[q]) <= e.tolerance(q))) {
                return false;
            }
        }
        return true;
    }

    private static Diagnosis transposedDiagnosis(Errors e) {
        String detail;
        if (e.rows == e.cols) {
            detail = "the gradient of " + e.quoted() + " holds the right values at transposed positions: analytic[i][j] = numeric[j][i]. "
                    + "A product in the wrong order (dYᵀ·X where Xᵀ·dY belongs), or i and j swapped?";
        } else {
            detail = "the gradient of " + e.quoted() + " " + shape(e.rows, e.cols) + " holds the right " + e.entries()
                    + " values, laid out as its transpose " + shape(e.cols, e.rows) + " read row by row. "
                    + "A product in the wrong order (dYᵀ·X where Xᵀ·dY belongs) written into the buffer, or i and j swapped?";
        }
        return new Diagnosis(Kind.TRANSPOSED, detail, Double.NaN, 0, null, List.of(), List.of(), null, null);
    }

    // ------------------------------------------------------------------ constant ratio

    /**
     * The c with a = c·n on every compared entry of {@code within} (all when null), to about
     * {@link #RATIO_TOLERANCE}; NaN when no constant fits or no entry has a numeric gradient beyond atol.
     */
    private static double ratio(Errors e, boolean[] within) {
        double an = 0;
        double nn = 0;
        int informative = 0;
        for (int k = 0; k < e.entries(); k++) {
            if (e.compared[k] && (within == null || within[k])) {
                an += e.analytic[k] * e.numeric[k];
                nn += e.numeric[k] * e.numeric[k];
                if (Math.abs(e.numeric[k]) > e.atol) {
                    informative++;
                }
            }
        }
        if (informative == 0 || !(nn > 0)) {
            return Double.NaN;
        }
        double c = an / nn;
        for (int k = 0; k < e.entries(); k++) {
            if (e.compared[k] && (within == null || within[k])) {
                double expected = c * e.numeric[k];
                if (!(Math.abs(e.analytic[k] - expected) <= e.atol + RATIO_TOLERANCE * Math.abs(expected))) {
                    return Double.NaN;
                }
            }
        }
        return c;
    }

    private static Diagnosis ratioDiagnosis(Errors e, double c) {
        String everywhere = e.entries() == 1 ? "on its only entry" : "on every entry";
        if (Math.abs(c + 1) <= RATIO_TOLERANCE) {
            return new Diagnosis(Kind.SIGN_FLIP, "the gradient of " + e.quoted() + " has the wrong sign (analytic = −numeric " + everywhere
                    + "): a minus sign lost or added on the way back, or (y − t) where (t − y) belongs?",
                    c, 0, null, List.of(), List.of(), null, null);
        }
        double magnitude = Math.abs(c);
        boolean small = magnitude < 1;
        double factor = small ? 1 / magnitude : magnitude;
        StringBuilder s = new StringBuilder("the gradient of ").append(e.quoted());
        s.append(c < 0 ? " has the wrong sign and is " : " is ").append(factorText(factor)).append(small ? " times too small" : " times too large")
                .append(" (analytic = ").append(num(c)).append(" × numeric ").append(everywhere).append(')');
        Size match = matchingSize(e.sizes, factor);
        if (match != null) {
            s.append("; ").append(match.value()).append(" = ").append(match.meaning()).append(": ")
                    .append(small ? "a mean where a sum belongs (one division by " + match.value() + " too many)?"
                            : "a sum where a mean belongs (the 1/" + match.value() + " forgotten)?");
        }
        if (near(factor, 2)) {
            s.append(match != null ? " Or " : ": ").append(small ? "the 2 of d(x²)/dx = 2x dropped?"
                    : "a factor 2 counted twice (the 2 of d(x²)/dx = 2x applied twice, or a ½ forgotten)?");
            if (match == null) {
                match = new Size(2, "the factor 2 of d(x²)/dx = 2x");
            }
        }
        return new Diagnosis(Kind.CONSTANT_RATIO, s.toString(), c, match == null ? 0 : match.value(),
                match == null ? null : match.meaning(), List.of(), List.of(), null, null);
    }

    private static Size matchingSize(List<Size> sizes, double factor) {
        for (Size size : sizes) {
            if (near(factor, size.value())) {
                return size;
            }
        }
        return null;
    }

    private static boolean near(double factor, double size) {
        return Math.abs(factor - size) <= RATIO_TOLERANCE * size;
    }

    private static String factorText(double factor) {
        long rounded = Math.round(factor);
        return rounded >= 2 && Math.abs(factor - rounded) <= RATIO_TOLERANCE * factor ? String.valueOf(rounded) : num(factor);
    }

    // ------------------------------------------------------------------ missing term

    /** Which entries share a statistic: a candidate grouping of the normalization table. */
    private record Grouping(String description, int groups, int[] groupOf) {
    }

    private static Diagnosis missingTerm(Errors e) {
        for (Grouping g : groupings(e.rows, e.cols)) {
            Diagnosis d = missingTerm(e, g);
            if (d != null) {
                return d;
            }
        }
        return null;
    }

    /** The groupings to try, fewest groups first: each needs ≥ 2 groups of ≥ 3 entries. */
    private static List<Grouping> groupings(int rows, int cols) {
        List<Grouping> out = new ArrayList<>();
        int n = rows * cols;
        for (int k = 3; k <= cols; k++) {             // within each row, blocks of k consecutive columns
            if (cols % k != 0) {
                continue;
            }
            int perRow = cols / k;
            int[] of = new int[n];
            for (int p = 0; p < n; p++) {
                of[p] = (p / cols) * perRow + (p % cols) / k;
            }
            String what = k == cols ? "each row (LayerNorm's statistics: one per sample)"
                    : "each block of " + k + " consecutive columns within a row (InstanceNorm's or GroupNorm's statistics "
                            + "for an (N, C, L) input: L, or C/G channels × L, = " + k + ")";
            out.add(new Grouping(what, rows * perRow, of));
        }
        for (int k = 1; k < cols; k++) {              // over all rows, blocks of k consecutive columns
            if (cols % k != 0 || rows * k < 3) {
                continue;
            }
            int[] of = new int[n];
            for (int p = 0; p < n; p++) {
                of[p] = (p % cols) / k;
            }
            String what = k == 1 ? "each column (BatchNorm's statistics: one per feature, over the batch)"
                    : "each channel of " + k + " consecutive columns over all rows (BatchNorm's statistics for an "
                            + "(N, C, L) input with L = " + k + ")";
            out.add(new Grouping(what, cols / k, of));
        }
        out.removeIf(g -> g.groups() < 2);
        out.sort(Comparator.comparingInt(Grouping::groups));
        return out;
    }

    private static Diagnosis missingTerm(Errors e, Grouping g) {
        int q = g.groups();
        int n = e.entries();
        double[] count = new double[q];
        double[] mean = new double[q];
        for (int p = 0; p < n; p++) {
            count[g.groupOf()[p]]++;
            mean[g.groupOf()[p]] += e.values[p];
        }
        for (int t = 0; t < q; t++) {
            mean[t] /= count[t];
        }
        double[] variance = new double[q];
        for (int p = 0; p < n; p++) {
            double d = e.values[p] - mean[g.groupOf()[p]];
            variance[g.groupOf()[p]] += d * d;
        }
        double[] xhat = new double[n];
        for (int p = 0; p < n; p++) {
            int t = g.groupOf()[p];
            xhat[p] = variance[t] > 0 ? (e.values[p] - mean[t]) / Math.sqrt(variance[t] / count[t]) : 0;
        }
        // E = a_g + b_g·x̂ within each group: the two patterns are orthogonal (Σ x̂ = 0), so each is a projection
        double[] constant = new double[q];
        double[] slope = new double[q];
        double[] xx = new double[q];
        boolean[] failing = new boolean[q];
        for (int p = 0; p < n; p++) {
            int t = g.groupOf()[p];
            double err = e.analytic[p] - e.numeric[p];
            constant[t] += err / count[t];
            slope[t] += err * xhat[p];
            xx[t] += xhat[p] * xhat[p];
            failing[t] |= e.failed[p];
        }
        int failingGroups = 0;
        for (int t = 0; t < q; t++) {
            slope[t] = xx[t] > 0 ? slope[t] / xx[t] : 0;
            failingGroups += failing[t] ? 1 : 0;
        }
        if (failingGroups < 2 || 2 * failingGroups < q) {
            return null;   // one wrong group is a partial error, not a missing term
        }
        boolean both = true;
        boolean meanOnly = true;
        boolean varianceOnly = true;
        for (int p = 0; p < n; p++) {
            int t = g.groupOf()[p];
            double err = e.analytic[p] - e.numeric[p];
            double tol = e.tolerance(p);
            both &= Math.abs(err - constant[t] - slope[t] * xhat[p]) <= tol;
            meanOnly &= Math.abs(err - constant[t]) <= tol;
            varianceOnly &= Math.abs(err - slope[t] * xhat[p]) <= tol;
        }
        if (!both) {
            return null;
        }
        String over = " along " + g.description();
        String formula = " of dx = (dx̂ − mean(dx̂) − x̂·mean(dx̂·x̂)) / σ";
        Term term;
        String detail;
        if (meanOnly) {
            term = Term.MEAN;
            detail = "the error of the gradient of " + e.quoted() + " (analytic − numeric) is one constant" + over
                    + ": the gradient through the mean is missing (the −mean(dx̂) term" + formula + ")";
        } else if (varianceOnly) {
            term = Term.VARIANCE;
            detail = "the error of the gradient of " + e.quoted() + " (analytic − numeric) is proportional to x̂ (" + e.quoted()
                    + " normalized)" + over + ": the gradient through the variance is missing (the −x̂·mean(dx̂·x̂) term"
                    + formula + "; σ treated as a constant?)";
        } else {
            term = Term.BOTH;
            detail = "the error of the gradient of " + e.quoted() + " (analytic − numeric) is a constant plus a multiple of x̂"
                    + over + ": the gradients through the mean and through the variance are both missing (dx = dx̂/σ alone?)";
        }
        return new Diagnosis(Kind.MISSING_TERM, detail, Double.NaN, 0, null, List.of(), List.of(), term, g.description());
    }

    // ------------------------------------------------------------------ partial

    private static Diagnosis partial(Errors e) {
        boolean[] badRow = new boolean[e.rows];
        boolean[] badCol = new boolean[e.cols];
        for (int k = 0; k < e.entries(); k++) {
            if (e.failed[k]) {
                badRow[k / e.cols] = true;
                badCol[k % e.cols] = true;
            }
        }
        List<Integer> rows = indices(badRow);
        List<Integer> cols = indices(badCol);
        boolean byRows = rows.size() < e.rows && mostlyFailing(e, badRow, null);
        boolean byCols = cols.size() < e.cols && mostlyFailing(e, null, badCol);
        if (!byRows && !byCols) {
            return null;
        }
        if (byRows && byCols) {
            byCols = cols.size() < rows.size();
            byRows = !byCols;
        }
        boolean[] within = new boolean[e.entries()];
        for (int k = 0; k < e.entries(); k++) {
            within[k] = byRows ? badRow[k / e.cols] : badCol[k % e.cols];
        }
        List<Integer> wrong = byRows ? rows : cols;
        int lines = byRows ? e.rows : e.cols;
        String noun = byRows ? "row" : "column";
        StringBuilder s = new StringBuilder(wrong.size() == 1 ? noun + " " : noun + "s ")
                .append(list(wrong));
        if (wrong.size() == 1 && wrong.get(0) == lines - 1) {
            s.append(" (the last)");
        }
        s.append(" of the gradient of ").append(e.quoted()).append(wrong.size() == 1 ? " is" : " are").append(" wrong; the other ")
                .append(lines - wrong.size() == 1 ? noun + " is" : (lines - wrong.size()) + " " + noun + "s are").append(" right");
        double c = ratio(e, within);
        if (!Double.isNaN(c)) {
            if (Math.abs(c) <= RATIO_TOLERANCE) {
                s.append("; there the gradient is 0: never written");
                if (wrong.size() == 1 && wrong.get(0) == lines - 1) {
                    s.append(" (a loop that stops one short?)");
                }
            } else {
                s.append("; there analytic = ").append(num(c)).append(" × numeric");
            }
        }
        return new Diagnosis(Kind.PARTIAL, s.toString(), c, 0, null, byRows ? rows : List.of(), byRows ? List.of() : cols, null, null);
    }

    /** At least half the compared entries of the marked rows (or columns) failed. */
    private static boolean mostlyFailing(Errors e, boolean[] rows, boolean[] cols) {
        int in = 0;
        int failed = 0;
        for (int k = 0; k < e.entries(); k++) {
            boolean inside = rows != null ? rows[k / e.cols] : cols[k % e.cols];
            if (inside && e.compared[k]) {
                in++;
                failed += e.failed[k] ? 1 : 0;
            }
        }
        return in > 0 && 2 * failed >= in;
    }

    // ------------------------------------------------------------------ unstructured

    private static Diagnosis unstructured(Errors e) {
        int failed = 0;
        int compared = 0;
        int worst = -1;
        double worstScore = -1;
        for (int k = 0; k < e.entries(); k++) {
            compared += e.compared[k] ? 1 : 0;
            if (e.failed[k]) {
                failed++;
                double score = Math.abs(e.analytic[k] - e.numeric[k]) / Math.max(e.tolerance(k), Double.MIN_NORMAL);
                if (!(score <= worstScore)) {
                    worstScore = score;
                    worst = k;
                }
            }
        }
        String detail = "no simple pattern in the errors of " + e.quoted() + " (not a constant ratio, transposed, a missing "
                + "normalization term, nor confined to some rows or columns): " + failed + " of " + compared
                + " entries wrong, the worst at " + index(e, worst) + " (analytic " + num(e.analytic[worst]) + ", numeric "
                + num(e.numeric[worst]) + ")";
        return new Diagnosis(Kind.UNSTRUCTURED, detail, Double.NaN, 0, null, List.of(), List.of(), null, null);
    }

    // ------------------------------------------------------------------ words

    private static List<Integer> indices(boolean[] marks) {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < marks.length; i++) {
            if (marks[i]) {
                out.add(i);
            }
        }
        return out;
    }

    /** "3", "0 and 3", "0, 1 and 3", or the first six and a count. */
    private static String list(List<Integer> xs) {
        if (xs.size() == 1) {
            return String.valueOf(xs.get(0));
        }
        if (xs.size() > 6) {
            StringBuilder s = new StringBuilder();
            for (int i = 0; i < 6; i++) {
                s.append(xs.get(i)).append(", ");
            }
            return s.append("... (").append(xs.size()).append(" in all)").toString();
        }
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < xs.size(); i++) {
            s.append(i == 0 ? "" : i == xs.size() - 1 ? " and " : ", ").append(xs.get(i));
        }
        return s.toString();
    }

    private static String index(Errors e, int k) {
        return "[" + k / e.cols + ", " + k % e.cols + "]";
    }

    private static String shape(int rows, int cols) {
        return "(" + rows + "x" + cols + ")";
    }

    /** Four significant digits without trailing zeros: 0.2, −1.5, 3.142, 1.000e-09. */
    static String num(double v) {
        if (!Double.isFinite(v)) {
            return String.valueOf(v);
        }
        if (v != 0 && (Math.abs(v) < 1e-3 || Math.abs(v) >= 1e5)) {
            return String.format(Locale.ROOT, "%.3e", v);
        }
        return new java.math.BigDecimal(v).round(new java.math.MathContext(4)).stripTrailingZeros().toPlainString();
    }

    private static String sci(double v) {
        return String.format(Locale.ROOT, "%.1e", v);
    }
}

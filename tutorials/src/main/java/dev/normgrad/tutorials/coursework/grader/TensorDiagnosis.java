package dev.normgrad.tutorials.coursework.grader;

import dev.normgrad.tutorials.coursework.Assignment;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import org.ejml.data.DMatrixRMaj;

/**
 * What is wrong with one gradient, in plain words: given the student's gradient and the expected one
 * for a named tensor, and the sizes of the case, the shape of the error — a constant ratio (with a hint
 * when it is a size of the case or 2), a flipped sign, the right numbers transposed, all zero, wrong in
 * some rows or columns only, the term through a normalization's mean or variance missing — or none.
 *
 * <p>This is the grader's one door to GradCheck's diagnosis: everything else asks here.
 */
public final class TensorDiagnosis {
    /** The shapes an error can have, as GradCheck's diagnosis names them. */
    public enum Kind {
        CONSTANT_RATIO("constant ratio"), SIGN_FLIP("sign flip"), TRANSPOSED("transposed"), ZERO("zero"), PARTIAL("partial"),
        MISSING_MEAN_TERM("missing mean term"), MISSING_VARIANCE_TERM("missing variance term"), UNSTRUCTURED("unstructured");

        private final String words;

        Kind(String words) {
            this.words = words;
        }

        /** The kind as the JSON reports it. */
        public String words() {
            return words;
        }
    }

    /**
     * A diagnosis.
     *
     * @param rows    the wrong rows, for {@link Kind#PARTIAL} by rows (else empty)
     * @param columns the wrong columns, for {@link Kind#PARTIAL} by columns (else empty)
     */
    public record Result(Kind kind, String sentence, int[] rows, int[] columns) {
    }

    /**
     * What the diagnosis needs to know of the case.
     *
     * @param gradient how to name the gradient: "dL/dγ"
     * @param sizes    the sizes a wrong factor may come from
     * @param groups   the normalized groups, or null
     */
    public record Context(String gradient, List<Assignment.Size> sizes, Assignment.Groups groups) {
    }

    static final double RTOL = 1e-7;
    static final double ATOL = 1e-9;
    private static final double RATIO_TOLERANCE = 1e-3;
    private static final double STRUCTURE_TOLERANCE = 1e-6;

    private TensorDiagnosis() {
    }

    /** The absolute tolerance for a gradient whose largest entry is {@code scale}. */
    static double atol(DMatrixRMaj expected) {
        return ATOL * (1 + maxAbs(expected));
    }

    /** Whether {@code analytic} equals {@code expected} up to rounding (same shape, every entry within tolerance). */
    static boolean agree(DMatrixRMaj analytic, DMatrixRMaj expected) {
        if (analytic.numRows != expected.numRows || analytic.numCols != expected.numCols) {
            return false;
        }
        double atol = atol(expected);
        for (int i = 0; i < expected.getNumElements(); i++) {
            double a = analytic.data[i];
            double e = expected.data[i];
            if (!(Math.abs(a - e) <= atol + RTOL * Math.abs(e))) {
                return false;
            }
        }
        return true;
    }

    /** The diagnosis of {@code analytic} against {@code expected}; null when they agree. */
    public static Result diagnose(DMatrixRMaj analytic, DMatrixRMaj expected, Context context) {
        String g = context.gradient();
        if (analytic.numRows != expected.numRows || analytic.numCols != expected.numCols) {
            if (analytic.numRows == expected.numCols && analytic.numCols == expected.numRows && agree(transpose(analytic), expected)) {
                return result(Kind.TRANSPOSED, "your " + g + " holds the right numbers in transposed order: it is "
                        + shape(analytic) + " where the tensor is " + shape(expected) + " (dYᵀ·X where Xᵀ·dY belongs, or the other way round?)");
            }
            return null;
        }
        if (agree(analytic, expected)) {
            return null;
        }
        int n = expected.getNumElements();
        double atol = atol(expected);
        boolean[] wrong = new boolean[n];
        int failing = 0;
        for (int i = 0; i < n; i++) {
            wrong[i] = !(Math.abs(analytic.data[i] - expected.data[i]) <= atol + RTOL * Math.abs(expected.data[i]));
            failing += wrong[i] ? 1 : 0;
        }
        if (maxAbs(analytic) <= atol) {
            return result(Kind.ZERO, "your " + g + " is all zero: the backward never wrote it");
        }
        Double ratio = constantRatio(analytic, expected, atol);
        if (ratio != null) {
            if (Math.abs(ratio + 1) <= RATIO_TOLERANCE) {
                return result(Kind.SIGN_FLIP, "your " + g + " has the wrong sign everywhere: a minus sign lost or added?");
            }
            return result(Kind.CONSTANT_RATIO, "your " + g + " is " + ratioWords(ratio, context.sizes()));
        }
        if (expected.numRows == expected.numCols && expected.numRows > 1 && agree(transpose(analytic), expected)) {
            return result(Kind.TRANSPOSED, "your " + g + " holds the right numbers in transposed order (dYᵀ·X where Xᵀ·dY belongs, or the other way round?)");
        }
        if (context.groups() != null) {
            Result term = missingTerm(analytic, expected, context);
            if (term != null) {
                return term;
            }
        }
        TreeSet<Integer> rows = new TreeSet<>();
        TreeSet<Integer> cols = new TreeSet<>();
        for (int i = 0; i < n; i++) {
            if (wrong[i]) {
                rows.add(i / expected.numCols);
                cols.add(i % expected.numCols);
            }
        }
        if (expected.numRows > 1 && rows.size() < expected.numRows) {
            int[] r = rows.stream().mapToInt(Integer::intValue).toArray();
            return new Result(Kind.PARTIAL, (r.length == 1 ? "row " : "rows ") + ranges(r) + " of your " + g
                    + (r.length == 1 ? " is" : " are") + " wrong, the other rows right", r, new int[0]);
        }
        if (expected.numCols > 1 && cols.size() < expected.numCols) {
            int[] c = cols.stream().mapToInt(Integer::intValue).toArray();
            return new Result(Kind.PARTIAL, (c.length == 1 ? "column " : "columns ") + ranges(c) + " of your " + g
                    + (c.length == 1 ? " is" : " are") + " wrong, the other columns right", new int[0], c);
        }
        int worst = 0;
        double worstError = -1;
        for (int i = 0; i < n; i++) {
            double err = Math.abs(analytic.data[i] - expected.data[i]);
            if (!(err <= worstError)) {
                worst = i;
                worstError = err;
            }
        }
        return result(Kind.UNSTRUCTURED, "your " + g + " is wrong in " + failing + " of " + n + " entries, with no simple pattern; "
                + "worst at [" + worst / expected.numCols + ", " + worst % expected.numCols + "]: yours " + num(analytic.data[worst])
                + ", expected " + num(expected.data[worst]));
    }

    private static Result result(Kind kind, String sentence) {
        return new Result(kind, sentence, new int[0], new int[0]);
    }

    /** a/e when it is one constant over the entries (to 1e-3), else null. */
    private static Double constantRatio(DMatrixRMaj a, DMatrixRMaj e, double atol) {
        double scale = maxAbs(e);
        List<Double> ratios = new ArrayList<>();
        for (int i = 0; i < e.getNumElements(); i++) {
            if (Math.abs(e.data[i]) > 1e-3 * scale) {
                ratios.add(a.data[i] / e.data[i]);
            }
        }
        if (ratios.isEmpty()) {
            return null;
        }
        double[] sorted = ratios.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        double c = sorted[sorted.length / 2];
        if (!Double.isFinite(c) || Math.abs(c - 1) <= RATIO_TOLERANCE) {
            return null;
        }
        for (int i = 0; i < e.getNumElements(); i++) {
            if (!(Math.abs(a.data[i] - c * e.data[i]) <= RATIO_TOLERANCE * Math.abs(c * e.data[i]) + atol * Math.max(1, Math.abs(c)))) {
                return null;
            }
        }
        return c;
    }

    private static String ratioWords(double c, List<Assignment.Size> sizes) {
        for (Assignment.Size s : sizes) {
            if (s.value() > 1 && Math.abs(c / s.value() - 1) <= RATIO_TOLERANCE) {
                return s.symbol() + " = " + s.value() + " (" + s.meaning() + ") times too large: a sum where a mean belongs, or a 1/"
                        + s.symbol() + " left out?";
            }
            if (s.value() > 1 && Math.abs(c * s.value() - 1) <= RATIO_TOLERANCE) {
                return s.symbol() + " = " + s.value() + " (" + s.meaning() + ") times too small: a mean where a sum belongs?";
            }
        }
        if (Math.abs(c / 2 - 1) <= RATIO_TOLERANCE) {
            return "twice too large: a factor 2 counted twice?";
        }
        if (Math.abs(c * 2 - 1) <= RATIO_TOLERANCE) {
            return "half of what it should be: a factor 2 from a square dropped?";
        }
        return num(c) + " times what it should be, in every entry: a constant factor is off";
    }

    /**
     * The error (analytic − expected) lies, within each normalized group, along the constant vector (the
     * mean's term) or along x̂ (the variance's): projection onto each, residual energy below 1e-6 of the error's.
     */
    private static Result missingTerm(DMatrixRMaj a, DMatrixRMaj e, Context context) {
        Assignment.Groups groups = context.groups();
        DMatrixRMaj x = groups.x();
        if (x.numRows != e.numRows || x.numCols != e.numCols) {
            return null;
        }
        int count = groups.rows() ? e.numRows : e.numCols;
        int size = groups.rows() ? e.numCols : e.numRows;
        if (size < 2) {
            return null;
        }
        double energy = 0;
        double offConstant = 0;
        double offXhat = 0;
        double atol = atol(e);
        for (int g = 0; g < count; g++) {
            double[] err = new double[size];
            double[] xhat = new double[size];
            double mean = 0;
            boolean written = false;
            boolean wrong = false;
            for (int k = 0; k < size; k++) {
                int i = groups.rows() ? g * e.numCols + k : k * e.numCols + g;
                err[k] = a.data[i] - e.data[i];
                xhat[k] = x.data[i];
                mean += x.data[i] / size;
                written |= Math.abs(a.data[i]) > atol;
                wrong |= Math.abs(err[k]) > atol + RTOL * Math.abs(e.data[i]);
            }
            if (wrong && !written) {
                return null;   // a group left at zero was not written: that is not a term missing from a formula
            }
            if (groups.centred()) {
                for (int k = 0; k < size; k++) {
                    xhat[k] -= mean;
                }
            }
            double errEnergy = dot(err, err);
            energy += errEnergy;
            double errMean = Arrays.stream(err).sum() / size;
            offConstant += errEnergy - size * errMean * errMean;
            double xx = dot(xhat, xhat);
            offXhat += xx == 0 ? errEnergy : errEnergy - dot(err, xhat) * dot(err, xhat) / xx;
        }
        String group = groups.rows() ? "row" : "column (feature)";
        if (offXhat <= STRUCTURE_TOLERANCE * energy) {
            return result(Kind.MISSING_VARIANCE_TERM, "your " + context.gradient() + " is off by an amount proportional to x̂ within each "
                    + group + ": the term through " + groups.statistic() + " is missing or wrong (a factor from its derivative dropped?)");
        }
        if (offConstant <= STRUCTURE_TOLERANCE * energy) {
            return result(Kind.MISSING_MEAN_TERM, "your " + context.gradient() + " is off by the same amount in every entry of a " + group
                    + ": the term through the " + group.replace(" (feature)", "") + "'s mean is missing" + (groups.centred() ? "" : " or extra"));
        }
        return null;
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    static DMatrixRMaj transpose(DMatrixRMaj m) {
        DMatrixRMaj t = new DMatrixRMaj(m.numCols, m.numRows);
        for (int i = 0; i < m.numRows; i++) {
            for (int j = 0; j < m.numCols; j++) {
                t.set(j, i, m.get(i, j));
            }
        }
        return t;
    }

    static double maxAbs(DMatrixRMaj m) {
        double max = 0;
        for (int i = 0; i < m.getNumElements(); i++) {
            max = Math.max(max, Math.abs(m.data[i]));
        }
        return max;
    }

    static String shape(DMatrixRMaj m) {
        return m.numRows + "x" + m.numCols;
    }

    /** 3 significant digits. */
    static String num(double v) {
        return String.format(Locale.ROOT, "%.4g", v);
    }

    /** "0, 2–4, 7". */
    static String ranges(int[] sorted) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < sorted.length; i++) {
            int j = i;
            while (j + 1 < sorted.length && sorted[j + 1] == sorted[j] + 1) {
                j++;
            }
            s.append(s.length() == 0 ? "" : ", ").append(sorted[i]);
            if (j > i) {
                s.append('–').append(sorted[j]);
            }
            i = j;
        }
        return s.toString();
    }
}

package dev.normgrad.tutorials.coursework.grader;

import dev.normgrad.gradcheck.Diagnosis;
import dev.normgrad.tutorials.coursework.Assignment;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.ejml.data.DMatrixRMaj;

/**
 * The grader's one door to GradCheck's diagnosis ({@link Diagnosis#of}): given a student's gradient, the
 * reference's, the tensor's own values and the sizes of the case, what the error looks like — a constant
 * ratio (with the size it matches), a flipped sign, transposed, all zero, some rows or columns only, a
 * normalization's term through the mean or the variance missing, or no pattern — in a sentence for the
 * student, where GradCheck's "analytic" is theirs ("yours") and its "numeric" the reference's
 * ("expected").
 */
public final class TensorDiagnosis {
    /**
     * A diagnosis.
     *
     * @param kind    GradCheck's kind, as its JSON names it: {@code constant_ratio}, {@code sign_flip},
     *                {@code transposed}, {@code zero}, {@code partial}, {@code missing_term}, {@code unstructured}
     * @param rows    the wrong rows, for {@code partial} by rows (else empty)
     * @param columns the wrong columns, for {@code partial} by columns (else empty)
     */
    public record Result(String kind, String sentence, List<Integer> rows, List<Integer> columns) {
    }

    /**
     * What the diagnosis needs of the case.
     *
     * @param symbol the tensor's name in the sentence: "x", "γ", "W_hh"
     * @param values the tensor's own values (x̂ for the missing-term patterns comes from them)
     * @param sizes  the sizes a wrong factor may come from
     */
    public record Context(String symbol, DMatrixRMaj values, List<Assignment.Size> sizes) {
    }

    static final double RTOL = 1e-7;
    static final double ATOL = 1e-9;
    private static final Pattern ANALYTIC = Pattern.compile("\\banalytic\\b");
    private static final Pattern NUMERIC = Pattern.compile("\\bnumeric\\b");

    private TensorDiagnosis() {
    }

    /** The absolute tolerance for a gradient: 1e-9 of its largest entry (and at least 1e-9). */
    static double atol(DMatrixRMaj expected) {
        double max = 0;
        for (int i = 0; i < expected.getNumElements(); i++) {
            max = Math.max(max, Math.abs(expected.data[i]));
        }
        return ATOL * (1 + max);
    }

    /** Whether {@code analytic} equals {@code expected} up to rounding: the same shape, every entry within 1e-7 relative. */
    static boolean agree(DMatrixRMaj analytic, DMatrixRMaj expected) {
        if (analytic.numRows != expected.numRows || analytic.numCols != expected.numCols) {
            return false;
        }
        double atol = atol(expected);
        for (int i = 0; i < expected.getNumElements(); i++) {
            if (!(Math.abs(analytic.data[i] - expected.data[i]) <= atol + RTOL * Math.abs(expected.data[i]))) {
                return false;
            }
        }
        return true;
    }

    /** The diagnosis of {@code analytic} against {@code expected} (the same shape); null when they agree. */
    public static Result diagnose(DMatrixRMaj analytic, DMatrixRMaj expected, Context context) {
        Map<Integer, String> sizes = new LinkedHashMap<>();
        for (Assignment.Size s : context.sizes()) {
            if (s.value() > 1) {
                sizes.putIfAbsent(s.value(), s.symbol() + ", " + s.meaning());
            }
        }
        Diagnosis d = Diagnosis.of(context.symbol(), context.values(), analytic, expected, atol(expected), RTOL, sizes);
        if (d == null) {
            return null;
        }
        return new Result(d.kind().id(), words(d.detail()), d.wrongRows(), d.wrongColumns());
    }

    /** GradCheck's sentence told to a student: their gradient is "yours", the reference's "expected". */
    static String words(String detail) {
        return NUMERIC.matcher(ANALYTIC.matcher(detail).replaceAll("yours")).replaceAll("expected");
    }

    static String shape(DMatrixRMaj m) {
        return m.numRows + "x" + m.numCols;
    }

    /** Four significant digits. */
    static String num(double v) {
        return String.format(Locale.ROOT, "%.4g", v);
    }
}

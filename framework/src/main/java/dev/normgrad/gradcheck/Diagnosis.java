package dev.normgrad.gradcheck;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.ejml.data.DMatrixRMaj;

/**
 * What the errors of a failing gradient look like: the pattern they follow, with the numbers that
 * matter, and a sentence a student can act on — "the gradient of 'bias' is 5 times too small
 * (analytic = 0.2 × numeric on every entry); 5 = N, the rows (batch) of 'x': a mean where a sum
 * belongs?". {@link GradCheck} gives one to every tensor that failed a full check
 * ({@link GradCheckReport.TensorResult#diagnosis()}), and none to a tensor that passed.
 *
 * <p>The patterns, tried in this order on the compared entries (analytic a, numeric n, error
 * E = a − n; an entry fits a pattern when it is within its tolerance of it):
 * <ul>
 *   <li>{@link Kind#ZERO}: every |a| ≤ atol while n is not: backward never wrote this gradient.</li>
 *   <li>{@link Kind#TRANSPOSED}: a holds n's entries in transposed order (a non-square tensor: read
 *       row by row as the transpose's shape).</li>
 *   <li>{@link Kind#SIGN_FLIP} (c = −1) and {@link Kind#CONSTANT_RATIO}: a = c·n on every entry, to
 *       about 1e-3 of c; {@link #size()} is the size of the check that c or 1/c matches (the batch N,
 *       the columns C, every entry of the output, or 2), if one does.</li>
 *   <li>{@link Kind#MISSING_TERM}: within each group of a normalization's statistics, E is one
 *       constant (the gradient through the mean is missing), or a multiple of x̂, the checked tensor
 *       normalized over the group (the gradient through the variance is missing), or both. Found by
 *       projecting E on those two patterns for each grouping the normalization table allows —
 *       each row (LayerNorm), each column (BatchNorm), blocks of k columns within a row (InstanceNorm,
 *       GroupNorm over (N, C, L)), blocks of k columns over all rows (BatchNorm over (N, C, L)) —
 *       fewest groups first, so no hint is needed. A grouping needs at least two groups of at least
 *       three entries, and a tensor of at least two rows (not a 1×C weight).</li>
 *   <li>{@link Kind#PARTIAL}: the failing entries fill some rows (or columns) while the other rows
 *       are right; {@link #ratio()} is c over the wrong ones when it is constant there.</li>
 *   <li>{@link Kind#UNSTRUCTURED}: none of these; the detail names the worst entry.</li>
 * </ul>
 *
 * @param kind         the pattern
 * @param detail       the plain-words sentence, starting with the tensor's name
 * @param ratio        c in a = c·n ({@code CONSTANT_RATIO}, {@code SIGN_FLIP}, and {@code PARTIAL} over the wrong
 *                     entries when constant there); NaN otherwise
 * @param size         the size of the check c matches (c ≈ size, or c ≈ 1/size when |c| &lt; 1); 0 when none
 * @param sizeMeaning  what that size is ("N, the rows (batch) of 'x'"); null when none
 * @param wrongRows    the wrong rows ({@code PARTIAL} by rows); empty otherwise
 * @param wrongColumns the wrong columns ({@code PARTIAL} by columns); empty otherwise
 * @param missingTerm  which gradient path is missing ({@code MISSING_TERM}); null otherwise
 * @param grouping     over what the normalization's statistics run ({@code MISSING_TERM}: "each row", ...); null otherwise
 */
public record Diagnosis(Kind kind, String detail, double ratio, int size, String sizeMeaning, List<Integer> wrongRows,
        List<Integer> wrongColumns, Term missingTerm, String grouping) {

    /** The patterns a failing gradient's errors can follow. */
    public enum Kind {
        /** a = c·n on every entry, c a constant other than −1. */
        CONSTANT_RATIO,
        /** a = −n on every entry. */
        SIGN_FLIP,
        /** a holds n's entries in transposed order. */
        TRANSPOSED,
        /** a is zero where n is not. */
        ZERO,
        /** some rows or columns are wrong, the rest right. */
        PARTIAL,
        /** a normalization's backward without its mean term, its variance term, or both. */
        MISSING_TERM,
        /** no pattern found. */
        UNSTRUCTURED;

        /** The name in JSON: {@code constant_ratio}, {@code sign_flip}, ... */
        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** The gradient path a normalization's backward left out. */
    public enum Term {
        /** through the mean: the −mean(dx̂) term. */
        MEAN,
        /** through the variance: the −x̂·mean(dx̂·x̂) term. */
        VARIANCE,
        /** both. */
        BOTH;

        /** The name in JSON: {@code mean}, {@code variance}, {@code both}. */
        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public Diagnosis {
        wrongRows = List.copyOf(wrongRows);
        wrongColumns = List.copyOf(wrongColumns);
    }

    /**
     * The diagnosis of a gradient against the one it should be, outside a gradient check: for an
     * autograder holding a student's gradient and the right one (computed by a reference solution)
     * instead of a numeric estimate. The same patterns, tried in the same order, as {@link GradCheck}
     * gives a failing tensor; in the sentence "analytic" is the gradient diagnosed and "numeric" the
     * right one.
     *
     * <pre>{@code
     * Diagnosis d = Diagnosis.of("bias", bias, studentGrad, referenceGrad, 1e-8, 1e-6, Map.of(5, "N, the batch size"));
     * // constant_ratio: the gradient of 'bias' is 5 times too small (...); 5 = N, the batch size: a mean where a sum belongs (...)?
     * }</pre>
     *
     * @param name     the tensor's name in the sentence
     * @param values   the tensor's own values, the gradient's shape: x̂ for the missing-term patterns is
     *                 computed from them
     * @param analytic the gradient to diagnose, the same shape. Not modified.
     * @param expected the right gradient, the same shape. Not modified.
     * @param atol     an entry is wrong when |analytic − expected| &gt; atol + rtol·|expected|
     * @param rtol     see {@code atol}
     * @param sizes    sizes of the computation a ratio may match, each with what it is ("N, the batch size"),
     *                 in the order to prefer them (a {@code LinkedHashMap} keeps it)
     * @return the diagnosis, or null when every entry is within its tolerance
     * @throws IllegalArgumentException when the three shapes differ
     */
    public static Diagnosis of(String name, DMatrixRMaj values, DMatrixRMaj analytic, DMatrixRMaj expected, double atol, double rtol,
            Map<Integer, String> sizes) {
        int rows = expected.numRows;
        int cols = expected.numCols;
        if (analytic.numRows != rows || analytic.numCols != cols || values.numRows != rows || values.numCols != cols) {
            throw new IllegalArgumentException("Diagnosis.of: '" + name + "': values (" + values.numRows + "x" + values.numCols
                    + "), analytic (" + analytic.numRows + "x" + analytic.numCols + ") and expected (" + rows + "x" + cols
                    + ") must have one shape");
        }
        int n = rows * cols;
        boolean[] compared = new boolean[n];
        boolean[] failed = new boolean[n];
        boolean any = false;
        for (int k = 0; k < n; k++) {
            compared[k] = true;
            failed[k] = !(Math.abs(analytic.data[k] - expected.data[k]) <= atol + rtol * Math.abs(expected.data[k]));
            any |= failed[k];
        }
        if (!any) {
            return null;
        }
        List<ErrorPatterns.Size> s = new ArrayList<>();
        sizes.forEach((value, meaning) -> s.add(new ErrorPatterns.Size(value, meaning)));
        return ErrorPatterns.diagnose(new ErrorPatterns.Errors(name, rows, cols, java.util.Arrays.copyOf(analytic.data, n),
                java.util.Arrays.copyOf(expected.data, n), compared, failed, atol, rtol, java.util.Arrays.copyOf(values.data, n), s));
    }

    /** The kind and the sentence: {@code constant_ratio: the gradient of 'bias' is 5 times too small ...}. */
    @Override
    public String toString() {
        return kind.id() + ": " + detail;
    }
}

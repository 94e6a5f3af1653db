package dev.normgrad.gradcheck;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;

/**
 * The result of a {@link GradCheck}: one verdict, and one row per checked tensor (or per direction
 * in fast mode) with its worst entry, how many entries failed, met a kink or went unchecked, and for a
 * tensor that failed a {@link Diagnosis} of what its errors look like. {@link #toString()} is the
 * report for a person, {@link #toJson()} the same for an autograder, and {@link #assertPassed()}
 * throws an {@link AssertionError} carrying the report.
 *
 * <p>The verdict ({@link #verdict()}): {@code passed} when every checked entry is within its
 * tolerance, |analytic − numeric| ≤ atol + rtol·|numeric|; {@code failed} when one is not; and
 * {@code not repeatable} when two forwards at the same point disagreed — state changed during the
 * check that {@link Checkable#saveState()} does not put back, so no number of the check can be
 * trusted. cs231n's relative error is reported too, as information: it never decides the verdict.
 *
 * <p>JSON schema ({@code "schema": "normgrad-gradcheck", "version": 2}); non-finite numbers are
 * written as {@code null}:
 * <pre>
 * { "schema": "normgrad-gradcheck", "version": 2,
 *   "mode": "full" | "fast",
 *   "verdict": "passed" | "failed" | "not repeatable",
 *   "passed": bool,                    the verdict is "passed"
 *   "notRepeatable": null | { "detail": str,        what changed, in words
 *                             "op": str | null,     the first op whose output differed between two forwards
 *                             "module": str | null  where that op was created ("1 (RunningScale)") },
 *   "step": 1e-6, "atol": 1e-5, "rtol": 1e-3,
 *   "seed": long,                      seeds the projection P (and fast mode's directions)
 *   "relativeError": number,           cs231n's max|a − n| / (max|a| + max|n|), the largest over the
 *                                      tensors whose gradient is not ≈ 0; information, not the verdict
 *   "reading": "good" | "suspicious" | "wrong",   cs231n's reading of it: below 1e-7, between, above 1e-4
 *   "entries": int,                    entries (or directions) in all tensors
 *   "checked": int,                    of those, compared with a numeric derivative
 *   "failed": int,                     of those, outside their tolerance
 *   "kinks": int,                      checked entries whose ±h step crossed a kink (judged one-sided)
 *   "unchecked": int,                  entries with a kink within 2h on both sides (no derivative measured)
 *   "tensors": [ {
 *     "name": str, "shape": [rows, cols],
 *     "entries": int, "checked": int, "failed": int, "kinks": int, "unchecked": int,
 *     "kinkOps": [str],                the ops whose kinks were crossed
 *     "errorOverTolerance": number,    the worst |a − n| / (atol + rtol·|n|): the judged quantity, ≤ 1 passes
 *     "maxAbsError": number,           the largest |a − n|
 *     "relativeError": number,         cs231n's, over this tensor
 *     "gradientIsZero": bool,          every |a| and |n| within atol: judged by atol alone, left out of relativeError
 *     "worstIndex": [row, col] | null, the entry with the largest errorOverTolerance,
 *     "worstAnalytic": number, "worstNumeric": number,   and its two values
 *     "failures": [ { "index": [row, col], "analytic": number, "numeric": number } ],
 *     "diagnosis": null | {            null unless the tensor failed (full mode only)
 *       "kind": "constant_ratio" | "sign_flip" | "transposed" | "zero" | "partial" | "missing_term" | "unstructured",
 *       "detail": str,                 the sentence a student reads
 *       "ratio": number | null,        c in analytic = c·numeric, where constant
 *       "size": int, "sizeMeaning": str | null,   the size of the check c or 1/c matches (0: none)
 *       "wrongRows": [int], "wrongColumns": [int],   for "partial"
 *       "missingTerm": "mean" | "variance" | "both" | null, "grouping": str | null   for "missing_term" } } ] }
 * </pre>
 * At a kink an entry is judged against a one-sided difference, and the numeric value written is
 * that one (on the kink itself: the nearest value between the left and right derivatives).
 * {@code failures} lists at most the first {@value #MAX_LISTED_FAILURES} failing entries of a tensor.
 */
public final class GradCheckReport {
    /** How many failing entries each row lists. */
    public static final int MAX_LISTED_FAILURES = 5;
    /** cs231n's reading of the relative error: below this, good. */
    public static final double GOOD_BELOW = 1e-7;
    /** Above this, the gradient is wrong. */
    public static final double WRONG_ABOVE = 1e-4;
    /** The JSON schema's version. */
    public static final int JSON_VERSION = 2;

    /** One failing entry: where, and the two gradients. */
    public record Failure(int row, int col, double analytic, double numeric) {
    }

    /**
     * The result for one checked tensor (or one direction in fast mode).
     *
     * @param entries            the tensor's entries (1 for a direction)
     * @param checked            entries compared with a numeric derivative (central, or one-sided at a kink)
     * @param failed             checked entries outside their tolerance
     * @param kinks              checked entries whose ±h step crossed a kink: judged by a one-sided difference
     *                           from the smooth side (on the kink itself, anything between the left and the right
     *                           derivative passes)
     * @param unchecked          entries with a kink within 2h on both sides: no difference quotient measures a
     *                           derivative there, so they were not compared
     * @param kinkOps            the ops whose kinks the checked or unchecked entries crossed
     * @param errorOverTolerance the worst |analytic − numeric| / (atol + rtol·|numeric|): what the verdict judges;
     *                           the tensor passes when it is ≤ 1
     * @param maxAbsError        the largest |analytic − numeric|
     * @param relativeError      cs231n's max|a − n| / max(1e-8, max|a| + max|n|) over the checked entries
     * @param gradientIsZero     every checked |a| and |n| is within the absolute tolerance: the gradient is zero as far
     *                           as finite differences can tell, and its relative error is rounding noise over rounding
     *                           noise
     * @param worstRow           row of the entry with the largest error over tolerance, −1 if none was checked
     * @param failures           the first {@value #MAX_LISTED_FAILURES} failing entries
     * @param diagnosis          what the errors look like, when the tensor failed a full check; null otherwise
     */
    public record TensorResult(String name, int rows, int cols, int entries, int checked, int failed, int kinks,
            int unchecked, List<String> kinkOps, double errorOverTolerance, double maxAbsError, double relativeError,
            boolean gradientIsZero, int worstRow, int worstCol, double worstAnalytic, double worstNumeric,
            List<Failure> failures, Diagnosis diagnosis) {
        public boolean passed() {
            return failed == 0;
        }

        /**
         * True when the analytic and numeric gradients are both within the absolute tolerance of 0
         * (a bias followed by BatchNorm, say): this tensor is then judged by atol alone and is left
         * out of the report's {@link GradCheckReport#relativeError()}.
         */
        @Override
        public boolean gradientIsZero() {
            return gradientIsZero;
        }
    }

    /**
     * Why the check gave no verdict: two forwards at the same point disagreed.
     *
     * @param detail the explanation, in words
     * @param op     the first op whose output differed between two forwards at the same point, or null if not found
     * @param module where that op was created ({@code "1 (RunningScale)"}, {@code "your function"}), or null
     */
    public record NotRepeatable(String detail, String op, String module) {
    }

    private final String mode;
    private final double step;
    private final double atol;
    private final double rtol;
    private final long seed;
    private final List<TensorResult> tensors;
    private final NotRepeatable notRepeatable;

    GradCheckReport(String mode, double step, double atol, double rtol, long seed, List<TensorResult> tensors,
            NotRepeatable notRepeatable) {
        this.mode = mode;
        this.step = step;
        this.atol = atol;
        this.rtol = rtol;
        this.seed = seed;
        this.tensors = Collections.unmodifiableList(new ArrayList<>(tensors));
        this.notRepeatable = notRepeatable;
    }

    /** True when the forward was repeatable and every checked entry is within its tolerance. */
    public boolean passed() {
        return notRepeatable == null && tensors.stream().allMatch(TensorResult::passed);
    }

    /** {@code "passed"}, {@code "failed"} or {@code "not repeatable"}. */
    public String verdict() {
        return notRepeatable != null ? "not repeatable" : passed() ? "passed" : "failed";
    }

    /** False when two forwards at the same point disagreed: see {@link #notRepeatable()}. */
    public boolean repeatable() {
        return notRepeatable == null;
    }

    /** What changed during the check when the forward was not repeatable; null when it was. */
    public NotRepeatable notRepeatable() {
        return notRepeatable;
    }

    /** "full" or "fast". */
    public String mode() {
        return mode;
    }

    /** The finite-difference step h. */
    public double step() {
        return step;
    }

    public double atol() {
        return atol;
    }

    public double rtol() {
        return rtol;
    }

    /** The seed of the projection P (and of fast mode's directions). */
    public long seed() {
        return seed;
    }

    public List<TensorResult> tensors() {
        return tensors;
    }

    /** The row for the tensor called {@code name} ("input 0", "weight", "0.bias", ...). */
    public TensorResult tensor(String name) {
        return tensors.stream().filter(t -> t.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("GradCheckReport: no tensor named '" + name + "'; checked: "
                        + tensors.stream().map(TensorResult::name).toList()));
    }

    public int entries() {
        return tensors.stream().mapToInt(TensorResult::entries).sum();
    }

    public int checked() {
        return tensors.stream().mapToInt(TensorResult::checked).sum();
    }

    public int failed() {
        return tensors.stream().mapToInt(TensorResult::failed).sum();
    }

    public int kinks() {
        return tensors.stream().mapToInt(TensorResult::kinks).sum();
    }

    public int unchecked() {
        return tensors.stream().mapToInt(TensorResult::unchecked).sum();
    }

    /**
     * The largest cs231n relative error over the rows whose gradient is not zero
     * ({@link TensorResult#gradientIsZero()}); 0 if every gradient is.
     */
    public double relativeError() {
        double worst = 0;
        for (TensorResult t : tensors) {
            if (t.gradientIsZero() || t.checked() == 0) {
                continue;
            }
            worst = Double.isNaN(t.relativeError()) ? Double.POSITIVE_INFINITY : Math.max(worst, t.relativeError());
        }
        return worst;
    }

    /** cs231n's reading of {@link #relativeError()}: "good", "suspicious" or "wrong". */
    public String reading() {
        double r = relativeError();
        return r < GOOD_BELOW ? "good" : r > WRONG_ABOVE ? "wrong" : "suspicious";
    }

    /** Throws an {@link AssertionError} carrying the report (with its diagnoses) unless the check passed. */
    public GradCheckReport assertPassed() {
        if (!passed()) {
            throw new AssertionError("gradient check " + (notRepeatable != null ? "not repeatable" : "failed") + "\n" + this);
        }
        return this;
    }

    // ------------------------------------------------------------------ text

    /** The report: the verdict line, the rule, one row per tensor, then what each failure and kink means. */
    @Override
    public String toString() {
        StringBuilder s = new StringBuilder();
        s.append("GradCheck ").append(mode).append(": ").append(verdictLine()).append('\n');
        s.append(String.format(Locale.ROOT, "  %s passes when |analytic − numeric| ≤ atol + rtol·|numeric|, atol %s, rtol %s"
                + " (step %s, seed %d)%n", mode.equals("fast") ? "a direction" : "an entry", sci0(atol), sci0(rtol), sci0(step), seed));
        String[] header = {"tensor", "shape", "checked", "failed", "kinks", "err/tol", "worst at", "analytic", "numeric"};
        List<String[]> rows = new ArrayList<>();
        rows.add(header);
        for (TensorResult t : tensors) {
            boolean none = t.worstRow() < 0;
            rows.add(new String[] {t.name(), mode.equals("fast") ? "-" : "(" + t.rows() + "x" + t.cols() + ")",
                    String.valueOf(t.checked()), String.valueOf(t.failed()), String.valueOf(t.kinks()),
                    none ? "-" : sci(t.errorOverTolerance()), none ? "-" : "[" + t.worstRow() + ", " + t.worstCol() + "]",
                    none ? "-" : num(t.worstAnalytic()), none ? "-" : num(t.worstNumeric())});
        }
        boolean[] left = new boolean[header.length];
        left[0] = true;
        appendTable(s, rows, left);
        s.append("  err/tol: the worst entry's |analytic − numeric| / (atol + rtol·|numeric|); ≤ 1 passes\n");
        for (TensorResult t : tensors) {
            if (t.diagnosis() != null) {
                s.append("  diagnosis: ").append(t.diagnosis().detail()).append('\n');
            } else if (!t.passed()) {
                s.append("  ").append(t.name()).append(": ").append(t.failed()).append(" failed\n");
            }
            for (Failure f : t.failures()) {
                s.append(String.format(Locale.ROOT, "    FAILED %s[%d, %d]: analytic %s, numeric %s%n",
                        t.name(), f.row(), f.col(), num(f.analytic()), num(f.numeric())));
            }
            if (t.failed() > t.failures().size()) {
                s.append("    ... ").append(t.failed() - t.failures().size()).append(" more failures in ").append(t.name()).append('\n');
            }
        }
        kinkNotes(s);
        List<String> zero = tensors.stream().filter(TensorResult::gradientIsZero).map(TensorResult::name).toList();
        if (!zero.isEmpty()) {
            s.append(String.format(Locale.ROOT, "  gradient ≈ 0 (every |analytic| and |numeric| within atol %s) for %s:"
                    + " judged by atol alone, left out of the relative error%n", sci0(atol), String.join(", ", zero)));
        }
        s.append("  ").append(relativeErrorLine());
        return s.toString();
    }

    /** The one verdict, in words. */
    private String verdictLine() {
        String unit = mode.equals("fast") ? "direction" : "entr";
        if (notRepeatable != null) {
            return "NOT REPEATABLE — " + notRepeatable.detail() + " No verdict: the numbers below cannot be trusted.";
        }
        int checked = checked();
        if (passed()) {
            StringBuilder s = new StringBuilder("PASSED — ");
            s.append(unchecked() == 0 ? "all " + checked + " " + plural(unit, checked)
                    : "all " + checked + " checked " + plural(unit, checked));
            double worst = tensors.stream().mapToDouble(TensorResult::errorOverTolerance).max().orElse(0);
            s.append(" within their tolerance (the worst entry's error is ").append(sci(worst)).append(" of its tolerance)");
            if (kinks() > 0) {
                s.append("; ").append(kinks()).append(" judged one-sided at a kink");
            }
            if (unchecked() > 0) {
                s.append("; ").append(unchecked()).append(' ').append(plural(unit, unchecked())).append(" left unchecked (see below)");
            }
            return s.toString();
        }
        List<String> failing = tensors.stream().filter(t -> !t.passed()).map(t -> "'" + t.name() + "'").toList();
        String where = failing.size() == 1 ? failing.get(0) : failing.size() == 2 ? failing.get(0) + " and " + failing.get(1)
                : failing.size() + " tensors";
        return "FAILED — " + failed() + " of " + checked + " " + plural(unit, checked) + " outside their tolerance"
                + (mode.equals("fast") ? "" : (failing.size() == 1 ? ", all in " : ", in ") + where);
    }

    private static String plural(String unit, int n) {
        return unit.equals("entr") ? (n == 1 ? "entry" : "entries") : (n == 1 ? unit : unit + "s");
    }

    private void kinkNotes(StringBuilder s) {
        List<String> atKinks = new ArrayList<>();
        List<String> left = new ArrayList<>();
        TreeSet<String> ops = new TreeSet<>();
        for (TensorResult t : tensors) {
            ops.addAll(t.kinkOps());
            if (t.kinks() > 0) {
                atKinks.add(t.kinks() + " of '" + t.name() + "'");
            }
            if (t.unchecked() > 0) {
                left.add(t.unchecked() + " of '" + t.name() + "'");
            }
        }
        String of = "a kink of " + String.join(", ", ops);
        if (!atKinks.isEmpty()) {
            s.append("  kinks: ").append(counted(kinks(), atKinks)).append(" moved ").append(of).append(" across their ±h step: judged by one-sided differences from the smooth side"
                            + " (an entry on the kink itself passes anywhere between its left and right slopes)")
                    .append(left.isEmpty() ? "; none left unchecked\n" : "\n");
        }
        if (!left.isEmpty()) {
            s.append("  unchecked: ").append(counted(unchecked(), left)).append(" with ").append(of).append(" within 2h on both sides: "
                            + "no difference quotient measures a derivative there; move the input away from the kink to check them\n");
        }
    }

    /** "4 entries of 'k'", or "6 entries (3 of 'x', 3 of 'bias')" when several tensors share them. */
    private static String counted(int n, List<String> perTensor) {
        String entries = n + (n == 1 ? " entry" : " entries");
        return perTensor.size() == 1 ? entries + perTensor.get(0).substring(perTensor.get(0).indexOf(' '))
                : entries + " (" + String.join(", ", perTensor) + ")";
    }

    private String relativeErrorLine() {
        String r = "cs231n relative error " + sci(relativeError()) + " (max|a − n| / (max|a| + max|n|), information only)";
        if (notRepeatable != null) {
            return r + ": meaningless while the forward is not repeatable";
        }
        String reading = reading();
        if (passed()) {
            return r + switch (reading) {
                case "good" -> ": below 1e-7, as expected of a right gradient";
                case "suspicious" -> ": between 1e-7 and 1e-4, which cs231n calls suspicious on its own; with every entry within "
                        + "its tolerance it is finite-difference noise, usual through deep or saturating functions";
                default -> ": above 1e-4, which cs231n reads as wrong, although every entry is within its tolerance "
                        + "(rtol lets each entry differ by up to " + sci0(rtol) + " of its value): look closer if you expected better";
            };
        }
        return r + (reading.equals("wrong") ? ": above 1e-4, wrong, as the failures say"
                : ": below 1e-4 overall, but the failed entries are outside their tolerance");
    }

    // ------------------------------------------------------------------ JSON

    /** The report as JSON (schema in the class comment). */
    public String toJson() {
        return new GsonBuilder().setPrettyPrinting().serializeNulls().disableHtmlEscaping().create().toJson(toJsonObject());
    }

    JsonObject toJsonObject() {
        JsonObject o = new JsonObject();
        o.addProperty("schema", "normgrad-gradcheck");
        o.addProperty("version", JSON_VERSION);
        o.addProperty("mode", mode);
        o.addProperty("verdict", verdict());
        o.addProperty("passed", passed());
        if (notRepeatable == null) {
            o.add("notRepeatable", JsonNull.INSTANCE);
        } else {
            JsonObject n = new JsonObject();
            n.addProperty("detail", notRepeatable.detail());
            n.addProperty("op", notRepeatable.op());
            n.addProperty("module", notRepeatable.module());
            o.add("notRepeatable", n);
        }
        o.add("step", number(step));
        o.add("atol", number(atol));
        o.add("rtol", number(rtol));
        o.addProperty("seed", seed);
        o.add("relativeError", number(relativeError()));
        o.addProperty("reading", reading());
        o.addProperty("entries", entries());
        o.addProperty("checked", checked());
        o.addProperty("failed", failed());
        o.addProperty("kinks", kinks());
        o.addProperty("unchecked", unchecked());
        JsonArray rows = new JsonArray();
        for (TensorResult t : tensors) {
            JsonObject r = new JsonObject();
            r.addProperty("name", t.name());
            r.add("shape", pair(t.rows(), t.cols()));
            r.addProperty("entries", t.entries());
            r.addProperty("checked", t.checked());
            r.addProperty("failed", t.failed());
            r.addProperty("kinks", t.kinks());
            r.addProperty("unchecked", t.unchecked());
            JsonArray ops = new JsonArray();
            t.kinkOps().forEach(ops::add);
            r.add("kinkOps", ops);
            r.add("errorOverTolerance", number(t.errorOverTolerance()));
            r.add("maxAbsError", number(t.maxAbsError()));
            r.add("relativeError", number(t.relativeError()));
            r.addProperty("gradientIsZero", t.gradientIsZero());
            r.add("worstIndex", t.worstRow() < 0 ? JsonNull.INSTANCE : pair(t.worstRow(), t.worstCol()));
            r.add("worstAnalytic", t.worstRow() < 0 ? JsonNull.INSTANCE : number(t.worstAnalytic()));
            r.add("worstNumeric", t.worstRow() < 0 ? JsonNull.INSTANCE : number(t.worstNumeric()));
            JsonArray failures = new JsonArray();
            for (Failure f : t.failures()) {
                JsonObject fo = new JsonObject();
                fo.add("index", pair(f.row(), f.col()));
                fo.add("analytic", number(f.analytic()));
                fo.add("numeric", number(f.numeric()));
                failures.add(fo);
            }
            r.add("failures", failures);
            r.add("diagnosis", t.diagnosis() == null ? JsonNull.INSTANCE : json(t.diagnosis()));
            rows.add(r);
        }
        o.add("tensors", rows);
        return o;
    }

    static JsonObject json(Diagnosis d) {
        JsonObject o = new JsonObject();
        o.addProperty("kind", d.kind().id());
        o.addProperty("detail", d.detail());
        o.add("ratio", number(d.ratio()));
        o.addProperty("size", d.size());
        o.addProperty("sizeMeaning", d.sizeMeaning());
        JsonArray rows = new JsonArray();
        d.wrongRows().forEach(rows::add);
        o.add("wrongRows", rows);
        JsonArray cols = new JsonArray();
        d.wrongColumns().forEach(cols::add);
        o.add("wrongColumns", cols);
        o.addProperty("missingTerm", d.missingTerm() == null ? null : d.missingTerm().id());
        o.addProperty("grouping", d.grouping());
        return o;
    }

    static JsonElement number(double v) {
        return Double.isFinite(v) ? new JsonPrimitive(v) : JsonNull.INSTANCE;
    }

    private static JsonArray pair(int a, int b) {
        JsonArray arr = new JsonArray();
        arr.add(a);
        arr.add(b);
        return arr;
    }

    static String sci(double v) {
        return String.format(Locale.ROOT, "%.1e", v);
    }

    static String sci0(double v) {
        return String.format(Locale.ROOT, "%.0e", v);
    }

    static String num(double v) {
        return String.format(Locale.ROOT, "%.6g", v);
    }

    /** Rows of cells as aligned columns, indented by two and two apart; a column is left- or right-aligned. */
    static void appendTable(StringBuilder s, List<String[]> rows, boolean[] left) {
        int[] width = new int[left.length];
        for (String[] r : rows) {
            for (int i = 0; i < r.length; i++) {
                width[i] = Math.max(width[i], r[i].length());
            }
        }
        for (String[] r : rows) {
            StringBuilder line = new StringBuilder(" ");
            for (int i = 0; i < r.length; i++) {
                String fill = " ".repeat(width[i] - r[i].length());
                line.append(' ').append(left[i] ? r[i] + fill : fill + r[i]).append(i == r.length - 1 ? "" : " ");
            }
            s.append(line.toString().stripTrailing()).append('\n');
        }
    }
}

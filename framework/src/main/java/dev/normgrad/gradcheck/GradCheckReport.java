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
 * The result of a {@link GradCheck}: one row per checked tensor (or per direction in fast mode)
 * with the largest errors, the worst entry, and how many entries failed or sat on a kink.
 * {@link #toString()} is an aligned table, {@link #toJson()} the same for an autograder, and
 * {@link #assertPassed()} throws an {@link AssertionError} carrying the table.
 *
 * <p>JSON schema ({@code "schema": "normgrad-gradcheck", "version": 1}); non-finite numbers are
 * written as {@code null}:
 * <pre>
 * { "schema": "normgrad-gradcheck", "version": 1,
 *   "mode": "full" | "fast", "passed": bool,
 *   "step": 1e-6, "atol": 1e-5, "rtol": 1e-3, "seed": long,
 *   "relativeError": number (over the tensors whose gradient is not ≈ 0), "reading": "good" | "suspicious" | "wrong",
 *   "checked": int, "failed": int, "kinks": int,
 *   "tensors": [ { "name": str, "shape": [rows, cols], "checked": int, "failed": int, "kinks": int,
 *                  "kinkOps": [str], "maxAbsError": number, "relativeError": number, "gradientIsZero": bool,
 *                  "worstIndex": [row, col], "worstAnalytic": number, "worstNumeric": number,
 *                  "failures": [ { "index": [row, col], "analytic": number, "numeric": number } ] } ] }
 * </pre>
 * {@code failures} lists at most the first {@value #MAX_LISTED_FAILURES} failing entries of a tensor.
 */
public final class GradCheckReport {
    /** How many failing entries each row lists. */
    public static final int MAX_LISTED_FAILURES = 5;
    /** cs231n's reading of the relative error: below this, good. */
    public static final double GOOD_BELOW = 1e-7;
    /** Above this, the gradient is wrong. */
    public static final double WRONG_ABOVE = 1e-4;

    /** One failing entry: where, and the two gradients. */
    public record Failure(int row, int col, double analytic, double numeric) {
    }

    /**
     * The result for one checked tensor (or one direction in fast mode).
     *
     * @param relativeError cs231n's max|a − n| / max(1e-8, max|a| + max|n|) over the non-kink entries
     * @param gradientIsZero every non-kink |a| and |n| is within the absolute tolerance: the gradient is
     *                       zero as far as finite differences can tell, and its relative error is rounding
     *                       noise over rounding noise
     * @param worstRow row of the entry furthest outside the tolerance (or with the largest error), −1 if none
     */
    public record TensorResult(String name, int rows, int cols, int checked, int failed, int kinks, List<String> kinkOps,
            double maxAbsError, double relativeError, boolean gradientIsZero, int worstRow,
            int worstCol, double worstAnalytic, double worstNumeric, List<Failure> failures) {
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

    private final String mode;
    private final double step;
    private final double atol;
    private final double rtol;
    private final long seed;
    private final List<TensorResult> tensors;

    GradCheckReport(String mode, double step, double atol, double rtol, long seed, List<TensorResult> tensors) {
        this.mode = mode;
        this.step = step;
        this.atol = atol;
        this.rtol = rtol;
        this.seed = seed;
        this.tensors = Collections.unmodifiableList(new ArrayList<>(tensors));
    }

    /** True when no entry failed (kinks do not fail). */
    public boolean passed() {
        return tensors.stream().allMatch(TensorResult::passed);
    }

    /** "full" or "fast". */
    public String mode() {
        return mode;
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

    public int failed() {
        return tensors.stream().mapToInt(TensorResult::failed).sum();
    }

    public int kinks() {
        return tensors.stream().mapToInt(TensorResult::kinks).sum();
    }

    public int checked() {
        return tensors.stream().mapToInt(TensorResult::checked).sum();
    }

    /**
     * The largest cs231n relative error over the rows whose gradient is not zero
     * ({@link TensorResult#gradientIsZero()}); 0 if every gradient is.
     */
    public double relativeError() {
        double worst = 0;
        for (TensorResult t : tensors) {
            if (t.gradientIsZero()) {
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

    /** Throws an {@link AssertionError} carrying the table unless every entry passed. */
    public GradCheckReport assertPassed() {
        if (!passed()) {
            throw new AssertionError("gradient check failed\n" + this);
        }
        return this;
    }

    /** The aligned table. */
    @Override
    public String toString() {
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "GradCheck %s (step %.0e, atol %.0e, rtol %.0e): %s, %d checked, %d failed, %d kinks%n",
                mode, step, atol, rtol, passed() ? "PASSED" : "FAILED", checked(), failed(), kinks()));
        String[] header = {"tensor", "shape", "checked", "failed", "kinks", "max abs err", "rel err", "worst at", "analytic", "numeric"};
        List<String[]> rows = new ArrayList<>();
        rows.add(header);
        for (TensorResult t : tensors) {
            rows.add(new String[] {t.name(), mode.equals("fast") ? "-" : "(" + t.rows() + "x" + t.cols() + ")",
                    String.valueOf(t.checked()), String.valueOf(t.failed()), String.valueOf(t.kinks()),
                    sci(t.maxAbsError()), sci(t.relativeError()),
                    t.worstRow() < 0 ? "-" : "[" + t.worstRow() + ", " + t.worstCol() + "]",
                    t.worstRow() < 0 ? "-" : num(t.worstAnalytic()), t.worstRow() < 0 ? "-" : num(t.worstNumeric())});
        }
        int[] width = new int[header.length];
        for (String[] r : rows) {
            for (int i = 0; i < r.length; i++) {
                width[i] = Math.max(width[i], r[i].length());
            }
        }
        for (String[] r : rows) {
            for (int i = 0; i < r.length; i++) {
                String cell = i == 0 ? pad(r[i], width[i], true) : pad(r[i], width[i], false);
                s.append(i == 0 ? "" : "  ").append(cell);
            }
            s.append('\n');
        }
        for (TensorResult t : tensors) {
            for (Failure f : t.failures()) {
                s.append(String.format(Locale.ROOT, "  FAILED %s[%d, %d]: analytic %s, numeric %s%n",
                        t.name(), f.row(), f.col(), num(f.analytic()), num(f.numeric())));
            }
            if (t.failed() > t.failures().size()) {
                s.append("  ... ").append(t.failed() - t.failures().size()).append(" more failures in ").append(t.name()).append('\n');
            }
            if (t.kinks() > 0) {
                s.append("  ").append(t.kinks()).append(" kink(s) in ").append(t.name()).append(" (not failures: the step crossed a non-differentiable point of ")
                        .append(String.join(", ", t.kinkOps())).append(")\n");
            }
        }
        List<String> zero = tensors.stream().filter(TensorResult::gradientIsZero).map(TensorResult::name).toList();
        if (!zero.isEmpty()) {
            s.append(String.format(Locale.ROOT, "  gradient ≈ 0 (every |analytic| and |numeric| within atol %.0e) for %s:"
                    + " judged by atol alone, left out of the relative error%n", atol, String.join(", ", zero)));
        }
        s.append(String.format(Locale.ROOT, "relative error %s: %s (cs231n: below 1e-7 good, above 1e-4 wrong)",
                sci(relativeError()), reading()));
        return s.toString();
    }

    /** The report as JSON (schema in the class comment). */
    public String toJson() {
        JsonObject o = new JsonObject();
        o.addProperty("schema", "normgrad-gradcheck");
        o.addProperty("version", 1);
        o.addProperty("mode", mode);
        o.addProperty("passed", passed());
        o.add("step", number(step));
        o.add("atol", number(atol));
        o.add("rtol", number(rtol));
        o.addProperty("seed", seed);
        o.add("relativeError", number(relativeError()));
        o.addProperty("reading", reading());
        o.addProperty("checked", checked());
        o.addProperty("failed", failed());
        o.addProperty("kinks", kinks());
        JsonArray rows = new JsonArray();
        for (TensorResult t : tensors) {
            JsonObject r = new JsonObject();
            r.addProperty("name", t.name());
            r.add("shape", pair(t.rows(), t.cols()));
            r.addProperty("checked", t.checked());
            r.addProperty("failed", t.failed());
            r.addProperty("kinks", t.kinks());
            JsonArray ops = new JsonArray();
            t.kinkOps().forEach(ops::add);
            r.add("kinkOps", ops);
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
            rows.add(r);
        }
        o.add("tensors", rows);
        return new GsonBuilder().setPrettyPrinting().serializeNulls().create().toJson(o);
    }

    private static JsonElement number(double v) {
        return Double.isFinite(v) ? new JsonPrimitive(v) : JsonNull.INSTANCE;
    }

    private static JsonArray pair(int a, int b) {
        JsonArray arr = new JsonArray();
        arr.add(a);
        arr.add(b);
        return arr;
    }

    private static String sci(double v) {
        return String.format(Locale.ROOT, "%.2e", v);
    }

    private static String num(double v) {
        return String.format(Locale.ROOT, "%.6g", v);
    }

    private static String pad(String s, int width, boolean left) {
        String fill = " ".repeat(Math.max(0, width - s.length()));
        return left ? s + fill : fill + s;
    }

    /** Gathers one tensor's entries into a {@link TensorResult}. */
    static final class Accumulator {
        private final String name;
        private final int rows;
        private final int cols;
        private final double atol;
        private final double rtol;
        private int checked;
        private int failed;
        private int kinks;
        private final TreeSet<String> kinkOps = new TreeSet<>();
        private double maxAbs;
        private double maxA;
        private double maxN;
        private double worstScore = Double.NEGATIVE_INFINITY;
        private int worstRow = -1;
        private int worstCol = -1;
        private double worstAnalytic;
        private double worstNumeric;
        private final List<Failure> failures = new ArrayList<>();

        Accumulator(String name, int rows, int cols, double atol, double rtol) {
            this.name = name;
            this.rows = rows;
            this.cols = cols;
            this.atol = atol;
            this.rtol = rtol;
        }

        void add(int row, int col, double analytic, double numeric, String kinkOp) {
            checked++;
            if (kinkOp != null) {
                kinks++;
                kinkOps.add(kinkOp);
                return;
            }
            double err = Math.abs(analytic - numeric);
            if (Double.isNaN(err)) {
                err = Double.POSITIVE_INFINITY;
            }
            double tolerance = atol + rtol * Math.abs(numeric);
            boolean ok = err <= tolerance;
            maxAbs = Math.max(maxAbs, err);
            maxA = Math.max(maxA, Double.isNaN(analytic) ? Double.POSITIVE_INFINITY : Math.abs(analytic));
            maxN = Math.max(maxN, Double.isNaN(numeric) ? Double.POSITIVE_INFINITY : Math.abs(numeric));
            double score = err - tolerance;
            if (Double.isNaN(score)) {
                score = Double.POSITIVE_INFINITY;
            }
            if (score > worstScore) {
                worstScore = score;
                worstRow = row;
                worstCol = col;
                worstAnalytic = analytic;
                worstNumeric = numeric;
            }
            if (!ok) {
                failed++;
                if (failures.size() < MAX_LISTED_FAILURES) {
                    failures.add(new Failure(row, col, analytic, numeric));
                }
            }
        }

        TensorResult result() {
            double rel = maxAbs / Math.max(1e-8, maxA + maxN);
            if (Double.isNaN(rel)) {
                rel = Double.POSITIVE_INFINITY;
            }
            boolean zero = maxA <= atol && maxN <= atol && failed == 0;
            return new TensorResult(name, rows, cols, checked, failed, kinks, List.copyOf(kinkOps), maxAbs, rel, zero,
                    worstRow, worstCol, worstAnalytic, worstNumeric, List.copyOf(failures));
        }
    }
}

package dev.normgrad.gradcheck;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The result of {@link GradCheck#locate}: every op of a graph checked on its own, in forward
 * order, and {@link #firstWrongOp()} — the first op whose backward disagrees with its own forward,
 * named by its class, the module that created it ({@code "layers.3 (LayerNorm)"}), its input
 * shapes, and the {@link Diagnosis} of its gradient check. Ops after a wrong one are checked too (on
 * the values the forward gave them), so the report also says whether it is the only one.
 *
 * <p>JSON schema ({@code "schema": "normgrad-graphcheck", "version": 1}):
 * <pre>
 * { "schema": "normgrad-graphcheck", "version": 1,
 *   "mode": "full" | "fast",           how each op was checked
 *   "passed": bool,                    no op failed
 *   "step": 1e-6, "atol": 1e-5, "rtol": 1e-3, "seed": long,
 *   "ops": int, "checked": int, "failed": int, "notChecked": int,
 *   "firstWrongOp": int | null,        the index of the first failed op
 *   "nodes": [ {
 *     "index": int,                    forward order, from 1
 *     "op": str, "class": str,         the op's name and its class's simple name
 *     "module": str,                   where it was created: "layers.3 (LayerNorm)", "the model (Net)", "your function"
 *     "modulePath": str | null,        that module's path in the model ("" for the model itself)
 *     "inputShapes": [str],            "(4x8)"
 *     "checkedInputs": [int],          the inputs checked (they required grad); the others were held fixed
 *     "status": "passed" | "failed" | "not checked",
 *     "reason": str | null,            why it failed with an error, or was not checked
 *     "diagnosis": null | { ... },     the first failing tensor's, as in normgrad-gradcheck
 *     "check": null | { ... } } ] }    the op's own report, schema normgrad-gradcheck
 * </pre>
 */
public final class GraphCheckReport {
    /** The JSON schema's version. */
    public static final int JSON_VERSION = 1;

    /** How one op came out. */
    public enum Status {
        PASSED, FAILED, NOT_CHECKED;

        /** The name in JSON: {@code passed}, {@code failed}, {@code not checked}. */
        public String id() {
            return name().toLowerCase(Locale.ROOT).replace('_', ' ');
        }
    }

    /**
     * One op of the graph, checked on its own recorded inputs.
     *
     * @param index         its place in forward order, from 1
     * @param op            the op's name ({@code "linear"}, {@code "normalize"})
     * @param opClass       its class's simple name ({@code "LinearOp"})
     * @param module        where it was created: {@code "layers.3 (LayerNorm)"}, {@code "the model (MyNet)"},
     *                      {@code "a LayerNorm"} (a module outside the model checked), {@code "your function"}
     * @param modulePath    that module's path in the model ({@code "layers.3"}, {@code ""} for the model itself);
     *                      null when not known
     * @param inputShapes   the shapes of its inputs, {@code "(4x8)"}
     * @param checkedInputs the inputs checked (those that required grad); the others were held as recorded
     * @param status        passed, failed, or not checked
     * @param reason        why it failed with an error, or was not checked; null otherwise
     * @param check         its own gradient check; null when it was not checked or its backward threw
     */
    public record Node(int index, String op, String opClass, String module, String modulePath, List<String> inputShapes,
            List<Integer> checkedInputs, Status status, String reason, GradCheckReport check) {
        public Node {
            inputShapes = List.copyOf(inputShapes);
            checkedInputs = List.copyOf(checkedInputs);
        }

        /** The diagnosis of its first failing tensor; null when it passed, was not checked, or its backward threw. */
        public Diagnosis diagnosis() {
            if (check == null) {
                return null;
            }
            return check.tensors().stream().filter(t -> !t.passed() && t.diagnosis() != null)
                    .map(GradCheckReport.TensorResult::diagnosis).findFirst().orElse(null);
        }

        /** {@code #6 normalize (NormalizeOp) in 1 (LayerNorm), inputs (4x8), (1x8), (1x8): FAILED — ...}. */
        @Override
        public String toString() {
            String head = "#" + index + " " + op + " (" + opClass + ") in " + module + ", inputs " + String.join(", ", inputShapes)
                    + ": " + status.id().toUpperCase(Locale.ROOT);
            if (status == Status.PASSED) {
                return head;
            }
            Diagnosis d = diagnosis();
            return head + " — " + (d != null ? d.detail() : reason != null ? reason : check != null ? summary(check) : "");
        }
    }

    private final String mode;
    private final double step;
    private final double atol;
    private final double rtol;
    private final long seed;
    private final List<Node> nodes;

    GraphCheckReport(String mode, double step, double atol, double rtol, long seed, List<Node> nodes) {
        this.mode = mode;
        this.step = step;
        this.atol = atol;
        this.rtol = rtol;
        this.seed = seed;
        this.nodes = Collections.unmodifiableList(new ArrayList<>(nodes));
    }

    /** Every op of the graph, in forward order. */
    public List<Node> nodes() {
        return nodes;
    }

    /** The first op, in forward order, whose backward disagrees with its forward; empty when none does. */
    public Optional<Node> firstWrongOp() {
        return nodes.stream().filter(n -> n.status() == Status.FAILED).findFirst();
    }

    /** True when no op failed (an op that could not be checked is counted in {@link #notChecked()}). */
    public boolean passed() {
        return firstWrongOp().isEmpty();
    }

    /** "full" or "fast": how each op was checked. */
    public String mode() {
        return mode;
    }

    public long seed() {
        return seed;
    }

    /** Ops checked (passed or failed). */
    public int checked() {
        return (int) nodes.stream().filter(n -> n.status() != Status.NOT_CHECKED).count();
    }

    public int failed() {
        return (int) nodes.stream().filter(n -> n.status() == Status.FAILED).count();
    }

    public int notChecked() {
        return (int) nodes.stream().filter(n -> n.status() == Status.NOT_CHECKED).count();
    }

    /** Throws an {@link AssertionError} carrying the report unless no op failed. */
    public GraphCheckReport assertPassed() {
        if (!passed()) {
            throw new AssertionError("a wrong op in the graph\n" + this);
        }
        return this;
    }

    // ------------------------------------------------------------------ text

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("GradCheck.locate: ");
        Optional<Node> wrong = firstWrongOp();
        if (wrong.isPresent()) {
            Node n = wrong.get();
            s.append("FAILED — the first wrong op is #").append(n.index()).append(" of ").append(nodes.size()).append(": ")
                    .append(n.op()).append(" (").append(n.opClass()).append("), created in ").append(n.module())
                    .append(", inputs ").append(String.join(", ", n.inputShapes())).append('\n');
            Diagnosis d = n.diagnosis();
            s.append("  ").append(d != null ? "diagnosis: " + d.detail() : n.reason() != null ? n.reason()
                    : summary(n.check())).append('\n');
        } else {
            s.append("PASSED — ").append(checked() == nodes.size() ? "all " + nodes.size() + " ops" : checked() + " of " + nodes.size()
                    + " ops").append(" passed, each checked on its own");
            if (notChecked() > 0) {
                s.append("; ").append(notChecked()).append(" not checked (below)");
            }
            s.append('\n');
        }
        s.append(String.format(Locale.ROOT, "  each op's backward against central differences of its forward alone, on the inputs it "
                + "was given, in forward order (%s check per op: |analytic − numeric| ≤ atol + rtol·|numeric|, atol %s, rtol %s; "
                + "step %s, seed %d)%n", mode, GradCheckReport.sci0(atol), GradCheckReport.sci0(rtol), GradCheckReport.sci0(step), seed));
        String[] header = {"#", "op", "class", "created in", "inputs", "result"};
        List<String[]> rows = new ArrayList<>();
        rows.add(header);
        for (Node n : nodes) {
            String result = switch (n.status()) {
                case PASSED -> "passed, " + n.check().checked() + (mode.equals("fast") ? " directions" : " entries");
                case FAILED -> "FAILED" + (n.check() != null ? ": " + failing(n.check()) : ": its backward threw");
                case NOT_CHECKED -> "not checked";
            };
            rows.add(new String[] {String.valueOf(n.index()), n.op(), n.opClass(), n.module(), String.join(", ", n.inputShapes()), result});
        }
        GradCheckReport.appendTable(s, rows, new boolean[] {false, true, true, true, true, true});
        for (Node n : nodes) {
            if (n.status() == Status.NOT_CHECKED) {
                s.append("  #").append(n.index()).append(" not checked: ").append(n.reason()).append('\n');
            }
        }
        if (wrong.isPresent()) {
            List<Node> later = nodes.stream().filter(n -> n.status() == Status.FAILED && n.index() > wrong.get().index()).toList();
            s.append("  after it: ").append(later.isEmpty() ? "no other op is wrong"
                    : later.size() + " more wrong (" + String.join(", ", later.stream().map(n -> "#" + n.index() + " " + n.op()).toList()) + ")");
            s.append('\n');
        }
        return s.toString().stripTrailing();
    }

    /** "32 of 48 entries, in 'input 0'". */
    private static String failing(GradCheckReport r) {
        List<String> names = r.tensors().stream().filter(t -> !t.passed()).map(t -> "'" + t.name() + "'").toList();
        if (!r.repeatable()) {
            return "not repeatable";
        }
        return r.failed() + " of " + r.checked() + (r.mode().equals("fast") ? " directions" : " entries, in " + String.join(" and ", names));
    }

    private static String summary(GradCheckReport r) {
        return r == null ? "" : r.repeatable() ? failing(r) : r.notRepeatable().detail();
    }

    // ------------------------------------------------------------------ JSON

    /** The report as JSON (schema in the class comment). */
    public String toJson() {
        JsonObject o = new JsonObject();
        o.addProperty("schema", "normgrad-graphcheck");
        o.addProperty("version", JSON_VERSION);
        o.addProperty("mode", mode);
        o.addProperty("passed", passed());
        o.add("step", GradCheckReport.number(step));
        o.add("atol", GradCheckReport.number(atol));
        o.add("rtol", GradCheckReport.number(rtol));
        o.addProperty("seed", seed);
        o.addProperty("ops", nodes.size());
        o.addProperty("checked", checked());
        o.addProperty("failed", failed());
        o.addProperty("notChecked", notChecked());
        o.add("firstWrongOp", firstWrongOp().<com.google.gson.JsonElement>map(n -> new com.google.gson.JsonPrimitive(n.index()))
                .orElse(JsonNull.INSTANCE));
        JsonArray list = new JsonArray();
        for (Node n : nodes) {
            JsonObject j = new JsonObject();
            j.addProperty("index", n.index());
            j.addProperty("op", n.op());
            j.addProperty("class", n.opClass());
            j.addProperty("module", n.module());
            j.addProperty("modulePath", n.modulePath());
            JsonArray shapes = new JsonArray();
            n.inputShapes().forEach(shapes::add);
            j.add("inputShapes", shapes);
            JsonArray checkedInputs = new JsonArray();
            n.checkedInputs().forEach(checkedInputs::add);
            j.add("checkedInputs", checkedInputs);
            j.addProperty("status", n.status().id());
            j.addProperty("reason", n.reason());
            j.add("diagnosis", n.diagnosis() == null ? JsonNull.INSTANCE : GradCheckReport.json(n.diagnosis()));
            j.add("check", n.check() == null ? JsonNull.INSTANCE : n.check().toJsonObject());
            list.add(j);
        }
        o.add("nodes", list);
        return new GsonBuilder().setPrettyPrinting().serializeNulls().disableHtmlEscaping().create().toJson(o);
    }
}

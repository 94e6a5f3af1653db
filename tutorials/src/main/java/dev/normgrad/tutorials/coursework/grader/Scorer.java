package dev.normgrad.tutorials.coursework.grader;

import dev.normgrad.tutorials.coursework.Assignment;
import dev.normgrad.tutorials.coursework.Case;
import dev.normgrad.tutorials.coursework.sandbox.CaseResult;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.ejml.data.DMatrixRMaj;

/**
 * Scores one case: compares what the submission produced with what the reference produced, in the
 * grader's process, test by test, and says in words what is wrong with each test lost.
 *
 * <p>For a gradient, in this order: it did not run (the phase's one-line reason); non-finite entries;
 * a buffer replaced by one of another shape (transposed, or simply wrong); the right gradient written
 * over the buffer instead of added into it (every input starts with a known gradient, the preseed, so
 * this shows); a parameter's gradient holding only the last row's contribution (= where += belongs in
 * the sum over the batch); an output's upstream gradient ignored; one of the assignment's known
 * mistakes, matched exactly; then GradCheck's diagnosis of the error's shape ({@link TensorDiagnosis}).
 */
final class Scorer {
    private final Assignment assignment;
    private final Assignment.Reference reference;

    Scorer(Assignment assignment, Assignment.Reference reference) {
        this.assignment = assignment;
        this.reference = reference;
    }

    /**
     * @param run       the submission's forward and backward on {@code c}
     * @param gradCheck its GradCheck run, or null if the case has none
     * @param expected  the reference's run (no preseed)
     * @param preseed   the gradient each input started with in {@code run}
     */
    List<GradeReport.TestResult> score(Case c, CaseResult run, CaseResult gradCheck, CaseResult expected, List<DMatrixRMaj> preseed) {
        List<GradeReport.TestResult> results = new ArrayList<>();
        for (Assignment.Test t : assignment.tests(c)) {
            Verdict v = t.kind() == Assignment.Test.Kind.GRADCHECK ? gradCheck(gradCheck) : judge(t, c, run, expected, preseed);
            results.add(new GradeReport.TestResult(c.title(), t.label(), v.passed ? t.points() : 0, t.points(), v.passed,
                    v.passed ? "ok" : v.feedback, v.passed ? null : v.kind));
        }
        return results;
    }

    private record Verdict(boolean passed, String feedback, String kind) {
        static final Verdict PASS = new Verdict(true, "ok", null);

        static Verdict fail(String kind, String feedback) {
            return new Verdict(false, feedback, kind);
        }
    }

    private Verdict judge(Assignment.Test t, Case c, CaseResult run, CaseResult expected, List<DMatrixRMaj> preseed) {
        if (run.failedPhase() == CaseResult.Phase.AFTER) {
            return Verdict.fail("did_not_run", run.failure());
        }
        switch (t.kind()) {
            case FORWARD -> {
                if (run.output() == null) {
                    return notRun(run);
                }
                return compare(run.output(), expected.output(), "the forward's output y", null, c, "y", expected.output());
            }
            case STATE -> {
                if (run.state() == null) {
                    return notRun(run);
                }
                int k = assignment.stateNames().indexOf(t.target());
                return compare(run.state().get(k), expected.state().get(k), t.target(), null, c, t.target(), expected.state().get(k));
            }
            case GRADIENT -> {
                if (run.gradients() == null) {
                    return notRun(run);
                }
                int i = c.indexOf(t.target());
                return gradient(c, t.target(), run.gradients().get(i), preseed.get(i), expected.gradients().get(i));
            }
            default -> throw new IllegalStateException(t.kind().toString());
        }
    }

    private Verdict gradient(Case c, String input, DMatrixRMaj raw, DMatrixRMaj preseed, DMatrixRMaj expected) {
        Assignment.TensorSpec spec = assignment.spec(c, input);
        String name = "dL/d" + spec.symbol();
        if (raw == null) {
            return Verdict.fail("zero", "your backward never wrote " + name);
        }
        String nonFinite = nonFinite(raw, name);
        if (nonFinite != null) {
            return Verdict.fail("non_finite", nonFinite);
        }
        if (raw.numRows != expected.numRows || raw.numCols != expected.numCols) {
            // the engine refuses a backward that leaves a buffer in another shape: a last line of defence
            return Verdict.fail("wrong_shape", "your " + name + " is " + TensorDiagnosis.shape(raw) + " but " + spec.symbol() + " is "
                    + TensorDiagnosis.shape(expected) + ": the backward replaced the buffer it was given; add into it instead");
        }
        DMatrixRMaj added = raw.copy();
        if (preseed != null) {
            for (int k = 0; k < added.getNumElements(); k++) {
                added.data[k] -= preseed.data[k];
            }
        }
        if (TensorDiagnosis.agree(added, expected)) {
            return Verdict.PASS;
        }
        if (preseed != null && same(raw, expected)) {
            return Verdict.fail("overwritten", "your " + name + " is right, but it overwrites the gradient buffer instead of adding "
                    + "into it: gradients accumulate (an input used twice gets both contributions), so write += where you wrote =");
        }
        if (spec.parameter() && c.gradOutput().numRows > 1) {
            DMatrixRMaj lastRow = lastRowOnly(c, input);
            if (lastRow != null && (same(raw, lastRow) || same(added, lastRow))) {
                return Verdict.fail("last_row_only", "your " + name + " holds only the last row's contribution: in the sum over the "
                        + "batch, = where += belongs");
            }
        }
        if (c.gradOutput().getNumElements() == 1 && Math.abs(c.gradOutput().data[0] - 1) > 1e-9) {
            double upstream = c.gradOutput().data[0];
            DMatrixRMaj unscaled = expected.copy();
            for (int k = 0; k < unscaled.getNumElements(); k++) {
                unscaled.data[k] /= upstream;
            }
            if (same(added, unscaled)) {
                return Verdict.fail("upstream_ignored", "your " + name + " ignores dy, the gradient arriving from above (here "
                        + TensorDiagnosis.num(upstream) + "): multiply by it; it is 1 only when this op's output is the final loss");
            }
        }
        return compare(added, expected, name, spec, c, input, c.input(input));
    }

    /**
     * A known mistake, else GradCheck's diagnosis of the error.
     *
     * @param values the tensor's own values, for the diagnosis
     */
    private Verdict compare(DMatrixRMaj actual, DMatrixRMaj expected, String name, Assignment.TensorSpec spec, Case c, String target,
            DMatrixRMaj values) {
        if (TensorDiagnosis.agree(actual, expected)) {
            return Verdict.PASS;
        }
        String nonFinite = nonFinite(actual, name);
        if (nonFinite != null) {
            return Verdict.fail("non_finite", nonFinite);
        }
        for (Assignment.KnownMistake m : assignment.knownMistakes()) {
            if (m.target().equals(target)) {
                DMatrixRMaj wrong = m.value().of(c, reference);
                if (wrong != null && !TensorDiagnosis.agree(wrong, expected) && same(actual, wrong)) {
                    return Verdict.fail("known_mistake", m.sentence());
                }
            }
        }
        if (actual.numRows != expected.numRows || actual.numCols != expected.numCols) {
            return Verdict.fail("wrong_shape", "your " + name + " is " + TensorDiagnosis.shape(actual) + " where "
                    + TensorDiagnosis.shape(expected) + " is expected");
        }
        TensorDiagnosis.Result d = TensorDiagnosis.diagnose(actual, expected,
                new TensorDiagnosis.Context(spec == null ? target : spec.symbol(), values, assignment.sizes(c)));
        String sentence = d.sentence();
        if (spec != null && d.kind().equals("partial")) {
            sentence += blocks(d.rows(), spec.rowBlocks(), "rows") + blocks(d.columns(), spec.columnBlocks(), "columns");
        }
        return Verdict.fail(d.kind(), sentence);
    }

    /** Equal up to rounding, judged from either side (a wrong answer of 1e100 must not match everything). */
    private static boolean same(DMatrixRMaj a, DMatrixRMaj b) {
        return TensorDiagnosis.agree(a, b) && TensorDiagnosis.agree(b, a);
    }

    /** " (the wrong rows are those of the z gate)" when the wrong indices are whole named blocks. */
    private static String blocks(List<Integer> wrong, List<Assignment.Block> blocks, String what) {
        if (wrong.isEmpty() || blocks.isEmpty()) {
            return "";
        }
        Set<String> labels = new LinkedHashSet<>();
        for (int w : wrong) {
            for (Assignment.Block b : blocks) {
                if (w >= b.from() && w < b.to()) {
                    labels.add(b.label());
                }
            }
        }
        return labels.isEmpty() ? "" : "; the wrong " + what + " are those of " + String.join(" and ", labels);
    }

    /** The reference's gradient of {@code input} with dL/dy kept only in the last row. */
    private DMatrixRMaj lastRowOnly(Case c, String input) {
        DMatrixRMaj dy = new DMatrixRMaj(c.gradOutput().numRows, c.gradOutput().numCols);
        int last = dy.numRows - 1;
        for (int j = 0; j < dy.numCols; j++) {
            dy.set(last, j, c.gradOutput().get(last, j));
        }
        CaseResult r = reference.run(c.withGradOutput(dy));
        return r.gradients() == null ? null : r.gradients().get(c.indexOf(input));
    }

    private static Verdict gradCheck(CaseResult r) {
        if (r != null && r.failedPhase() == CaseResult.Phase.AFTER) {
            return Verdict.fail("did_not_run", r.failure());
        }
        if (r == null || r.gradCheckPassed() == null) {
            return r == null ? Verdict.fail("did_not_run", "GradCheck did not run") : notRun(r);
        }
        if (r.gradCheckPassed()) {
            return Verdict.PASS;
        }
        return Verdict.fail("gradcheck_failed", "GradCheck fails on your forward and backward (central differences of your "
                + "forward disagree with your backward):\n" + r.gradCheckText().strip());
    }

    private static Verdict notRun(CaseResult r) {
        if (r.failedPhase() == null) {
            return Verdict.fail("did_not_run", "did not get that far");
        }
        String reason = r.failure();
        boolean self = reason.contains("not written yet") || reason.startsWith("did not") || reason.startsWith("the JVM")
                || r.failedPhase() == CaseResult.Phase.AFTER;
        return Verdict.fail("did_not_run", self ? reason : "the " + r.failedPhase() + " " + reason);
    }

    private static String nonFinite(DMatrixRMaj m, String name) {
        for (int k = 0; k < m.getNumElements(); k++) {
            double v = m.data[k];
            if (!Double.isFinite(v)) {
                return "your " + name + " holds " + (Double.isNaN(v) ? "NaN" : v > 0 ? "+Infinity" : "-Infinity") + " at ["
                        + k / m.numCols + ", " + k % m.numCols + "]: an overflow (exp of a large number: subtract each row's maximum "
                        + "first?) or a division by zero";
            }
        }
        return null;
    }
}

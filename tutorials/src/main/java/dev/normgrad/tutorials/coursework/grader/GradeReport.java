package dev.normgrad.tutorials.coursework.grader;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.util.List;
import dev.normgrad.tutorials.coursework.Assignment;
import java.util.Locale;

/**
 * The grade of one submission: a score per test, with feedback in plain words for every test lost.
 * Three forms: {@link #toString()}, the text a student reads; {@link #toJson()}, NormGrad's result
 * file ({@code "schema": "normgrad-grade", "version": 1}); {@link #toGradescopeJson()}, Gradescope's
 * {@code results.json}.
 *
 * <p>The JSON result file's fields: {@code schema}, {@code version}; {@code assignment} (its name),
 * {@code title}; {@code submission} (the folder as given); {@code tests} ("public" or "hidden");
 * {@code status} — "graded", "compile error", "integrity" (it hands the work to NormGrad, or uses
 * reflection: 0), "bad submission" (no source, two candidate classes: 0), "internal error" (0);
 * {@code message} (one line, for any status but graded); {@code details} (the compiler's messages, the
 * integrity findings); {@code gradedClass}; {@code score}, {@code maxScore}; and {@code results}, one
 * per test: {@code name}, {@code case}, {@code check}, {@code points}, {@code maxPoints},
 * {@code passed}, {@code feedback}, {@code diagnosis} ({@code kind} and {@code detail}, or null when
 * passed). The kinds: GradCheck's ({@code constant_ratio}, {@code sign_flip}, {@code transposed},
 * {@code zero}, {@code partial}, {@code missing_term}, {@code unstructured}: the shape of the error)
 * and the grader's own — {@code did_not_run} (an exception, a limit, the sandbox: the one-line reason),
 * {@code non_finite}, {@code wrong_shape}, {@code overwritten} (= where += belongs),
 * {@code last_row_only}, {@code upstream_ignored}, {@code known_mistake} (one of the assignment's classic
 * mistakes, recognised exactly) and {@code gradcheck_failed}.
 */
public final class GradeReport {
    /** How far grading got. */
    public enum Status {
        GRADED("graded"), COMPILE_ERROR("compile error"), INTEGRITY("integrity"), BAD_SUBMISSION("bad submission"),
        INTERNAL_ERROR("internal error");

        private final String words;

        Status(String words) {
            this.words = words;
        }

        public String words() {
            return words;
        }
    }

    /**
     * One test's outcome.
     *
     * @param caseTitle "hidden 1 (5x7, odd and non-square)"
     * @param check     "dL/dγ", "runningVar", "forward", "GradCheck"
     * @param feedback  what the student reads: "ok", or what is wrong
     * @param kind      the diagnosis kind ("constant ratio", "overwritten", "did not run"...), null when passed
     */
    public record TestResult(String caseTitle, String check, double points, double maxPoints, boolean passed, String feedback,
            String kind) {
        public String name() {
            return caseTitle + ": " + check;
        }
    }

    public static final String SCHEMA = "normgrad-grade";
    public static final int VERSION = 1;

    private final String assignment;
    private final String title;
    private final String submission;
    private final boolean publicTests;
    private final Status status;
    private final String message;
    private final List<String> details;
    private final String gradedClass;
    private final List<TestResult> results;

    GradeReport(String assignment, String title, String submission, boolean publicTests, Status status, String message,
            List<String> details, String gradedClass, List<TestResult> results) {
        this.assignment = assignment;
        this.title = title;
        this.submission = submission;
        this.publicTests = publicTests;
        this.status = status;
        this.message = message;
        this.details = List.copyOf(details);
        this.gradedClass = gradedClass;
        this.results = List.copyOf(results);
    }

    /** A report for a command line that could not even name a known assignment: no tests, the message. */
    public static GradeReport forBadInput(String assignment, String submission, boolean publicTests, String message) {
        return new GradeReport(assignment, assignment, submission, publicTests, Status.BAD_SUBMISSION, message, List.of(), null, List.of());
    }

    /** A report for a submission that could not be graded at all: every test 0, for the reason given. */
    static GradeReport ungraded(String assignment, String title, String submission, boolean publicTests, Status status,
            String message, List<String> details, List<TestResult> notRun) {
        return new GradeReport(assignment, title, submission, publicTests, status, message, details, null, notRun);
    }

    public String assignment() {
        return assignment;
    }

    public Status status() {
        return status;
    }

    /** One line, for any status but {@link Status#GRADED}; else null. */
    public String message() {
        return message;
    }

    public List<String> details() {
        return details;
    }

    public List<TestResult> results() {
        return results;
    }

    /** The test called {@code name} ("hidden 1 (…): dL/dx"). */
    public TestResult result(String name) {
        return results.stream().filter(r -> r.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no test named " + name));
    }

    public double score() {
        return results.stream().mapToDouble(TestResult::points).sum();
    }

    public double maxScore() {
        return results.stream().mapToDouble(TestResult::maxPoints).sum();
    }

    /** True when every point was earned (and there were points to earn). */
    public boolean fullMarks() {
        return status == Status.GRADED && maxScore() > 0 && score() == maxScore();
    }

    /** The feedback a student reads. */
    @Override
    public String toString() {
        StringBuilder s = new StringBuilder();
        s.append(title).append(" (").append(assignment).append("), ").append(publicTests ? "public" : "graded").append(" tests: ")
                .append(submission).append(gradedClass == null ? "" : ", class " + gradedClass).append('\n');
        s.append("score ").append(Assignment.points(score())).append(" / ").append(Assignment.points(maxScore())).append('\n');
        if (message != null) {
            s.append('\n').append(message).append('\n');
        }
        for (String d : details) {
            s.append("  ").append(d.replace("\n", "\n  ")).append('\n');
        }
        if (status == Status.GRADED) {
            s.append('\n');
            for (TestResult r : results) {
                if (r.passed() && r.maxPoints() == 0) {
                    continue;   // a check worth nothing (the given forward) is shown only when it fails
                }
                s.append(String.format(Locale.ROOT, "  %-6s %5s %s%n", r.passed() ? "ok" : "FAILED",
                        Assignment.points(r.points()) + "/" + Assignment.points(r.maxPoints()), r.name()));
                if (!r.passed()) {
                    s.append("               ").append(r.feedback().replace("\n", "\n               ")).append('\n');
                }
            }
        }
        return s.toString();
    }

    /** NormGrad's result file (see the class comment). */
    public String toJson() {
        JsonObject o = new JsonObject();
        o.addProperty("schema", SCHEMA);
        o.addProperty("version", VERSION);
        o.addProperty("assignment", assignment);
        o.addProperty("title", title);
        o.addProperty("submission", submission);
        o.addProperty("tests", publicTests ? "public" : "hidden");
        o.addProperty("status", status.words());
        o.addProperty("message", message);
        JsonArray d = new JsonArray();
        details.forEach(d::add);
        o.add("details", d);
        o.addProperty("gradedClass", gradedClass);
        o.addProperty("score", score());
        o.addProperty("maxScore", maxScore());
        JsonArray tests = new JsonArray();
        for (TestResult r : results) {
            JsonObject t = new JsonObject();
            t.addProperty("name", r.name());
            t.addProperty("case", r.caseTitle());
            t.addProperty("check", r.check());
            t.addProperty("points", r.points());
            t.addProperty("maxPoints", r.maxPoints());
            t.addProperty("passed", r.passed());
            t.addProperty("feedback", r.feedback());
            if (r.passed()) {
                t.add("diagnosis", null);
            } else {
                JsonObject diagnosis = new JsonObject();
                diagnosis.addProperty("kind", r.kind());
                diagnosis.addProperty("detail", r.feedback());
                t.add("diagnosis", diagnosis);
            }
            tests.add(t);
        }
        o.add("results", tests);
        return gson(o);
    }

    /**
     * Gradescope's {@code results.json}: {@code score}, {@code output} (the summary), and {@code tests[]}
     * with {@code name}, {@code score}, {@code max_score}, {@code status}, {@code output} and
     * {@code visibility} (every test is visible: the inputs are hidden, what went wrong is not).
     */
    public String toGradescopeJson() {
        JsonObject o = new JsonObject();
        o.addProperty("score", score());
        StringBuilder summary = new StringBuilder(title + ": " + Assignment.points(score()) + " / " + Assignment.points(maxScore()));
        if (message != null) {
            summary.append("\n\n").append(message);
        }
        for (String d : details) {
            summary.append("\n").append(d);
        }
        o.addProperty("output", summary.toString());
        o.addProperty("visibility", "visible");
        o.addProperty("stdout_visibility", "hidden");
        JsonArray tests = new JsonArray();
        for (TestResult r : results) {
            JsonObject t = new JsonObject();
            t.addProperty("name", r.name());
            t.addProperty("score", r.points());
            t.addProperty("max_score", r.maxPoints());
            t.addProperty("status", r.passed() ? "passed" : "failed");
            t.addProperty("output", r.feedback());
            t.addProperty("visibility", "visible");
            tests.add(t);
        }
        o.add("tests", tests);
        return gson(o);
    }

    private static String gson(JsonObject o) {
        return new GsonBuilder().setPrettyPrinting().serializeNulls().disableHtmlEscaping().create().toJson(o) + "\n";
    }
}

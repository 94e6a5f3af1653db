package dev.normgrad.tutorials.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.normgrad.tutorials.coursework.Assignment;
import dev.normgrad.tutorials.coursework.Assignments;
import dev.normgrad.tutorials.coursework.Handout;
import dev.normgrad.tutorials.coursework.assignments.LayerNormAssignment;
import dev.normgrad.tutorials.coursework.grader.Submissions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code normgrad grade}: through the child JVM, on whole submission folders; bad input; result files; batch mode. */
class GradeCommandTest {
    private static final Assignment LAYERNORM = new LayerNormAssignment();

    @TempDir
    Path dir;

    private static JsonObject json(Path file) throws IOException {
        return JsonParser.parseString(Files.readString(file)).getAsJsonObject();
    }

    @Test
    void everyAssignmentsSolutionScoresFullMarksAndItsUntouchedHandoutZero() throws IOException {
        for (Assignment a : Assignments.all()) {
            Path solution = Submissions.solution(a).writeTo(dir, a.name() + "-solution");
            CliRun full = CliRun.run(dir, "grade", solution.toString(), "--assignment", a.name(), "--results", a.name() + "-solution.json");
            assertEquals(Cli.OK, full.status(), full::toString);
            String max = Assignment.points(a.maxScore(a.hiddenCases(Assignment.DEFAULT_HIDDEN_SEED)));
            assertTrue(full.out().contains("score " + max + " / " + max), full::toString);
            JsonObject result = json(dir.resolve(a.name() + "-solution.json"));
            assertEquals(result.get("maxScore").getAsDouble(), result.get("score").getAsDouble());

            Path handout = Submissions.handout(a).writeTo(dir, a.name() + "-handout");
            CliRun zero = CliRun.run(dir, "grade", handout.toString(), "--assignment", a.name(), "--results", a.name() + "-handout.json");
            assertEquals(Cli.CHECK_FAILED, zero.status(), zero::toString);
            assertTrue(zero.out().contains("score 0 / " + max), zero::toString);
            assertTrue(zero.out().contains(a.className() + (a.stateNames().isEmpty() ? ".backward" : ".updateRunningStatistics")
                    + ": not written yet"), zero::toString);
            assertEquals("graded", json(dir.resolve(a.name() + "-handout.json")).get("status").getAsString());
        }
    }

    @Test
    void aClassicMistakeIsNamedInTheFeedbackAndTheOtherTestsKeepTheirPoints() throws IOException {
        Path folder = Submissions.solution(LAYERNORM).replace("dx[2].data[j] += dy.get(i, j);", "dx[2].data[j] += dy.get(i, j) / n;")
                .writeTo(dir, "mean");
        CliRun r = CliRun.run(dir, "grade", folder.toString(), "--assignment", "layernorm");
        assertEquals(Cli.CHECK_FAILED, r.status(), r::toString);
        assertTrue(r.out().contains("score 12 / 18"), r::toString);
        assertTrue(r.out().contains("the gradient of 'β' is 5 times too small (yours = 0.2 × expected on every entry); 5 = N, the batch "
                + "size: a mean where a sum belongs (one division by 5 too many)?"), r::toString);
        assertTrue(r.out().contains("ok       2/2 hidden 1 (5x7, odd and non-square): dL/dx"), r::toString);
    }

    @Test
    void thePublicTestsRunTheCasesTheReadmeLists() throws IOException {
        Path folder = Submissions.solution(LAYERNORM).writeTo(dir, "mine");
        CliRun r = CliRun.run(dir, "grade", folder.toString(), "--assignment", "layernorm", "--public");
        assertEquals(Cli.OK, r.status(), r::toString);
        assertTrue(r.out().contains("public tests") && r.out().contains("public 1 (a 4x6 batch): dL/dx"), r::toString);
        assertFalse(r.out().contains("hidden"), r::toString);
        assertTrue(new Handout(LAYERNORM, false).readme().contains("| public 1 (a 4x6 batch) | dL/dx, dL/dγ, dL/dβ, GradCheck | 6 |"));
    }

    @Test
    void theHiddenCasesFollowTheSeedFromTheOptionOrTheEnvironment() throws IOException {
        Path folder = Submissions.solution(LAYERNORM).writeTo(dir, "mine");
        CliRun byOption = CliRun.run(dir, "grade", folder.toString(), "--assignment", "layernorm", "--seed", "7");
        CliRun byEnvironment = CliRun.run(dev.normgrad.io.LayerRegistry.standard(), dir, java.util.Map.of("NORMGRAD_GRADE_SEED", "7"),
                "grade", folder.toString(), "--assignment", "layernorm");
        CliRun byDefault = CliRun.run(dir, "grade", folder.toString(), "--assignment", "layernorm");
        assertEquals(byOption.out(), byEnvironment.out());
        assertTrue(!byOption.out().equals(byDefault.out()), "another seed, other sizes: " + byOption.out());
    }

    @Test
    void gradescopesResultsJsonHasTheScoreAndOneEntryPerTest() throws IOException {
        Path folder = Submissions.solution(LAYERNORM).replace("dx[2].data[j] += dy.get(i, j);", "dx[2].data[j] = dy.get(i, j);")
                .writeTo(dir, "assign");
        CliRun r = CliRun.run(dir, "grade", folder.toString(), "--assignment", "layernorm", "--gradescope", "--results", "out/results.json");
        assertEquals(Cli.CHECK_FAILED, r.status(), r::toString);
        JsonObject results = json(dir.resolve("out/results.json"));
        assertEquals(12.0, results.get("score").getAsDouble());
        assertTrue(results.get("output").getAsString().startsWith("LayerNorm backward: 12 / 18"));
        int tests = 0;
        for (JsonElement e : results.getAsJsonArray("tests")) {
            JsonObject t = e.getAsJsonObject();
            for (String field : List.of("name", "score", "max_score", "output", "visibility", "status")) {
                assertTrue(t.has(field), () -> field + " in " + t);
            }
            if (t.get("name").getAsString().endsWith("dL/dβ")) {
                assertEquals(0.0, t.get("score").getAsDouble());
                assertTrue(t.get("output").getAsString().contains("only the last row's contribution"), t::toString);
            }
            tests++;
        }
        assertEquals(17, tests, "4 cases of forward, dL/dx, dL/dγ, dL/dβ, and one GradCheck");
    }

    @Test
    void aNotebookIsASubmissionToo() throws IOException {
        Path folder = Files.createDirectories(dir.resolve("notebook"));
        Handout.NotebookJars jars = new Handout.NotebookJars(Path.of("/nowhere/normgrad-tutorials.jar"));
        Files.writeString(folder.resolve("layernorm.ipynb"), new Handout(LAYERNORM, true).notebook(jars));
        CliRun r = CliRun.run(dir, "grade", folder.toString(), "--assignment", "layernorm");
        assertEquals(Cli.OK, r.status(), r::toString);
        assertTrue(r.out().contains("score 18 / 18"), r::toString);
    }

    @Test
    void aCompileErrorScoresZeroWithTheCompilersMessages() throws IOException {
        Path folder = Submissions.solution(LAYERNORM).replace("double meanG = 0;", "double meanG = 0").writeTo(dir, "typo");
        CliRun r = CliRun.run(dir, "grade", folder.toString(), "--assignment", "layernorm", "--results", "r.json");
        assertEquals(Cli.CHECK_FAILED, r.status(), r::toString);
        assertTrue(r.out().contains("score 0 / 18") && r.out().contains("LayerNormOp.java:"), r::toString);
        JsonObject result = json(dir.resolve("r.json"));
        assertEquals("compile error", result.get("status").getAsString());
        assertTrue(result.getAsJsonArray("details").get(0).getAsString().contains("';' expected"), result::toString);
    }

    @Test
    void aSubmissionWithoutTheHandoutsConstructorIsToldWhich() throws IOException {
        Path folder = Submissions.solution(LAYERNORM).replace("public LayerNormOp(double eps) {\n        this.eps = eps;",
                "public LayerNormOp() {\n        this.eps = 1e-5;").writeTo(dir, "noctor");
        CliRun r = CliRun.run(dir, "grade", folder.toString(), "--assignment", "layernorm");
        assertEquals(Cli.CHECK_FAILED, r.status(), r::toString);
        assertTrue(r.out().contains("LayerNormOp has no constructor LayerNormOp(double): keep the constructor of the handout"), r::toString);
    }

    // ------------------------------------------------------------------ bad input: exit 2, one line, a result file all the same

    @Test
    void aMissingFolderIsExitTwoAndStillAResultFile() throws IOException {
        CliRun.run(dir, "grade", "gone", "--assignment", "layernorm", "--gradescope").assertBadInput("normgrad grade: gone: no such folder");
        JsonObject results = json(dir.resolve("results.json"));
        assertEquals(0.0, results.get("score").getAsDouble());
        assertTrue(results.get("output").getAsString().contains("gone: no such folder"));
    }

    @Test
    void anUnknownAssignmentIsExitTwoListingTheKnownOnes() throws IOException {
        Path folder = Submissions.solution(LAYERNORM).writeTo(dir, "mine");
        CliRun.run(dir, "grade", folder.toString(), "--assignment", "layrnorm", "--results", "r.json")
                .assertBadInput("--assignment: unknown assignment 'layrnorm'; the assignments are layernorm, batchnorm1d, rmsnorm, "
                        + "softmax-cross-entropy, gru-cell, conv2d");
        assertEquals("bad submission", json(dir.resolve("r.json")).get("status").getAsString());
    }

    @Test
    void aFolderWithoutJavaSourceIsExitTwo() throws IOException {
        Files.writeString(Files.createDirectories(dir.resolve("empty")).resolve("notes.txt"), "no code here");
        CliRun.run(dir, "grade", "empty", "--assignment", "layernorm", "--results", "r.json")
                .assertBadInput("empty: no Java source (no .java file, and no notebook with a class in a code cell)");
        JsonObject result = json(dir.resolve("r.json"));
        assertEquals("bad submission", result.get("status").getAsString());
        assertEquals(18.0, result.get("maxScore").getAsDouble());
        assertEquals(0.0, result.get("score").getAsDouble());
    }

    @Test
    void twoCandidateClassesAreExitTwo() throws IOException {
        Path folder = Submissions.solution(LAYERNORM).writeTo(dir, "two");
        Files.writeString(folder.resolve("Other.java"), Submissions.solution(LAYERNORM).source().replace("LayerNormOp", "Other"));
        CliRun.run(dir, "grade", "two", "--assignment", "layernorm")
                .assertBadInput("two: two candidate classes extend Function, LayerNormOp and Other; keep one");
        // the class both as a .java file and in the notebook, both written
        Path both = Submissions.solution(LAYERNORM).writeTo(dir, "both");
        Files.writeString(both.resolve("layernorm.ipynb"), new Handout(LAYERNORM, true)
                .notebook(new Handout.NotebookJars(Path.of("a.jar"))));
        CliRun.run(dir, "grade", "both", "--assignment", "layernorm")
                .assertBadInput("both: two candidate classes, LayerNormOp (in LayerNormOp.java) and LayerNormOp (in layernorm.ipynb)");
    }

    @Test
    void inAHandoutFolderTheFileWorkedOnIsGraded() throws IOException {
        CliRun.run(dir, "assignment", "make", "layernorm", "--out", "hw");
        CliRun untouched = CliRun.run(dir, "grade", "hw", "--assignment", "layernorm", "--public");
        assertEquals(Cli.CHECK_FAILED, untouched.status(), untouched::toString);
        assertTrue(untouched.out().contains("class LayerNormOp (LayerNormOp.java)"), untouched::toString);
        Files.writeString(dir.resolve("hw/layernorm.ipynb"), new Handout(LAYERNORM, true)
                .notebook(new Handout.NotebookJars(Path.of("a.jar"))));
        CliRun notebook = CliRun.run(dir, "grade", "hw", "--assignment", "layernorm", "--public");
        assertEquals(Cli.OK, notebook.status(), notebook::toString);
        assertTrue(notebook.out().contains("class LayerNormOp (layernorm.ipynb)"), notebook::toString);
    }

    // ------------------------------------------------------------------ batch

    @Test
    void batchModeWritesACsvAndOneFeedbackFilePerStudent() throws IOException {
        Path all = Files.createDirectories(dir.resolve("submissions"));
        Submissions.solution(LAYERNORM).writeTo(all, "ada");
        Submissions.handout(LAYERNORM).writeTo(all, "bob");
        Files.createDirectories(all.resolve("cyd"));
        CliRun r = CliRun.run(dir, "grade", "submissions", "--assignment", "layernorm", "--batch", "--out", "grades");
        assertEquals(Cli.OK, r.status(), r::toString);
        List<String> csv = Files.readAllLines(dir.resolve("grades/scores.csv"));
        assertEquals(List.of("student,score,max_score,status,message", "ada,18,18,graded,", "bob,0,18,graded,",
                "cyd,0,18,bad submission,\"submissions/cyd: no Java source (no .java file, and no notebook with a class in a code cell)\""), csv);
        assertTrue(Files.readString(dir.resolve("grades/bob.txt")).contains("LayerNormOp.backward: not written yet"));
        assertEquals(18.0, json(dir.resolve("grades/ada.json")).get("score").getAsDouble());
        assertEquals(List.of("ada.json", "ada.txt", "bob.json", "bob.txt", "cyd.json", "cyd.txt", "scores.csv"), CliRun.listing(dir.resolve("grades")));
    }
}

package dev.normgrad.tutorials.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.normgrad.tutorials.coursework.Assignment;
import dev.normgrad.tutorials.coursework.assignments.LayerNormAssignment;
import dev.normgrad.tutorials.coursework.grader.Submissions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile and dishonest submissions, graded through {@code normgrad grade} and its child JVM. Each hostile
 * one is the LayerNorm solution with one misbehaviour in its backward, triggered only on a batch of two
 * rows (the hidden case "a batch of two", which also carries the GradCheck test): that case's tests score
 * 0 with a one-line reason, every other test keeps its points, and the result file is valid JSON. A
 * submission that hands its work to NormGrad itself, or uses reflection, scores 0 for the assignment.
 */
class HostileSubmissionsTest {
    private static final Assignment LAYERNORM = new LayerNormAssignment();
    private static final String INJECT_AT = "// BEGIN SOLUTION\n        int n = xhat.numRows;";

    @TempDir
    Path dir;

    private Submissions inBatchOfTwo(String code) {
        return Submissions.solution(LAYERNORM).replace(INJECT_AT,
                "// BEGIN SOLUTION\n        if (xhat.numRows == 2) {\n            " + code + "\n        }\n        int n = xhat.numRows;");
    }

    private JsonObject grade(Submissions s, String name) throws IOException {
        return grade(s, name, "2", "128");
    }

    private JsonObject grade(Submissions s, String name, String timeLimit, String heapLimit) throws IOException {
        Path folder = s.writeTo(dir, name);
        Path results = dir.resolve(name + ".json");
        CliRun r = CliRun.run(dir, "grade", folder.toString(), "--assignment", "layernorm", "--results", results.toString(),
                "--time-limit", timeLimit, "--heap-limit", heapLimit);
        assertTrue(r.status() == Cli.OK || r.status() == Cli.CHECK_FAILED, r::toString);
        JsonObject json = JsonParser.parseString(Files.readString(results)).getAsJsonObject();
        assertEquals("normgrad-grade", json.get("schema").getAsString());
        return json;
    }

    /**
     * The batch of two's tests lose their points with {@code reason} (its forward, worth 0, too when the whole run
     * is void: a thread left running, too much printed); every other test keeps them.
     */
    private static void onlyTheBatchOfTwoLost(JsonObject json, String reason) {
        assertEquals("graded", json.get("status").getAsString(), json::toString);
        int lost = 0;
        for (JsonElement e : json.getAsJsonArray("results")) {
            JsonObject t = e.getAsJsonObject();
            boolean target = t.get("case").getAsString().contains("a batch of two");
            if (target && t.get("check").getAsString().equals("forward")) {
                assertTrue(t.get("passed").getAsBoolean() || t.get("feedback").getAsString().contains(reason), t::toString);
                continue;
            }
            assertEquals(!target, t.get("passed").getAsBoolean(), t::toString);
            if (target) {
                lost++;
                assertEquals(0, t.get("points").getAsDouble());
                String feedback = t.get("feedback").getAsString();
                assertTrue(feedback.contains(reason), () -> "'" + reason + "' in: " + feedback);
                assertEquals(1, feedback.lines().count(), () -> "one line: " + feedback);
                assertEquals("did_not_run", t.getAsJsonObject("diagnosis").get("kind").getAsString());
            }
        }
        assertEquals(4, lost, "dL/dx, dL/dγ, dL/dβ and GradCheck of the batch of two");
        assertTrue(json.get("score").getAsDouble() > 0 && json.get("score").getAsDouble() < json.get("maxScore").getAsDouble());
    }

    @Test
    void anEndlessLoopIsStoppedByTheWallClockLimit() throws IOException {
        onlyTheBatchOfTwoLost(grade(inBatchOfTwo("while (xhat.numRows == 2) { }"), "loop"), "did not finish within 2 s");
    }

    @Test
    void anOutOfMemoryErrorIsCaughtWithTheHeapLimit() throws IOException {
        onlyTheBatchOfTwoLost(grade(inBatchOfTwo("java.util.List<long[]> hog = new java.util.ArrayList<>();\n"
                + "            while (hog.size() >= 0) { hog.add(new long[1 << 20]); }"), "oom", "20", "64"), "ran out of memory (the heap limit is 64 MB)");
    }

    @Test
    void systemExitAndHaltAreRefused() throws IOException {
        onlyTheBatchOfTwoLost(grade(inBatchOfTwo("System.exit(3);"), "exit"), "called System.exit(3)");
        onlyTheBatchOfTwoLost(grade(inBatchOfTwo("Runtime.getRuntime().halt(4);"), "halt"), "called System.exit(4)");
    }

    @Test
    void anUncaughtExceptionNamesItsClassMessageAndLine() throws IOException {
        onlyTheBatchOfTwoLost(grade(inBatchOfTwo("throw new IllegalStateException(\"boom\");"), "throws"),
                "threw IllegalStateException: boom (at LayerNormOp.backward, line ");
    }

    @Test
    void aThreadLeftRunningIsFound() throws IOException {
        onlyTheBatchOfTwoLost(grade(inBatchOfTwo("new Thread(() -> { while (true) { Thread.onSpinWait(); } }).start();"), "thread"),
                "left a thread running");
    }

    @Test
    void printingMegabytesIsCutOffAndCounted() throws IOException {
        onlyTheBatchOfTwoLost(grade(inBatchOfTwo("for (int k = 0; k < 100_000; k++) { System.out.println(\"debug \" + k"
                + " + \" ....................................................................\"); }"), "prints"),
                "more than the limit of 1.0 MB");
    }

    @Test
    void readingAFileOutsideItsFolderIsRefused() throws IOException {
        Path secret = Files.writeString(dir.resolve("secret.txt"), "the grader's files");
        onlyTheBatchOfTwoLost(grade(inBatchOfTwo("try { java.nio.file.Files.readString(java.nio.file.Path.of(\"" + secret
                + "\")); } catch (java.io.IOException e) { throw new java.io.UncheckedIOException(e); }"), "reads"),
                "tried to read " + secret + ", outside its own folder");
    }

    @Test
    void writingAFileOutsideItsFolderIsRefusedAndNothingIsWritten() throws IOException {
        Path escaped = dir.resolve("escaped.txt");
        onlyTheBatchOfTwoLost(grade(inBatchOfTwo("try { java.nio.file.Files.writeString(java.nio.file.Path.of(\"" + escaped
                + "\"), \"x\"); } catch (java.io.IOException e) { throw new java.io.UncheckedIOException(e); }"), "writes"),
                "tried to write " + escaped + ", outside its own folder");
        assertFalse(Files.exists(escaped));
        onlyTheBatchOfTwoLost(grade(inBatchOfTwo("try { java.nio.file.Files.writeString(java.nio.file.Path.of(\"../escaped.txt\"), \"x\");"
                + " } catch (java.io.IOException e) { throw new java.io.UncheckedIOException(e); }"), "climbs"),
                "tried to write ../escaped.txt, outside its own folder");
    }

    @Test
    void startingAProgramAndOverflowingTheStackAreOneLineEach() throws IOException {
        onlyTheBatchOfTwoLost(grade(inBatchOfTwo("try { Runtime.getRuntime().exec(new String[] {\"true\"}); } "
                + "catch (java.io.IOException e) { throw new java.io.UncheckedIOException(e); }"), "exec"), "tried to start a program");
        onlyTheBatchOfTwoLost(grade(inBatchOfTwo("java.util.function.IntUnaryOperator[] f = new java.util.function.IntUnaryOperator[1];\n"
                + "            f[0] = k -> f[0].applyAsInt(k + 1) + 1;\n            f[0].applyAsInt(0);"), "recursion"), "overflowed the stack");
    }

    @Test
    void aSubmissionMayWriteAndReadInItsOwnWorkingFolder() throws IOException {
        JsonObject json = grade(inBatchOfTwo("try { java.nio.file.Files.writeString(java.nio.file.Path.of(\"notes.txt\"), \"x\");\n"
                + "            java.nio.file.Files.readString(java.nio.file.Path.of(\"notes.txt\")); }\n"
                + "            catch (java.io.IOException e) { throw new java.io.UncheckedIOException(e); }"), "notes");
        assertEquals(json.get("maxScore").getAsDouble(), json.get("score").getAsDouble(), json::toString);
    }

    // ------------------------------------------------------------------ integrity

    private JsonObject integrity(String code, String name) throws IOException {
        JsonObject json = grade(inBatchOfTwo(code), name);
        assertEquals("integrity", json.get("status").getAsString(), json::toString);
        assertEquals(0, json.get("score").getAsDouble());
        for (JsonElement e : json.getAsJsonArray("results")) {
            assertFalse(e.getAsJsonObject().get("passed").getAsBoolean());
        }
        return json;
    }

    @Test
    void delegatingToTheLibrarysLayerNormScoresZeroWithTheReason() throws IOException {
        JsonObject json = integrity("dev.normgrad.norm.LayerNorm library = new dev.normgrad.norm.LayerNorm(xhat.numCols);\n"
                + "            library.apply(dev.normgrad.autograd.Tensor.wrap(xhat));", "delegates");
        String details = json.getAsJsonArray("details").toString();
        assertTrue(details.contains("LayerNormOp uses dev.normgrad.norm.LayerNorm, NormGrad's own normalization layers"), details);
        assertTrue(details.contains("dev.normgrad.autograd.Tensor, NormGrad's autograd"), details);
    }

    @Test
    void reflectionAndClassNamesInStringsScoreZero() throws IOException {
        assertTrue(integrity("try { Class.forName(\"java.util.ArrayList\"); } catch (ClassNotFoundException e) { throw new "
                + "IllegalStateException(e); }", "reflects").getAsJsonArray("details").toString()
                .contains("uses reflection or class loading (java.lang.Class.forName)"));
        assertTrue(integrity("String name = \"dev.normgrad.norm.\" + \"LayerNorm\";", "names").getAsJsonArray("details").toString()
                .contains("holds the string \\\"dev.normgrad.norm.LayerNorm\\\""));
    }
}

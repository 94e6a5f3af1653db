package dev.normgrad.tutorials.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.normgrad.tutorials.coursework.Assignment;
import dev.normgrad.tutorials.coursework.Assignments;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code normgrad assignment list | make}: the handouts and the Gradescope autograder, which is run here as Gradescope would. */
class AssignmentCommandTest {
    @TempDir
    Path dir;

    @Test
    void listNamesEveryAssignmentWithItsClassAndPoints() {
        CliRun r = CliRun.run(dir, "assignment", "list");
        assertEquals(Cli.OK, r.status(), r::toString);
        for (Assignment a : Assignments.all()) {
            assertTrue(r.out().contains(a.name()) && r.out().contains(a.title()) && r.out().contains(a.className() + ".java"), r::toString);
        }
        assertTrue(r.out().contains("layernorm              LayerNorm backward: dL/dx, dL/dγ and dL/dβ"), r::toString);
    }

    @Test
    void makeWritesTheClassToCompleteItsReadmeAndTheNotebook() throws IOException {
        for (Assignment a : Assignments.all()) {
            CliRun r = CliRun.run(dir, "assignment", "make", a.name(), "--out", a.name());
            assertEquals(Cli.OK, r.status(), r::toString);
            Path out = dir.resolve(a.name());
            assertEquals(List.of(a.className() + ".java", "README.md", a.name() + ".ipynb"), names(r.out()));
            String java = Files.readString(out.resolve(a.className() + ".java"));
            assertTrue(java.contains("// YOUR CODE HERE\n") && java.contains(": not written yet\");"), java);
            assertFalse(java.contains("SOLUTION"), java);
            String readme = Files.readString(out.resolve("README.md"));
            assertFalse(readme.contains("{{"), readme);
            assertTrue(readme.contains("./normgrad grade PATH/TO/THIS/FOLDER --assignment " + a.name() + " --public"), readme);
            JsonObject nb = JsonParser.parseString(Files.readString(out.resolve(a.name() + ".ipynb"))).getAsJsonObject();
            assertEquals("normgrad-java", nb.getAsJsonObject("metadata").getAsJsonObject("kernelspec").get("name").getAsString());
            String code = cells(nb, "code");
            assertTrue(code.contains("YOUR CODE HERE") && !code.contains("SOLUTION"), code);
            assertTrue(code.contains("Grader.publicTests(\"" + a.name() + "\", " + a.className() + ".class)"), code);
            assertTrue(code.contains("%jar ") && code.contains("normgrad-tutorials.jar"), code);
        }
    }

    @Test
    void makeWithTheSolutionKeepsItBetweenTheMarkers() throws IOException {
        CliRun r = CliRun.run(dir, "assignment", "make", "gru-cell", "--out", "gru", "--solution");
        assertEquals(Cli.OK, r.status(), r::toString);
        String java = Files.readString(dir.resolve("gru/GRUCellOp.java"));
        assertTrue(java.contains("        // BEGIN SOLUTION\n") && java.contains("        // END SOLUTION\n"), java);
        assertTrue(cells(JsonParser.parseString(Files.readString(dir.resolve("gru/gru-cell.ipynb"))).getAsJsonObject(), "code")
                .contains("// BEGIN SOLUTION"));
    }

    @Test
    void anUnknownAssignmentIsExitTwoListingTheKnownOnes() throws IOException {
        CliRun.run(dir, "assignment", "make", "layer-norm", "--out", "x")
                .assertBadInput("normgrad assignment make: unknown assignment 'layer-norm'; the assignments are layernorm, batchnorm1d, "
                        + "rmsnorm, softmax-cross-entropy, gru-cell, conv2d");
        assertEquals(List.of(), CliRun.listing(dir));
        CliRun.run(dir, "assignment", "make", "layernorm", "--out", "x", "--gradescope", "--solution")
                .assertBadInput("--gradescope and --solution: choose one");
        CliRun.run(dir, "assignment").assertBadInput("say what to do: `normgrad assignment list`");
    }

    @Test
    void theGradescopeAutograderGradesASubmissionAsGradescopeWould() throws IOException, InterruptedException {
        CliRun r = CliRun.run(dir, "assignment", "make", "rmsnorm", "--out", "autograder", "--gradescope", "--seed", "31337");
        assertEquals(Cli.OK, r.status(), r::toString);
        assertEquals(List.of("autograder.zip", "setup.sh", "run_autograder", "README.md"), names(r.out()));
        Path zip = dir.resolve("autograder/autograder.zip");
        try (FileSystem fs = FileSystems.newFileSystem(zip, Map.of("enablePosixFileAttributes", "true"))) {
            for (String script : List.of("setup.sh", "run_autograder")) {
                assertEquals("rwxr-xr-x", PosixFilePermissions.toString(Files.readAttributes(fs.getPath(script), PosixFileAttributes.class)
                        .permissions()), script + " is executable");
            }
            assertEquals("31337\n", Files.readString(fs.getPath("seed")));
        }
        String setup = Files.readString(dir.resolve("autograder/setup.sh"));
        assertTrue(setup.contains("apt-get install -y --no-install-recommends openjdk-17-jdk-headless"), setup);
        assertEquals(0, new ProcessBuilder("bash", "-n", dir.resolve("autograder/setup.sh").toString()).start().waitFor());

        // /autograder as Gradescope lays it out: source/ (the zip), submission/, results/
        Path root = dir.resolve("gradescope");
        unzip(zip, root.resolve("source"));
        Assignment rms = Assignments.get("rmsnorm");
        Files.writeString(Files.createDirectories(root.resolve("submission")).resolve("RMSNormOp.java"),
                dev.normgrad.tutorials.coursework.grader.Submissions.solution(rms).source());
        ProcessBuilder pb = new ProcessBuilder("bash", root.resolve("source/run_autograder").toString()).redirectErrorStream(true);
        pb.environment().put("AUTOGRADER_ROOT", root.toString());
        Process p = pb.start();
        String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), log);
        JsonObject results = JsonParser.parseString(Files.readString(root.resolve("results/results.json"))).getAsJsonObject();
        double max = rms.maxScore(rms.hiddenCases(31337));
        assertEquals(max, results.get("score").getAsDouble(), log + results);
        assertTrue(results.get("output").getAsString().startsWith("RMSNorm backward: " + Assignment.points(max) + " / "), results::toString);
        int tests = 0;
        for (JsonElement e : results.getAsJsonArray("tests")) {
            assertEquals("visible", e.getAsJsonObject().get("visibility").getAsString());
            tests++;
        }
        assertTrue(tests > 10);
    }

    /** The file names the command lists after "... in DIR:". */
    private static List<String> names(String out) {
        return out.lines().filter(l -> l.startsWith("  ")).map(String::strip).toList();
    }

    private static String cells(JsonObject notebook, String type) {
        StringBuilder s = new StringBuilder();
        for (JsonElement cell : notebook.getAsJsonArray("cells")) {
            if (cell.getAsJsonObject().get("cell_type").getAsString().equals(type)) {
                cell.getAsJsonObject().getAsJsonArray("source").forEach(line -> s.append(line.getAsString()));
                s.append("\n");
            }
        }
        return s.toString();
    }

    private static void unzip(Path zip, Path into) throws IOException {
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
            for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                Path target = into.resolve(e.getName()).normalize();
                if (e.isDirectory()) {
                    Files.createDirectories(target);
                    continue;
                }
                Files.createDirectories(target.getParent());
                Files.copy((InputStream) in, target);
            }
        }
        try (Stream<Path> s = Files.list(into)) {
            assertTrue(s.count() >= 4);
        }
    }
}

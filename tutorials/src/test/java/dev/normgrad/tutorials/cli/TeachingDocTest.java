package dev.normgrad.tutorials.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * tutorials/docs/teaching.md shows what the commands print, and those outputs are current: the assignment
 * list, the feedback on the example attempt (docs/examples/coursework/LayerNormOp.java), its Gradescope
 * results.json, and the bad-input messages.
 */
class TeachingDocTest {
    private static final Path DOCS = Path.of("docs");

    @TempDir
    Path dir;

    private static String doc() throws IOException {
        return Files.readString(DOCS.resolve("teaching.md"));
    }

    @Test
    void theAssignmentListIsWhatTheCommandPrints() throws IOException {
        CliRun r = CliRun.run(dir, "assignment", "list");
        String listing = r.out().substring(0, r.out().indexOf("\n\n") + 1);
        assertTrue(doc().contains("```text\n$ ./normgrad assignment list\n" + listing + "```"), listing);
    }

    @Test
    void theFeedbackAndTheResultsJsonAreWhatTheGraderGivesTheExampleAttempt() throws IOException {
        Files.createDirectories(dir.resolve("hw1"));
        Files.copy(DOCS.resolve("examples/coursework/LayerNormOp.java"), dir.resolve("hw1/LayerNormOp.java"));
        CliRun feedback = CliRun.run(dir, "grade", "hw1", "--assignment", "layernorm", "--public");
        assertEquals(Cli.CHECK_FAILED, feedback.status(), feedback::toString);
        assertTrue(doc().contains("```text\n$ ./normgrad grade hw1 --assignment layernorm --public\n" + feedback.out() + "```"),
                feedback::out);

        CliRun gradescope = CliRun.run(dir, "grade", "hw1", "--assignment", "layernorm", "--seed", "2024", "--gradescope",
                "--results", "results.json");
        assertEquals(Cli.CHECK_FAILED, gradescope.status(), gradescope::toString);
        String json = Files.readString(dir.resolve("results.json"));
        assertTrue(doc().contains("```json\n" + json + "```"), json);
    }

    @Test
    void theBadInputMessagesAreTheCommandsOwn() throws IOException {
        Matcher rows = Pattern.compile("\\| [A-Za-z ]+ \\| `(normgrad grade: [^`]+)` \\|").matcher(doc());
        Files.createDirectories(dir.resolve("empty"));
        Files.createDirectories(dir.resolve("two"));
        Files.writeString(dir.resolve("two/A.java"), "class LayerNormOp extends dev.normgrad.autograd.Function {\n"
                + "  protected org.ejml.data.DMatrixRMaj forward(org.ejml.data.DMatrixRMaj... in) { return in[0]; }\n"
                + "  protected void backward(org.ejml.data.DMatrixRMaj dy, org.ejml.data.DMatrixRMaj[] dx) { }\n}\n"
                + "class Other extends LayerNormOp { }\n");
        int checked = 0;
        while (rows.find()) {
            String message = rows.group(1);
            String[] args = message.contains("no such folder") ? new String[] {"grade", "gone", "--assignment", "layernorm"}
                    : message.contains("unknown assignment") ? new String[] {"grade", "empty", "--assignment", "layrnorm"}
                    : message.contains("no Java source") ? new String[] {"grade", "empty", "--assignment", "layernorm"}
                    : new String[] {"grade", "two", "--assignment", "layernorm"};
            CliRun r = CliRun.run(dir, args);
            assertEquals(Cli.BAD_INPUT, r.status(), r::toString);
            assertEquals(message, r.err().strip());
            checked++;
        }
        assertEquals(4, checked);
    }
}

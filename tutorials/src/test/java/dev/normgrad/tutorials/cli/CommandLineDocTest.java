package dev.normgrad.tutorials.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** tutorials/docs/command-line.md: its example configs are the committed files, and they train as the text says. */
class CommandLineDocTest {
    private static final Path DOCS = Path.of("docs");

    @TempDir
    Path dir;

    @Test
    void theExampleConfigInTheDocIsTheCommittedFileAndReachesWhatTheDocSays() throws IOException {
        String doc = Files.readString(DOCS.resolve("command-line.md"));
        String example = Files.readString(DOCS.resolve("examples/digits-batchnorm.json"));
        assertTrue(doc.contains("```json\n" + example + "```"), "the doc shows examples/digits-batchnorm.json as it is");
        assertTrue(doc.contains("to about\n97% test accuracy"), "the claim this test checks");

        CliRun r = CliRun.run(dir, "train", DOCS.resolve("examples/digits-batchnorm.json").toAbsolutePath().toString(),
                "--out", "run");
        assertEquals(Cli.OK, r.status(), r::toString);
        JsonArray epochs = JsonParser.parseString(Files.readString(dir.resolve("run/history.json"))).getAsJsonObject()
                .getAsJsonArray("epochs");
        double accuracy = epochs.get(epochs.size() - 1).getAsJsonObject().get("testAccuracy").getAsDouble();
        assertTrue(accuracy > 0.95 && accuracy < 0.99, "about 97%: " + accuracy);
    }

    @Test
    void theCnnAndRnnExamplesInTheDocAreTheCommittedFilesAndReachWhatTheDocSays() throws IOException {
        String doc = Files.readString(DOCS.resolve("command-line.md"));
        assertTrue(doc.contains("to about 97% test accuracy. A recurrent network"), "the CNN's claim this test checks");
        assertTrue(doc.contains("It reaches about 96% test accuracy."), "the RNN's claim this test checks");
        for (String name : new String[] {"digits-cnn", "digits-rnn"}) {
            String example = Files.readString(DOCS.resolve("examples/" + name + ".json"));
            assertTrue(doc.contains("```json\n" + example + "```"), "the doc shows examples/" + name + ".json as it is");
            CliRun r = CliRun.run(dir, "train", DOCS.resolve("examples/" + name + ".json").toAbsolutePath().toString(),
                    "--out", name);
            assertEquals(Cli.OK, r.status(), r::toString);
            JsonArray epochs = JsonParser.parseString(Files.readString(dir.resolve(name + "/history.json"))).getAsJsonObject()
                    .getAsJsonArray("epochs");
            double accuracy = epochs.get(epochs.size() - 1).getAsJsonObject().get("testAccuracy").getAsDouble();
            double claimed = name.equals("digits-cnn") ? 0.97 : 0.96;
            assertTrue(Math.abs(accuracy - claimed) < 0.02, name + ": about " + claimed + ", got " + accuracy);
        }
    }
}

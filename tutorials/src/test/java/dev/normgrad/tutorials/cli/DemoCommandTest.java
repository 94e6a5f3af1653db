package dev.normgrad.tutorials.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoCommandTest {
    @TempDir
    Path dir;

    @Test
    void demoPrintsTheTableAndWritesChartsThatDecodeAndJsonThatParses() throws IOException {
        CliRun r = CliRun.run(dir, "demo", "--out", "out", "--steps", "20");
        assertEquals(Cli.OK, r.status(), r::toString);
        assertTrue(r.out().contains("no normalization") && r.out().contains("BatchNorm1d") && r.out().contains("LayerNorm"), r::toString);
        assertTrue(r.out().contains("W11 (output)"), r::toString);
        assertTrue(r.out().contains("test acc."), r::toString);
        assertTrue(r.out().contains("||dL/dh_t||"), r::toString);
        assertTrue(r.out().contains("Wrote out/: " + String.join(", ", DemoCommand.FILES)), r::toString);
        assertEquals(List.of("out"), CliRun.listing(dir), "no staging folder left behind");
        assertEquals(DemoCommand.FILES.stream().sorted().toList(), CliRun.listing(dir.resolve("out")));
        for (String name : DemoCommand.FILES) {
            if (name.endsWith(".png")) {
                BufferedImage image = ImageIO.read(dir.resolve("out").resolve(name).toFile());
                assertNotNull(image, name);
                assertTrue(image.getWidth() > 100 && image.getHeight() > 100, name);
            }
        }
        JsonObject json = JsonParser.parseString(Files.readString(dir.resolve("out/demo.json"))).getAsJsonObject();
        assertEquals(3, json.getAsJsonArray("mlps").size());
        assertEquals(64, json.getAsJsonArray("rnnHiddenGradNorms").size());
        assertTrue(json.get("gradCheckPassed").getAsBoolean());
        assertEquals(20, json.getAsJsonArray("mlps").get(0).getAsJsonObject().getAsJsonArray("loss").size());
    }

    @Test
    void anOutputFolderInAMissingFolderIsExitTwoAndCreatesNothing() throws IOException {
        CliRun.run(dir, "demo", "--out", "no/such/out", "--steps", "1").assertBadInput("--out", "does not exist");
        assertEquals(List.of(), CliRun.listing(dir));
        Files.writeString(dir.resolve("taken"), "a file");
        CliRun.run(dir, "demo", "--out", "taken", "--steps", "1").assertBadInput("--out: taken is a file, not a folder");
        assertEquals(List.of("taken"), CliRun.listing(dir));
    }

    @Test
    void aBadStepCountIsExitTwoAndCreatesNothing() throws IOException {
        CliRun.run(dir, "demo", "--out", "out", "--steps", "0").assertBadInput("normgrad demo: --steps: must be at least 1, got 0");
        CliRun.run(dir, "demo", "--steps", "many").assertBadInput("normgrad demo", "--steps", "'many'");
        assertEquals(List.of(), CliRun.listing(dir));
    }

    @Test
    void eachColumnGetsAReadingThatFollowsItsNumbers() {
        var vanished = new dev.normgrad.tutorials.experiments.DemoStory.MlpRun("LayerNorm",
                new double[] {2e-4, 0.5}, new double[] {1e-4, 0.3}, new double[] {2.3}, 0.1);
        var learned = new dev.normgrad.tutorials.experiments.DemoStory.MlpRun("BatchNorm1d",
                new double[] {0.4, 0.5}, new double[] {0.2, 0.1}, new double[] {2.3}, 0.96);
        String a = DemoCommand.reading(vanished);
        String b = DemoCommand.reading(learned);
        assertTrue(a.contains("W1 gets 4e-04") && a.contains("vanished") && a.contains("stayed at chance")
                && a.contains("over its own features"), a);
        assertTrue(b.contains("W1 gets 0.8") && b.contains("reached the input side") && b.contains("the network learned")
                && !b.contains("features"), b);
    }
}

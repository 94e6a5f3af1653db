package dev.normgrad.tutorials;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.normgrad.io.LayerRegistry;
import dev.normgrad.tutorials.cli.Cli;
import dev.normgrad.tutorials.cli.Context;
import dev.normgrad.tutorials.cli.DemoCommand;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MainTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @TempDir
    Path dir;

    private int run(String... args) {
        return Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void noCommandRunsTheWholeDemoWhoseGradientsVanishWithoutNormalizationAndWhoseCheckPasses() throws IOException {
        // what ./normgrad runs: the default demo, in a working directory of its own
        int status = Cli.run(new String[0], new Context(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), LayerRegistry.standard(), dir, Map.of()));
        String text = out.toString(StandardCharsets.UTF_8);
        assertEquals(0, status, text + err);
        assertTrue(text.contains("W1 "), text);
        assertTrue(text.contains("Gradient check of the BatchNorm1d network (fast, 8 random directions): passed"), text);
        for (String file : DemoCommand.FILES) {
            assertTrue(Files.isRegularFile(dir.resolve("normgrad-demo").resolve(file)), file);
        }
        // what the demo's table shows, read from its JSON: the story holds for the default seed
        JsonObject demo = JsonParser.parseString(Files.readString(dir.resolve("normgrad-demo/demo.json"))).getAsJsonObject();
        JsonObject plain = mlp(demo, 0);
        JsonObject batchNorm = mlp(demo, 1);
        assertTrue(firstToLast(plain) < 1e-4, "without normalization W1 gets < 1e-4 of the output layer's gradient: " + plain);
        assertTrue(firstToLast(batchNorm) > 0.1, "with BatchNorm1d W1 gets > 0.1 of it: " + batchNorm);
        assertTrue(plain.get("testAccuracy").getAsDouble() < 0.2, "the plain sigmoid net does not learn in 400 steps");
        assertTrue(batchNorm.get("testAccuracy").getAsDouble() > 0.9, "the BatchNorm net does");
        JsonArray rnn = demo.getAsJsonArray("rnnHiddenGradNorms");
        assertTrue(rnn.get(0).getAsDouble() / rnn.get(63).getAsDouble() < 1e-10, "the RNN's gradient vanishes over 64 steps");
    }

    private static JsonObject mlp(JsonObject demo, int i) {
        return demo.getAsJsonArray("mlps").get(i).getAsJsonObject();
    }

    private static double firstToLast(JsonObject mlp) {
        JsonArray g = mlp.getAsJsonArray("initGradNorms");
        return g.get(0).getAsDouble() / g.get(g.size() - 1).getAsDouble();
    }

    @Test
    void unknownCommandIsExitTwoWithOneLineListingTheCommands() {
        assertEquals(2, run("trian"));
        String text = err.toString(StandardCharsets.UTF_8);
        assertEquals(1, text.lines().count(), text);
        assertTrue(text.contains("unknown command 'trian' (did you mean train"), text);
        assertTrue(text.contains("demo, gradcheck, train, notebook, experiments, bench"), text);
    }

    @Test
    void helpListsEveryCommand() {
        assertEquals(0, run("--help"));
        String text = out.toString(StandardCharsets.UTF_8);
        for (String command : new String[] {"demo", "gradcheck", "train", "notebook", "experiments", "bench"}) {
            assertTrue(text.contains("  " + command), command + " in\n" + text);
        }
        assertTrue(text.contains("Exit status"), text);
    }

    @Test
    void experimentsCommandRejectsAnUnknownOptionInOneLine() {
        assertEquals(2, run("experiments", "--seeds", "1,2,3"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("unknown option '--seeds'"), err.toString(StandardCharsets.UTF_8));
    }
}

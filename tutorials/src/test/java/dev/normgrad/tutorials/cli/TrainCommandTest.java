package dev.normgrad.tutorials.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.normgrad.io.ModelIO;
import dev.normgrad.nn.Module;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainCommandTest {
    @TempDir
    Path dir;

    private static final String SPIRALS = """
            {
              "data": {"set": "spirals", "perClass": 60, "classes": 3},
              "model": {"layers": [
                {"type": "Linear", "outFeatures": 16},
                {"type": "BatchNorm1d"},
                {"type": "ReLU"},
                {"type": "Linear", "outFeatures": 3}
              ]},
              "optimizer": {"type": "adam", "lr": 0.02},
              "epochs": 3,
              "batchSize": 16,
              "seed": 1,
              "out": "run"
            }
            """;

    private Path config(String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, text);
        return p;
    }

    @Test
    void trainWritesALoadableModelTheHistoryAndTheCharts() throws IOException {
        config("spirals.json", SPIRALS);
        CliRun r = CliRun.run(dir, "train", "spirals.json");
        assertEquals(Cli.OK, r.status(), r::toString);
        assertTrue(r.out().contains("Training on spirals: 144 training and 36 test samples, 2 features, 3 classes"), r::toString);
        assertTrue(r.out().contains("epoch  train loss  train acc  test loss  test acc"), r::toString);
        assertTrue(r.err().contains("train") && r.err().contains("epoch 3/3"), "the progress bar on stderr:\n" + r.err());
        Path run = dir.resolve("run");
        assertEquals(List.of("run", "spirals.json"), CliRun.listing(dir), "no staging folder left behind");
        assertEquals(List.of("accuracy.png", "history.json", "loss.png", "model.json"), CliRun.listing(run));
        assertNotNull(ImageIO.read(run.resolve("loss.png").toFile()));
        assertNotNull(ImageIO.read(run.resolve("accuracy.png").toFile()));
        JsonObject history = JsonParser.parseString(Files.readString(run.resolve("history.json"))).getAsJsonObject();
        assertEquals(3, history.getAsJsonArray("epochs").size());
        double accuracy = history.getAsJsonArray("epochs").get(2).getAsJsonObject().get("trainAccuracy").getAsDouble();
        assertTrue(accuracy > 0.5, "three epochs of Adam beat chance (1/3) on the spirals: " + accuracy);
        Module model = ModelIO.load(run.resolve("model.json"));
        assertEquals(4, model.namedModules().size() - 1, model.toString());
        // the saved model is what gradcheck reads
        assertEquals(Cli.OK, CliRun.run(dir, "gradcheck", "run/model.json", "--fast").status());
    }

    @Test
    void theDigitsTrainWithSgdAndMomentumIntoTheFolderOfOutOption() throws IOException {
        config("digits.json", """
                {"data": {"set": "digits"}, "epochs": 1, "batchSize": 64,
                 "model": {"layers": [{"type": "Linear", "inFeatures": 64, "outFeatures": 32}, {"type": "LayerNorm"},
                                      {"type": "Tanh"}, {"type": "Dropout", "p": 0.1}, {"type": "Linear", "outFeatures": 10}]},
                 "optimizer": {"type": "sgd", "lr": 0.1, "momentum": 0.9}}
                """);
        CliRun r = CliRun.run(dir, "train", "digits.json", "--out", "elsewhere");
        assertEquals(Cli.OK, r.status(), r::toString);
        assertTrue(r.out().contains("Training on digits: 1438 training and 359 test samples, 64 features, 10 classes"), r::toString);
        assertTrue(Files.isRegularFile(dir.resolve("elsewhere/model.json")));
    }

    @Test
    void aCsvDataSetIsReadRelativeToTheConfig() throws IOException {
        StringBuilder csv = new StringBuilder();
        for (int i = 0; i < 40; i++) {
            csv.append(i % 2 == 0 ? "1.0,2.0," : "-1.0,-2.5,").append(i % 2).append('\n');
        }
        Files.createDirectories(dir.resolve("cfg"));
        Files.writeString(dir.resolve("cfg/points.csv"), csv);
        config("cfg/csv.json", """
                {"data": {"set": "csv", "file": "points.csv", "features": 2}, "epochs": 2, "batchSize": 8,
                 "model": {"layers": [{"type": "Linear", "outFeatures": 2}]}}
                """);
        CliRun r = CliRun.run(dir, "train", "cfg/csv.json");
        assertEquals(Cli.OK, r.status(), r::toString);
        assertTrue(Files.isRegularFile(dir.resolve("cfg/normgrad-train/history.json")));
    }

    /** Runs a bad config: exit 2, one line with the fragments, and nothing written beside it. */
    private void assertRefused(String text, String... fragments) throws IOException {
        config("bad.json", text);
        CliRun.run(dir, "train", "bad.json").assertBadInput(fragments);
        assertEquals(List.of("bad.json"), CliRun.listing(dir), "no output folder, no staging folder");
    }

    @Test
    void aMissingConfigIsExitTwo() throws IOException {
        CliRun.run(dir, "train", "none.json").assertBadInput("normgrad train: none.json: no such file");
        assertEquals(List.of(), CliRun.listing(dir));
    }

    @Test
    void truncatedMalformedAndEmptyConfigsAreExitTwo() throws IOException {
        assertRefused(SPIRALS.substring(0, SPIRALS.length() / 2), "bad.json: the JSON ends too early (a truncated file?)");
        assertRefused(SPIRALS.replace("\"epochs\": 3,", "epochs: 3,"), "bad.json: not valid JSON");
        assertRefused(SPIRALS + "{}", "bad.json: more after the JSON document");
        assertRefused("", "bad.json: the file is empty");
        assertRefused("[1, 2]", "bad.json: expected an object {...}, found an array");
    }

    @Test
    void anUnknownLayerTypeNamesTheLayer() throws IOException {
        assertRefused(SPIRALS.replace("\"ReLU\"", "\"Relu\""), "bad.json: model.layers[2].type: unknown layer type \"Relu\"",
                "known types: Linear, BatchNorm1d");
    }

    @Test
    void shapeMismatchesBetweenTheModelAndTheDataNameTheField() throws IOException {
        assertRefused(SPIRALS.replace("{\"type\": \"Linear\", \"outFeatures\": 16}", "{\"type\": \"Linear\", \"inFeatures\": 64, \"outFeatures\": 16}"),
                "bad.json: model.layers[0].inFeatures: 64, but the spirals data have 2 features");
        assertRefused(SPIRALS.replace("{\"type\": \"BatchNorm1d\"}", "{\"type\": \"BatchNorm1d\", \"numFeatures\": 8}"),
                "bad.json: model.layers[1].numFeatures: 8, but layer 0 outputs 16 features");
        assertRefused(SPIRALS.replace("\"outFeatures\": 3}", "\"outFeatures\": 10}"),
                "bad.json: model.layers[3].outFeatures: 10, but the spirals data have 3 classes");
    }

    @Test
    void aConfigNamingAMissingDataFileIsExitTwo() throws IOException {
        assertRefused("""
                {"data": {"set": "csv", "file": "gone.csv", "features": 4}, "model": {"layers": [{"type": "Linear", "outFeatures": 2}]}}
                """, "bad.json: data.file: ", "gone.csv does not exist");
    }

    @Test
    void malformedDataInACsvIsExitTwoNamingTheLine() throws IOException {
        Files.writeString(dir.resolve("bad.csv"), "1,2,0\n1,x,1\n");
        config("bad.json", """
                {"data": {"set": "csv", "file": "bad.csv", "features": 2}, "model": {"layers": [{"type": "Linear", "outFeatures": 2}]}}
                """);
        CliRun.run(dir, "train", "bad.json").assertBadInput("bad.json: data.file: ", "bad.csv", "line 2");
        assertEquals(List.of("bad.csv", "bad.json"), CliRun.listing(dir));
    }

    @Test
    void wrongTypesMisspeltKeysAndUnknownChoicesNameTheField() throws IOException {
        assertRefused(SPIRALS.replace("\"epochs\": 3", "\"epochs\": \"3\""), "bad.json: epochs: expected an integer >= 1, found the string \"3\"");
        assertRefused(SPIRALS.replace("\"epochs\": 3", "\"epoch\": 3"), "bad.json: epoch: unexpected key; a training config takes");
        assertRefused(SPIRALS.replace("\"lr\": 0.02", "\"lr\": -1"), "bad.json: optimizer.lr: expected a number in");
        assertRefused(SPIRALS.replace("\"adam\"", "\"adagrad\""), "bad.json: optimizer.type: unknown optimizer \"adagrad\"");
        assertRefused(SPIRALS.replace("\"spirals\"", "\"mnist\""), "bad.json: data.set: unknown data set \"mnist\"");
        assertRefused(SPIRALS.replace("\"type\": \"BatchNorm1d\"", "\"type\": \"BatchNorm1d\", \"momentun\": 0.1"),
                "bad.json: model.layers[1].momentun: unexpected key; BatchNorm1d takes");
        assertRefused(SPIRALS.replace("\"batchSize\": 16", "\"batchSize\": 1000"), "bad.json: batchSize: 1000 is more than the 144 training samples");
    }

    @Test
    void aDivergingTrainingIsExitTwoNamingTheLearningRateAndWritesNothing() throws IOException {
        config("bad.json", """
                {"data": {"set": "digits"}, "epochs": 5, "batchSize": 32,
                 "model": {"layers": [{"type": "Linear", "outFeatures": 64}, {"type": "ReLU"}, {"type": "Linear", "outFeatures": 64},
                                      {"type": "ReLU"}, {"type": "Linear", "outFeatures": 10}]},
                 "optimizer": {"type": "sgd", "lr": 1000, "momentum": 0.99}}
                """);
        CliRun r = CliRun.run(dir, "train", "bad.json");
        assertEquals(Cli.BAD_INPUT, r.status(), r::toString);
        // the progress bar came first on stderr; the error is the last line
        List<String> lines = r.err().lines().toList();
        String last = lines.get(lines.size() - 1);
        assertTrue(last.startsWith("normgrad train: bad.json: optimizer.lr: training diverged ("), r::toString);
        assertTrue(last.endsWith("lower the learning rate"), r::toString);
        assertTrue(!r.err().contains("\tat ") && !r.err().contains("Exception"), r::toString);
        assertEquals(List.of("bad.json"), CliRun.listing(dir));
    }

    @Test
    void anOutputFolderWhoseParentIsMissingIsExitTwo() throws IOException {
        assertRefused(SPIRALS.replace("\"out\": \"run\"", "\"out\": \"a/b/run\""), "bad.json: out: the folder", "does not exist");
    }
}

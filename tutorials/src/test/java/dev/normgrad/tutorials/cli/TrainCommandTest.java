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

    private static final String CNN = """
            {
              "data": {"set": "digits"},
              "model": {"layers": [
                {"type": "Conv2d", "outChannels": 4, "kernelSize": 3, "padding": 1},
                {"type": "BatchNorm2d"},
                {"type": "ReLU"},
                {"type": "MaxPool2d", "kernelSize": 2},
                {"type": "Conv2d", "outChannels": 6, "kernelSize": [3, 2], "stride": [1, 2], "groups": 2},
                {"type": "GroupNorm", "numGroups": 3},
                {"type": "ReLU"},
                {"type": "AvgPool2d", "kernelSize": [2, 1]},
                {"type": "Flatten"},
                {"type": "Linear", "outFeatures": 10}
              ]},
              "optimizer": {"type": "adam", "lr": 0.01},
              "epochs": 1,
              "batchSize": 32,
              "out": "run"
            }
            """;

    @Test
    void aCnnTrainsOnTheDigitsAsImagesAndItsModelLoadsAndPassesTheGradientCheck() throws IOException {
        config("cnn.json", CNN);
        CliRun r = CliRun.run(dir, "train", "cnn.json");
        assertEquals(Cli.OK, r.status(), r::toString);
        assertTrue(r.out().contains("(0): Conv2d(input=(1, 8, 8), outChannels=4"), r::toString);
        assertTrue(r.out().contains("(7): AvgPool2d(input=(6, 2, 2), kernelSize=(2, 1)"), r::toString);
        JsonObject history = JsonParser.parseString(Files.readString(dir.resolve("run/history.json"))).getAsJsonObject();
        double accuracy = history.getAsJsonArray("epochs").get(0).getAsJsonObject().get("testAccuracy").getAsDouble();
        assertTrue(accuracy > 0.5, "one epoch of a small CNN beats chance (1/10) by far: " + accuracy);
        Module model = ModelIO.load(dir.resolve("run/model.json"));
        assertEquals(10, ((dev.normgrad.nn.Sequential) model).size());
        assertEquals(Cli.OK, CliRun.run(dir, "gradcheck", "run/model.json", "--fast").status(), "the CNN's input width is its (1, 8, 8)");
    }

    @Test
    void recurrentNetworksTrainOnTheDigitsReadRowByRow() throws IOException {
        for (String layer : List.of(
                "{\"type\": \"RNN\", \"inputSize\": 8, \"hiddenSize\": 16, \"nonlinearity\": \"relu\", \"normalization\": \"layerNorm\"}",
                "{\"type\": \"LSTM\", \"inputSize\": 8, \"hiddenSize\": 16, \"numLayers\": 2}",
                "{\"type\": \"GRU\", \"inputSize\": 8, \"hiddenSize\": 16, \"normalization\": \"recurrentBatchNorm\"}")) {
            config("rnn.json", "{\"data\": {\"set\": \"digits\"}, \"epochs\": 1, \"batchSize\": 32, \"out\": \"rnn\","
                    + " \"optimizer\": {\"type\": \"adam\", \"lr\": 0.01}, \"model\": {\"layers\": [" + layer
                    + ", {\"type\": \"LastStep\"}, {\"type\": \"Linear\", \"outFeatures\": 10}]}}");
            CliRun r = CliRun.run(dir, "train", "rnn.json", "--out", "rnn");
            assertEquals(Cli.OK, r.status(), r::toString);
            JsonObject history = JsonParser.parseString(Files.readString(dir.resolve("rnn/history.json"))).getAsJsonObject();
            double accuracy = history.getAsJsonArray("epochs").get(0).getAsJsonObject().get("trainAccuracy").getAsDouble();
            assertTrue(accuracy > 0.3, layer + ": one epoch beats chance (1/10): " + accuracy);
            Module model = ModelIO.load(dir.resolve("rnn/model.json"));
            assertTrue(model.toString().contains("LastStep(features=16)"), model::toString);
            if (layer.contains("recurrentBatchNorm")) {
                assertTrue(model.toString().contains("maxSteps=8"), "statistics for each of the 8 row steps: " + model);
            }
        }
    }

    @Test
    void aCsvOfImagesDeclaresItsShape() throws IOException {
        StringBuilder csv = new StringBuilder();
        java.util.Random r = new java.util.Random(3);
        for (int i = 0; i < 40; i++) {
            for (int j = 0; j < 2 * 3 * 4; j++) {
                csv.append(r.nextGaussian() + (i % 2) * (j % 3)).append(',');
            }
            csv.append(i % 2).append('\n');
        }
        Files.writeString(dir.resolve("images.csv"), csv);
        String text = """
                {"data": {"set": "csv", "file": "images.csv", "features": 24, "shape": [2, 3, 4]}, "epochs": 2, "batchSize": 8,
                 "model": {"layers": [{"type": "Conv2d", "outChannels": 3, "kernelSize": [2, 3]}, {"type": "InstanceNorm2d"},
                                      {"type": "Flatten"}, {"type": "Linear", "outFeatures": 2}]}}
                """;
        config("csv.json", text);
        CliRun run = CliRun.run(dir, "train", "csv.json");
        assertEquals(Cli.OK, run.status(), run::toString);
        assertTrue(run.out().contains("(0): Conv2d(input=(2, 3, 4), outChannels=3, kernelSize=(2, 3)"), run::toString);
    }

    @Test
    void aKernelLargerThanThePaddedImageIsExitTwoNamingKernelSize() throws IOException {
        assertRefused(CNN.replace("{\"type\": \"AvgPool2d\", \"kernelSize\": [2, 1]}", "{\"type\": \"AvgPool2d\", \"kernelSize\": 3}"),
                "bad.json: model.layers[7].kernelSize: (3, 3) is larger than the (6, 2, 2) images coming in (layer 4) padded by "
                        + "(0, 0): 2x2; use a smaller kernel or more padding");
    }

    @Test
    void aChannelCountThatDoesNotMatchIsExitTwoNamingTheField() throws IOException {
        assertRefused(CNN.replace("\"outChannels\": 4,", "\"inChannels\": 3, \"outChannels\": 4,"),
                "bad.json: model.layers[0].inChannels: 3, but the digits data are (1, 8, 8) images (64 values); leave inChannels out");
        assertRefused(CNN.replace("{\"type\": \"BatchNorm2d\"}", "{\"type\": \"BatchNorm2d\", \"numFeatures\": 8}"),
                "bad.json: model.layers[1].numFeatures: 8, but layer 0 outputs (4, 8, 8) images (256 values)");
        assertRefused(CNN.replace("\"groups\": 2", "\"groups\": 3"),
                "bad.json: model.layers[4].groups: 3 does not divide both the 4 channels coming in and outChannels 6");
    }

    @Test
    void aLayerThatCannotTakeWhatComesInIsExitTwoNamingItsType() throws IOException {
        assertRefused(CNN.replace("{\"type\": \"BatchNorm2d\"}", "{\"type\": \"BatchNorm1d\"}"),
                "bad.json: model.layers[1].type: BatchNorm1d after (4, 8, 8) images (256 values) (layer 0); use BatchNorm2d");
        assertRefused(SPIRALS.replace("{\"type\": \"BatchNorm1d\"}", "{\"type\": \"BatchNorm2d\"}"),
                "bad.json: model.layers[1].type: BatchNorm2d needs images (C, H, W), but layer 0 outputs 16 features; use BatchNorm1d");
        assertRefused(SPIRALS.replace("{\"type\": \"Linear\", \"outFeatures\": 16}", "{\"type\": \"Conv2d\", \"outChannels\": 2, \"kernelSize\": 1}"),
                "bad.json: model.layers[0].type: Conv2d needs images (C, H, W), but the spirals data have 2 features");
        assertRefused(SPIRALS.replace("{\"type\": \"Linear\", \"outFeatures\": 16}", "{\"type\": \"GRU\", \"inputSize\": 3, \"hiddenSize\": 16}"),
                "bad.json: model.layers[0].inputSize: 3 does not divide the 2 values coming in (the spirals data have 2 features)");
        assertRefused("""
                {"data": {"set": "digits"}, "model": {"layers": [{"type": "LSTM", "inputSize": 8, "hiddenSize": 4},
                 {"type": "Linear", "outFeatures": 10}]}}
                """, "bad.json: model.layers[1].type: Linear after 8 steps of 4 features (layer 0); add LastStep first");
        assertRefused("""
                {"data": {"set": "digits"}, "model": {"layers": [{"type": "Linear", "outFeatures": 10}, {"type": "LastStep"}]}}
                """, "bad.json: model.layers[1].type: LastStep keeps the last step of a recurrent layer's output, but layer 0 "
                + "outputs 10 features");
    }

    @Test
    void aCsvWhoseDeclaredImagesAreNotItsWidthIsExitTwoNamingShape() throws IOException {
        Files.writeString(dir.resolve("x.csv"), "1,2,3,4,0\n4,3,2,1,1\n");
        config("bad.json", """
                {"data": {"set": "csv", "file": "x.csv", "features": 4, "shape": [1, 3, 3]},
                 "model": {"layers": [{"type": "Linear", "outFeatures": 2}]}}
                """);
        CliRun.run(dir, "train", "bad.json").assertBadInput("bad.json: data.shape: [1, 3, 3] is not [C, H, W] with C·H·W = "
                + "features = 4");
    }

    @Test
    void aDataSetTooSmallToHoldOutATestSetIsExitTwoNamingTestFraction() throws IOException {
        Files.writeString(dir.resolve("two.csv"), "1,2,0\n2,1,1\n");
        config("bad.json", """
                {"data": {"set": "csv", "file": "two.csv", "features": 2}, "model": {"layers": [{"type": "Linear", "outFeatures": 2}]}}
                """);
        CliRun.run(dir, "train", "bad.json").assertBadInput("bad.json: data.testFraction: Dataset.split: a test fraction of 0.2 "
                + "of 2 samples leaves the test set empty");
    }

    @Test
    void aStrideOfZeroIsExitTwoNamingStride() throws IOException {
        assertRefused(CNN.replace("\"kernelSize\": 3, \"padding\": 1}", "\"kernelSize\": 3, \"padding\": 1, \"stride\": 0}"),
                "bad.json: model.layers[0].stride: expected an integer >= 1, found 0");
    }

    @Test
    void badValuesOfImageAndRecurrentLayersNameTheField() throws IOException {
        assertRefused(CNN.replace("\"stride\": [1, 2]", "\"stride\": [1, 0]"),
                "bad.json: model.layers[4].stride: expected an integer >= 1 or a pair [height, width] of them, found [1,0]");
        assertRefused(CNN.replace("{\"type\": \"MaxPool2d\", \"kernelSize\": 2}", "{\"type\": \"MaxPool2d\", \"kernelSize\": 2, \"padding\": 2}"),
                "bad.json: model.layers[3].padding: (2, 2) is more than half the kernel (2, 2)");
        assertRefused(CNN.replace("{\"type\": \"Flatten\"}", "{\"type\": \"Flatten\", \"startDim\": 1}"),
                "bad.json: model.layers[8].startDim: unexpected key; Flatten takes type");
        assertRefused("""
                {"data": {"set": "digits"}, "model": {"layers": [{"type": "RNN", "inputSize": 8, "hiddenSize": 4,
                 "normalization": "batchNorm"}, {"type": "LastStep"}, {"type": "Linear", "outFeatures": 10}]}}
                """, "bad.json: model.layers[0].normalization: unknown normalization \"batchNorm\"; use \"none\", \"layerNorm\", "
                + "\"recurrentBatchNorm\"");
        assertRefused("""
                {"data": {"set": "digits"}, "model": {"layers": [{"type": "RNN", "inputSize": 8, "hiddenSize": 4,
                 "nonlinearity": "sigmoid"}, {"type": "LastStep"}, {"type": "Linear", "outFeatures": 10}]}}
                """, "bad.json: model.layers[0].nonlinearity: expected \"tanh\" or \"relu\", found \"sigmoid\"");
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

package dev.normgrad.tutorials.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.normgrad.io.ModelIO;
import dev.normgrad.nn.Linear;
import dev.normgrad.nn.Sequential;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every numeric field of a training config and every numeric option of a command, given 0, a negative
 * number, a huge number and something that is not a number: refused up front with exit status 2 and
 * one line naming the field and the range, never an internal error, an out-of-memory error or a run
 * that starts and fails. (0 is left out where it is a valid value: a seed, no noise, no momentum.)
 */
class ConfigLimitsTest {
    @TempDir
    Path dir;

    @BeforeEach
    void aModelFile() throws IOException {
        ModelIO.save(new Sequential(new Linear(2, 3, true, new Random(0))), dir.resolve("m.json"));
    }

    private static final String MLP = """
            {"data": {"set": "spirals", "perClass": 20, "classes": 3, "noise": 0.2, "testFraction": 0.2},
             "model": {"layers": [{"type": "Linear", "outFeatures": 8}, {"type": "BatchNorm1d", "eps": 1e-5, "momentum": 0.1},
                                  {"type": "LeakyReLU", "negativeSlope": 0.01}, {"type": "Dropout", "p": 0.1},
                                  {"type": "Linear", "outFeatures": 3}]},
             "optimizer": {"type": "adam", "lr": 0.01, "beta1": 0.9, "beta2": 0.999, "eps": 1e-8, "weightDecay": 0},
             "epochs": 1, "batchSize": 8, "seed": 0}
            """;
    private static final String BLOBS = """
            {"data": {"set": "blobs", "perClass": 20, "classes": 2, "features": 3, "std": 1.0},
             "model": {"layers": [{"type": "Linear", "outFeatures": 2}]},
             "optimizer": {"type": "sgd", "lr": 0.1, "momentum": 0.9, "weightDecay": 0}}
            """;
    private static final String CNN = """
            {"data": {"set": "digits"},
             "model": {"layers": [{"type": "Conv2d", "outChannels": 4, "kernelSize": 3, "stride": 1, "padding": 1, "groups": 1},
                                  {"type": "GroupNorm", "numGroups": 2},
                                  {"type": "MaxPool2d", "kernelSize": 2, "stride": 2, "padding": 0},
                                  {"type": "Flatten"}, {"type": "Linear", "outFeatures": 10}]}}
            """;
    private static final String RNN = """
            {"data": {"set": "digits"},
             "model": {"layers": [{"type": "LSTM", "inputSize": 8, "hiddenSize": 4, "numLayers": 1},
                                  {"type": "LastStep"}, {"type": "Linear", "outFeatures": 10}]}}
            """;

    private static final String HUGE = "2147483647";
    private static final String NOT_A_NUMBER = "\"x\"";

    /** A config, a field of it (dotted, array indices as numbers), a value and what the message must say. */
    static Stream<Arguments> badValues() {
        List<Arguments> rows = new ArrayList<>();
        // integers: 0 (or below the minimum), negative, huge, not a number
        integer(rows, MLP, "epochs", 1, "epochs: 2147483647 is more than 100000");
        integer(rows, MLP, "batchSize", 1, "batchSize: 2147483647 is more than 16777216");
        integer(rows, MLP, "data.perClass", 2, "data.perClass: 2147483647 is more than 16777216");
        integer(rows, MLP, "data.classes", 2, "data.classes: 2147483647 is more than 16777216");
        integer(rows, BLOBS, "data.features", 1, "data.features: 2147483647 is more than 16777216");
        integer(rows, MLP, "model.layers.0.outFeatures", 1, "model.layers[0].outFeatures: 2147483647 is more than 16777216");
        integer(rows, CNN, "model.layers.0.outChannels", 1, "model.layers[0].outChannels: 2147483647 is more than 16777216");
        integer(rows, CNN, "model.layers.0.kernelSize", 1, "model.layers[0].kernelSize: 2147483647 is more than 16777216");
        integer(rows, CNN, "model.layers.0.stride", 1, "model.layers[0].stride: 2147483647 is more than 16777216");
        integer(rows, CNN, "model.layers.0.padding", 0, "model.layers[0].padding: 2147483647 is more than 16777216");
        integer(rows, CNN, "model.layers.0.groups", 1, "model.layers[0].groups: 2147483647 is more than 16777216");
        integer(rows, CNN, "model.layers.1.numGroups", 1, "model.layers[1].numGroups: 2147483647 is more than 16777216");
        integer(rows, CNN, "model.layers.2.kernelSize", 1, "model.layers[2].kernelSize: 2147483647 is more than 16777216");
        integer(rows, RNN, "model.layers.0.inputSize", 1, "model.layers[0].inputSize: 2147483647 is more than 16777216");
        integer(rows, RNN, "model.layers.0.hiddenSize", 1, "model.layers[0].hiddenSize: 2147483647 is more than 16777216");
        integer(rows, RNN, "model.layers.0.numLayers", 1, "model.layers[0].numLayers: 2147483647 is more than 16777216");
        // the seed: every integer is a seed; a fraction, a number past 2^53 or text is not
        rows.add(Arguments.of(MLP, "seed", "0.5", "seed: expected an integer, found 0.5"));
        rows.add(Arguments.of(MLP, "seed", "1e300", "seed: expected an integer"));
        rows.add(Arguments.of(MLP, "seed", NOT_A_NUMBER, "seed: expected an integer, found the string \"x\""));
        // numbers in a range: below it, negative, huge, not a number
        number(rows, MLP, "data.noise", false, "data.noise: expected a number in [0.0, 100.0]");
        number(rows, MLP, "data.testFraction", true, "data.testFraction: expected a number in [0.01, 0.99]");
        number(rows, BLOBS, "data.std", false, "data.std: expected a number in [0.0, 1000000.0]");
        number(rows, MLP, "model.layers.1.eps", false, "model.layers[1].eps: expected a number in [0.0, 1000000.0]");
        number(rows, MLP, "model.layers.1.momentum", false, "model.layers[1].momentum: expected a number in [0.0, 1.0]");
        number(rows, MLP, "model.layers.3.p", false, "model.layers[3].p: expected a number in [0.0, 0.999]");
        number(rows, MLP, "optimizer.lr", true, "optimizer.lr: expected a number in [1.0E-12, 1000.0]");
        number(rows, MLP, "optimizer.beta1", false, "optimizer.beta1: expected a number in [0.0, 0.9999]");
        number(rows, MLP, "optimizer.beta2", false, "optimizer.beta2: expected a number in [0.0, 0.99999999]");
        number(rows, MLP, "optimizer.eps", true, "optimizer.eps: expected a number in [1.0E-30, 1.0]");
        number(rows, MLP, "optimizer.weightDecay", false, "optimizer.weightDecay: expected a number in [0.0, 1000.0]");
        number(rows, BLOBS, "optimizer.momentum", false, "optimizer.momentum: expected a number in [0.0, 0.9999]");
        rows.add(Arguments.of(MLP, "model.layers.2.negativeSlope", "1e300", "model.layers[2].negativeSlope: expected a number in "));
        rows.add(Arguments.of(MLP, "model.layers.2.negativeSlope", NOT_A_NUMBER, "model.layers[2].negativeSlope: expected a number"));
        return rows.stream();
    }

    private static void integer(List<Arguments> rows, String config, String field, int min, String huge) {
        String shown = shown(field);
        rows.add(Arguments.of(config, field, String.valueOf(min - 1), shown + ": expected an integer >= " + min + ", found " + (min - 1)));
        rows.add(Arguments.of(config, field, "-5", shown + ": expected an integer >= " + min + ", found -5"));
        rows.add(Arguments.of(config, field, HUGE, huge));
        rows.add(Arguments.of(config, field, "2.5", shown + ": expected an integer >= " + min + ", found 2.5"));
        rows.add(Arguments.of(config, field, NOT_A_NUMBER, shown + ": expected an integer >= " + min + ", found the string \"x\""));
    }

    private static void number(List<Arguments> rows, String config, String field, boolean zeroIsRefused, String range) {
        if (zeroIsRefused) {
            rows.add(Arguments.of(config, field, "0", range + ", found 0"));
        }
        rows.add(Arguments.of(config, field, "-1", range + ", found -1"));
        rows.add(Arguments.of(config, field, "1e300", range));
        rows.add(Arguments.of(config, field, NOT_A_NUMBER, range + ", found the string \"x\""));
    }

    /** {@code model.layers.0.outFeatures} as messages write it: {@code model.layers[0].outFeatures}. */
    private static String shown(String field) {
        return field.replaceAll("\\.(\\d+)", "[$1]");
    }

    @ParameterizedTest
    @MethodSource("badValues")
    void aBadNumberIsRefusedUpFrontNamingTheField(String config, String field, String value, String message) throws IOException {
        assertRefused(with(config, field, value), "normgrad train: c.json: " + message);
    }

    @Test
    void sizesThatMultiplyPastTheLimitAreRefusedBeforeAllocating() throws IOException {
        assertRefused(with(MLP, "data.perClass", "10000000"), "c.json: data.perClass: 10000000 samples per class x 3 classes x 2 "
                + "features = 60000000 values, more than 16777216, the largest data set a config generates");
        assertRefused(with(MLP, "model.layers.0.outFeatures", "16777216"), "c.json: model.layers[0].outFeatures: makes a "
                + "16777216x2 weight of 33554432 entries, more than 16777216, the largest tensor a model file holds");
        assertRefused(with(CNN, "model.layers.0.outChannels", "2000000"), "c.json: model.layers[0].outChannels: makes a "
                + "2000000x1x3x3 weight of 18000000 entries");
        assertRefused(with(CNN, "model.layers.0.outChannels", "100000"), "c.json: model.layers[0]: Conv2d outputs (100000, 8, 8) "
                + "images (6400000 values) per sample, 204800000 values for a batch of 32, more than 16777216; use a smaller "
                + "batchSize or layer");
        assertRefused(with(CNN, "model.layers.0.padding", "4000"), "c.json: model.layers[0]: Conv2d outputs (4, 8006, 8006) images "
                + "(256384144 values) per sample");
        assertRefused(with(RNN, "model.layers.0.hiddenSize", "4096"), "c.json: model.layers[0].hiddenSize: makes a 16384x4096 weight");
    }

    @Test
    void aBatchOfOneIsRefusedForBatchStatisticsNamingBatchSize() throws IOException {
        String why = "normalizes each channel over the batch, and one value per channel has no variance; use a batchSize of at "
                + "least 2, or a normalization of each sample (LayerNorm, GroupNorm)";
        assertRefused(with(MLP, "batchSize", "1"), "normgrad train: c.json: batchSize: 1, but model.layers[1] (BatchNorm1d) " + why);
        String onePixel = with(with(CNN, "model.layers.0.kernelSize", "8"), "model.layers.0.padding", "0");
        assertRefused(with(with(onePixel, "batchSize", "1"), "model.layers.1", "{\"type\": \"BatchNorm2d\"}"),
                "c.json: batchSize: 1, but model.layers[1] (BatchNorm2d) " + why);
        assertRefused(with(with(RNN, "batchSize", "1"), "model.layers.0.normalization", "\"recurrentBatchNorm\""),
                "c.json: batchSize: 1, but model.layers[0] (LSTM with recurrentBatchNorm) " + why);
        // BatchNorm2d over 8x8 images has 64 values per channel even in a batch of one: PyTorch trains it, and so does train
        Path ok = dir.resolve("ok.json");
        Files.writeString(ok, with(with(CNN, "batchSize", "1"), "model.layers.1", "{\"type\": \"BatchNorm2d\"}"));
        assertEquals(5, TrainConfig.read(ok, "ok.json").model(64, 10, "digits").size());
    }

    @Test
    void numericOptionsOfTheCommandsAreRefusedUpFrontWithTheirRange() {
        String[][] cases = {
            {"gradcheck m.json --batch 0", "normgrad gradcheck: --batch: must be at least 1, got 0"},
            {"gradcheck m.json --batch -3", "normgrad gradcheck: --batch: must be at least 1, got -3"},
            {"gradcheck m.json --batch 2147483647", "normgrad gradcheck: --batch: must be at most 1048576, got 2147483647"},
            {"gradcheck m.json --batch 20000000", "normgrad gradcheck: --batch: must be at most 1048576, got 20000000"},
            {"gradcheck m.json --batch x", "normgrad gradcheck: Invalid value for option '--batch': 'x' is not an int"},
            {"gradcheck m.json --steps 0", "normgrad gradcheck: --steps: must be at least 1, got 0"},
            {"gradcheck m.json --steps 2147483647", "normgrad gradcheck: --steps: must be at most 1048576"},
            {"gradcheck m.json --steps x", "normgrad gradcheck: Invalid value for option '--steps'"},
            {"gradcheck m.json --fast --directions 0", "normgrad gradcheck: --directions: must be at least 1, got 0"},
            {"gradcheck m.json --fast --directions -1", "normgrad gradcheck: --directions: must be at least 1, got -1"},
            {"gradcheck m.json --fast --directions 2147483647", "normgrad gradcheck: --directions: must be at most 100000"},
            {"gradcheck m.json --fast --directions x", "normgrad gradcheck: Invalid value for option '--directions'"},
            {"gradcheck m.json --features 0", "normgrad gradcheck: --features: must be at least 1, got 0"},
            {"gradcheck m.json --features 2147483647", "normgrad gradcheck: --features: must be at most 1048576"},
            {"gradcheck m.json --features x", "normgrad gradcheck: Invalid value for option '--features'"},
            {"gradcheck m.json --seed x", "normgrad gradcheck: Invalid value for option '--seed'"},
            {"gradcheck m.json --seed 99999999999999999999", "normgrad gradcheck: Invalid value for option '--seed'"},
            {"demo --steps 0", "normgrad demo: --steps: must be at least 1, got 0"},
            {"demo --steps -1", "normgrad demo: --steps: must be at least 1, got -1"},
            {"demo --steps 2147483647", "normgrad demo: --steps: must be at most 100000, got 2147483647"},
            {"demo --steps x", "normgrad demo: Invalid value for option '--steps'"},
            {"demo --seed x", "normgrad demo: Invalid value for option '--seed'"},
            {"grade sub --assignment layernorm --time-limit 0", "normgrad grade: --time-limit: seconds per case, more than 0 and at most 3600, got 0.0"},
            {"grade sub --assignment layernorm --time-limit -1", "normgrad grade: --time-limit: seconds per case, more than 0 and at most 3600, got -1.0"},
            {"grade sub --assignment layernorm --time-limit 1e9", "normgrad grade: --time-limit: seconds per case, more than 0 and at most 3600"},
            {"grade sub --assignment layernorm --time-limit NaN", "normgrad grade: --time-limit: seconds per case, more than 0 and at most 3600, got NaN"},
            {"grade sub --assignment layernorm --time-limit x", "normgrad grade: Invalid value for option '--time-limit'"},
            {"grade sub --assignment layernorm --heap-limit 0", "normgrad grade: --heap-limit: megabytes, from 32 to 16384, got 0"},
            {"grade sub --assignment layernorm --heap-limit -1", "normgrad grade: --heap-limit: megabytes, from 32 to 16384, got -1"},
            {"grade sub --assignment layernorm --heap-limit 2147483647", "normgrad grade: --heap-limit: megabytes, from 32 to 16384, got 2147483647"},
            {"grade sub --assignment layernorm --heap-limit x", "normgrad grade: Invalid value for option '--heap-limit'"},
            {"grade sub --assignment layernorm --seed x", "normgrad grade: Invalid value for option '--seed'"},
            {"assignment make layernorm --out o --gradescope --seed x", "normgrad assignment make: Invalid value for option '--seed'"},
            {"bench w9", "normgrad bench: unknown selection 'w9'"},
            {"bench --launches 0", "normgrad bench: --launches takes a whole number of fresh JVMs from 1 to"},
            {"bench --launches -1", "normgrad bench: --launches takes a whole number"},
            {"bench --launches 2147483647", "normgrad bench: --launches takes a whole number"},
            {"bench --launches x", "normgrad bench: --launches takes a whole number"},
            {"bench --launches 2 --warmup -1", "normgrad bench: --warmup takes the seconds of warm-up"},
            {"bench --launches 2 --warmup 1e300", "normgrad bench: --warmup takes the seconds of warm-up"},
            {"bench --launches 2 --warmup x", "normgrad bench: --warmup takes the seconds of warm-up"},
        };
        for (String[] c : cases) {
            CliRun.run(dir, c[0].split(" ")).assertBadInput(c[1]);
        }
    }

    @Test
    void aGeneratedOrGivenGradcheckInputPastTheLimitIsRefusedBeforeAllocating() throws IOException {
        CliRun.run(dir, "gradcheck", "m.json", "--batch", "600000").assertBadInput(
                "normgrad gradcheck: --batch 600000: the input would be 600000x2 = 1200000 entries, more than 1048576, the "
                        + "largest input a gradient check takes (it perturbs every entry); use a smaller --batch");
    }

    private void assertRefused(String text, String... fragments) throws IOException {
        Files.writeString(dir.resolve("c.json"), text);
        CliRun.run(dir, "train", "c.json").assertBadInput(fragments);
        assertEquals(List.of("c.json", "m.json"), CliRun.listing(dir), "nothing written");
    }

    /** {@code config} with {@code field} set to the JSON {@code value}. */
    private static String with(String config, String field, String value) {
        JsonObject root = JsonParser.parseString(config).getAsJsonObject();
        String[] keys = field.split("\\.");
        JsonElement at = root;
        for (int k = 0; k < keys.length - 1; k++) {
            at = keys[k].matches("\\d+") ? at.getAsJsonArray().get(Integer.parseInt(keys[k])) : at.getAsJsonObject().get(keys[k]);
        }
        String last = keys[keys.length - 1];
        JsonElement v = JsonParser.parseString(value);
        if (last.matches("\\d+")) {
            at.getAsJsonArray().set(Integer.parseInt(last), v);
        } else {
            at.getAsJsonObject().add(last, v);
        }
        return root.toString();
    }
}

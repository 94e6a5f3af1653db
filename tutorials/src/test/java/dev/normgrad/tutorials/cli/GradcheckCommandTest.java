package dev.normgrad.tutorials.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.normgrad.autograd.Function;
import dev.normgrad.autograd.Tensor;
import dev.normgrad.init.Init;
import dev.normgrad.io.LayerRegistry;
import dev.normgrad.io.LayerType;
import dev.normgrad.io.ModelIO;
import dev.normgrad.nn.Linear;
import dev.normgrad.nn.Module;
import dev.normgrad.nn.Sequential;
import dev.normgrad.nn.Tanh;
import dev.normgrad.norm.BatchNorm1d;
import dev.normgrad.recurrent.RNN;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GradcheckCommandTest {
    @TempDir
    Path dir;

    private Path model;

    @BeforeEach
    void saveAModel() throws IOException {
        Init.manualSeed(0);
        model = dir.resolve("mlp.json");
        ModelIO.save(new Sequential(new Linear(3, 4), new BatchNorm1d(4), new Tanh(), new Linear(4, 2)), model);
    }

    /** tanh whose backward forgets the square: dx = (1 − y)·dy instead of (1 − y²)·dy. */
    static final class WrongTanhOp extends Function {
        private DMatrixRMaj y;

        @Override
        protected DMatrixRMaj forward(DMatrixRMaj... in) {
            y = in[0].copy();
            for (int i = 0; i < y.data.length; i++) {
                y.data[i] = Math.tanh(y.data[i]);
            }
            return y;
        }

        @Override
        protected void backward(DMatrixRMaj dy, DMatrixRMaj[] dx) {
            if (dx[0] != null) {
                for (int i = 0; i < y.data.length; i++) {
                    dx[0].data[i] += (1 - y.data[i]) * dy.data[i];
                }
            }
        }
    }

    /** A layer with a planted wrong backward, registered only in these tests. */
    public static final class WrongTanh extends Module {
        @Override
        public Tensor forward(Tensor input) {
            return new WrongTanhOp().apply(input);
        }
    }

    /** A tanh RNN under a type name of its own (the standard registry's recurrent types are not needed here). */
    public static final class TestRnn extends RNN {
        public TestRnn(int inputSize, int hiddenSize) {
            super(inputSize, hiddenSize, new Random(7));
        }
    }

    private static final LayerType<TestRnn> TEST_RNN = new LayerType<>("TestRnn", TestRnn.class,
            (layer, out) -> out.put("inputSize", layer.inputSize()).put("hiddenSize", layer.hiddenSize()),
            in -> new TestRnn(in.getInt("inputSize"), in.getInt("hiddenSize")));

    @Test
    void aRecurrentModelGetsASequenceOfSteps() throws IOException {
        LayerRegistry registry = LayerRegistry.standard().with(TEST_RNN);
        ModelIO.save(new TestRnn(2, 3), dir.resolve("rnn.json"), registry);
        CliRun r = CliRun.run(registry, dir, Map.of(), "gradcheck", "rnn.json", "--steps", "5");
        assertEquals(Cli.OK, r.status(), r::toString);
        assertTrue(r.out().contains("input 5 steps of 4x2"), r::toString);

        Files.writeString(dir.resolve("seq.json"), "[[1, 2, 3, 4, 5, 6], [0, 1, 0, 1, 0, 1]]");
        CliRun fromFile = CliRun.run(registry, dir, Map.of(), "gradcheck", "rnn.json", "--input", "seq.json");
        assertEquals(Cli.OK, fromFile.status(), fromFile::toString);
        assertTrue(fromFile.out().contains("input 3 steps of 2x2"), fromFile::toString);

        Files.writeString(dir.resolve("odd.json"), "[[1, 2, 3]]");
        CliRun.run(registry, dir, Map.of(), "gradcheck", "rnn.json", "--input", "odd.json")
                .assertBadInput("odd.json: shape 1x3", "the columns must be a multiple of 2");

        ModelIO.save(new Sequential(new TestRnn(2, 3), new Linear(12, 2)), dir.resolve("seq-model.json"), registry);
        CliRun inside = CliRun.run(registry, dir, Map.of(), "gradcheck", "seq-model.json", "--fast");
        assertEquals(Cli.OK, inside.status(), inside::toString);
        assertTrue(inside.out().contains("input 4x8"), inside::toString);
    }

    @Test
    void aCorrectModelPassesWithExitZeroAndTheTable() {
        CliRun r = CliRun.run(dir, "gradcheck", model.toString());
        assertEquals(Cli.OK, r.status(), r::toString);
        assertTrue(r.out().contains("GradCheck full"), r::toString);
        assertTrue(r.out().contains("PASSED"), r::toString);
        assertTrue(r.out().contains("input 4x3 (seeded normal, seed 0), training mode"), r::toString);
        assertTrue(r.out().contains("0.weight") && r.out().contains("3.bias"), r::toString);
        assertEquals("", r.err());
    }

    @Test
    void jsonAndFastGiveTheReportAsJsonForAnAutograder() {
        CliRun r = CliRun.run(dir, "gradcheck", "mlp.json", "--fast", "--json", "--batch", "5", "--seed", "3");
        assertEquals(Cli.OK, r.status(), r::toString);
        JsonObject report = JsonParser.parseString(r.out()).getAsJsonObject();
        assertEquals("normgrad-gradcheck", report.get("schema").getAsString());
        assertEquals("fast", report.get("mode").getAsString());
        assertTrue(report.get("passed").getAsBoolean());
    }

    @Test
    void aPlantedWrongBackwardFailsWithExitOne() throws IOException {
        LayerRegistry registry = LayerRegistry.standard().with(LayerType.withoutArguments("WrongTanh", WrongTanh.class, WrongTanh::new));
        Init.manualSeed(1);
        ModelIO.save(new Sequential(new Linear(3, 4), new WrongTanh(), new Linear(4, 2)), dir.resolve("wrong.json"), registry);

        CliRun table = CliRun.run(registry, dir, Map.of(), "gradcheck", "wrong.json");
        assertEquals(Cli.CHECK_FAILED, table.status(), table::toString);
        assertTrue(table.out().contains("FAILED"), table::toString);
        assertEquals("", table.err());

        CliRun json = CliRun.run(registry, dir, Map.of(), "gradcheck", "wrong.json", "--json", "--fast");
        assertEquals(Cli.CHECK_FAILED, json.status(), json::toString);
        assertFalse(JsonParser.parseString(json.out()).getAsJsonObject().get("passed").getAsBoolean());
    }

    @Test
    void locateNamesTheFirstWrongOpAndTheLayerThatCreatedItWithExitOne() throws IOException {
        LayerRegistry registry = LayerRegistry.standard().with(LayerType.withoutArguments("WrongTanh", WrongTanh.class, WrongTanh::new));
        Init.manualSeed(1);
        ModelIO.save(new Sequential(new Linear(3, 4), new WrongTanh(), new Linear(4, 2)), dir.resolve("wrong.json"), registry);

        CliRun table = CliRun.run(registry, dir, Map.of(), "gradcheck", "wrong.json", "--locate");
        assertEquals(Cli.CHECK_FAILED, table.status(), table::toString);
        assertTrue(table.out().contains("GradCheck.locate: FAILED — the first wrong op is #2 of 3: wrongTanhOp (WrongTanhOp), "
                + "created in 1 (WrongTanh), inputs (4x4)\n  diagnosis: "), table::toString);
        assertEquals("", table.err());
        String printed = table.out().substring(table.out().indexOf("GradCheck.locate:")).strip();
        assertTrue(Files.readString(Path.of("docs/command-line.md")).contains(printed),
                "docs/command-line.md shows this output of --locate:\n" + printed);

        CliRun json = CliRun.run(registry, dir, Map.of(), "gradcheck", "wrong.json", "--locate", "--json");
        assertEquals(Cli.CHECK_FAILED, json.status(), json::toString);
        JsonObject report = JsonParser.parseString(json.out()).getAsJsonObject();
        assertEquals("normgrad-graphcheck", report.get("schema").getAsString());
        assertEquals(2, report.get("firstWrongOp").getAsInt());
        assertEquals("1 (WrongTanh)", report.getAsJsonArray("nodes").get(1).getAsJsonObject().get("module").getAsString());

        CliRun fast = CliRun.run(registry, dir, Map.of(), "gradcheck", "wrong.json", "--locate", "--fast");
        assertEquals(Cli.CHECK_FAILED, fast.status(), fast::toString);
        assertTrue(fast.out().contains("the first wrong op is #2 of 3"), fast::toString);
    }

    @Test
    void locateOnACorrectModelPassesEveryOp() {
        CliRun r = CliRun.run(dir, "gradcheck", "mlp.json", "--locate");
        assertEquals(Cli.OK, r.status(), r::toString);
        assertTrue(r.out().contains("GradCheck.locate: PASSED — all 4 ops passed, each checked on its own"), r::toString);
        assertTrue(r.out().contains("1 (BatchNorm1d)"), r::toString);
    }

    @Test
    void theSeedIsTheSameInTheHeaderTheReportAndTheJson() {
        CliRun text = CliRun.run(dir, "gradcheck", "mlp.json", "--seed", "3");
        assertEquals(Cli.OK, text.status(), text::toString);
        assertTrue(text.out().contains("(seeded normal, seed 3)"), text::toString);
        assertTrue(text.out().contains("(step 1e-06, seed 3)"), text::toString);
        CliRun json = CliRun.run(dir, "gradcheck", "mlp.json", "--seed", "3", "--json");
        assertEquals(3, JsonParser.parseString(json.out()).getAsJsonObject().get("seed").getAsLong());
    }

    @Test
    void theStandardRegistryRefusesTheTestOnlyLayerAsAnUnknownType() throws IOException {
        LayerRegistry registry = LayerRegistry.standard().with(LayerType.withoutArguments("WrongTanh", WrongTanh.class, WrongTanh::new));
        ModelIO.save(new Sequential(new Linear(3, 4), new WrongTanh()), dir.resolve("wrong.json"), registry);
        CliRun.run(dir, "gradcheck", "wrong.json").assertBadInput("wrong.json", "architecture.layers[1].type",
                "unknown layer type \"WrongTanh\"");
    }

    @Test
    void anInputFileIsUsedAndItsWidthChecked() throws IOException {
        Files.writeString(dir.resolve("x.json"), "[[1, 2, 3], [0.5, -1, 2]]");
        CliRun r = CliRun.run(dir, "gradcheck", "mlp.json", "--input", "x.json");
        assertEquals(Cli.OK, r.status(), r::toString);
        assertTrue(r.out().contains("input 2x3 (x.json)"), r::toString);

        Files.writeString(dir.resolve("wide.json"), "{\"shape\": [2, 2], \"data\": [1, 2, 3, 4]}");
        CliRun.run(dir, "gradcheck", "mlp.json", "--input", "wide.json")
                .assertBadInput("wide.json: shape 2x2", "Linear, takes 3 columns");
        Files.writeString(dir.resolve("ragged.json"), "[[1, 2, 3], [1, 2]]");
        CliRun.run(dir, "gradcheck", "mlp.json", "--input", "ragged.json").assertBadInput("ragged.json: [1]: has 2 numbers");
    }

    @Test
    void aMissingModelFileIsExitTwoNamingTheFile() {
        CliRun.run(dir, "gradcheck", "nope.json").assertBadInput("gradcheck: nope.json: no such file");
        CliRun.run(dir, "gradcheck", dir.toString()).assertBadInput("is a folder, not a file");
    }

    @Test
    void truncatedAndMalformedModelFilesAreExitTwo() throws IOException {
        String text = Files.readString(model);
        Files.writeString(dir.resolve("cut.json"), text.substring(0, text.length() / 2));
        CliRun.run(dir, "gradcheck", "cut.json").assertBadInput("cut.json", "truncated");
        Files.writeString(dir.resolve("bad.json"), text.replaceFirst(":", ""));
        CliRun.run(dir, "gradcheck", "bad.json").assertBadInput("bad.json", "not valid JSON");
        Files.write(dir.resolve("latin1.json"), "{\"format\": \"caf\u00e9\"}".getBytes(StandardCharsets.ISO_8859_1));
        CliRun.run(dir, "gradcheck", "latin1.json").assertBadInput("latin1.json", "not UTF-8");
    }

    @Test
    void anUnknownLayerTypeIsExitTwoNamingTheField() throws IOException {
        Files.writeString(dir.resolve("typo.json"), Files.readString(model).replaceFirst("\"Linear\"", "\"Lenear\""));
        CliRun.run(dir, "gradcheck", "typo.json").assertBadInput("typo.json", "architecture.layers[0].type",
                "unknown layer type \"Lenear\"");
    }

    @Test
    void layersThatDoNotChainAreExitTwoWithTheShapes() throws IOException {
        Init.manualSeed(2);
        ModelIO.save(new Sequential(new Linear(3, 4), new Linear(5, 2)), dir.resolve("chain.json"));
        CliRun.run(dir, "gradcheck", "chain.json").assertBadInput("chain.json: the model does not run on a 4x3 input");
    }

    @Test
    void aFirstLayerWithoutAWidthNeedsFeatures() throws IOException {
        Init.manualSeed(3);
        ModelIO.save(new Sequential(new Tanh(), new Linear(3, 2)), dir.resolve("act.json"));
        CliRun.run(dir, "gradcheck", "act.json").assertBadInput("act.json: the first layer, Tanh", "--features");
        assertEquals(Cli.OK, CliRun.run(dir, "gradcheck", "act.json", "--features", "3").status());
        CliRun.run(dir, "gradcheck", "mlp.json", "--features", "5").assertBadInput("--features 5", "takes 3 features");
    }

    @Test
    void verboseAddsTheStackTrace() {
        CliRun r = CliRun.run(dir, "gradcheck", "nope.json", "--verbose");
        assertEquals(Cli.BAD_INPUT, r.status());
        assertTrue(r.err().lines().findFirst().orElseThrow().contains("nope.json: no such file"), r::toString);
        assertTrue(r.err().contains("\tat "), r::toString);
    }

    @Test
    void unknownOptionAndMissingModelAreUsageErrors() {
        CliRun.run(dir, "gradcheck", "mlp.json", "--fats").assertBadInput("normgrad gradcheck: unknown option '--fats'",
                "did you mean --fast?", "--help");
        CliRun.run(dir, "gradcheck").assertBadInput("normgrad gradcheck: Missing required parameter: 'MODEL.json'");
        CliRun.run(dir, "gradcheck", "mlp.json", "--batch", "x").assertBadInput("normgrad gradcheck", "--batch", "'x'");
    }
}

package dev.normgrad.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.normgrad.autograd.Tensor;
import dev.normgrad.init.Init;
import dev.normgrad.nn.Dropout;
import dev.normgrad.nn.GELU;
import dev.normgrad.nn.Identity;
import dev.normgrad.nn.LeakyReLU;
import dev.normgrad.nn.Linear;
import dev.normgrad.nn.Module;
import dev.normgrad.nn.ReLU;
import dev.normgrad.nn.Sequential;
import dev.normgrad.nn.Sigmoid;
import dev.normgrad.nn.Tanh;
import dev.normgrad.norm.BatchNorm1d;
import dev.normgrad.norm.BatchRenorm1d;
import dev.normgrad.norm.GroupNorm;
import dev.normgrad.norm.InstanceNorm1d;
import dev.normgrad.norm.LayerNorm;
import dev.normgrad.norm.NormalizationLayer;
import dev.normgrad.norm.RMSNorm;
import dev.normgrad.norm.WeightNorm;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** NormGrad's own layers through save and load. */
class StandardLayersIOTest {
    @TempDir
    Path dir;

    private static Sequential mlp() {
        Random random = new Random(11);
        return new Sequential(new Linear(5, 8, true, random), new Tanh(), new Dropout(0.3, 99), new LeakyReLU(0.05),
                new Linear(8, 6, false, random), new Sigmoid(), new GELU(), new ReLU(), new Identity(), new Linear(6, 3, true, random));
    }

    static void assertBitIdentical(Tensor expected, Tensor actual) {
        assertEquals(expected.shape(), actual.shape());
        for (int i = 0; i < expected.rows() * expected.cols(); i++) {
            assertEquals(Double.doubleToRawLongBits(expected.data().data[i]), Double.doubleToRawLongBits(actual.data().data[i]),
                    "entry " + i);
        }
    }

    @Test
    void theStandardRegistryHoldsTheDocumentedTypes() {
        assertEquals(List.of("AvgPool2d", "BatchNorm1d", "BatchNorm2d", "BatchRenorm1d", "Conv1d", "Conv2d", "Dropout", "Flatten", "GELU",
                        "GRU", "GRUCell", "GroupNorm", "Identity", "InstanceNorm1d", "InstanceNorm2d", "LSTM", "LSTMCell", "LastStep",
                        "LayerNorm", "LeakyReLU", "Linear", "MaxPool2d", "RMSNorm", "RNN", "RNNCell", "ReLU", "Sequential", "Sigmoid",
                        "Tanh", "WeightNorm"),
                LayerRegistry.standard().names());
    }

    @Test
    void anMlpComesBackBitForBitInEvalAndTrainModeDropoutMasksIncluded() throws IOException {
        Sequential original = mlp();
        Tensor x = Tensor.randn(4, 5, new Random(3));
        original.apply(x);                          // the dropout generator has moved on from its seed
        Path file = dir.resolve("mlp.json");
        ModelIO.save(original, file);
        Module loaded = ModelIO.load(file);
        assertEquals(original.toString(), loaded.toString());

        original.eval();
        loaded.eval();
        assertBitIdentical(original.apply(x), loaded.apply(x));
        original.train();
        loaded.train();
        for (int i = 0; i < 3; i++) {               // the same masks, call after call
            assertBitIdentical(original.apply(x), loaded.apply(x));
        }
    }

    /** Every normalization layer, with non-default arguments, after its running statistics have moved. */
    private static Sequential normalized(Random random) {
        Sequential model = new Sequential(
                new WeightNorm(new Linear(6, 12, true, random)),
                new BatchNorm1d(12, 1e-3, 0.2, true, true),
                new Tanh(),
                new BatchRenorm1d(4, 1e-5, 0.3, true, 2.0, 1.5),                   // reads rows as 4 channels × 3 positions
                new InstanceNorm1d(4, 1e-5, 0.25, true, true),
                new GroupNorm(2, 4, 1e-4, true),
                new LayerNorm(new int[] {4, 3}, 1e-5, true).setFused(false),
                new RMSNorm(new int[] {12}, 1e-6, true),
                new BatchNorm1d(12, 1e-5, null, false, true),                       // cumulative average, no γ and β
                new Linear(12, 3, true, random));
        return TestLayers.randomizeWithPositiveBuffers(model, random);
    }

    @Test
    void everyNormalizationLayerComesBackBitForBitInTrainAndEvalMode() throws IOException {
        Random random = new Random(21);
        Sequential original = normalized(random);
        Tensor x = Tensor.randn(5, 6, random);
        original.apply(x);
        original.apply(x.mul(2));
        Path file = dir.resolve("normalized.json");
        ModelIO.save(original, file);
        Module loaded = ModelIO.load(file);
        assertEquals(original.toString(), loaded.toString());
        original.namedBuffers().forEach((name, b) -> assertBitIdentical(b, loaded.namedBuffers().get(name)));

        original.eval();
        loaded.eval();
        assertBitIdentical(original.apply(x), loaded.apply(x));
        original.train();
        loaded.train();
        assertBitIdentical(original.apply(x), loaded.apply(x));
        original.namedBuffers().forEach((name, b) -> assertBitIdentical(b, loaded.namedBuffers().get(name)));
        // and the gradients agree too
        original.zeroGrad();
        loaded.zeroGrad();
        original.apply(x).pow(2).sum().backward();
        loaded.apply(x).pow(2).sum().backward();
        original.namedParameters().forEach((name, p) -> assertBitIdentical(p.grad(), loaded.namedParameters().get(name).grad()));
    }

    @Test
    void theRunningVarianceOfTheWrongShapeIsReportedAsTheIssueShowsIt() {
        Sequential model = new Sequential(new Linear(8, 16, true, new Random(1)), new ReLU(), new BatchNorm1d(16));
        JsonObject json = JsonParser.parseString(ModelIO.toJson(model)).getAsJsonObject();
        json.getAsJsonObject("buffers").add("2.runningVar",
                JsonParser.parseString("{\"shape\": [1, 8], \"data\": [1, 1, 1, 1, 1, 1, 1, 1]}"));
        ModelFormatException e = org.junit.jupiter.api.Assertions.assertThrows(ModelFormatException.class,
                () -> ModelIO.fromJson(json.toString()));
        assertEquals("layers[2].runningVar (buffer \"2.runningVar\"): expected 1x16, found 1x8", e.getMessage());
    }

    @Test
    void normalizationArgumentsAreWrittenByName() {
        JsonObject arch = JsonParser.parseString(ModelIO.toJson(normalized(new Random(2)))).getAsJsonObject().getAsJsonObject("architecture");
        assertEquals(JsonParser.parseString("{\"type\":\"WeightNorm\",\"module\":{\"type\":\"Linear\",\"inFeatures\":6,"
                + "\"outFeatures\":12,\"bias\":true},\"name\":\"weight\",\"dim\":0}"), arch.getAsJsonArray("layers").get(0));
        assertEquals(JsonParser.parseString("{\"type\":\"BatchNorm1d\",\"numFeatures\":12,\"eps\":0.001,\"momentum\":0.2,"
                + "\"affine\":true,\"trackRunningStats\":true,\"fused\":true}"), arch.getAsJsonArray("layers").get(1));
        assertEquals(JsonParser.parseString("{\"type\":\"LayerNorm\",\"normalizedShape\":[4,3],\"eps\":1.0E-5,"
                + "\"elementwiseAffine\":true,\"fused\":false}"), arch.getAsJsonArray("layers").get(6));
        assertTrue(arch.getAsJsonArray("layers").get(8).getAsJsonObject().get("momentum").isJsonNull(), "null: a cumulative average");
    }

    @Test
    void aNormalizationLayerWithoutFusedInTheFileRunsTheFusedOp() {
        String json = ModelIO.toJson(new Sequential(new GroupNorm(2, 4).setFused(false))).replace(",\n        \"fused\": false", "");
        assertTrue(((NormalizationLayer) ((Sequential) ModelIO.fromJson(json)).get(0)).isFused());
    }

    @Test
    void eachLayerWritesItsConstructorArguments() {
        JsonObject arch = JsonParser.parseString(ModelIO.toJson(mlp())).getAsJsonObject().getAsJsonObject("architecture");
        assertEquals(JsonParser.parseString("{\"type\":\"Linear\",\"inFeatures\":5,\"outFeatures\":8,\"bias\":true}"),
                arch.getAsJsonArray("layers").get(0));
        assertEquals(JsonParser.parseString("{\"type\":\"Tanh\"}"), arch.getAsJsonArray("layers").get(1));
        assertEquals(JsonParser.parseString("{\"type\":\"LeakyReLU\",\"negativeSlope\":0.05}"), arch.getAsJsonArray("layers").get(3));
        assertEquals(JsonParser.parseString("{\"type\":\"Linear\",\"inFeatures\":8,\"outFeatures\":6,\"bias\":false}"),
                arch.getAsJsonArray("layers").get(4));
        JsonObject dropout = arch.getAsJsonArray("layers").get(2).getAsJsonObject();
        assertEquals(0.3, dropout.get("p").getAsDouble());
        assertEquals(99L, dropout.get("seed").getAsLong(), "no forward yet: the generator is at its seed");
    }

    @Test
    void aLayerWithoutBiasComesBackWithoutBias() {
        Module loaded = ModelIO.fromJson(ModelIO.toJson(new Sequential(new Linear(3, 2, false, new Random(1)))));
        assertNull(((Linear) ((Sequential) loaded).get(0)).bias());
        assertEquals(List.of("0.weight"), List.copyOf(loaded.namedParameters().keySet()));
    }

    @Test
    void aDropoutSeedBeyondTwoToThe53IsKeptExactly() {
        long seed = 0x7FFF_FFFF_FFFF_FFF1L;
        Sequential model = new Sequential(new Dropout(0.5, seed));
        Dropout loaded = (Dropout) ((Sequential) ModelIO.fromJson(ModelIO.toJson(model))).get(0);
        assertEquals(seed, loaded.generatorState());
    }

    @Test
    void loadingDoesNotDrawFromTheSharedRandomGenerator() {
        String json = ModelIO.toJson(mlp());
        Init.manualSeed(5);
        double expected = Init.defaultRandom().nextDouble();
        Init.manualSeed(5);
        ModelIO.fromJson(json);
        assertEquals(expected, Init.defaultRandom().nextDouble());
    }

    @Test
    void aLinearArgumentTheLayerRefusesKeepsTheLayersMessage() {
        String json = ModelIO.toJson(mlp()).replaceFirst("\"inFeatures\": 5", "\"inFeatures\": 0");
        ModelFormatException e = org.junit.jupiter.api.Assertions.assertThrows(ModelFormatException.class, () -> ModelIO.fromJson(json));
        assertEquals("architecture.layers[0]: Linear cannot be built from these arguments: Linear: inFeatures and outFeatures "
                + "must be positive, got in=0, out=8", e.getMessage());
        assertTrue(e.getCause() instanceof IllegalArgumentException);
    }
}

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
        assertEquals(List.of("Dropout", "GELU", "Identity", "LeakyReLU", "Linear", "ReLU", "Sequential", "Sigmoid", "Tanh"),
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

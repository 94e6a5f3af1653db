package dev.normgrad.io;

import static dev.normgrad.testing.Close.assertBitIdentical;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.normgrad.autograd.Tensor;
import dev.normgrad.io.TestLayers.Scale;
import dev.normgrad.io.TestLayers.Squash;
import dev.normgrad.io.TestLayers.Wrapper;
import dev.normgrad.nn.Module;
import dev.normgrad.nn.Sequential;
import java.io.FilterWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelIOTest {
    private static final LayerRegistry REGISTRY = TestLayers.REGISTRY;

    @TempDir
    Path dir;

    private static Sequential model(long seed) {
        Sequential model = new Sequential(new Scale(4, 0.1), new Squash(),
                new Wrapper(new Scale(4, 0.25), -1.5), new Sequential(new Scale(4, 0.1), new Squash()));
        return TestLayers.randomize(model, new Random(seed));
    }

    @Test
    void saveThenLoadGivesBitIdenticalOutputsInTrainAndEvalMode() throws IOException {
        Sequential original = model(1);
        Tensor x = Tensor.randn(5, 4, new Random(2));
        original.apply(x);   // a training forward moves the running buffers away from their initial values
        Path file = dir.resolve("model.json");
        ModelIO.save(original, file, REGISTRY);
        Module loaded = ModelIO.load(file, REGISTRY);

        assertEquals(original.toString(), loaded.toString());
        assertTrue(loaded.isTraining(), "a loaded model starts in training mode, like a new one");
        original.eval();
        loaded.eval();
        assertBitIdentical(original.apply(x).data(), loaded.apply(x).data(), "output");
        original.train();
        loaded.train();
        assertBitIdentical(original.apply(x).data(), loaded.apply(x).data(), "output");
        // the training forward updated the running buffers of both in the same way
        Map<String, Tensor> before = original.namedBuffers();
        loaded.namedBuffers().forEach((name, t) -> assertBitIdentical(before.get(name).data(), t.data(), name));
    }

    @Test
    void everyParameterAndBufferComesBackBitForBitIncludingExtremeDoubles() {
        Sequential original = new Sequential(new Scale(7, 0.1));
        double[] extremes = {Double.MIN_VALUE, -Double.MAX_VALUE, -0.0, 0.1, 1.0 / 3, 2.2250738585072014E-308, 1e-300};
        System.arraycopy(extremes, 0, original.get(0).namedParameters().get("weight").data().data, 0, 7);
        Random random = new Random(3);
        double[] bias = original.get(0).namedParameters().get("bias").data().data;
        for (int i = 0; i < 7; i++) {
            bias[i] = Double.longBitsToDouble(random.nextLong() & 0x7fefffffffffffffL) * (random.nextBoolean() ? 1 : -1);
        }
        Module loaded = ModelIO.fromJson(ModelIO.toJson(original, REGISTRY), REGISTRY);
        original.namedParameters().forEach((name, p) -> assertBitIdentical(p.data(), loaded.namedParameters().get(name).data(), name));
        original.namedBuffers().forEach((name, b) -> assertBitIdentical(b.data(), loaded.namedBuffers().get(name).data(), name));
    }

    @Test
    void theFileFollowsTheDocumentedLayout() {
        Sequential model = new Sequential(new Scale(2, 0.1), new Squash());
        JsonObject json = JsonParser.parseString(ModelIO.toJson(model, REGISTRY)).getAsJsonObject();
        assertEquals(List.of("format", "version", "architecture", "parameters", "buffers"), List.copyOf(json.keySet()));
        assertEquals("normgrad-model", json.get("format").getAsString());
        assertEquals(1, json.get("version").getAsInt());
        assertEquals(JsonParser.parseString("{\"type\":\"Sequential\",\"layers\":[{\"type\":\"Scale\",\"features\":2,\"momentum\":0.1},"
                + "{\"type\":\"Squash\"}]}"), json.get("architecture"));
        assertEquals(JsonParser.parseString("{\"shape\":[1,2],\"data\":[1.0,1.0]}"), json.getAsJsonObject("parameters").get("0.weight"));
        assertEquals(List.of("0.weight", "0.bias"), List.copyOf(json.getAsJsonObject("parameters").keySet()));
        assertEquals(List.of("0.runningMean"), List.copyOf(json.getAsJsonObject("buffers").keySet()));
    }

    @Test
    void saveReplacesAnExistingFile() throws IOException {
        Path file = dir.resolve("model.json");
        ModelIO.save(model(1), file, REGISTRY);
        Sequential second = model(2);
        ModelIO.save(second, file, REGISTRY);
        Module loaded = ModelIO.load(file, REGISTRY);
        second.namedParameters().forEach((name, p) -> assertBitIdentical(p.data(), loaded.namedParameters().get(name).data(), name));
        assertEquals(List.of(file), listDirectory(), "no temporary file is left behind");
    }

    @Test
    void aSaveFailingMidwayOnANonFiniteParameterLeavesTheOldFileIntact() throws IOException {
        Path file = dir.resolve("model.json");
        Sequential good = model(1);
        ModelIO.save(good, file, REGISTRY);
        byte[] before = Files.readAllBytes(file);

        Sequential diverged = model(2);
        // the last tensor written: architecture and all earlier tensors are already in the temporary file
        Tensor last = diverged.namedParameters().get("3.0.bias");
        last.data().set(0, 2, Double.NaN);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ModelIO.save(diverged, file, REGISTRY));
        assertEquals("cannot save layers[3].layers[0].bias (parameter \"3.0.bias\"): entry (0, 2) is NaN; JSON has no NaN or "
                + "infinity, and a model holding one has diverged (find where with Anomaly.detect()); the existing file was left as it was",
                e.getMessage());

        assertArrayEquals(before, Files.readAllBytes(file));
        assertEquals(List.of(file), listDirectory(), "the temporary file was removed");
        Module loaded = ModelIO.load(file, REGISTRY);
        good.namedParameters().forEach((name, p) -> assertBitIdentical(p.data(), loaded.namedParameters().get(name).data(), name));
    }

    @Test
    void aWriterFailingMidwayLeavesTheOldFileIntact() throws IOException {
        Path file = dir.resolve("model.json");
        ModelIO.save(model(1), file, REGISTRY);
        byte[] before = Files.readAllBytes(file);
        int[] written = {0};
        IOException e = assertThrows(IOException.class, () -> ModelIO.save(model(2), file, REGISTRY, out -> new FilterWriter(out) {
            @Override
            public void write(String s, int off, int len) throws IOException {
                written[0] += len;
                if (written[0] > 300) {
                    throw new IOException("No space left on device (simulated)");
                }
                super.write(s, off, len);
            }

            @Override
            public void write(int c) throws IOException {
                write(String.valueOf((char) c), 0, 1);
            }

            @Override
            public void write(char[] cbuf, int off, int len) throws IOException {
                write(new String(cbuf, off, len), 0, len);
            }
        }));
        assertEquals("No space left on device (simulated)", e.getMessage());
        assertTrue(written[0] > 300, "the failure happened midway, after part of the model was written");
        assertArrayEquals(before, Files.readAllBytes(file));
        assertEquals(List.of(file), listDirectory());
    }

    @Test
    void aFailedFirstSaveLeavesNoFileAtAll() throws IOException {
        Path file = dir.resolve("new.json");
        Sequential diverged = model(1);
        diverged.namedParameters().get("0.weight").data().set(0, 0, Double.POSITIVE_INFINITY);
        assertThrows(IllegalArgumentException.class, () -> ModelIO.save(diverged, file, REGISTRY));
        assertEquals(List.of(), listDirectory());
    }

    @Test
    void savingALayerTypeTheRegistryDoesNotKnowIsRefusedByName() {
        Sequential model = new Sequential(new Squash(), new TestLayers.ScaleSubclass());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ModelIO.toJson(model, REGISTRY));
        assertEquals("cannot save architecture.layers[1]: dev.normgrad.io.TestLayers$ScaleSubclass is not a registered layer type "
                + "(known: " + String.join(", ", REGISTRY.names()) + "); add it with LayerRegistry.standard().with(new LayerType<>(...)) "
                + "and pass that registry to ModelIO", e.getMessage());
    }

    @Test
    void theStandardRegistryRefusesTheTestLayersItWasNotGiven() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ModelIO.toJson(new Sequential(new Squash())));
        assertTrue(e.getMessage().startsWith("cannot save architecture.layers[0]: dev.normgrad.io.TestLayers$Squash is not a registered layer type"),
                e.getMessage());
    }

    @Test
    void registeringANameTwiceIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> REGISTRY.with(LayerType.withoutArguments("Scale", Squash2.class, Squash2::new)));
        assertEquals("LayerRegistry: the type name Scale is already registered (for dev.normgrad.io.TestLayers$Scale); choose another name",
                e.getMessage());
    }

    static final class Squash2 extends Module {
        @Override
        public Tensor forward(Tensor x) {
            return x;
        }
    }

    @Test
    void aLoadedModelIsIndependentOfTheSavedOne() {
        Sequential original = model(4);
        Module loaded = ModelIO.fromJson(ModelIO.toJson(original, REGISTRY), REGISTRY);
        loaded.namedParameters().get("0.weight").data().set(0, 0, 42.0);
        assertNotEquals(42.0, original.namedParameters().get("0.weight").get(0, 0));
        assertInstanceOf(Sequential.class, loaded);
    }

    private List<Path> listDirectory() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.toList();
        }
    }
}

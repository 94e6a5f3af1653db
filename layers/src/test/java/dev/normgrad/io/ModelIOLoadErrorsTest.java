package dev.normgrad.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.normgrad.autograd.Tensor;
import dev.normgrad.io.TestLayers.Labelled;
import dev.normgrad.io.TestLayers.Scale;
import dev.normgrad.io.TestLayers.Squash;
import dev.normgrad.nn.Linear;
import dev.normgrad.nn.Module;
import dev.normgrad.nn.Sequential;
import dev.normgrad.norm.BatchNorm1d;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every way a model file can be wrong, each with the message a learner gets. */
class ModelIOLoadErrorsTest {
    private static final LayerRegistry REGISTRY = TestLayers.REGISTRY;

    @TempDir
    Path dir;

    /** Sequential(Scale(3), Squash(), Scale(16)) as JSON. */
    private static String valid() {
        return ModelIO.toJson(TestLayers.randomize(new Sequential(new Scale(3, 0.1), new Squash(), new Scale(16, 0.1)), new Random(7)), REGISTRY);
    }

    private static String mutate(Consumer<JsonObject> change) {
        JsonObject json = JsonParser.parseString(valid()).getAsJsonObject();
        change.accept(json);
        return json.toString();
    }

    private static String error(String json) {
        return assertThrows(ModelFormatException.class, () -> ModelIO.fromJson(json, REGISTRY)).getMessage();
    }

    private static JsonObject tensor(int rows, int cols) {
        JsonObject t = new JsonObject();
        JsonArray shape = new JsonArray();
        shape.add(rows);
        shape.add(cols);
        t.add("shape", shape);
        JsonArray data = new JsonArray();
        for (int i = 0; i < rows * cols; i++) {
            data.add(0.5);
        }
        t.add("data", data);
        return t;
    }

    private static JsonObject section(JsonObject json, String name) {
        return json.getAsJsonObject(name);
    }

    private static JsonObject layer(JsonObject json, int i) {
        return json.getAsJsonObject("architecture").getAsJsonArray("layers").get(i).getAsJsonObject();
    }

    @Test
    void theValidFileLoads() {
        Module model = ModelIO.fromJson(valid(), REGISTRY);
        assertEquals("Sequential(\n  (0): Scale(3, momentum=0.1)\n  (1): Squash()\n  (2): Scale(16, momentum=0.1)\n)", model.toString());
    }

    // ---------------------------------------------------------------- names and shapes

    @Test
    void aWronglyShapedBufferIsReportedByLayerPath() {
        String json = mutate(j -> section(j, "buffers").add("2.runningMean", tensor(1, 8)));
        assertEquals("layers[2].runningMean (buffer \"2.runningMean\"): expected 1x16, found 1x8", error(json));
    }

    @Test
    void aWronglyShapedParameterIsReportedByLayerPath() {
        String json = mutate(j -> section(j, "parameters").add("0.weight", tensor(3, 1)));
        assertEquals("layers[0].weight (parameter \"0.weight\"): expected 1x3, found 3x1", error(json));
    }

    @Test
    void anArchitectureThatDisagreesWithTheTensorsIsReportedAtTheFirstMismatch() {
        String json = mutate(j -> layer(j, 2).addProperty("features", 8));
        assertEquals("layers[2].weight (parameter \"2.weight\"): expected 1x8, found 1x16", error(json));
    }

    @Test
    void aMissingParameterIsReported() {
        String json = mutate(j -> section(j, "parameters").remove("2.bias"));
        assertEquals("layers[2].bias (parameter \"2.bias\"): missing from \"parameters\"; the architecture has it", error(json));
    }

    @Test
    void aTensorFiledUnderTheWrongSectionIsReportedWithWhereItIs() {
        String json = mutate(j -> section(j, "parameters").add("0.runningMean", section(j, "buffers").remove("0.runningMean")));
        assertEquals("layers[0].runningMean (buffer \"0.runningMean\"): missing from \"buffers\" (it is under \"parameters\"); "
                + "the architecture has it", error(json));
    }

    @Test
    void anUnexpectedExtraTensorIsReported() {
        String json = mutate(j -> section(j, "parameters").add("1.weight", tensor(1, 3)));
        assertEquals("parameters[\"1.weight\"]: unexpected parameter: the architecture has no parameter of that name "
                + "(its parameters are 0.weight, 0.bias, 2.weight, 2.bias)", error(json));
    }

    @Test
    void dataWithFewerNumbersThanItsShapeIsReported() {
        String json = mutate(j -> section(j, "parameters").getAsJsonObject("0.bias").getAsJsonArray("data").remove(0));
        assertEquals("parameters[\"0.bias\"]: data has 2 numbers, but shape 1x3 needs 3", error(json));
    }

    @Test
    void dataWithMoreNumbersThanItsShapeIsReported() {
        String json = mutate(j -> section(j, "parameters").getAsJsonObject("0.bias").getAsJsonArray("data").add(1.0));
        assertEquals("parameters[\"0.bias\"].data: more numbers than shape 1x3 holds (3)", error(json));
    }

    @Test
    void dataBeforeShapeIsCheckedAgainstItToo() {
        String json = mutate(j -> {
            JsonObject t = new JsonObject();
            JsonArray data = new JsonArray();
            data.add(1.0);
            data.add(2.0);
            t.add("data", data);
            t.add("shape", JsonParser.parseString("[1, 3]"));
            section(j, "parameters").add("0.bias", t);
        });
        assertEquals("parameters[\"0.bias\"]: data has 2 numbers, but shape 1x3 needs 3", error(json));
    }

    @Test
    void aShapeThatIsNotTwoPositiveIntegersIsReported() {
        assertEquals("parameters[\"0.bias\"].shape: expected [rows, cols], found more than two numbers (NormGrad tensors are 2-D)",
                error(mutate(j -> section(j, "parameters").getAsJsonObject("0.bias").add("shape", JsonParser.parseString("[1, 3, 1]")))));
        assertEquals("parameters[\"0.bias\"].shape[0]: expected a positive integer, found 0",
                error(mutate(j -> section(j, "parameters").getAsJsonObject("0.bias").add("shape", JsonParser.parseString("[0, 3]")))));
        assertEquals("parameters[\"0.bias\"].shape[1]: expected a positive integer, found 1.5",
                error(mutate(j -> section(j, "parameters").getAsJsonObject("0.bias").add("shape", JsonParser.parseString("[1, 1.5]")))));
    }

    // ---------------------------------------------------------------- JSON types and numbers

    @Test
    void aStringWhereANumberBelongsIsReportedWithItsPath() {
        String json = mutate(j -> section(j, "parameters").getAsJsonObject("0.weight").getAsJsonArray("data").set(1,
                JsonParser.parseString("\"abc\"")));
        assertEquals("parameters[\"0.weight\"].data[1]: expected a number, found the string \"abc\"", error(json));
    }

    @Test
    void anObjectWhereATensorsDataBelongsIsReported() {
        String json = mutate(j -> section(j, "parameters").getAsJsonObject("0.weight").add("data", new JsonObject()));
        assertEquals("parameters[\"0.weight\"].data: expected an array of numbers (row-major), found an object", error(json));
    }

    @Test
    void aWronglyTypedLayerArgumentIsReported() {
        String json = mutate(j -> layer(j, 0).addProperty("features", "3"));
        assertEquals("architecture.layers[0].features: expected an integer, found the string \"3\"", error(json));
    }

    @Test
    void aFractionalIntegerArgumentIsReported() {
        String json = mutate(j -> layer(j, 0).addProperty("features", 2.5));
        assertEquals("architecture.layers[0].features: expected an integer, found 2.5", error(json));
    }

    @Test
    void aMissingLayerArgumentIsReported() {
        String json = mutate(j -> layer(j, 0).remove("momentum"));
        assertEquals("architecture.layers[0].momentum: missing: Scale needs momentum (a number)", error(json));
    }

    @Test
    void aMisspeltLayerArgumentIsReportedNotIgnored() {
        String json = mutate(j -> layer(j, 0).addProperty("momentun", 0.2));
        assertEquals("architecture.layers[0].momentun: unexpected argument for Scale; it takes features, momentum", error(json));
    }

    @Test
    void anArgumentTheLayerRefusesIsReportedWithTheLayersOwnMessage() {
        String json = mutate(j -> layer(j, 2).addProperty("features", -4));
        assertEquals("architecture.layers[2]: Scale cannot be built from these arguments: Scale: features must be positive, got -4",
                error(json));
    }

    @Test
    void aNaNLiteralIsReportedAsNonFinite() {
        String json = valid().replaceFirst("(\"0\\.weight\": \\{\"shape\": \\[1, 3\\], \"data\": \\[)[^,]+", "$1NaN");
        assertEquals("parameters[\"0.weight\"].data[0]: non-finite number NaN: a model file holds only finite numbers "
                + "(the model that was saved had diverged; retrain it, with Anomaly.detect() to find where)", error(json));
    }

    @Test
    void anInfinityLiteralIsReportedAsNonFinite() {
        String json = valid().replaceFirst("(\"0\\.bias\": \\{\"shape\": \\[1, 3\\], \"data\": \\[[^,]+, )[^,]+", "$1-Infinity");
        assertTrue(error(json).startsWith("parameters[\"0.bias\"].data[1]: non-finite number -Infinity: a model file holds only finite numbers"));
    }

    @Test
    void aNumberBeyondTheRangeOfADoubleIsReportedAsNonFinite() {
        String json = valid().replaceFirst("(\"0\\.weight\": \\{\"shape\": \\[1, 3\\], \"data\": \\[[^,]+, [^,]+, )[^\\]]+", "$11e400");
        assertEquals("parameters[\"0.weight\"].data[2]: the number is beyond the range of a double (about ±1.8e308); "
                + "a model file holds only finite numbers", error(json));
    }

    // ---------------------------------------------------------------- layer types

    @Test
    void anUnknownLayerTypeIsReportedWithTheKnownTypes() {
        String json = mutate(j -> layer(j, 1).addProperty("type", "Lenear"));
        assertEquals("architecture.layers[1].type: unknown layer type \"Lenear\"; known types: " + String.join(", ", REGISTRY.names())
                + " (a layer of your own must be registered: LayerRegistry.standard().with(...))", error(json));
    }

    @Test
    void aJavaClassNameAsTypeIsRefusedByName() {
        String json = mutate(j -> layer(j, 1).addProperty("type", "java.lang.Runtime"));
        assertTrue(error(json).startsWith("architecture.layers[1].type: unknown layer type \"java.lang.Runtime\"; known types: "));
    }

    @Test
    void theClassNameOfARegisteredLayerIsNotATypeName() {
        String json = mutate(j -> j.getAsJsonObject("architecture").addProperty("type", Sequential.class.getName()));
        assertTrue(error(json).startsWith("architecture.type: unknown layer type \"dev.normgrad.nn.Sequential\"; known types: "));
    }

    /** Its static initializer records that the class was initialised, as Class.forName(name) would do. */
    static final class Tripwire extends Module {
        static {
            System.setProperty("normgrad.test.tripwire", "initialised");
        }

        @Override
        public Tensor forward(Tensor x) {
            return x;
        }
    }

    @Test
    void loadingNeverInitialisesAClassNamedByTheFile() {
        String json = mutate(j -> layer(j, 1).addProperty("type", Tripwire.class.getName()));
        assertTrue(error(json).contains("unknown layer type \"dev.normgrad.io.ModelIOLoadErrorsTest$Tripwire\""));
        assertNull(System.getProperty("normgrad.test.tripwire"), "the class named in the file was initialised");
    }

    @Test
    void aLayerWithoutTypeIsReported() {
        String json = mutate(j -> layer(j, 1).remove("type"));
        assertEquals("architecture.layers[1].type: missing: every layer names its type (known types: "
                + String.join(", ", REGISTRY.names()) + ")", error(json));
    }

    // ---------------------------------------------------------------- the document

    @Test
    void anUnsupportedVersionIsReported() {
        assertEquals("version: unsupported version 2; this NormGrad reads version 1 (the file was written by a newer NormGrad: upgrade to load it)",
                error(mutate(j -> j.addProperty("version", 2))));
        assertEquals("version: unsupported version 0; this NormGrad reads version 1", error(mutate(j -> j.addProperty("version", 0))));
        assertEquals("version: expected an integer, found the string \"1\"", error(mutate(j -> j.addProperty("version", "1"))));
    }

    @Test
    void anotherFormatIsReported() {
        assertEquals("format: expected \"normgrad-model\", found \"normgrad-gradcheck\": this file is not a NormGrad model",
                error(mutate(j -> j.addProperty("format", "normgrad-gradcheck"))));
    }

    @Test
    void aMissingFormatIsReported() {
        assertEquals("format: missing: this is not a NormGrad model file; a NormGrad model file is {\"format\": \"normgrad-model\", "
                + "\"version\": 1, \"architecture\": {...}, \"parameters\": {...}, \"buffers\": {...}}", error(mutate(j -> j.remove("format"))));
    }

    @Test
    void aMissingSectionIsReported() {
        assertTrue(error(mutate(j -> j.remove("buffers"))).startsWith("buffers: missing (write \"buffers\": {} for a model without any)"));
        assertTrue(error(mutate(j -> j.remove("architecture"))).startsWith("architecture: missing: the file must say which layers to build"));
    }

    @Test
    void anUnexpectedTopLevelKeyIsReported() {
        assertTrue(error(mutate(j -> j.addProperty("optimizer", "adam"))).startsWith("optimizer: unexpected key; a NormGrad model file is"));
    }

    @Test
    void aDuplicateKeyIsReported() {
        String json = valid().replaceFirst("\"version\": 1,", "\"version\": 1, \"version\": 1,");
        assertEquals("version: appears twice; each key appears once", error(json));
    }

    @Test
    void notAnObjectIsReported() {
        assertTrue(error("[1, 2, 3]").startsWith("expected a JSON object, found an array; a NormGrad model file is"));
        assertTrue(error("").startsWith("empty: no JSON at all;"));
    }

    @Test
    void truncatedJsonIsReported() {
        String json = valid();
        String message = error(json.substring(0, json.length() / 2));
        assertTrue(message.startsWith("the JSON ends too early (a truncated file?): End of input at line "), message);
    }

    @Test
    void malformedJsonIsReported() {
        String message = error("{\"format\": \"normgrad-model\", \"version\": 1,, }");
        assertTrue(message.startsWith("not valid JSON: "), message);
        assertTrue(message.contains("line 1 column"), message);
    }

    @Test
    void whatOnlyLenientParsersAcceptIsNotValidJson() {
        // NaN and Infinity get their own message (above); nothing else beyond strict JSON gets through
        String json = valid();
        String unquotedKey = json.replaceFirst("\"version\"", "version");
        String message = error(unquotedKey);
        assertTrue(message.startsWith("not valid JSON: unquoted text 'version' at line "), message);
        assertTrue(message.contains("double quotes"), message);
        assertTrue(error(json.replaceFirst("\"normgrad-model\"", "'normgrad-model'")).startsWith("not valid JSON: ' at line "));
        assertTrue(error("// a comment\n" + json).startsWith("not valid JSON: / at line 1 column 1"));
        assertTrue(error(json.replaceFirst(",", ";")).startsWith("not valid JSON: ; at line "));
        assertTrue(error(json.replaceFirst("\"normgrad-model\"", "normgrad")).startsWith("not valid JSON: unquoted text 'normgrad'"));
    }

    @Test
    void exponentsTrueFalseNullAndEscapedQuotesAreStillValid() {
        String label = "a \"quoted\" word\\ with {JSON's} [punctuation]: // # ; = 'single'";
        Sequential model = new Sequential(new Linear(2, 3, false, new Random(1)), new BatchNorm1d(3, 1e-5, null, false, true),
                new Labelled(label));
        String json = ModelIO.toJson(model, REGISTRY)
                .replaceFirst("(\"0\\.weight\": \\{\"shape\": \\[3, 2\\], \"data\": \\[)[^,]+, [^,]+, [^,]+", "$1-1.5e-3, 2E+1, 25e-1")
                .replace("\"type\": \"Labelled\"", "\"type\": \"Lab\\u0065lled\"");
        assertTrue(json.contains("\"bias\": false") && json.contains("\"momentum\": null") && json.contains("\"affine\": false")
                && json.contains("\"trackRunningStats\": true") && json.contains("\\\"quoted\\\"") && json.contains("-1.5e-3, 2E+1, 25e-1"), json);

        Sequential loaded = (Sequential) ModelIO.fromJson(json, REGISTRY);
        Linear linear = (Linear) loaded.get(0);
        assertNull(linear.bias(), "bias: false");
        assertArrayEquals(new double[] {-1.5e-3, 20, 2.5}, Arrays.copyOf(linear.weight().data().data, 3), 0.0, "exponents");
        BatchNorm1d bn = (BatchNorm1d) loaded.get(1);
        assertEquals("BatchNorm1d(3, eps=1e-05, momentum=null, affine=false, trackRunningStats=true)", bn.toString(),
                "momentum: null (a cumulative average), affine: false, trackRunningStats: true");
        assertEquals(label, ((Labelled) loaded.get(2)).label, "a string with escaped quotes and backslashes, and JSON's punctuation inside");
    }

    @Test
    void contentAfterTheModelIsReported() {
        assertEquals("unexpected the string \"x\" after the model's closing brace", error(valid() + " \"x\""));
    }

    // ---------------------------------------------------------------- sizes

    @Test
    void aShapeClaimingABillionEntriesIsRefusedBeforeAllocating() {
        String json = mutate(j -> section(j, "parameters").getAsJsonObject("0.weight").add("shape", JsonParser.parseString("[100000, 10000]")));
        assertEquals("parameters[\"0.weight\"].shape: shape 100000x10000 has 1000000000 entries, more than the limit of 16777216 "
                + "(ModelIO.Limits.maxTensorEntries); refused before allocating", error(json));
    }

    @Test
    void tensorsTogetherBeyondTheTotalLimitAreRefused() {
        ModelIO.Limits limits = new ModelIO.Limits(1 << 20, 100, 20, 64);
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> ModelIO.fromJson(valid(), REGISTRY, limits));
        assertTrue(e.getMessage().startsWith("parameters[\"2.weight\"].data: the tensors together hold more than 20 numbers "
                + "(ModelIO.Limits.maxTotalEntries)"), e.getMessage());
    }

    @Test
    void anInputLongerThanTheLimitIsRefused() {
        ModelIO.Limits limits = new ModelIO.Limits(100, 1 << 20, 1 << 20, 64);
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> ModelIO.fromJson(valid(), REGISTRY, limits));
        assertEquals(valid().length() + " characters, more than the limit of 100 (ModelIO.Limits.maxChars)", e.getMessage());
    }

    @Test
    void aFileLongerThanTheLimitIsRefusedWhileStreaming() throws IOException {
        Path file = dir.resolve("big.json");
        Files.writeString(file, valid());
        ModelIO.Limits limits = new ModelIO.Limits(1000, 1 << 20, 1 << 20, 64);
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> ModelIO.load(file, REGISTRY, limits));
        assertEquals(file + ": larger than 1000 characters (ModelIO.Limits.maxChars)", e.getMessage());
    }

    @Test
    void aFileWhoseSizeAloneExceedsTheLimitIsRefusedUnread() throws IOException {
        Path file = dir.resolve("big.json");
        Files.writeString(file, valid());
        ModelIO.Limits limits = new ModelIO.Limits(300, 1 << 20, 1 << 20, 64);
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> ModelIO.load(file, REGISTRY, limits));
        assertEquals(file + ": " + Files.size(file) + " bytes, larger than the limit of 300 characters (ModelIO.Limits.maxChars)",
                e.getMessage());
    }

    @Test
    void aDeeplyNestedArchitectureIsRefused() {
        String nested = "[".repeat(100_000) + "]".repeat(100_000);
        String json = valid().replaceFirst("\"type\": \"Sequential\",", "\"type\": \"Sequential\", \"deep\": " + nested + ",");
        assertEquals("architecture.deep" + "[0]".repeat(63) + ": nested deeper than 64 levels (ModelIO.Limits.maxDepth)", error(json));
    }

    @Test
    void deeplyNestedLayersAreRefused() {
        String json = mutate(j -> {
            JsonObject inner = new JsonObject();
            inner.addProperty("type", "Squash");
            for (int i = 0; i < 70; i++) {
                JsonObject w = new JsonObject();
                w.addProperty("type", "Wrapper");
                w.add("inner", inner);
                w.addProperty("factor", 1.0);
                inner = w;
            }
            j.getAsJsonObject("architecture").getAsJsonArray("layers").set(1, inner);
        });
        assertTrue(error(json).endsWith(": nested deeper than 64 levels (ModelIO.Limits.maxDepth)"));
    }

    // ---------------------------------------------------------------- files

    @Test
    void aFileErrorNamesTheFile() throws IOException {
        Path file = dir.resolve("broken.json");
        Files.writeString(file, mutate(j -> section(j, "buffers").add("2.runningMean", tensor(1, 8))));
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> ModelIO.load(file, REGISTRY));
        assertEquals(file + ": layers[2].runningMean (buffer \"2.runningMean\"): expected 1x16, found 1x8", e.getMessage());
        assertEquals(file.toString(), e.file());
        assertEquals("layers[2].runningMean (buffer \"2.runningMean\")", e.location());
        assertEquals("expected 1x16, found 1x8", e.detail());
    }

    @Test
    void aFileThatIsNotUtf8IsReported() throws IOException {
        Path file = dir.resolve("latin1.json");
        Files.write(file, new byte[] {'{', '"', (byte) 0xE9, '"', ':', '1', '}'});
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> ModelIO.load(file, REGISTRY));
        assertEquals(file + ": not UTF-8 text (a model file is UTF-8 JSON)", e.getMessage());
    }
}

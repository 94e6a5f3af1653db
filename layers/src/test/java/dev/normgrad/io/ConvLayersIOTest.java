package dev.normgrad.io;

import static dev.normgrad.io.StandardLayersIOTest.assertBitIdentical;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.normgrad.autograd.Tensor;
import dev.normgrad.nn.AvgPool2d;
import dev.normgrad.nn.Conv1d;
import dev.normgrad.nn.Conv2d;
import dev.normgrad.nn.Flatten;
import dev.normgrad.nn.ImageShape;
import dev.normgrad.nn.Linear;
import dev.normgrad.nn.MaxPool2d;
import dev.normgrad.nn.Module;
import dev.normgrad.nn.ReLU;
import dev.normgrad.nn.Sequential;
import dev.normgrad.norm.BatchNorm2d;
import dev.normgrad.norm.GroupNorm;
import dev.normgrad.norm.InstanceNorm2d;
import dev.normgrad.norm.LayerNorm;
import dev.normgrad.recurrent.CellNormalization;
import dev.normgrad.recurrent.GRU;
import dev.normgrad.recurrent.LSTM;
import dev.normgrad.recurrent.LastStep;
import dev.normgrad.recurrent.RNN;
import dev.normgrad.recurrent.RNNCell;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The image layers, the spatial normalization layers and the sequence classifiers through save and load. */
class ConvLayersIOTest {
    @TempDir
    Path dir;

    /** Every image layer and spatial normalization, with non-default arguments. */
    private static Sequential cnn(Random random) {
        ImageShape in = new ImageShape(2, 7, 6);
        Conv2d conv1 = new Conv2d(in, 4, new int[] {3, 2}, new int[] {1, 2}, new int[] {1, 1}, 2, true, random);    // (4, 7, 4)
        MaxPool2d pool1 = new MaxPool2d(conv1.outputShape(), new int[] {3, 2}, new int[] {2, 1}, new int[] {1, 0}); // (4, 4, 3)
        Conv2d conv2 = new Conv2d(pool1.outputShape(), 6, new int[] {2, 2}, new int[] {1, 1}, new int[] {0, 1}, 1, false, random);
        AvgPool2d pool2 = new AvgPool2d(conv2.outputShape(), new int[] {2, 3}, new int[] {1, 1}, new int[] {1, 1}, false);
        Sequential model = new Sequential(conv1, new BatchNorm2d(4, 1e-3, 0.2, true, true), new ReLU(), pool1, conv2,
                new InstanceNorm2d(6, 1e-5, 0.3, true, true), new GroupNorm(3, 6).setFused(false),
                new LayerNorm(conv2.outputShape().channels(), conv2.outputShape().height(), conv2.outputShape().width()), pool2,
                new Conv1d(6, 4, 3, 2, 1, 2, true, random), new Flatten(), new Linear(4 * 8, 3, true, random));
        return TestLayers.randomizeWithPositiveBuffers(model, random);
    }

    @Test
    void aCnnWithEveryImageLayerComesBackBitForBitInTrainAndEvalMode() throws IOException {
        Random random = new Random(31);
        Sequential original = cnn(random);
        Tensor x = Tensor.randn(5, 2 * 7 * 6, random);
        original.apply(x);
        Path file = dir.resolve("cnn.json");
        ModelIO.save(original, file);
        Module loaded = ModelIO.load(file);
        assertEquals(original.toString(), loaded.toString());
        original.namedBuffers().forEach((name, b) -> assertBitIdentical(b, loaded.namedBuffers().get(name)));
        original.eval();
        loaded.eval();
        assertBitIdentical(original.apply(x), loaded.apply(x));
        original.train();
        loaded.train();
        original.zeroGrad();
        loaded.zeroGrad();
        Tensor a = original.apply(x);
        Tensor b = loaded.apply(x);
        assertBitIdentical(a, b);
        a.pow(2).sum().backward();
        b.pow(2).sum().backward();
        original.namedParameters().forEach((name, p) -> assertBitIdentical(p.grad(), loaded.namedParameters().get(name).grad()));
        original.namedBuffers().forEach((name, buf) -> assertBitIdentical(buf, loaded.namedBuffers().get(name)));
    }

    @Test
    void sequenceClassifiersWithEveryRecurrentLayerAndNormalizationComeBack() {
        Random random = new Random(4);
        for (Module recurrent : new Module[] {
            new RNN(3, 5, 2, RNNCell.Nonlinearity.RELU, CellNormalization.layerNorm(), random),
            new LSTM(3, 5, 1, CellNormalization.recurrentBatchNorm(4), random),
            new GRU(3, 5, 1, CellNormalization.none(), random)}) {
            Sequential original = new Sequential(recurrent, new LastStep(5), new Linear(5, 2, true, random));
            Tensor x = Tensor.randn(4, 4 * 3, random);
            original.apply(x);
            Module loaded = ModelIO.fromJson(ModelIO.toJson(original));
            assertEquals(original.toString(), loaded.toString());
            original.eval();
            loaded.eval();
            assertBitIdentical(original.apply(x), loaded.apply(x));
        }
    }

    @Test
    void imageLayersWriteTheirConstructorArgumentsByName() {
        JsonObject arch = JsonParser.parseString(ModelIO.toJson(cnn(new Random(2)))).getAsJsonObject().getAsJsonObject("architecture");
        assertEquals(JsonParser.parseString("{\"type\":\"Conv2d\",\"input\":[2,7,6],\"outChannels\":4,\"kernelSize\":[3,2],"
                + "\"stride\":[1,2],\"padding\":[1,1],\"groups\":2,\"bias\":true}"), arch.getAsJsonArray("layers").get(0));
        assertEquals(JsonParser.parseString("{\"type\":\"BatchNorm2d\",\"numFeatures\":4,\"eps\":0.001,\"momentum\":0.2,"
                + "\"affine\":true,\"trackRunningStats\":true,\"fused\":true}"), arch.getAsJsonArray("layers").get(1));
        assertEquals(JsonParser.parseString("{\"type\":\"MaxPool2d\",\"input\":[4,7,4],\"kernelSize\":[3,2],\"stride\":[2,1],"
                + "\"padding\":[1,0]}"), arch.getAsJsonArray("layers").get(3));
        assertEquals(JsonParser.parseString("{\"type\":\"AvgPool2d\",\"input\":[6,3,4],\"kernelSize\":[2,3],\"stride\":[1,1],"
                + "\"padding\":[1,1],\"countIncludePad\":false}"), arch.getAsJsonArray("layers").get(8));
        assertEquals(JsonParser.parseString("{\"type\":\"Conv1d\",\"inChannels\":6,\"outChannels\":4,\"kernelSize\":3,"
                + "\"stride\":2,\"padding\":1,\"groups\":2,\"bias\":true}"), arch.getAsJsonArray("layers").get(9));
        assertEquals(JsonParser.parseString("{\"type\":\"Flatten\"}"), arch.getAsJsonArray("layers").get(10));
    }

    @Test
    void theModelFormatDocumentsACnnsArchitectureAsItIsWritten() throws IOException {
        String doc = Files.readString(Path.of("MODEL-FORMAT.md"));
        Matcher block = Pattern.compile("```json\\n(\\{\"type\": \"Sequential\".*?)```", Pattern.DOTALL).matcher(doc);
        assertTrue(block.find(), "MODEL-FORMAT.md shows a CNN's architecture");
        Conv2d conv = new Conv2d(new ImageShape(1, 8, 8), 8, 3, 1, 1);
        MaxPool2d pool = new MaxPool2d(conv.outputShape(), 2);
        Sequential cnn = new Sequential(conv, new BatchNorm2d(8), new ReLU(), pool, new Flatten(),
                new Linear(pool.outputShape().size(), 10));
        JsonObject written = JsonParser.parseString(ModelIO.toJson(cnn)).getAsJsonObject();
        assertEquals(JsonParser.parseString(block.group(1)), written.get("architecture"));
        assertEquals(java.util.List.of("0.weight", "0.bias", "1.weight", "1.bias", "5.weight", "5.bias"),
                java.util.List.copyOf(written.getAsJsonObject("parameters").keySet()));
    }

    @Test
    void aBadImageShapeOrPairInAFileIsReportedByPath() {
        String json = ModelIO.toJson(new Sequential(new MaxPool2d(new ImageShape(1, 4, 4), 2)));
        ModelFormatException shape = assertThrows(ModelFormatException.class,
                () -> ModelIO.fromJson(json.replaceFirst("\"input\": \\[\\s*1,\\s*4,\\s*4\\s*\\]", "\"input\": [4, 4]")));
        assertEquals("architecture.layers[0].input: expected the image shape [C, H, W], three positive integers, found [4, 4]",
                shape.getMessage());
        ModelFormatException pair = assertThrows(ModelFormatException.class,
                () -> ModelIO.fromJson(json.replaceFirst("\"stride\": \\[\\s*2,\\s*2\\s*\\]", "\"stride\": [2]")));
        assertEquals("architecture.layers[0].stride: expected a (height, width) pair [h, w], found [2]", pair.getMessage());
    }

    @Test
    void aKernelThatNoLongerFitsTheDeclaredInputKeepsTheLayersMessage() {
        String json = ModelIO.toJson(new Sequential(new Conv2d(new ImageShape(1, 8, 8), 2, 3, 1, 1)))
                .replaceFirst("\"input\": \\[\\s*1,\\s*8,\\s*8\\s*\\]", "\"input\": [1, 2, 2]")
                .replaceFirst("\"padding\": \\[\\s*1,\\s*1\\s*\\]", "\"padding\": [0, 0]");
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> ModelIO.fromJson(json));
        assertTrue(e.getMessage().startsWith("architecture.layers[0]: Conv2d cannot be built from these arguments: "), e.getMessage());
        assertTrue(e.getMessage().contains("the 3x3 kernel is larger than the padded input"), e.getMessage());
    }
}

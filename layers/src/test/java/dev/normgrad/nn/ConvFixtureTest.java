package dev.normgrad.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.normgrad.autograd.Tensor;
import dev.normgrad.loss.CrossEntropyLoss;
import dev.normgrad.norm.BatchNorm2d;
import dev.normgrad.norm.GroupNorm;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Conv2d, Conv1d, MaxPool2d, AvgPool2d and Flatten against PyTorch (float64, {@code fixtures/conv.json},
 * made by {@code src/test/python/make_conv_fixtures.py}): for every step, training and evaluation,
 * the output, dL/dx and dL/d(every parameter) for a fixed random upstream gradient, to 1e-10 relative
 * (max abs error / max abs reference value); and a whole small CNN with BatchNorm2d and GroupNorm, its
 * loss, every gradient and the running statistics after each step.
 */
class ConvFixtureTest {
    private static final double REL = 1e-10;
    private static JsonObject root;

    @TestFactory
    List<DynamicTest> everyLayerMatchesPyTorch() {
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonElement e : root().getAsJsonArray("cases")) {
            JsonObject c = e.getAsJsonObject();
            tests.add(DynamicTest.dynamicTest(c.get("name").getAsString(), () -> runCase(c)));
        }
        return tests;
    }

    @Test
    void theFixturesCoverEveryLayerAndTheHardGeometries() {
        Set<String> layers = new TreeSet<>();
        Set<String> names = new TreeSet<>();
        for (JsonElement e : root().getAsJsonArray("cases")) {
            layers.add(e.getAsJsonObject().get("layer").getAsString());
            names.add(e.getAsJsonObject().get("name").getAsString());
        }
        assertEquals(Set.of("Conv2d", "Conv1d", "MaxPool2d", "AvgPool2d", "Flatten"), layers);
        for (String n : List.of("conv2d_3to4_7x5_k3x2_s2x1_p1x0", "conv2d_4to6_groups2_6x7_s2_p1", "conv2d_noBias_2to3_5x6_p2",
                "conv1d_2to3_L9_k3_s2_p1", "maxPool2d_k3_s2_p1_on_7x5", "avgPool2d_k3_s2_p1_on_7x5_countIncludePadFalse")) {
            assertTrue(names.contains(n), n);
        }
    }

    @Test
    void aSmallCnnMatchesPyTorchStepByStep() {
        JsonObject c = root().getAsJsonObject("cnn");
        ImageShape in = new ImageShape(1, 7, 6);
        Random unused = new Random(0);   // the weights are the fixture's
        Conv2d conv1 = new Conv2d(in, 4, 3, 1, 1);
        MaxPool2d pool1 = new MaxPool2d(conv1.outputShape(), 2);
        Conv2d conv2 = new Conv2d(pool1.outputShape(), 6, new int[] {3, 2}, new int[] {1, 1}, new int[] {1, 0}, 1, true, unused);
        AvgPool2d pool2 = new AvgPool2d(conv2.outputShape(), 2, 1, 0);
        Sequential net = new Sequential(conv1, new BatchNorm2d(4), new ReLU(), pool1, conv2, new GroupNorm(2, 6), new ReLU(), pool2,
                new Flatten(), new Linear(pool2.outputShape().size(), 5, true, unused));
        setParameters(net, c);
        CrossEntropyLoss criterion = new CrossEntropyLoss();
        int k = 0;
        for (JsonElement e : c.getAsJsonArray("steps")) {
            JsonObject s = e.getAsJsonObject();
            String at = "CNN step " + k++ + " (" + s.get("mode").getAsString() + ")";
            net.train(s.get("mode").getAsString().equals("train"));
            net.zeroGrad();
            Tensor x = tensor(s.get("input")).requiresGrad(true);
            int[] labels = s.getAsJsonArray("labels").asList().stream().mapToInt(JsonElement::getAsInt).toArray();
            Tensor loss = criterion.apply(net.apply(x), labels);
            loss.backward();
            assertEquals(s.get("loss").getAsDouble(), loss.item(), REL * Math.abs(s.get("loss").getAsDouble()), at + " loss");
            assertClose(at + " dL/dx", s.get("gradInput"), x.gradData());
            for (Map.Entry<String, JsonElement> g : s.getAsJsonObject("gradParameters").entrySet()) {
                assertClose(at + " dL/d" + g.getKey(), g.getValue(), net.namedParameters().get(g.getKey()).gradData());
            }
            assertEquals(s.getAsJsonObject("buffers").keySet(), net.namedBuffers().keySet(), at + " buffers");
            for (Map.Entry<String, JsonElement> b : s.getAsJsonObject("buffers").entrySet()) {
                assertClose(at + " " + b.getKey(), b.getValue(), net.namedBuffers().get(b.getKey()).data());
            }
        }
    }

    private static void runCase(JsonObject c) {
        String name = c.get("name").getAsString();
        Module m = build(c);
        setParameters(m, c);
        int k = 0;
        for (JsonElement e : c.getAsJsonArray("steps")) {
            JsonObject s = e.getAsJsonObject();
            String at = name + " step " + k++ + " (" + s.get("mode").getAsString() + ")";
            m.train(s.get("mode").getAsString().equals("train"));
            m.zeroGrad();
            Tensor x = tensor(s.get("input")).requiresGrad(true);
            Tensor y = m.apply(x);
            y.backward(tensor(s.get("gradOutput")));
            assertClose(at + " output", s.get("output"), y.data());
            assertClose(at + " dL/dx", s.get("gradInput"), x.gradData());
            assertEquals(s.getAsJsonObject("gradParameters").keySet(), m.namedParameters().keySet(), at + " parameters");
            for (Map.Entry<String, JsonElement> g : s.getAsJsonObject("gradParameters").entrySet()) {
                assertClose(at + " dL/d" + g.getKey(), g.getValue(), m.namedParameters().get(g.getKey()).gradData());
            }
        }
    }

    /** The layer a case describes, built with NormGrad's constructor from the case's arguments. */
    private static Module build(JsonObject c) {
        JsonObject a = c.getAsJsonObject("args");
        Random unused = new Random(0);
        switch (c.get("layer").getAsString()) {
            case "Conv2d":
                return new Conv2d(shape(a), a.get("outChannels").getAsInt(), ints(a, "kernelSize"), ints(a, "stride"),
                        ints(a, "padding"), a.get("groups").getAsInt(), a.get("bias").getAsBoolean(), unused);
            case "Conv1d":
                return new Conv1d(a.get("inChannels").getAsInt(), a.get("outChannels").getAsInt(), a.get("kernelSize").getAsInt(),
                        a.get("stride").getAsInt(), a.get("padding").getAsInt(), a.get("groups").getAsInt(),
                        a.get("bias").getAsBoolean(), unused);
            case "MaxPool2d":
                return new MaxPool2d(shape(a), ints(a, "kernelSize"), ints(a, "stride"), ints(a, "padding"));
            case "AvgPool2d":
                return new AvgPool2d(shape(a), ints(a, "kernelSize"), ints(a, "stride"), ints(a, "padding"),
                        a.get("countIncludePad").getAsBoolean());
            case "Flatten":
                return new Flatten();
            default:
                throw new IllegalArgumentException("unknown layer in fixture: " + c.get("layer"));
        }
    }

    private static ImageShape shape(JsonObject a) {
        int[] s = ints(a, "input");
        return new ImageShape(s[0], s[1], s[2]);
    }

    private static int[] ints(JsonObject a, String key) {
        JsonArray array = a.getAsJsonArray(key);
        int[] out = new int[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).getAsInt();
        }
        return out;
    }

    private static void setParameters(Module m, JsonObject c) {
        Set<String> expected = c.getAsJsonObject("parameters").keySet();
        assertEquals(expected, m.namedParameters().keySet().stream().collect(Collectors.toSet()), "parameter names");
        for (Map.Entry<String, JsonElement> p : c.getAsJsonObject("parameters").entrySet()) {
            Tensor param = m.namedParameters().get(p.getKey());
            Tensor value = tensor(p.getValue());
            assertEquals(value.shape(), param.shape(), p.getKey() + ": NormGrad's layout of PyTorch's parameter");
            param.data().setTo(value.data());
        }
    }

    private static Tensor tensor(JsonElement rows) {
        JsonArray a = rows.getAsJsonArray();
        double[][] out = new double[a.size()][];
        for (int i = 0; i < out.length; i++) {
            JsonArray r = a.get(i).getAsJsonArray();
            out[i] = new double[r.size()];
            for (int j = 0; j < out[i].length; j++) {
                out[i][j] = r.get(j).getAsDouble();
            }
        }
        return Tensor.of(out);
    }

    /**
     * max |actual − expected| ≤ 1e-10 · max(1e-6, max |expected|), and the same shape. The floor is for
     * gradients that are 0 in exact arithmetic — a convolution's bias followed by BatchNorm2d, whose
     * mean removes it — where both sides hold rounding noise of about 1e-17.
     */
    private static void assertClose(String what, JsonElement expectedRows, DMatrixRMaj actual) {
        assertNotNull(actual, what + ": no value (no gradient reached it?)");
        DMatrixRMaj expected = tensor(expectedRows).data();
        assertEquals(expected.numRows + "x" + expected.numCols, actual.numRows + "x" + actual.numCols, what + ": shape");
        double scale = 1e-6, diff = 0;
        for (int i = 0; i < expected.getNumElements(); i++) {
            scale = Math.max(scale, Math.abs(expected.data[i]));
            diff = Math.max(diff, Math.abs(expected.data[i] - actual.data[i]));
        }
        assertTrue(diff <= REL * scale, what + ": max abs error " + diff + " against max |reference| " + scale);
    }

    private static synchronized JsonObject root() {
        if (root == null) {
            try (InputStream in = ConvFixtureTest.class.getResourceAsStream("/fixtures/conv.json")) {
                assertNotNull(in, "fixtures/conv.json is missing; run /usr/bin/python3 layers/src/test/python/make_conv_fixtures.py");
                root = JsonParser.parseReader(new InputStreamReader(in, StandardCharsets.UTF_8)).getAsJsonObject();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return root;
    }
}

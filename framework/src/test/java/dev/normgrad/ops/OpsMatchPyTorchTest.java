package dev.normgrad.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.normgrad.autograd.Tensor;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.BiFunction;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Replays every case of {@code fixtures/ops.json} (written by PyTorch, see
 * {@code src/test/python/make_op_fixtures.py}) through the engine: the forward output and the
 * gradient of every input must equal PyTorch's to 1e-10 relative, |a − b| ≤ 1e-10·max(1, |b|);
 * NaN must be NaN and an infinity the same infinity.
 */
class OpsMatchPyTorchTest {
    private static final double TOLERANCE = 1e-10;
    private static final String FIXTURES = "/fixtures/ops.json";

    /** The fixture's op keys, each as the engine call a user would write. */
    private static final Map<String, BiFunction<List<Tensor>, JsonObject, Tensor>> OPS = new TreeMap<>();

    static {
        OPS.put("matmul", (x, a) -> x.get(0).matmul(x.get(1)));
        OPS.put("matmulTransposeA", (x, a) -> x.get(0).matmulTransposeA(x.get(1)));
        OPS.put("matmulTransposeB", (x, a) -> x.get(0).matmulTransposeB(x.get(1)));
        OPS.put("matmulTransposeAB", (x, a) -> new MatMul(true, true).apply(x.get(0), x.get(1)));
        OPS.put("add", (x, a) -> x.get(0).add(x.get(1)));
        OPS.put("sub", (x, a) -> x.get(0).sub(x.get(1)));
        OPS.put("mul", (x, a) -> x.get(0).mul(x.get(1)));
        OPS.put("div", (x, a) -> x.get(0).div(x.get(1)));
        OPS.put("addScalar", (x, a) -> x.get(0).add(num(a, "c")));
        OPS.put("subScalar", (x, a) -> x.get(0).sub(num(a, "c")));
        OPS.put("mulScalar", (x, a) -> x.get(0).mul(num(a, "c")));
        OPS.put("divScalar", (x, a) -> x.get(0).div(num(a, "c")));
        OPS.put("pow", (x, a) -> x.get(0).pow(num(a, "p")));
        OPS.put("neg", (x, a) -> x.get(0).neg());
        OPS.put("exp", (x, a) -> x.get(0).exp());
        OPS.put("log", (x, a) -> x.get(0).log());
        OPS.put("sqrt", (x, a) -> x.get(0).sqrt());
        OPS.put("abs", (x, a) -> x.get(0).abs());
        OPS.put("tanh", (x, a) -> x.get(0).tanh());
        OPS.put("sigmoid", (x, a) -> x.get(0).sigmoid());
        OPS.put("relu", (x, a) -> x.get(0).relu());
        OPS.put("leakyRelu", (x, a) -> x.get(0).leakyRelu(num(a, "slope")));
        OPS.put("softmax", (x, a) -> x.get(0).softmax());
        OPS.put("logSoftmax", (x, a) -> x.get(0).logSoftmax());
        OPS.put("sum", (x, a) -> dim(a) == -1 ? x.get(0).sum() : x.get(0).sum(dim(a)));
        OPS.put("mean", (x, a) -> dim(a) == -1 ? x.get(0).mean() : x.get(0).mean(dim(a)));
        OPS.put("transpose", (x, a) -> x.get(0).transpose());
        OPS.put("sliceColumns", (x, a) -> x.get(0).sliceColumns(a.get("from").getAsInt(), a.get("to").getAsInt()));
        OPS.put("concatColumns", (x, a) -> Tensor.concatColumns(x.toArray(new Tensor[0])));
        OPS.put("reshape", (x, a) -> x.get(0).reshape(a.get("rows").getAsInt(), a.get("cols").getAsInt()));
        OPS.put("mulSelf", (x, a) -> x.get(0).mul(x.get(0)));
        OPS.put("gramSelf", (x, a) -> x.get(0).matmulTransposeB(x.get(0)));
        OPS.put("concatSelf", (x, a) -> Tensor.concatColumns(x.get(0), x.get(0)));
        OPS.put("linearTanhLogSoftmax", (x, a) -> x.get(0).matmulTransposeB(x.get(1)).add(x.get(2)).tanh().logSoftmax());
        OPS.put("conv2d", (x, a) -> new Conv2dOp(window(a), a.get("outChannels").getAsInt(), a.get("groups").getAsInt())
                .apply(x.toArray(new Tensor[0])));
        OPS.put("maxPool2d", (x, a) -> new MaxPool2dOp(window(a)).apply(x.get(0)));
        OPS.put("avgPool2d", (x, a) -> new AvgPool2dOp(window(a), a.get("countIncludePad").getAsBoolean()).apply(x.get(0)));
    }

    /** The fixture's image (channels, height, width), kernel, stride and padding. */
    private static SlidingWindow window(JsonObject a) {
        JsonArray k = a.getAsJsonArray("kernel"), s = a.getAsJsonArray("stride"), p = a.getAsJsonArray("padding");
        return new SlidingWindow(a.get("channels").getAsInt(), a.get("height").getAsInt(), a.get("width").getAsInt(),
                k.get(0).getAsInt(), k.get(1).getAsInt(), s.get(0).getAsInt(), s.get(1).getAsInt(), p.get(0).getAsInt(),
                p.get(1).getAsInt());
    }

    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        for (JsonElement e : fixtures().getAsJsonArray("cases")) {
            JsonObject c = e.getAsJsonObject();
            out.add(Arguments.of(c.get("name").getAsString(), c));
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void forwardAndGradientsMatchPyTorch(String name, JsonObject c) {
        String op = c.get("op").getAsString();
        BiFunction<List<Tensor>, JsonObject, Tensor> f = OPS.get(op);
        assertNotNull(f, "no engine call for fixture op '" + op + "'");
        List<Tensor> inputs = new ArrayList<>();
        for (JsonElement in : c.getAsJsonArray("inputs")) {
            inputs.add(tensor(in.getAsJsonArray()).requiresGrad(true));
        }
        Tensor y = f.apply(inputs, c.getAsJsonObject("args"));
        assertClose(name + ": forward output", tensor(c.getAsJsonArray("output")), y);

        y.backward(tensor(c.getAsJsonArray("gradOutput")));
        JsonArray grads = c.getAsJsonArray("gradInputs");
        assertEquals(inputs.size(), grads.size(), name + ": one gradient per input");
        for (int i = 0; i < inputs.size(); i++) {
            Tensor g = inputs.get(i).grad();
            assertNotNull(g, name + ": no gradient reached input " + i);
            assertClose(name + ": gradient of input " + i, tensor(grads.get(i).getAsJsonArray()), g);
        }
    }

    @Test
    void fixturesCoverEveryEngineCallAndNoUnknownOp() {
        Set<String> inFixtures = new TreeSet<>();
        for (JsonElement e : fixtures().getAsJsonArray("cases")) {
            inFixtures.add(e.getAsJsonObject().get("op").getAsString());
        }
        assertEquals(OPS.keySet(), inFixtures, "every op key must have fixtures and every fixture an op");
    }

    @Test
    void fixturesIncludeEveryBroadcastPatternForEveryBinaryOp() {
        Set<String> names = new TreeSet<>();
        for (JsonElement e : fixtures().getAsJsonArray("cases")) {
            names.add(e.getAsJsonObject().get("name").getAsString());
        }
        for (String op : List.of("add", "sub", "mul", "div")) {
            for (String pattern : List.of("(4x3)op(4x3)", "(4x3)op(1x3)", "(1x3)op(4x3)", "(4x3)op(4x1)",
                    "(4x1)op(4x3)", "(4x3)op(1x1)", "(1x1)op(4x3)", "(4x1)op(1x3)", "(1x3)op(4x1)")) {
                assertTrue(names.contains(op + " " + pattern), "missing fixture: " + op + " " + pattern);
            }
        }
    }

    @Test
    void sigmoidAndTanhAtPlusMinus1e3AreFiniteSaturatedAndHaveZeroGradient() {
        Tensor x = Tensor.row(1e3, -1e3).requiresGrad(true);
        Tensor s = x.sigmoid();
        assertEquals(1.0, s.get(0, 0));
        assertEquals(0.0, s.get(0, 1));
        s.sum().backward();
        assertEquals(0.0, x.grad().get(0, 0));
        assertEquals(0.0, x.grad().get(0, 1));

        Tensor z = Tensor.row(1e3, -1e3).requiresGrad(true);
        Tensor t = z.tanh();
        assertEquals(1.0, t.get(0, 0));
        assertEquals(-1.0, t.get(0, 1));
        t.sum().backward();
        assertEquals(0.0, z.grad().get(0, 0));
        assertEquals(0.0, z.grad().get(0, 1));
    }

    @Test
    void logSoftmaxOfLogitsPlusMinus1e4IsFiniteAndExact() {
        Tensor x = Tensor.row(1e4, -1e4, 1e4).requiresGrad(true);
        Tensor y = x.logSoftmax();
        assertEquals(-Math.log(2), y.get(0, 0), 0.0);
        assertEquals(-2e4 - Math.log(2), y.get(0, 1), 0.0);
        assertEquals(-Math.log(2), y.get(0, 2), 0.0);
        y.backward(Tensor.row(1, 0, 0));
        // d/dx of log p_0 = e_0 − p: (1 − 1/2, −0, −1/2)
        assertEquals(0.5, x.grad().get(0, 0), 0.0);
        assertEquals(0.0, x.grad().get(0, 1), 0.0);
        assertEquals(-0.5, x.grad().get(0, 2), 0.0);

        Tensor p = Tensor.row(1e4, -1e4, 1e4).softmax();
        assertEquals(0.5, p.get(0, 0), 0.0);
        assertEquals(0.0, p.get(0, 1), 0.0);
        assertEquals(0.5, p.get(0, 2), 0.0);
    }

    // ------------------------------------------------------------------ helpers

    private static JsonObject cached;

    private static synchronized JsonObject fixtures() {
        if (cached == null) {
            InputStream in = OpsMatchPyTorchTest.class.getResourceAsStream(FIXTURES);
            assertNotNull(in, FIXTURES + " is missing; regenerate it with /usr/bin/python3 "
                    + "framework/src/test/python/make_op_fixtures.py");
            try (Reader r = new InputStreamReader(in, StandardCharsets.UTF_8)) {
                cached = JsonParser.parseReader(r).getAsJsonObject();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            assertFalse(cached.getAsJsonArray("cases").isEmpty(), "no cases in " + FIXTURES);
        }
        return cached;
    }

    private static double num(JsonObject args, String key) {
        return args.get(key).getAsDouble();
    }

    private static int dim(JsonObject args) {
        return args.get("dim").getAsInt();
    }

    /** Rows of numbers, where the strings "NaN", "Infinity" and "-Infinity" stand for themselves. */
    private static Tensor tensor(JsonArray rows) {
        double[][] v = new double[rows.size()][];
        for (int i = 0; i < v.length; i++) {
            JsonArray row = rows.get(i).getAsJsonArray();
            v[i] = new double[row.size()];
            for (int j = 0; j < v[i].length; j++) {
                v[i][j] = Double.parseDouble(row.get(j).getAsString());
            }
        }
        return Tensor.of(v);
    }

    private static void assertClose(String what, Tensor expected, Tensor actual) {
        assertEquals(expected.shape(), actual.shape(), what + ": shape");
        for (int i = 0; i < expected.rows(); i++) {
            for (int j = 0; j < expected.cols(); j++) {
                double b = expected.get(i, j);
                double a = actual.get(i, j);
                boolean ok;
                if (Double.isNaN(b)) {
                    ok = Double.isNaN(a);
                } else if (Double.isInfinite(b)) {
                    ok = a == b;
                } else {
                    ok = Math.abs(a - b) <= TOLERANCE * Math.max(1.0, Math.abs(b));
                }
                if (!ok) {
                    fail(what + " at [" + i + ", " + j + "]: engine " + a + ", PyTorch " + b
                            + " (difference " + Math.abs(a - b) + ")");
                }
            }
        }
    }
}

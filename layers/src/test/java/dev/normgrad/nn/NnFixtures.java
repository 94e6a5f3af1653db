package dev.normgrad.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.fail;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.normgrad.autograd.Tensor;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.ejml.data.DMatrixRMaj;

/**
 * PyTorch's reference values, from {@code fixtures/nn.json} (written by
 * {@code layers/src/test/python/make_nn_fixtures.py}), and the comparison the tests use:
 * an entry matches when |actual − expected| ≤ 1e-10·|expected| + 1e-14. The absolute 1e-14 only
 * matters for values that are (nearly) zero, e.g. GELU's left tail, where PyTorch's
 * x/2·(1 + erf(x/√2)) cancels and NormGrad's erfc form keeps full precision.
 */
public final class NnFixtures {
    public static final double RTOL = 1e-10;
    public static final double ATOL = 1e-14;

    private static JsonObject root;

    private NnFixtures() {
    }

    /** The whole fixture file. */
    public static synchronized JsonObject root() {
        if (root == null) {
            try (InputStream in = NnFixtures.class.getResourceAsStream("/fixtures/nn.json")) {
                assertNotNull(in, "fixtures/nn.json is missing; run /usr/bin/python3 layers/src/test/python/make_nn_fixtures.py");
                root = JsonParser.parseReader(new InputStreamReader(in, StandardCharsets.UTF_8)).getAsJsonObject();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return root;
    }

    /** A fixture object by dotted path, e.g. {@code "activations.gelu"}. */
    public static JsonObject get(String path) {
        JsonElement e = root();
        for (String key : path.split("\\.(?=[a-zA-Z])")) {
            e = e.getAsJsonObject().get(key);
            assertNotNull(e, "fixture " + path + " has no '" + key + "'");
        }
        return e.getAsJsonObject();
    }

    /** A list of rows as a tensor (a new leaf). */
    public static Tensor tensor(JsonElement rows) {
        JsonArray a = rows.getAsJsonArray();
        double[][] m = new double[a.size()][];
        for (int i = 0; i < a.size(); i++) {
            JsonArray r = a.get(i).getAsJsonArray();
            m[i] = new double[r.size()];
            for (int j = 0; j < r.size(); j++) {
                m[i][j] = r.get(j).getAsDouble();
            }
        }
        return Tensor.of(m);
    }

    public static int[] ints(JsonElement list) {
        JsonArray a = list.getAsJsonArray();
        int[] out = new int[a.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = a.get(i).getAsInt();
        }
        return out;
    }

    /** Every entry of {@code actual} within 1e-10 relative (+1e-14 absolute) of PyTorch's. */
    public static void assertClose(JsonElement expected, DMatrixRMaj actual, String what) {
        assertNotNull(actual, what + ": no value (was the gradient computed?)");
        DMatrixRMaj e = tensor(expected).data();
        assertEquals(e.numRows, actual.numRows, what + ": rows");
        assertEquals(e.numCols, actual.numCols, what + ": columns");
        for (int k = 0; k < e.getNumElements(); k++) {
            double x = e.data[k];
            double a = actual.data[k];
            if (!(Math.abs(a - x) <= RTOL * Math.abs(x) + ATOL)) {
                fail(what + " [" + k / e.numCols + ", " + k % e.numCols + "]: PyTorch " + x + ", NormGrad " + a
                        + " (difference " + Math.abs(a - x) + ")");
            }
        }
    }

    public static void assertClose(JsonElement expected, Tensor actual, String what) {
        assertClose(expected, actual.data(), what);
    }

    public static void assertClose(double expected, double actual, String what) {
        if (!(Math.abs(actual - expected) <= RTOL * Math.abs(expected) + ATOL)) {
            fail(what + ": PyTorch " + expected + ", NormGrad " + actual + " (difference " + Math.abs(actual - expected) + ")");
        }
    }
}

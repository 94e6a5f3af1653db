package dev.normgrad.recurrent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.normgrad.autograd.Tensor;
import dev.normgrad.nn.Module;
import dev.normgrad.nn.Parameter;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.ejml.data.DMatrixRMaj;

/** Reads the PyTorch fixtures and compares tensors with them. */
final class Fixtures {
    /** Every comparison: max|ours − torch| ≤ 1e-10 · max|torch| over the tensor (1e-10 relative to its scale). */
    static final double RELATIVE = 1e-10;

    private Fixtures() {
    }

    static JsonObject load(String resource) {
        try (InputStream in = Fixtures.class.getResourceAsStream(resource)) {
            assertNotNull(in, resource + " is missing; run layers/src/test/python/make_recurrent_fixtures.py");
            return JsonParser.parseReader(new InputStreamReader(in, StandardCharsets.UTF_8)).getAsJsonObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Tensor matrix(JsonElement e) {
        JsonArray rows = e.getAsJsonArray();
        double[][] v = new double[rows.size()][];
        for (int i = 0; i < v.length; i++) {
            JsonArray row = rows.get(i).getAsJsonArray();
            v[i] = new double[row.size()];
            for (int j = 0; j < v[i].length; j++) {
                v[i][j] = row.get(j).getAsDouble();
            }
        }
        return Tensor.of(v);
    }

    static List<Tensor> sequence(JsonElement e) {
        List<Tensor> out = new ArrayList<>();
        for (JsonElement m : e.getAsJsonArray()) {
            out.add(matrix(m));
        }
        return out;
    }

    /** Copies the fixture's parameters into the module, checking names and shapes both ways. */
    static void loadParameters(Module module, JsonObject parameters) {
        Map<String, Parameter> ours = module.namedParameters();
        assertEquals(parameters.keySet(), ours.keySet(), "parameter names");
        for (Map.Entry<String, Parameter> p : ours.entrySet()) {
            Tensor value = matrix(parameters.get(p.getKey()));
            assertEquals(value.shape(), p.getValue().shape(), "shape of " + p.getKey());
            p.getValue().data().setTo(value.data());
        }
    }

    static void assertClose(Tensor expected, DMatrixRMaj actual, String what) {
        assertNotNull(actual, what + ": no value (no gradient reached it)");
        assertEquals(expected.shape(), Tensor.wrap(actual).shape(), what + ": shape");
        double scale = 0;
        double err = 0;
        for (int i = 0; i < actual.getNumElements(); i++) {
            scale = Math.max(scale, Math.abs(expected.data().data[i]));
            err = Math.max(err, Math.abs(expected.data().data[i] - actual.data[i]));
        }
        assertTrue(err <= RELATIVE * scale, what + ": max |ours - torch| = " + err + " > 1e-10 x " + scale);
    }

    static void assertClose(double expected, double actual, String what) {
        assertTrue(Math.abs(expected - actual) <= RELATIVE * Math.abs(expected),
                what + ": ours " + actual + ", torch " + expected);
    }
}

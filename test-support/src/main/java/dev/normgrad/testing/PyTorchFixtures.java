package dev.normgrad.testing;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.ejml.data.DMatrixRMaj;

/**
 * Reads the reference values PyTorch computed: the JSON files under a module's
 * {@code src/test/resources/fixtures/}, each written by a script of that module's
 * {@code src/test/python/} with Debian's python3-torch and committed (the build needs no Python).
 * A matrix is a list of rows; the strings {@code "NaN"}, {@code "Infinity"} and {@code "-Infinity"}
 * stand for themselves (JSON has no literal for them).
 */
public final class PyTorchFixtures {
    private static final Map<String, JsonObject> LOADED = new HashMap<>();

    private PyTorchFixtures() {
    }

    /**
     * The fixture file {@code fixtures/NAME} of the test class path (e.g. {@code "nn.json"}), read once
     * and shared: do not modify it.
     */
    public static synchronized JsonObject load(String name) {
        JsonObject root = LOADED.get(name);
        if (root == null) {
            String resource = "/fixtures/" + name;
            try (InputStream in = PyTorchFixtures.class.getResourceAsStream(resource)) {
                if (in == null) {
                    throw new IllegalStateException("fixtures/" + name + " is not on the test class path: generate it with its "
                            + "module's src/test/python/make_*_fixtures.py (see CONTRIBUTING.md, \"A PyTorch fixture\")");
                }
                root = parse(new InputStreamReader(in, StandardCharsets.UTF_8), resource);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            LOADED.put(name, root);
        }
        return root;
    }

    /** A fixture file by its path, for a module that reads another module's fixtures. */
    public static JsonObject load(Path file) {
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return parse(in, file.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the fixture file " + file, e);
        }
    }

    /** A matrix: a list of rows, or one flat list of numbers as a single row. */
    public static double[][] rows(JsonElement matrix) {
        JsonArray a = matrix.getAsJsonArray();
        if (a.size() > 0 && !a.get(0).isJsonArray()) {
            return new double[][] {numbers(a)};
        }
        double[][] out = new double[a.size()][];
        for (int i = 0; i < out.length; i++) {
            out[i] = numbers(a.get(i).getAsJsonArray());
            if (out[i].length != out[0].length) {
                throw new IllegalArgumentException("a fixture matrix has rows of " + out[0].length + " and " + out[i].length + " values");
            }
        }
        return out;
    }

    /** The same matrix as EJML's. */
    public static DMatrixRMaj matrix(JsonElement matrix) {
        double[][] r = rows(matrix);
        return r.length == 0 ? new DMatrixRMaj(0, 0) : new DMatrixRMaj(r);
    }

    /** A list of integers. */
    public static int[] ints(JsonElement list) {
        JsonArray a = list.getAsJsonArray();
        int[] out = new int[a.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = a.get(i).getAsInt();
        }
        return out;
    }

    private static double[] numbers(JsonArray row) {
        double[] out = new double[row.size()];
        for (int j = 0; j < out.length; j++) {
            out[j] = row.get(j).getAsDouble();   // a number, or one of the strings "NaN", "Infinity", "-Infinity"
        }
        return out;
    }

    private static JsonObject parse(Reader in, String where) {
        JsonElement root = JsonParser.parseReader(in);
        if (!root.isJsonObject()) {
            throw new IllegalStateException(where + " is not a JSON object");
        }
        return root.getAsJsonObject();
    }
}

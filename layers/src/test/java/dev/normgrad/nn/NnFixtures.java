package dev.normgrad.nn;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.normgrad.autograd.Tensor;
import dev.normgrad.testing.PyTorchFixtures;
import dev.normgrad.testing.Tolerance;

/**
 * PyTorch's reference values for the dense layers, activations, losses, optimizers and init, from
 * {@code fixtures/nn.json} (written by {@code layers/src/test/python/make_nn_fixtures.py}), and the
 * tolerance they are held to: |actual − expected| ≤ 1e-10·|expected| + 1e-14 per entry. The absolute
 * 1e-14 only matters for values that are (nearly) zero, e.g. GELU's left tail, where PyTorch's
 * x/2·(1 + erf(x/√2)) cancels and NormGrad's erfc form keeps full precision.
 */
public final class NnFixtures {
    public static final Tolerance PYTORCH = Tolerance.entrywise(1e-10, 1e-14);

    private NnFixtures() {
    }

    /** The whole fixture file. */
    public static JsonObject root() {
        return PyTorchFixtures.load("nn.json");
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
        return Tensor.of(PyTorchFixtures.rows(rows));
    }
}

package dev.normgrad.recurrent;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.normgrad.autograd.Tensor;
import dev.normgrad.nn.Module;
import dev.normgrad.nn.Parameter;
import dev.normgrad.testing.PyTorchFixtures;
import dev.normgrad.testing.Tolerance;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The recurrent layers' PyTorch fixtures ({@code fixtures/recurrent.json}, from
 * {@code make_recurrent_fixtures.py}) as tensors, and the tolerance they are held to: max|ours − torch|
 * ≤ 1e-10 · max|torch| over each tensor (1e-10 relative to its scale).
 */
final class Fixtures {
    static final Tolerance PYTORCH = Tolerance.relativeToLargest(1e-10);

    private Fixtures() {
    }

    static Tensor matrix(JsonElement e) {
        return Tensor.of(PyTorchFixtures.rows(e));
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
}

package dev.normgrad.norm;

import static dev.normgrad.testing.Close.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.normgrad.autograd.Tensor;
import dev.normgrad.loss.Losses;
import dev.normgrad.nn.Linear;
import dev.normgrad.nn.ReLU;
import dev.normgrad.nn.Sequential;
import dev.normgrad.nn.Tanh;
import dev.normgrad.testing.PyTorchFixtures;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A normalized MLP against PyTorch (float64): Linear → BatchNorm1d → ReLU → Linear → LayerNorm →
 * Tanh → Linear → softmax cross-entropy, three training steps then evaluation; the loss, dL/dx,
 * dL/d(every parameter) and the running statistics equal to 1e-10 relative, with the
 * normalization layers fused and composed. Parameter gradients are compared relative to the
 * largest entry of the whole model gradient: the first Linear's bias, feeding a training-mode
 * BatchNorm, has gradient exactly 0 (BatchNorm subtracts each channel's mean), so on both sides it
 * is rounding noise of ~1e-17 that no per-tensor relative error can compare.
 */
class NormalizedMlpFixtureTest {

    @Test
    void fusedNormalizedMlpMatchesPyTorch() {
        run(true);
    }

    @Test
    void composedNormalizedMlpMatchesPyTorch() {
        run(false);
    }

    private static void run(boolean fused) {
        JsonObject c = Fixtures.mlp();
        BatchNorm1d bn = new BatchNorm1d(16);
        LayerNorm ln = new LayerNorm(12);
        bn.setFused(fused);
        ln.setFused(fused);
        Sequential model = new Sequential(new Linear(8, 16), bn, new ReLU(), new Linear(16, 12), ln, new Tanh(),
                new Linear(12, 4));
        Fixtures.setParameters(model, c);
        int k = 0;
        for (JsonElement e : c.getAsJsonArray("steps")) {
            JsonObject s = e.getAsJsonObject();
            String at = "step " + k++ + " (" + s.get("mode").getAsString() + ")";
            model.train(s.get("mode").getAsString().equals("train"));
            model.zeroGrad();
            Tensor x = Fixtures.tensor(s, "input").requiresGrad(true);
            Tensor loss = Losses.crossEntropy(model.apply(x), labels(s.getAsJsonArray("labels")));
            loss.backward();
            assertClose(new double[][] {{s.get("loss").getAsDouble()}}, loss.data(), NormalizationFixtureTest.PYTORCH, at + " loss");
            assertClose(PyTorchFixtures.rows(s.get("gradInput")), x.gradData(), NormalizationFixtureTest.PYTORCH, at + " dL/dx");
            assertEquals(s.getAsJsonObject("gradParameters").keySet(), model.namedParameters().keySet());
            double scale = 0;
            for (Map.Entry<String, JsonElement> g : s.getAsJsonObject("gradParameters").entrySet()) {
                for (double[] row : PyTorchFixtures.rows(g.getValue())) {
                    for (double v : row) {
                        scale = Math.max(scale, Math.abs(v));
                    }
                }
            }
            for (Map.Entry<String, JsonElement> g : s.getAsJsonObject("gradParameters").entrySet()) {
                assertClose(PyTorchFixtures.rows(g.getValue()), model.namedParameters().get(g.getKey()).gradData(), NormalizationFixtureTest.PYTORCH.withScaleFloor(scale), at + " dL/d" + g.getKey());
            }
            if (model.isTraining()) {
                for (double v : model.namedParameters().get("0.bias").gradData().data) {
                    assertEquals(0.0, v, 1e-15 * scale, at + ": a bias before a training BatchNorm gets no gradient");
                }
            }
            assertEquals(s.getAsJsonObject("buffers").keySet(), model.namedBuffers().keySet());
            for (Map.Entry<String, JsonElement> b : s.getAsJsonObject("buffers").entrySet()) {
                assertClose(PyTorchFixtures.rows(b.getValue()), model.namedBuffers().get(b.getKey()).data(), NormalizationFixtureTest.PYTORCH, at + " " + b.getKey());
            }
        }
    }

    private static int[] labels(JsonArray a) {
        int[] out = new int[a.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = a.get(i).getAsInt();
        }
        return out;
    }

}

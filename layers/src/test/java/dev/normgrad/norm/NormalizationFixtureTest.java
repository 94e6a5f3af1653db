package dev.normgrad.norm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.normgrad.autograd.Tensor;
import dev.normgrad.nn.Module;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every normalization layer against PyTorch (float64), fused and composed: several training steps
 * then an evaluation step, each comparing the output, dL/dx and dL/d(every parameter) for a fixed
 * random upstream gradient, and the running statistics and numBatchesTracked after the step, to
 * 1e-10 relative (max abs error / max abs reference value).
 */
class NormalizationFixtureTest {
    static final double REL = 1e-10;

    @TestFactory
    List<DynamicTest> everyLayerMatchesPyTorchFusedAndComposed() {
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonObject c : Fixtures.cases()) {
            boolean twoForms = !c.get("layer").getAsString().equals("WeightNorm"); // WeightNorm: composed only
            for (boolean fused : twoForms ? new boolean[] {true, false} : new boolean[] {false}) {
                String name = c.get("name").getAsString() + (twoForms ? (fused ? " (fused)" : " (composed)") : "");
                tests.add(DynamicTest.dynamicTest(name, () -> runCase(c, fused)));
            }
        }
        return tests;
    }

    @Test
    void theFixturesCoverEveryLayerAndVariantTheTestsRelyOn() {
        Set<String> layers = Fixtures.cases().stream().map(c -> c.get("layer").getAsString()).collect(Collectors.toSet());
        assertEquals(Set.of("BatchNorm1d", "BatchNorm2d", "BatchRenorm1d", "InstanceNorm1d", "InstanceNorm2d", "LayerNorm", "RMSNorm",
                "GroupNorm", "WeightNorm"), layers);
        Set<String> names = Fixtures.cases().stream().map(c -> c.get("name").getAsString()).collect(Collectors.toSet());
        for (String n : List.of("batchNorm1d_NCL", "batchNorm1d_affineFalse", "batchNorm1d_trackRunningStatsFalse",
                "batchNorm1d_momentumNone", "layerNorm_CL", "groupNorm_2of6_NCL", "instanceNorm1d_trackRunningStats",
                "rmsNorm_CL", "batchRenorm1d_clipped_NC", "weightNorm_linear_dim0", "batchNorm2d_3ch_5x7",
                "batchNorm2d_trackRunningStatsFalse", "instanceNorm2d_affine_trackRunningStats", "groupNorm_2of6_images_3x5",
                "layerNorm_CHW_3x5x4")) {
            assertEquals(true, names.contains(n), n);
        }
    }

    static void runCase(JsonObject c, boolean fused) {
        String name = c.get("name").getAsString();
        Module m = Fixtures.build(c);
        if (m instanceof NormalizationLayer) {
            ((NormalizationLayer) m).setFused(fused);
        }
        Fixtures.setParameters(m, c);
        int k = 0;
        for (JsonElement e : c.getAsJsonArray("steps")) {
            JsonObject s = e.getAsJsonObject();
            String at = name + " step " + k++ + " (" + s.get("mode").getAsString() + ")";
            m.train(s.get("mode").getAsString().equals("train"));
            m.zeroGrad();
            Tensor x = Fixtures.tensor(s, "input").requiresGrad(true);
            Tensor y = m.apply(x);
            y.backward(Fixtures.tensor(s, "gradOutput"));
            Close.assertClose(at + " output", Fixtures.matrix(s.get("output")), y.data(), REL);
            Close.assertClose(at + " dL/dx", Fixtures.matrix(s.get("gradInput")), x.gradData(), REL);
            for (Map.Entry<String, JsonElement> g : s.getAsJsonObject("gradParameters").entrySet()) {
                Close.assertClose(at + " dL/d" + g.getKey(), Fixtures.matrix(g.getValue()),
                        m.namedParameters().get(g.getKey()).gradData(), REL);
            }
            Set<String> expectedBuffers = s.getAsJsonObject("buffers").keySet();
            assertEquals(expectedBuffers, m.namedBuffers().keySet(), at + ": buffers");
            for (Map.Entry<String, JsonElement> b : s.getAsJsonObject("buffers").entrySet()) {
                Close.assertClose(at + " " + b.getKey(), Fixtures.matrix(b.getValue()), m.namedBuffers().get(b.getKey()).data(), REL);
            }
            assertEquals(s.getAsJsonObject("gradParameters").keySet(), m.namedParameters().keySet(), at + ": parameters");
        }
    }
}

package dev.normgrad.optim;

import static dev.normgrad.nn.NnFixtures.PYTORCH;
import static dev.normgrad.nn.NnFixtures.tensor;
import static dev.normgrad.testing.Close.assertClose;
import static dev.normgrad.testing.PyTorchFixtures.matrix;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.normgrad.autograd.Tensor;
import dev.normgrad.nn.NnFixtures;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClipTest {
    @Test
    void gradNormMatchesPyTorchsClipGradNormWhenClippingAndWhenNot() {
        for (JsonElement e : NnFixtures.root().getAsJsonArray("clip")) {
            JsonObject f = e.getAsJsonObject();
            Tensor w = Tensor.zeros(3, 4).requiresGrad(true);
            Tensor b = Tensor.zeros(1, 4).requiresGrad(true);
            w.mul(tensor(f.get("gradW"))).sum().add(b.mul(tensor(f.get("gradB"))).sum()).backward();
            double maxNorm = f.get("maxNorm").getAsDouble();
            double total = Clip.gradNorm(List.of(w, b), maxNorm);
            assertClose(f.get("totalNorm").getAsDouble(), total, PYTORCH, "total norm");
            assertClose(matrix(f.get("clippedW")), w.gradData(), PYTORCH, "clipped dW (maxNorm " + maxNorm + ")");
            assertClose(matrix(f.get("clippedB")), b.gradData(), PYTORCH, "clipped db (maxNorm " + maxNorm + ")");
        }
    }

    @Test
    void afterClippingTheTotalNormIsMaxNorm() {
        Tensor p = Tensor.zeros(1, 2).requiresGrad(true);
        p.mul(Tensor.row(30, 40)).sum().backward();           // gradient (30, 40), norm 50
        assertEquals(50.0, Clip.gradNorm(List.of(p), 5.0), 1e-12);
        double n = Math.hypot(p.gradData().data[0], p.gradData().data[1]);
        assertEquals(5.0, n, 1e-6);
        assertEquals(0.75, p.gradData().data[0] / p.gradData().data[1], 1e-15, "the direction is kept");
    }

    @Test
    void parametersWithoutGradientAreSkippedAndBadArgumentsAreErrors() {
        Tensor noGrad = Tensor.zeros(2, 2).requiresGrad(true);
        assertEquals(0.0, Clip.gradNorm(List.of(noGrad), 1.0));
        assertThrows(IllegalArgumentException.class, () -> Clip.gradNorm(List.of(noGrad), 0.0));
        Tensor p = Tensor.zeros(1, 1).requiresGrad(true);
        p.mul(Double.NaN).sum().backward();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Clip.gradNorm(List.of(p), 1.0));
        assertTrue(e.getMessage().contains("NaN"), e.getMessage());
    }
}

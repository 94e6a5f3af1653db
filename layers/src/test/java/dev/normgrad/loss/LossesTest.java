package dev.normgrad.loss;

import static dev.normgrad.nn.NnFixtures.PYTORCH;
import static dev.normgrad.nn.NnFixtures.tensor;
import static dev.normgrad.testing.Close.assertClose;
import static dev.normgrad.testing.PyTorchFixtures.matrix;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.normgrad.autograd.ShapeException;
import dev.normgrad.autograd.Tensor;
import dev.normgrad.nn.NnFixtures;
import dev.normgrad.testing.PyTorchFixtures;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The three losses against PyTorch: values and gradients, extreme logits, and the error messages. */
class LossesTest {
    @Test
    void mseValueAndBothGradientsMatchPyTorch() {
        JsonObject f = NnFixtures.get("mse");
        Tensor x = tensor(f.get("input")).requiresGrad(true);
        Tensor t = tensor(f.get("target")).requiresGrad(true);
        Tensor loss = new MSELoss().apply(x, t);
        loss.backward();
        assertClose(f.get("loss").getAsDouble(), loss.item(), PYTORCH, "mse");
        assertClose(matrix(f.get("dinput")), x.gradData(), PYTORCH, "mse dinput");
        assertClose(matrix(f.get("dtarget")), t.gradData(), PYTORCH, "mse dtarget");
    }

    @Test
    void crossEntropyMatchesPyTorchForEveryLabelPatternIncludingLogitsOfPlusMinus1e4() {
        int i = 0;
        for (JsonElement e : NnFixtures.root().getAsJsonArray("crossEntropy")) {
            JsonObject f = e.getAsJsonObject();
            Tensor z = tensor(f.get("logits")).requiresGrad(true);
            Tensor loss = new CrossEntropyLoss().apply(z, PyTorchFixtures.ints(f.get("labels")));
            loss.backward();
            assertClose(f.get("loss").getAsDouble(), loss.item(), PYTORCH, "crossEntropy case " + i);
            assertClose(matrix(f.get("dlogits")), z.gradData(), PYTORCH, "crossEntropy case " + i + " dlogits");
            i++;
        }
        assertEquals(4, i);
    }

    @Test
    void bceWithLogitsMatchesPyTorchIncludingLogitsOfPlusMinus1e4() {
        int i = 0;
        for (JsonElement e : NnFixtures.root().getAsJsonArray("bceWithLogits")) {
            JsonObject f = e.getAsJsonObject();
            Tensor x = tensor(f.get("logits")).requiresGrad(true);
            Tensor t = tensor(f.get("targets")).requiresGrad(true);
            Tensor loss = new BCEWithLogitsLoss().apply(x, t);
            loss.backward();
            assertClose(f.get("loss").getAsDouble(), loss.item(), PYTORCH, "bce case " + i);
            assertClose(matrix(f.get("dlogits")), x.gradData(), PYTORCH, "bce case " + i + " dlogits");
            assertClose(matrix(f.get("dtargets")), t.gradData(), PYTORCH, "bce case " + i + " dtargets");
            i++;
        }
        assertEquals(2, i);
    }

    @Test
    void bceOpEqualsTheComposedFormula() {
        Random rng = new Random(4);
        Tensor x = Tensor.randn(5, 3, rng).mul(4.0).requiresGrad(true);
        Tensor t = Tensor.uniform(5, 3, 0, 1, rng);
        Tensor fused = Losses.bceWithLogits(x, t);
        fused.backward();
        double[] fusedGrad = x.gradData().data.clone();
        x.zeroGrad();
        // −[t·log σ(x) + (1 − t)·log(1 − σ(x))], fine for moderate logits
        Tensor s = x.sigmoid();
        Tensor composed = t.mul(s.log()).add(t.neg().add(1.0).mul(s.neg().add(1.0).log())).neg().mean();
        composed.backward();
        assertEquals(composed.item(), fused.item(), 1e-12);
        for (int k = 0; k < fusedGrad.length; k++) {
            assertEquals(x.gradData().data[k], fusedGrad[k], 1e-12);
        }
    }

    @Test
    void aLabelOutOfRangeIsAnErrorNamingTheLabelAndTheClassCount() {
        Tensor z = Tensor.zeros(3, 10);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Losses.crossEntropy(z, new int[] {1, 10, 2}));
        assertTrue(e.getMessage().startsWith("crossEntropy: label 10 (row 1) is out of range for 10 classes; "
                + "labels must be class indices 0..9"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Losses.crossEntropy(z, new int[] {-1, 0, 0}));
        assertTrue(e.getMessage().contains("label -1 (row 0)"), e.getMessage());
    }

    @Test
    void aLabelCountThatDoesNotMatchTheRowsIsAShapeError() {
        ShapeException e = assertThrows(ShapeException.class, () -> Losses.crossEntropy(Tensor.zeros(3, 4), new int[] {0, 1}));
        assertTrue(e.getMessage().contains("(3x4)") && e.getMessage().contains("2 labels"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Losses.crossEntropy(Tensor.zeros(3, 4), null));
    }

    @Test
    void mseAndBceNeedTheSameShapes() {
        ShapeException e = assertThrows(ShapeException.class, () -> Losses.mse(Tensor.zeros(3, 2), Tensor.zeros(3, 1)));
        assertEquals("mse: input (3x2) and target (3x1) must have the same shape", e.getMessage());
        assertThrows(ShapeException.class, () -> Losses.bceWithLogits(Tensor.zeros(3, 1), Tensor.zeros(1, 3)));
    }

    @Test
    void toStringNamesTheLoss() {
        assertEquals("CrossEntropyLoss()", new CrossEntropyLoss().toString());
        assertEquals("MSELoss()", new MSELoss().toString());
        assertEquals("BCEWithLogitsLoss()", new BCEWithLogitsLoss().toString());
    }
}

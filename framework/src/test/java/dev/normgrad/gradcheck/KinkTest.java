package dev.normgrad.gradcheck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.normgrad.autograd.Function;
import dev.normgrad.autograd.Tensor;
import java.util.List;
import java.util.Random;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;

/**
 * No blind spot at kinks: an entry whose ±h step crosses a kink is judged by a one-sided
 * difference from the smooth side, an entry on the kink by the interval between its two one-sided
 * derivatives, and only entries with kinks on both sides within 2h go unchecked — counted.
 */
class KinkTest {
    private final Random rng = new Random(23);

    /** An input with a row of zeros: with a zero bias, that row's pre-activations sit exactly on ReLU's kink. */
    private Tensor inputWithAZeroRow() {
        Tensor x = Tensor.randn(5, 3, rng).name("x");
        for (int j = 0; j < 3; j++) {
            x.data().set(0, j, 0.0);
        }
        return x;
    }

    @Test
    void aBiasGradientComputedAsAMeanFollowedByReluOnAKinkFails() {
        Tensor x = inputWithAZeroRow();
        Tensor bias = Tensor.zeros(1, 3).name("bias");
        GradCheckReport r = GradCheck.check(in -> new PlantedOps.BiasAdd(PlantedOps.BiasAdd.Bug.MEAN_NOT_SUM).apply(in[0], in[1]).relu(), x, bias);
        assertFalse(r.passed(), r::toString);
        assertEquals(3, r.tensor("bias").checked(), "every bias entry is checked, though each moves the zero row across the kink");
        assertEquals(3, r.tensor("bias").kinks());
        assertEquals(3, r.tensor("bias").failed(), r::toString);
        assertEquals(0, r.unchecked());
        String text = r.toString();
        assertTrue(text.contains("kinks: 6 entries (3 of 'x', 3 of 'bias') moved a kink of relu across their ±h step: judged by "
                + "one-sided differences from the smooth side"), text);
        assertTrue(text.contains("none left unchecked"), text);
    }

    @Test
    void theSameLayerWrittenRightPassesOnTheKink() {
        Tensor x = inputWithAZeroRow();
        Tensor bias = Tensor.zeros(1, 3).name("bias");
        GradCheckReport r = GradCheck.check(in -> new PlantedOps.BiasAdd(PlantedOps.BiasAdd.Bug.NONE).apply(in[0], in[1]).relu(), x, bias);
        assertTrue(r.passed(), r::toString);
        assertEquals(6, r.kinks(), "3 bias entries and the zero row's 3 inputs");
        assertEquals(18, r.checked());
    }

    /** relu with a planted wrong slope 0.5 on the positive side. */
    private static final class HalfSlopeRelu extends Function {
        private DMatrixRMaj x;

        @Override
        protected DMatrixRMaj forward(DMatrixRMaj... in) {
            x = in[0];
            recordKinks(x, 0.0);
            DMatrixRMaj y = x.copy();
            for (int k = 0; k < y.getNumElements(); k++) {
                y.data[k] = Math.max(0, y.data[k]);
            }
            return y;
        }

        @Override
        protected void backward(DMatrixRMaj dy, DMatrixRMaj[] dx) {
            for (int k = 0; k < dy.getNumElements(); k++) {
                dx[0].data[k] += x.data[k] > 0 ? 0.5 * dy.data[k] : 0;
            }
        }
    }

    @Test
    void entriesWithinHOfAKinkAreJudgedFromTheirOwnSide() {
        // 3e-7 and -4e-7 lie within h = 1e-6 of relu's kink: their central differences straddle it
        Tensor x = Tensor.of(1, 4, 3e-7, -4e-7, 1.0, -1.0).name("x");
        GradCheckReport right = GradCheck.check(in -> in[0].relu(), x);
        assertTrue(right.passed(), right::toString);
        assertEquals(2, right.kinks());
        GradCheckReport wrong = GradCheck.check(in -> new HalfSlopeRelu().apply(in[0]), x);
        assertFalse(wrong.passed());
        assertEquals(2, wrong.failed(), "the positive entries fail, the one near the kink included: " + wrong);
        assertEquals(List.of(0, 2), wrong.tensor("x").failures().stream().map(GradCheckReport.Failure::col).toList());
    }

    @Test
    void anEntryWithKinksOnBothSidesWithinTwoStepsIsUncheckedAndCounted() {
        // relu(x) + relu(x − 1.5h) at x = 0.75h: a kink 0.75h below and one 0.75h above
        Tensor x = Tensor.of(1, 2, 0.75e-6, 2.0).name("x");
        GradCheckReport r = GradCheck.check(in -> in[0].relu().add(in[0].sub(1.5e-6).relu()), x);
        assertTrue(r.passed(), r::toString);
        assertEquals(1, r.unchecked());
        assertEquals(1, r.checked());
        assertEquals(2, r.entries());
        assertTrue(r.toString().contains("unchecked: 1 entry of 'x' with a kink of relu within 2h on both sides"), r::toString);
        assertTrue(r.toString().split("\n")[0].contains("1 entry left unchecked"), r::toString);
        JsonObject o = JsonParser.parseString(r.toJson()).getAsJsonObject();
        assertEquals(1, o.get("unchecked").getAsInt());
        assertEquals(1, o.getAsJsonArray("tensors").get(0).getAsJsonObject().get("unchecked").getAsInt());
    }

    @Test
    void fastModeJudgesADirectionThroughAKinkOneSided() {
        // an entry within 0.01h of the kink, not on it: every direction's ±h step crosses it
        Tensor x = Tensor.of(2, 2, 1e-8, 1.0, -2.0, 0.5);
        GradCheckReport r = new GradCheck().fast(in -> in[0].relu(), 3, x);
        assertTrue(r.passed(), r::toString);
        assertEquals(3, r.kinks(), "every direction moves the entry near 0 across the kink");
        GradCheckReport wrong = new GradCheck().fast(in -> new HalfSlopeRelu().apply(in[0]), 3, x);
        assertFalse(wrong.passed(), wrong::toString);
    }
}

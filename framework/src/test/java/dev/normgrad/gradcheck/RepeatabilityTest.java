package dev.normgrad.gradcheck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.normgrad.autograd.NoGrad;
import dev.normgrad.autograd.Tensor;
import java.util.Map;
import java.util.Random;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;

/**
 * State the check cannot put back makes two forwards at the same point disagree: the report then
 * says so, names the op and where it was created, and gives no verdict.
 */
class RepeatabilityTest {
    private final Random rng = new Random(31);

    /** Adds a running statistic kept in a plain field (not restored by saveState) and updates it every forward. */
    private static final class DriftingShift implements Checkable {
        final Tensor weight = Tensor.of(1, 3, 0.5, -1.0, 2.0).requiresGrad(true);
        final DMatrixRMaj running = new DMatrixRMaj(1, 3);

        @Override
        public Tensor apply(Tensor... in) {
            Tensor y = in[0].mul(weight).add(Tensor.wrap(running.copy()));
            try (NoGrad off = NoGrad.enter()) {
                for (int j = 0; j < 3; j++) {
                    running.data[j] = 0.9 * running.data[j] + 0.1 * in[0].data().get(0, j);
                }
            }
            return y;
        }

        @Override
        public Map<String, Tensor> namedParameters() {
            return Map.of("weight", weight);
        }
    }

    @Test
    void stateKeptInAPlainFieldIsReportedInsteadOfAVerdict() {
        DriftingShift model = new DriftingShift();
        GradCheckReport r = GradCheck.check(model, Tensor.randn(2, 3, rng).add(3.0));
        assertFalse(r.repeatable());
        assertFalse(r.passed());
        assertEquals("not repeatable", r.verdict());
        assertEquals("add", r.notRepeatable().op());
        assertEquals("the model (DriftingShift)", r.notRepeatable().module());
        String detail = r.notRepeatable().detail();
        assertTrue(detail.startsWith("the forward is not repeatable: state changed during the check (two forwards at the same "
                + "point gave L = "), detail);
        assertTrue(detail.contains("the first op whose output differs between two forwards is add in the model (DriftingShift): "
                + "its input 1 (1x3), a tensor made outside any op, changed between them (state kept in a plain field?)"), detail);
        assertTrue(detail.endsWith("Put every piece of state the forward changes back in saveState(), then check again."), detail);
        String first = r.toString().split("\n")[0];
        assertTrue(first.startsWith("GradCheck full: NOT REPEATABLE — the forward is not repeatable"), first);
        assertTrue(first.endsWith("No verdict: the numbers below cannot be trusted."), first);
        assertFalse(r.toString().contains("PASSED"), r::toString);
        JsonObject o = JsonParser.parseString(r.toJson()).getAsJsonObject();
        assertEquals("not repeatable", o.get("verdict").getAsString());
        assertEquals("add", o.getAsJsonObject("notRepeatable").get("op").getAsString());
        assertEquals("the model (DriftingShift)", o.getAsJsonObject("notRepeatable").get("module").getAsString());
        AssertionError e = assertThrows(AssertionError.class, r::assertPassed);
        assertTrue(e.getMessage().startsWith("gradient check not repeatable\nGradCheck full: NOT REPEATABLE"), e.getMessage());
    }

    @Test
    void fastModeToo() {
        GradCheckReport r = new GradCheck().fast(new DriftingShift(), 2, Tensor.randn(2, 3, rng).add(3.0));
        assertEquals("not repeatable", r.verdict());
    }

    @Test
    void anOpDrawingItsOwnRandomNumbersIsNamed() {
        Random noise = new Random(1);   // one generator for every forward, as a field of a layer would be
        GradCheckReport r = GradCheck.check(in -> new PlantedOps.NoisyIdentity(noise).apply(in[0].tanh()), Tensor.randn(2, 2, rng));
        assertEquals("not repeatable", r.verdict());
        assertEquals("noisyIdentity", r.notRepeatable().op());
        assertEquals("your function", r.notRepeatable().module());
        assertTrue(r.notRepeatable().detail().contains("with the same inputs: the op itself draws random numbers or reads state"),
                r.notRepeatable().detail());
    }
}

package dev.normgrad.gradcheck;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.normgrad.autograd.Function;
import dev.normgrad.autograd.NoGrad;
import dev.normgrad.autograd.Tensor;
import java.util.Map;
import java.util.Random;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;

class GradCheckTest {
    private final Random rng = new Random(11);

    @Test
    void reluAtExactlyZeroIsAKinkNotAFailure() {
        Tensor x = Tensor.of(2, 3, 0.0, 1.5, -2.0, 0.0, -0.3, 0.7);
        GradCheckReport r = GradCheck.check(in -> in[0].relu(), x);
        assertTrue(r.passed(), r::toString);
        assertEquals(2, r.kinks(), "the two zeros");
        assertEquals(java.util.List.of("relu"), r.tensor("input 0").kinkOps());
        assertTrue(r.toString().contains("kink"));
    }

    @Test
    void kinksAreDetectedFromTheOpNotFromTheErrorSize() {
        // abs at 0: the central difference gives 0 and abs' backward gives sign(0) = 0 — no error at
        // all, yet the entry straddles a kink and must be reported as one.
        Tensor x = Tensor.of(1, 3, 0.0, 2.0, -1.0);
        GradCheckReport r = GradCheck.check(in -> in[0].abs(), x);
        assertEquals(1, r.kinks());
        assertEquals(0, r.tensor("input 0").maxAbsError(), 1e-9);
    }

    @Test
    void reluAwayFromZeroHasNoKinks() {
        Tensor x = Tensor.of(1, 4, 0.5, -0.5, 2, -3);
        GradCheckReport r = GradCheck.check(in -> in[0].relu().mul(in[0]), x);
        assertTrue(r.passed());
        assertEquals(0, r.kinks());
    }

    @Test
    void inputsAreNotModifiedAndNeedNotRequireGrad() {
        Tensor x = Tensor.randn(3, 2, rng);
        DMatrixRMaj before = x.data().copy();
        GradCheck.check(in -> in[0].tanh(), x).assertPassed();
        assertArrayEquals(before.data, x.data().data);
        assertFalse(x.requiresGrad());
        assertNull(x.gradData());
    }

    @Test
    void assertPassedThrowsAssertionErrorCarryingTheTable() {
        Tensor x = Tensor.randn(2, 2, rng);
        GradCheckReport r = GradCheck.check(in -> new PlantedOps.ScaledTanh(2).apply(in[0]), x);
        AssertionError e = assertThrows(AssertionError.class, r::assertPassed);
        assertTrue(e.getMessage().contains("FAILED"), e.getMessage());
        assertTrue(e.getMessage().contains("input 0"), e.getMessage());
        assertTrue(e.getMessage().contains("err/tol"), e.getMessage());
        assertTrue(e.getMessage().contains("diagnosis: the gradient of 'input 0' is 2 times too large"), e.getMessage());
    }

    @Test
    void jsonFollowsTheDocumentedSchema() {
        Tensor x = Tensor.randn(2, 3, rng);
        GradCheckReport r = GradCheck.check(in -> new PlantedOps.ScaledTanh(2).apply(in[0]), x);
        JsonObject o = JsonParser.parseString(r.toJson()).getAsJsonObject();
        assertEquals("normgrad-gradcheck", o.get("schema").getAsString());
        assertEquals(2, o.get("version").getAsInt());
        assertEquals("full", o.get("mode").getAsString());
        assertEquals("failed", o.get("verdict").getAsString());
        assertFalse(o.get("passed").getAsBoolean());
        assertTrue(o.get("notRepeatable").isJsonNull());
        assertEquals(6, o.get("entries").getAsInt());
        assertEquals(6, o.get("checked").getAsInt());
        assertEquals(0, o.get("unchecked").getAsInt());
        assertEquals(GradCheck.DEFAULT_SEED, o.get("seed").getAsLong());
        assertEquals(1e-6, o.get("step").getAsDouble());
        JsonObject t = o.getAsJsonArray("tensors").get(0).getAsJsonObject();
        assertEquals("input 0", t.get("name").getAsString());
        assertEquals(2, t.getAsJsonArray("shape").get(0).getAsInt());
        assertEquals(3, t.getAsJsonArray("shape").get(1).getAsInt());
        assertTrue(t.get("failed").getAsInt() > 0);
        assertTrue(t.getAsJsonArray("failures").size() > 0);
        JsonObject f = t.getAsJsonArray("failures").get(0).getAsJsonObject();
        double a = f.get("analytic").getAsDouble();
        double n = f.get("numeric").getAsDouble();
        assertEquals(2 * n, a, 1e-6 * Math.abs(a) + 1e-8, "the planted bug doubles the gradient");
        assertEquals("wrong", o.get("reading").getAsString());
        assertTrue(t.get("errorOverTolerance").getAsDouble() > 1, "the judged quantity is above 1 for a failing tensor");
        JsonObject d = t.getAsJsonObject("diagnosis");
        assertEquals("constant_ratio", d.get("kind").getAsString());
        assertEquals(2.0, d.get("ratio").getAsDouble(), 1e-3);
        assertEquals(2, d.get("size").getAsInt());
        assertTrue(d.get("detail").getAsString().startsWith("the gradient of 'input 0' is 2 times too large"), d.toString());
        for (String key : new String[] {"sizeMeaning", "wrongRows", "wrongColumns", "missingTerm", "grouping"}) {
            assertTrue(d.has(key), key);
        }
    }

    @Test
    void nanGradientFailsAndIsWrittenAsNull() {
        Tensor x = Tensor.randn(1, 2, rng);
        GradCheckReport r = GradCheck.check(in -> new Function() {
            @Override
            protected DMatrixRMaj forward(DMatrixRMaj... v) {
                return v[0].copy();
            }

            @Override
            protected void backward(DMatrixRMaj dy, DMatrixRMaj[] dx) {
                dx[0].data[0] += Double.NaN;
                dx[0].data[1] += dy.data[1];
            }
        }.apply(in[0]), x);
        assertEquals(1, r.failed());
        JsonObject o = JsonParser.parseString(r.toJson()).getAsJsonObject();
        assertTrue(o.getAsJsonArray("tensors").get(0).getAsJsonObject().get("maxAbsError").isJsonNull());
    }

    /** A module-like Checkable with a running statistic, a weight, and (optionally) state restore. */
    private static final class RunningScale implements Checkable {
        final Tensor weight = Tensor.of(1, 3, 0.5, -1.0, 2.0).requiresGrad(true);
        final DMatrixRMaj running = new DMatrixRMaj(1, 3);
        final boolean restores;

        RunningScale(boolean restores) {
            this.restores = restores;
        }

        @Override
        public Tensor apply(Tensor... in) {
            // uses the running statistic in the output (like a layer in eval-ish mode) and updates it
            Tensor y = in[0].mul(weight).add(Tensor.wrap(running.copy()));
            try (NoGrad off = NoGrad.enter()) {
                for (int j = 0; j < 3; j++) {
                    running.data[j] += 0.1 * in[0].data().get(0, j);
                }
            }
            return y;
        }

        @Override
        public Map<String, Tensor> namedParameters() {
            return Map.of("weight", weight);
        }

        @Override
        public State saveState() {
            if (!restores) {
                return () -> { };
            }
            DMatrixRMaj copy = running.copy();
            return () -> running.setTo(copy);
        }
    }

    @Test
    void stateIsRestoredAroundEveryPerturbedForwardAndAfterwards() {
        RunningScale model = new RunningScale(true);
        Tensor x = Tensor.randn(2, 3, rng);
        GradCheckReport r = GradCheck.check(model, x);
        assertTrue(r.passed(), r::toString);
        assertEquals(2, r.tensors().size());
        assertArrayEquals(new double[3], model.running.data, "the check leaves the running statistic as it found it");
    }

    @Test
    void aCheckThatForgetsToRestoreStateFails() {
        RunningScale model = new RunningScale(false);
        GradCheckReport r = GradCheck.check(model, Tensor.randn(2, 3, rng));
        assertFalse(r.passed(), "the drifting statistic corrupts every finite difference");
    }

    @Test
    void parameterGradientsArePutBackAsTheUserHadThem() {
        RunningScale model = new RunningScale(true);
        Tensor x = Tensor.randn(2, 3, rng);
        model.apply(x).sum().backward();
        DMatrixRMaj before = model.weight.gradData().copy();
        GradCheck.check(model, x).assertPassed();
        assertArrayEquals(before.data, model.weight.gradData().data);
    }

    @Test
    void badArgumentsGetClearErrors() {
        Tensor x = Tensor.randn(2, 2, rng);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new GradCheck(0, 1e-5, 1e-3, 1))
                .getMessage().contains("step > 0"));
        assertTrue(assertThrows(IllegalStateException.class, () -> GradCheck.check(in -> Tensor.ones(2, 2), x))
                .getMessage().contains("no graph"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new GradCheck().fast(in -> in[0], 0, x))
                .getMessage().contains("at least one direction"));
    }

    @Test
    void tableIsAligned() {
        String table = GradCheck.check(in -> in[0].tanh().mul(in[1]), Tensor.randn(2, 3, rng), Tensor.randn(2, 3, rng)).toString();
        String[] lines = table.split("\n");
        assertTrue(lines[0].startsWith("GradCheck full: PASSED"), table);
        assertTrue(lines[2].contains("err/tol"), table);
        assertEquals(lines[2].length(), lines[3].length(), table);
        assertEquals(lines[3].length(), lines[4].length(), table);
    }

    @Test
    void aGradientThatIsZeroIsJudgedByTheAbsoluteToleranceNotReadAsWrong() {
        // centring over the batch removes any per-column shift: ∂L/∂b is exactly 0, and the finite
        // differences are rounding noise. The relative error of noise over noise means nothing.
        Random rng = new Random(3);
        Tensor x = Tensor.randn(5, 3, rng).requiresGrad(true);
        Tensor b = Tensor.randn(1, 3, rng).requiresGrad(true);
        GradCheckReport report = GradCheck.check(in -> {
            Tensor shifted = in[0].add(in[1]);
            return shifted.sub(shifted.mean(0)).tanh();
        }, x, b);
        assertTrue(report.passed(), report.toString());
        assertEquals("good", report.reading(), report.toString());
        assertTrue(report.tensor("input 1").gradientIsZero(), report.toString());
        assertFalse(report.tensor("input 0").gradientIsZero(), report.toString());
        String text = report.toString();
        assertTrue(text.contains("input 1") && text.contains("≈ 0"), text);
        assertFalse(text.contains(": wrong"), text);
        JsonObject json = JsonParser.parseString(report.toJson()).getAsJsonObject();
        assertTrue(json.getAsJsonArray("tensors").get(1).getAsJsonObject().get("gradientIsZero").getAsBoolean());
    }

    // ------------------------------------------------------------------ a report a newcomer reads right

    @Test
    void oneVerdictLineThatTheRelativeErrorNeverContradicts() {
        // a coarse step: finite-difference truncation puts cs231n's relative error between 1e-7 and 1e-4,
        // which cs231n alone would call suspicious, while every entry is well within its tolerance
        GradCheckReport r = new GradCheck(1e-3, 1e-5, 1e-3, 1).full(in -> in[0].tanh().mul(3.0).tanh(), Tensor.randn(3, 4, rng));
        assertTrue(r.passed(), r::toString);
        assertEquals("suspicious", r.reading(), r::toString);
        String[] lines = r.toString().split("\n");
        assertTrue(lines[0].startsWith("GradCheck full: PASSED — all 12 entries within their tolerance"), lines[0]);
        assertEquals(1, java.util.Arrays.stream(lines).filter(l -> l.contains("PASSED") || l.contains("FAILED")).count(), r::toString);
        String last = lines[lines.length - 1];
        assertTrue(last.contains("between 1e-7 and 1e-4, which cs231n calls suspicious on its own; with every entry within its "
                + "tolerance it is finite-difference noise"), last);
        assertFalse(r.toString().contains(": suspicious"), r::toString);
    }

    @Test
    void theErrorColumnIsWhatTheVerdictJudges() {
        // big values: |analytic − numeric| is far above atol, yet far inside atol + rtol·|numeric|
        GradCheckReport r = GradCheck.check(in -> in[0].pow(3), Tensor.randn(2, 3, rng).add(100.0));
        assertTrue(r.passed(), r::toString);
        GradCheckReport.TensorResult t = r.tensor("input 0");
        assertTrue(t.maxAbsError() > r.atol(), "the absolute error alone would look like a failure: " + t.maxAbsError());
        assertTrue(t.errorOverTolerance() <= 1, r::toString);
        String[] lines = r.toString().split("\n");
        String[] header = lines[2].trim().split("\\s{2,}");
        String[] row = lines[3].trim().split("\\s{2,}");
        int column = java.util.Arrays.asList(header).indexOf("err/tol");
        assertTrue(column > 0, lines[2]);
        assertEquals(t.errorOverTolerance(), Double.parseDouble(row[column]), 0.06 * t.errorOverTolerance(), lines[3]);
        assertTrue(r.toString().contains("err/tol: the worst entry's |analytic − numeric| / (atol + rtol·|numeric|); ≤ 1 passes"));
    }

    @Test
    void theSameSeedInTheTextAndTheJson() {
        GradCheckReport r = new GradCheck(1e-6, 1e-5, 1e-3, 42).full(in -> in[0].tanh(), Tensor.randn(2, 2, rng));
        assertEquals(42, r.seed());
        assertTrue(r.toString().split("\n")[1].endsWith("(step 1e-06, seed 42)"), r::toString);
        assertEquals(42, JsonParser.parseString(r.toJson()).getAsJsonObject().get("seed").getAsLong());
    }
}

package dev.normgrad.gradcheck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.normgrad.autograd.OpRecorder;
import dev.normgrad.autograd.Tensor;
import dev.normgrad.gradcheck.Diagnosis.Kind;
import dev.normgrad.gradcheck.Diagnosis.Term;
import dev.normgrad.gradcheck.GraphCheckReport.Node;
import dev.normgrad.gradcheck.GraphCheckReport.Status;
import dev.normgrad.gradcheck.PlantedOps.Normalize.Drop;
import dev.normgrad.gradcheck.PlantedOps.Normalize.Over;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;

/**
 * {@link GradCheck#locate}: every op of a graph checked on its own, the first wrong one named by
 * its class, the part of the model that created it, its input shapes and its diagnosis. The model
 * here is a chain of named parts that marks its ops the way {@code Module.apply} does.
 */
class LocateTest {
    private final Random rng = new Random(41);

    /** A named part of a {@link Chain}. */
    private abstract static class Part implements Checkable {
        final Map<String, Tensor> parameters = new LinkedHashMap<>();

        @Override
        public Map<String, ? extends Tensor> namedParameters() {
            return parameters;
        }
    }

    /** y = x·Wᵀ + b, from primitive ops. */
    private static final class Dense extends Part {
        Dense(int in, int out, Random r) {
            parameters.put("weight", Tensor.randn(out, in, r).mul(0.5).requiresGrad(true));
            parameters.put("bias", Tensor.randn(1, out, r).requiresGrad(true));
        }

        @Override
        public Tensor apply(Tensor... x) {
            return x[0].matmulTransposeB(parameters.get("weight")).add(parameters.get("bias"));
        }
    }

    /** Normalizes each row with a hand-written backward (the planted bug drops a term), then scales by γ. */
    private static final class RowNorm extends Part {
        private final Drop drop;

        RowNorm(int features, Drop drop, Random r) {
            this.drop = drop;
            parameters.put("weight", Tensor.randn(1, features, r).requiresGrad(true));
        }

        @Override
        public Tensor apply(Tensor... x) {
            return new PlantedOps.Normalize(Over.ROWS, drop).apply(x[0]).mul(parameters.get("weight"));
        }
    }

    /** relu, then (optionally) a fixed random mask drawn from its own generator, as Dropout does. */
    private static final class ReluDrop extends Part {
        private final Random masks;
        private final long seed;

        ReluDrop(long seed) {
            this.seed = seed;
            this.masks = new Random(seed);
        }

        @Override
        public Tensor apply(Tensor... x) {
            DMatrixRMaj mask = new DMatrixRMaj(x[0].rows(), x[0].cols());
            for (int k = 0; k < mask.getNumElements(); k++) {
                mask.data[k] = masks.nextDouble() < 0.3 ? 0 : 1 / 0.7;
            }
            return x[0].relu().mul(Tensor.wrap(mask));
        }

        @Override
        public State saveState() {
            return () -> masks.setSeed(seed);
        }
    }

    /** Parts applied in order; their ops are marked with the part, as Module.apply marks a module's. */
    private static final class Chain implements Checkable {
        private final Map<String, Part> parts = new LinkedHashMap<>();

        Chain add(String name, Part part) {
            parts.put(name, part);
            return this;
        }

        @Override
        public Tensor apply(Tensor... x) {
            Tensor y = x[0];
            for (Part p : parts.values()) {
                try (OpRecorder.Scope scope = OpRecorder.enter(p)) {
                    y = p.apply(y);
                }
            }
            return y;
        }

        @Override
        public Map<String, Tensor> namedParameters() {
            Map<String, Tensor> out = new LinkedHashMap<>();
            parts.forEach((name, p) -> p.namedParameters().forEach((k, v) -> out.put(name + "." + k, v)));
            return out;
        }

        @Override
        public Map<String, Checkable> namedModules() {
            Map<String, Checkable> out = new LinkedHashMap<>();
            out.put("", this);
            out.putAll(parts);
            return out;
        }

        @Override
        public State saveState() {
            List<State> states = parts.values().stream().map(Checkable::saveState).toList();
            return () -> states.forEach(State::restore);
        }
    }

    private Chain fourLayers(Drop drop) {
        Random r = new Random(5);
        return new Chain().add("0", new Dense(5, 6, r)).add("1", new RowNorm(6, drop, r)).add("2", new ReluDrop(9))
                .add("3", new Dense(6, 2, r));
    }

    @Test
    void aWrongOpInTheMiddleOfAFourLayerModelIsNamedExactly() {
        Chain model = fourLayers(Drop.VARIANCE);
        GraphCheckReport r = GradCheck.locate(model, Tensor.randn(4, 5, rng));
        assertFalse(r.passed(), r::toString);
        Node wrong = r.firstWrongOp().orElseThrow();
        assertEquals(List.of("matmulTransposeB", "add", "normalize", "mul", "relu", "mul", "matmulTransposeB", "add"),
                r.nodes().stream().map(Node::op).toList());
        assertEquals(3, wrong.index());
        assertEquals("normalize", wrong.op());
        assertEquals("Normalize", wrong.opClass());
        assertEquals("1 (RowNorm)", wrong.module());
        assertEquals("1", wrong.modulePath());
        assertEquals(List.of("(4x6)"), wrong.inputShapes());
        assertEquals(Kind.MISSING_TERM, wrong.diagnosis().kind());
        assertEquals(Term.VARIANCE, wrong.diagnosis().missingTerm());
        assertEquals(1, r.failed(), "the ops after it are right: " + r);
        assertEquals(8, r.checked());
        String text = r.toString();
        assertTrue(text.startsWith("GradCheck.locate: FAILED — the first wrong op is #3 of 8: normalize (Normalize), created in "
                + "1 (RowNorm), inputs (4x6)\n  diagnosis: the error of the gradient of 'input 0'"), text);
        assertTrue(text.endsWith("after it: no other op is wrong"), text);
        assertTrue(wrong.toString().startsWith("#3 normalize (Normalize) in 1 (RowNorm), inputs (4x6): FAILED — the error of"),
                wrong::toString);
        AssertionError e = assertThrows(AssertionError.class, r::assertPassed);
        assertTrue(e.getMessage().contains("the first wrong op is #3"), e.getMessage());
    }

    @Test
    void theSameModelWithCorrectOpsFlagsNothing() {
        GraphCheckReport r = GradCheck.locate(fourLayers(Drop.NOTHING), Tensor.randn(4, 5, rng));
        assertTrue(r.passed(), r::toString);
        assertTrue(r.firstWrongOp().isEmpty());
        assertEquals(8, r.checked());
        assertEquals(0, r.notChecked());
        r.nodes().forEach(n -> assertNull(n.diagnosis()));
        assertTrue(r.toString().startsWith("GradCheck.locate: PASSED — all 8 ops passed, each checked on its own"), r::toString);
        assertEquals("0 (Dense)", r.nodes().get(0).module());
        assertEquals(List.of(0, 1), r.nodes().get(0).checkedInputs(), "the input and the weight");
        assertEquals(List.of(0), r.nodes().get(5).checkedInputs(), "the dropout mask is held fixed");
    }

    @Test
    void theParametersOfAnOpAreNamedInItsCheck() {
        GraphCheckReport r = GradCheck.locate(fourLayers(Drop.NOTHING), Tensor.randn(4, 5, rng));
        assertEquals(List.of("input 0", "input 1 (0.weight)"),
                r.nodes().get(0).check().tensors().stream().map(GradCheckReport.TensorResult::name).toList());
    }

    @Test
    void locateLeavesTheModelsStateAsItFoundIt() {
        ReluDrop drop = new ReluDrop(9);
        Chain model = new Chain().add("0", drop);
        Tensor x = Tensor.randn(3, 4, rng);
        double[] before = model.apply(x).data().data.clone();
        drop.saveState().restore();
        GradCheck.locate(model, x);
        assertEquals(before[0], model.apply(x).data().data[0], 0.0, "the mask generator was put back");
    }

    @Test
    void aReluOnItsKinkInsideAGraphIsJudgedOneSided() {
        Tensor x = Tensor.of(2, 3, 0.0, 1.0, -1.0, 0.5, 0.0, -0.5);
        GraphCheckReport r = GradCheck.locate(in -> in[0].mul(2.0).relu().tanh(), x);
        assertTrue(r.passed(), r::toString);
        assertEquals(2, r.nodes().get(1).check().kinks());
        assertEquals("your function", r.nodes().get(1).module());
        assertNull(r.nodes().get(1).modulePath());
    }

    @Test
    void anOpWhoseForwardCannotRunAgainOnItsOwnIsReportedNotChecked() {
        GraphCheckReport r = GradCheck.locate(in -> new PlantedOps.NoisyIdentity(new Random()).apply(in[0].tanh()).sum(), Tensor.randn(2, 3, rng));
        Node noisy = r.nodes().get(1);
        assertEquals(Status.NOT_CHECKED, noisy.status());
        assertEquals("run again on the inputs it was given, its forward gives another output (it draws random numbers, or reads "
                + "state that has changed since): check it on its own, holding that state fixed", noisy.reason());
        assertTrue(r.passed(), "not checked is not wrong");
        assertEquals(1, r.notChecked());
        assertTrue(r.toString().contains("#2 not checked: run again on the inputs it was given"), r::toString);
        assertTrue(r.toString().startsWith("GradCheck.locate: PASSED — 2 of 3 ops passed, each checked on its own; 1 not checked"),
                r::toString);
    }

    /** y = x·W with dW set to the wrong shape: the engine refuses it, and locate reports the op as wrong. */
    @Test
    void anOpWhoseBackwardThrowsIsTheWrongOpWithTheEnginesMessage() {
        GraphCheckReport r = GradCheck.locate(in -> new PlantedOps.MatMul(PlantedOps.MatMul.Bug.SET_TO_TRANSPOSED).apply(in[0].tanh(), in[1]),
                Tensor.randn(4, 3, rng), Tensor.randn(3, 7, rng));
        Node wrong = r.firstWrongOp().orElseThrow();
        assertEquals(2, wrong.index());
        assertNull(wrong.check());
        assertEquals("its backward threw ShapeException: MatMul.backward: the gradient of input 1 must keep that input's "
                + "shape (3x7), but is (7x3) after the backward; add into the buffer you are given (CommonOps_DDRM.addEquals, "
                + "multAddTransA, ...), never setTo, reshape or replace it", wrong.reason());
    }

    @Test
    void jsonFollowsTheDocumentedSchema() {
        GraphCheckReport r = new GradCheck(1e-6, 1e-5, 1e-3, 7).opByOp(fourLayers(Drop.MEAN), Tensor.randn(4, 5, rng));
        JsonObject o = JsonParser.parseString(r.toJson()).getAsJsonObject();
        assertEquals("normgrad-graphcheck", o.get("schema").getAsString());
        assertEquals(1, o.get("version").getAsInt());
        assertEquals("full", o.get("mode").getAsString());
        assertFalse(o.get("passed").getAsBoolean());
        assertEquals(7, o.get("seed").getAsLong());
        assertEquals(8, o.get("ops").getAsInt());
        assertEquals(8, o.get("checked").getAsInt());
        assertEquals(1, o.get("failed").getAsInt());
        assertEquals(0, o.get("notChecked").getAsInt());
        assertEquals(3, o.get("firstWrongOp").getAsInt());
        JsonArray nodes = o.getAsJsonArray("nodes");
        JsonObject n = nodes.get(2).getAsJsonObject();
        assertEquals(3, n.get("index").getAsInt());
        assertEquals("normalize", n.get("op").getAsString());
        assertEquals("Normalize", n.get("class").getAsString());
        assertEquals("1 (RowNorm)", n.get("module").getAsString());
        assertEquals("1", n.get("modulePath").getAsString());
        assertEquals("(4x6)", n.getAsJsonArray("inputShapes").get(0).getAsString());
        assertEquals(0, n.getAsJsonArray("checkedInputs").get(0).getAsInt());
        assertEquals("failed", n.get("status").getAsString());
        assertTrue(n.get("reason").isJsonNull());
        assertEquals("missing_term", n.getAsJsonObject("diagnosis").get("kind").getAsString());
        assertEquals("mean", n.getAsJsonObject("diagnosis").get("missingTerm").getAsString());
        assertEquals("normgrad-gradcheck", n.getAsJsonObject("check").get("schema").getAsString());
        assertEquals("passed", nodes.get(0).getAsJsonObject().get("status").getAsString());
        assertTrue(nodes.get(0).getAsJsonObject().get("diagnosis").isJsonNull());
    }

    @Test
    void fastModeLocatesTooWithoutDiagnosis() {
        GraphCheckReport r = new GradCheck().opByOp(fourLayers(Drop.VARIANCE), 4, Tensor.randn(4, 5, rng));
        assertEquals("fast", r.mode());
        assertEquals(3, r.firstWrongOp().orElseThrow().index());
        assertNull(r.firstWrongOp().orElseThrow().diagnosis());
    }

    @Test
    void anOutputWithoutAGraphIsAClearError() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> GradCheck.locate(in -> Tensor.ones(2, 2), Tensor.randn(2, 2, rng)));
        assertTrue(e.getMessage().startsWith("GradCheck.locate: the output (2x2) has no graph"), e.getMessage());
    }
}

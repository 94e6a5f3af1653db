package dev.normgrad.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.normgrad.autograd.Function;
import dev.normgrad.autograd.NoGrad;
import dev.normgrad.autograd.Tensor;
import dev.normgrad.gradcheck.Diagnosis;
import dev.normgrad.gradcheck.GradCheck;
import dev.normgrad.gradcheck.GradCheckReport;
import dev.normgrad.gradcheck.GraphCheckReport;
import dev.normgrad.gradcheck.GraphCheckReport.Node;
import dev.normgrad.init.Init;
import dev.normgrad.norm.BatchNorm1d;
import dev.normgrad.norm.LayerNorm;
import dev.normgrad.norm.WeightNorm;
import java.util.List;
import java.util.Random;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link GradCheck#locate} on models made of layers: the wrong op is named by the path of the
 * module that created it, and correct models — normalization, dropout, weight normalization
 * included — flag nothing. And a module that keeps state in a plain field is named when it makes
 * a check not repeatable.
 */
class LocateInModelsTest {
    private final Random rng = new Random(3);

    @BeforeEach
    void seed() {
        Init.manualSeed(1);
    }

    /** LayerNorm over each row without affine, whose backward treats σ as a constant (the variance term dropped). */
    static final class LayerNormForgettingSigma extends Function {
        private DMatrixRMaj xhat;
        private double[] invStd;

        @Override
        protected DMatrixRMaj forward(DMatrixRMaj... in) {
            DMatrixRMaj x = in[0];
            int f = x.numCols;
            xhat = new DMatrixRMaj(x.numRows, f);
            invStd = new double[x.numRows];
            for (int i = 0; i < x.numRows; i++) {
                double mean = 0;
                double var = 0;
                for (int j = 0; j < f; j++) {
                    mean += x.get(i, j) / f;
                }
                for (int j = 0; j < f; j++) {
                    var += (x.get(i, j) - mean) * (x.get(i, j) - mean) / f;
                }
                invStd[i] = 1 / Math.sqrt(var + 1e-5);
                for (int j = 0; j < f; j++) {
                    xhat.set(i, j, (x.get(i, j) - mean) * invStd[i]);
                }
            }
            return xhat.copy();
        }

        @Override
        protected void backward(DMatrixRMaj dy, DMatrixRMaj[] dx) {
            int f = dy.numCols;
            for (int i = 0; i < dy.numRows; i++) {
                double meanG = 0;
                for (int j = 0; j < f; j++) {
                    meanG += dy.get(i, j) / f;
                }
                for (int j = 0; j < f; j++) {
                    dx[0].add(i, j, invStd[i] * (dy.get(i, j) - meanG));
                }
            }
        }
    }

    /** A student's LayerNorm layer built on that op. */
    public static final class StudentLayerNorm extends Module {
        @Override
        public Tensor forward(Tensor input) {
            return new LayerNormForgettingSigma().apply(input);
        }
    }

    /** A network whose layers sit in a child called "layers". */
    static final class Net extends Module {
        Net(Module... layers) {
            registerModule("layers", new Sequential(layers));
        }

        @Override
        public Tensor forward(Tensor input) {
            return children().get("layers").apply(input);
        }
    }

    @Test
    void aWrongOpInTheMiddleOfAFourLayerModelIsNamedByItsModulesPath() {
        Net model = new Net(new Linear(5, 8), new Tanh(), new Linear(8, 8), new StudentLayerNorm());
        GraphCheckReport r = GradCheck.locate(model, Tensor.randn(4, 5, rng));
        Node wrong = r.firstWrongOp().orElseThrow(() -> new AssertionError(r.toString()));
        assertEquals("layers.3 (StudentLayerNorm)", wrong.module());
        assertEquals("layers.3", wrong.modulePath());
        assertEquals("LayerNormForgettingSigma", wrong.opClass());
        assertEquals(List.of("(4x8)"), wrong.inputShapes());
        assertEquals(Diagnosis.Kind.MISSING_TERM, wrong.diagnosis().kind());
        assertEquals(Diagnosis.Term.VARIANCE, wrong.diagnosis().missingTerm());
        assertEquals(1, r.failed(), r::toString);
        assertEquals("layers.0 (Linear)", r.nodes().get(0).module());
        assertEquals(List.of("input 0", "input 1 (layers.0.weight)", "input 2 (layers.0.bias)"),
                r.nodes().get(0).check().tensors().stream().map(GradCheckReport.TensorResult::name).toList());
    }

    @Test
    void theWrongLayerInTheMiddleOfASequentialIsNamed() {
        Sequential model = new Sequential(new Linear(5, 8), new StudentLayerNorm(), new ReLU(), new Linear(8, 3));
        GraphCheckReport r = GradCheck.locate(model, Tensor.randn(4, 5, rng));
        Node wrong = r.firstWrongOp().orElseThrow(() -> new AssertionError(r.toString()));
        assertEquals(2, wrong.index());
        assertEquals("1 (StudentLayerNorm)", wrong.module());
        assertEquals(1, r.failed(), r::toString);
    }

    @Test
    void theSameModelsWithCorrectLayersFlagNothing() {
        List<Module> models = List.of(
                new Sequential(new Linear(5, 8), new LayerNorm(8), new ReLU(), new Linear(8, 3)),
                new Sequential(new Linear(5, 8), new LayerNorm(8).setFused(false), new Tanh(), new Linear(8, 3)),
                new Sequential(new Linear(5, 8), new BatchNorm1d(8), new Dropout(0.3, 4), new GELU(), new Linear(8, 3)),
                new Sequential(new WeightNorm(new Linear(5, 8)), new Sigmoid(), new Linear(8, 3)));
        for (Module model : models) {
            GraphCheckReport r = GradCheck.locate(model, Tensor.randn(6, 5, rng));
            assertTrue(r.passed(), r::toString);
            assertEquals(0, r.notChecked(), r::toString);
            assertEquals(r.nodes().size(), r.checked());
        }
    }

    @Test
    void locatePutsBackTheRunningStatistics() {
        BatchNorm1d bn = new BatchNorm1d(8);
        Sequential model = new Sequential(new Linear(5, 8), bn);
        GradCheck.locate(model, Tensor.randn(6, 5, rng));
        assertEquals(0, bn.numBatchesTracked());
        assertEquals(0.0, bn.runningMean().get(0, 0), 0.0);
    }

    /** Adds a running mean kept in a plain field, not a registered buffer: saveState() cannot put it back. */
    public static final class DriftingCentre extends Module {
        private final DMatrixRMaj running = new DMatrixRMaj(1, 4);

        @Override
        public Tensor forward(Tensor input) {
            Tensor y = input.sub(Tensor.wrap(running.copy()));
            try (NoGrad off = NoGrad.enter()) {
                for (int j = 0; j < running.numCols; j++) {
                    running.data[j] = 0.9 * running.data[j] + 0.1 * input.data().get(0, j);
                }
            }
            return y;
        }
    }

    @Test
    void aModuleKeepingStateInAPlainFieldIsNamedWhenTheCheckIsNotRepeatable() {
        Sequential model = new Sequential(new Linear(3, 4), new DriftingCentre(), new Tanh());
        GradCheckReport r = GradCheck.check(model, Tensor.randn(5, 3, rng));
        assertFalse(r.repeatable(), r::toString);
        assertEquals("sub", r.notRepeatable().op());
        assertEquals("1 (DriftingCentre)", r.notRepeatable().module());
        assertTrue(r.notRepeatable().detail().endsWith("Register such state as a buffer (registerBuffer), or put it back in "
                + "saveExtraState(), then check again."), r.notRepeatable().detail());
    }
}

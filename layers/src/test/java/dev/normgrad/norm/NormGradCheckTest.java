package dev.normgrad.norm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.normgrad.autograd.Tensor;
import dev.normgrad.nn.Linear;
import dev.normgrad.gradcheck.Checkable;
import dev.normgrad.gradcheck.GradCheck;
import dev.normgrad.gradcheck.GradCheckReport;
import dev.normgrad.nn.Module;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every layer gradient-checked (full check: every entry of the input and of every parameter),
 * composed and fused, in training and evaluation mode, with its running statistics and
 * numBatchesTracked restored around each perturbed forward; and what happens without that.
 */
class NormGradCheckTest {

    @TestFactory
    List<DynamicTest> everyLayerPassesAFullGradientCheckComposedAndFusedInTrainAndEval() {
        List<DynamicTest> tests = new ArrayList<>();
        for (Specs.Spec spec : Specs.ALL) {
            for (boolean fused : new boolean[] {true, false}) {
                for (boolean training : new boolean[] {true, false}) {
                    String name = spec.name() + (fused ? " fused" : " composed") + (training ? " train" : " eval");
                    tests.add(DynamicTest.dynamicTest(name, () -> check(spec, fused, training)));
                }
            }
        }
        return tests;
    }

    private static void check(Specs.Spec spec, boolean fused, boolean training) {
        NormalizationLayer layer = spec.build(fused, 5);
        if (training && layer instanceof BatchRenorm1d) {
            checkRenormTraining(spec, (BatchRenorm1d) layer);
            return;
        }
        spec.warmUp(layer, 5);
        layer.train(training);
        Map<String, DMatrixRMaj> before = snapshot(layer);
        GradCheckReport report = GradCheck.check(layer, spec.input(9));
        report.assertPassed();
        assertEquals(1 + layer.namedParameters().size(), report.tensors().size(), "input and every parameter checked");
        Map<String, DMatrixRMaj> after = snapshot(layer);
        before.forEach((name, b) -> assertArrayEquals(b.data, after.get(name).data, 0.0, name + " restored exactly"));
    }

    /**
     * Batch renormalization's training backward treats r and d as constants (Ioffe 2017), so it is
     * the gradient of the forward with r and d frozen at this batch's values, not of the forward
     * itself: the frozen function is gradient-checked, and the layer's gradients must equal its.
     */
    private static void checkRenormTraining(Specs.Spec spec, BatchRenorm1d layer) {
        spec.warmUp(layer, 5);
        layer.train();
        Tensor x = spec.input(9);
        int c = layer.numFeatures(), l = spec.cols() / c, n = spec.rows();
        double[][] rd = renormCorrection(layer, x);
        double[] r = rd[0];
        double[] d = rd[1];
        StatisticsSet set = StatisticsSet.batchNorm(n, c, l);
        GradCheck.Fn frozen = in -> Normalization.normalize(in[0], set, layer.eps(), in[1].mul(Tensor.row(r)),
                in[2].add(in[1].mul(Tensor.row(d))), l, layer.isFused()).output();
        GradCheck.check(frozen, x, layer.weight(), layer.bias()).assertPassed();

        Tensor seed = Tensor.randn(n, spec.cols(), new Random(2));
        Checkable.State state = layer.saveState();
        Tensor xl = x.copy().requiresGrad(true);
        layer.zeroGrad();
        layer.apply(xl).backward(seed);
        state.restore();
        Tensor xf = x.copy().requiresGrad(true);
        Tensor gamma = layer.weight().copy().requiresGrad(true);
        Tensor beta = layer.bias().copy().requiresGrad(true);
        Tensor yf = frozen.apply(xf, gamma, beta);
        yf.backward(seed);
        Close.assertClose("dL/dx", xf.grad(), xl.grad(), 1e-12);
        Close.assertClose("dL/dweight", gamma.grad(), layer.weight().grad(), 1e-12);
        Close.assertClose("dL/dbias", beta.grad(), layer.bias().grad(), 1e-12);
    }

    /** r and d per channel, as the layer computes them for x from its current running statistics. */
    private static double[][] renormCorrection(BatchRenorm1d layer, Tensor x) {
        int c = layer.numFeatures(), l = x.cols() / c, n = x.rows();
        double[] r = new double[c];
        double[] d = new double[c];
        for (int ch = 0; ch < c; ch++) {
            double sum = 0, sq = 0;
            for (int i = 0; i < n; i++) {
                for (int t = 0; t < l; t++) {
                    sum += x.get(i, ch * l + t);
                }
            }
            double mu = sum / (n * l);
            for (int i = 0; i < n; i++) {
                for (int t = 0; t < l; t++) {
                    sq += Math.pow(x.get(i, ch * l + t) - mu, 2);
                }
            }
            double sigma = Math.sqrt(layer.runningVar().get(0, ch) + layer.eps());
            r[ch] = Math.max(1 / layer.rmax(), Math.min(layer.rmax(), Math.sqrt(sq / (n * l) + layer.eps()) / sigma));
            d[ch] = Math.max(-layer.dmax(), Math.min(layer.dmax(), (mu - layer.runningMean().get(0, ch)) / sigma));
        }
        return new double[][] {r, d};
    }

    /** An input whose batch statistics put r and d of a fresh BatchRenorm1d(3, 1.5, 0.5) at their upper bounds. */
    private static Tensor clippingInput(Specs.Spec spec) {
        return spec.input(9).mul(3).add(4).detach();
    }

    @Test
    void batchRenormWithRAndDAtTheirClipBoundsPassesTheFullCheckOfItsOwnForward() {
        // clipped, r and d do not move with x, so treating them as constants is the true gradient
        Specs.Spec spec = Specs.ALL.get(4);
        for (boolean fused : new boolean[] {true, false}) {
            BatchRenorm1d layer = (BatchRenorm1d) spec.build(fused, 5);
            Tensor x = clippingInput(spec);
            double[][] rd = renormCorrection(layer, x);
            assertArrayEquals(new double[] {1.5, 1.5, 1.5}, rd[0], 0.0, "r at rmax in every channel");
            assertArrayEquals(new double[] {0.5, 0.5, 0.5}, rd[1], 0.0, "d at dmax in every channel");
            GradCheck.check(layer, x).assertPassed();
        }
    }

    @Test
    void weightNormPassesAFullGradientCheckOfInputGVAndBias() {
        Linear linear = new Linear(5, 3);
        Random r = new Random(1);
        linear.weight().data().setTo(Tensor.randn(3, 5, r).data());
        linear.bias().data().setTo(Tensor.randn(1, 3, r).data());
        for (int dim : new int[] {0, 1, -1}) {
            WeightNorm wn = new WeightNorm(linear, "weight", dim);
            wn.weightG().data().setTo(wn.weightG().add(0.3).data());
            GradCheckReport report = GradCheck.check(wn, Tensor.randn(4, 5, r));
            report.assertPassed();
            assertEquals(List.of("input 0", "bias", "weightG", "weightV"),
                    report.tensors().stream().map(GradCheckReport.TensorResult::name).toList(), "dim " + dim);
        }
    }

    @Test
    void aGradientCheckLeavesTheRunningStatisticsAsTheyWere() {
        BatchNorm1d bn = new BatchNorm1d(4);
        Specs.Spec spec = Specs.ALL.get(0);
        spec.warmUp(bn, 1);
        double[] mean = bn.runningMean().data().data.clone();
        double[] var = bn.runningVar().data().data.clone();
        long batches = bn.numBatchesTracked();
        GradCheck.check(bn, spec.input(2)).assertPassed();
        assertArrayEquals(mean, bn.runningMean().data().data, 0.0);
        assertArrayEquals(var, bn.runningVar().data().data, 0.0);
        assertEquals(batches, bn.numBatchesTracked());
    }

    @Test
    void aCheckThatDoesNotRestoreStateDriftsTheRunningStatistics() {
        BatchNorm1d bn = new BatchNorm1d(4);
        Specs.Spec spec = Specs.ALL.get(0);
        double[] mean = bn.runningMean().data().data.clone();
        GradCheckReport report = GradCheck.check(forgetful(bn), spec.input(2));
        assertNotEquals(mean[0], bn.runningMean().data().data[0], "the running mean moved");
        // one analytic forward, the centre before and after the sweep, and two per checked entry
        // (24 input entries, 4 + 4 parameters)
        assertEquals(1 + 2 + 2 * (24 + 8), bn.numBatchesTracked());
        // BatchNorm's training output does not read the running statistics, so this check passes
        // while silently corrupting the layer; batch renormalization's does read them:
        assertTrue(report.passed(), report::toString);
    }

    @Test
    void aCheckThatDoesNotRestoreStateFailsForBatchRenorm() {
        // r and d clipped at first (see above); as the running statistics drift, they leave the bounds and each
        // perturbed forward sees different ones
        Specs.Spec spec = Specs.ALL.get(4);
        BatchRenorm1d restored = (BatchRenorm1d) spec.build(true, 3);
        BatchRenorm1d forgotten = (BatchRenorm1d) spec.build(true, 3);
        Tensor x = clippingInput(spec);
        GradCheck.check(restored, x).assertPassed();
        GradCheckReport report = GradCheck.check(forgetful(forgotten), x);
        assertFalse(report.passed(), "without restoring state, the numeric gradients are wrong:\n" + report);
    }

    /** The layer as a Checkable that forgets to save and restore its state. */
    private static Checkable forgetful(Module layer) {
        return new Checkable() {
            @Override
            public Tensor apply(Tensor... inputs) {
                return layer.apply(inputs);
            }

            @Override
            public Map<String, ? extends Tensor> namedParameters() {
                return layer.namedParameters();
            }
        };
    }

    private static Map<String, DMatrixRMaj> snapshot(Module m) {
        Map<String, DMatrixRMaj> out = new LinkedHashMap<>();
        m.namedBuffers().forEach((k, v) -> out.put(k, v.data().copy()));
        m.namedParameters().forEach((k, v) -> out.put(k, v.data().copy()));
        return out;
    }
}

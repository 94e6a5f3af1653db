package dev.normgrad.norm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.normgrad.autograd.Tensor;
import dev.normgrad.nn.Module;
import dev.normgrad.nn.Parameter;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** PyTorch's conventions, one test each, in both forms of the kernel. */
class ConventionsTest {
    private static final boolean[] BOTH = {true, false};

    /** A 2×1 batch per channel with values 0 and 2: mean 1, biased variance 1, unbiased variance 2. */
    private static final Tensor ZERO_TWO = Tensor.of(new double[][] {{0, 0}, {2, 2}});

    @Test
    void epsIsInsideTheSquareRoot() {
        double eps = 0.5;
        for (boolean fused : BOTH) {
            BatchNorm1d bn = new BatchNorm1d(2, eps, 0.1, false, true);
            bn.setFused(fused);
            // (0 − 1)/sqrt(1 + 0.5), not (0 − 1)/(sqrt(1) + 0.5)
            assertEquals(-1 / Math.sqrt(1.5), bn.apply(ZERO_TWO).get(0, 0), 1e-15);
            LayerNorm ln = new LayerNorm(new int[] {2}, eps, false);
            ln.setFused(fused);
            assertEquals(-1 / Math.sqrt(1.5), ln.apply(Tensor.row(0, 2)).get(0, 0), 1e-15);
            RMSNorm rms = new RMSNorm(new int[] {2}, eps, false);
            rms.setFused(fused);
            // 3 / sqrt(mean(3², 3²) + 0.5)
            assertEquals(3 / Math.sqrt(9.5), rms.apply(Tensor.row(3, 3)).get(0, 0), 1e-15);
        }
    }

    @Test
    void theBiasedVarianceNormalizes() {
        for (boolean fused : BOTH) {
            BatchNorm1d bn = new BatchNorm1d(2, 0.0, 0.1, false, true);
            bn.setFused(fused);
            // biased variance 1: x̂ = ±1; the unbiased 2 would give ±0.707
            assertArrayEquals(new double[] {-1, -1, 1, 1}, bn.apply(ZERO_TWO).data().data, 1e-15);
        }
    }

    @Test
    void theUnbiasedVarianceEntersRunningVar() {
        for (boolean fused : BOTH) {
            BatchNorm1d bn = new BatchNorm1d(2, 1e-5, 1.0, true, true);
            bn.setFused(fused);
            bn.apply(ZERO_TWO);
            // momentum 1: running = batch; unbiased variance of {0, 2} is 2 (n/(n−1) = 2 times the biased 1)
            assertArrayEquals(new double[] {2, 2}, bn.runningVar().data().data, 1e-15);
            assertArrayEquals(new double[] {1, 1}, bn.runningMean().data().data, 1e-15);
        }
    }

    @Test
    void runningIsOneMinusMomentumTimesRunningPlusMomentumTimesBatch() {
        for (boolean fused : BOTH) {
            BatchNorm1d bn = new BatchNorm1d(2);
            bn.setFused(fused);
            bn.apply(ZERO_TWO);                                 // batch mean 1, unbiased var 2
            assertArrayEquals(new double[] {0.1, 0.1}, bn.runningMean().data().data, 1e-15);      // 0.9·0 + 0.1·1
            assertArrayEquals(new double[] {1.1, 1.1}, bn.runningVar().data().data, 1e-15);       // 0.9·1 + 0.1·2
            bn.apply(ZERO_TWO.add(4));                          // batch mean 5, unbiased var 2
            assertArrayEquals(new double[] {0.59, 0.59}, bn.runningMean().data().data, 1e-15);    // 0.9·0.1 + 0.1·5
            assertArrayEquals(new double[] {1.19, 1.19}, bn.runningVar().data().data, 1e-15);     // 0.9·1.1 + 0.1·2
            assertEquals(2, bn.numBatchesTracked());
        }
    }

    @Test
    void kerasMomentum099IsPyTorchMomentum001() {
        // Keras: running = 0.99·running + 0.01·batch; the same update here is momentum 0.01
        BatchNorm1d bn = new BatchNorm1d(2, 1e-5, 0.01, true, true);
        bn.apply(ZERO_TWO);
        assertArrayEquals(new double[] {0.01, 0.01}, bn.runningMean().data().data, 1e-15);
    }

    @Test
    void momentumNullIsTheCumulativeAverageOfTheBatchStatistics() {
        BatchNorm1d bn = new BatchNorm1d(2, 1e-5, null, true, true);
        bn.apply(ZERO_TWO);             // mean 1
        bn.apply(ZERO_TWO.add(4));      // mean 5
        bn.apply(ZERO_TWO.add(-2));     // mean −1
        assertArrayEquals(new double[] {5.0 / 3, 5.0 / 3}, bn.runningMean().data().data, 1e-15);
        assertArrayEquals(new double[] {2, 2}, bn.runningVar().data().data, 1e-15);
    }

    @Test
    void evalUsesTheRunningStatistics() {
        for (boolean fused : BOTH) {
            BatchNorm1d bn = new BatchNorm1d(2);
            bn.setFused(fused);
            bn.runningMean().data().setTo(Tensor.row(1, -2).data());
            bn.runningVar().data().setTo(Tensor.row(4, 9).data());
            bn.weight().data().setTo(Tensor.row(2, 3).data());
            bn.bias().data().setTo(Tensor.row(0.5, -0.5).data());
            bn.eval();
            Tensor y = bn.apply(Tensor.row(3, 1));
            assertEquals(2 * (3 - 1) / Math.sqrt(4 + 1e-5) + 0.5, y.get(0, 0), 1e-14);
            assertEquals(3 * (1 + 2) / Math.sqrt(9 + 1e-5) - 0.5, y.get(0, 1), 1e-14);
        }
    }

    @Test
    void evalHasNoSideEffect() {
        Random r = new Random(4);
        for (boolean fused : BOTH) {
            for (RunningStatsNormalization layer : List.<RunningStatsNormalization>of(new BatchNorm1d(3), new BatchRenorm1d(3),
                    new InstanceNorm1d(3, 1e-5, 0.1, true, true))) {
                layer.setFused(fused);
                for (int k = 0; k < 2; k++) {
                    layer.apply(Tensor.randn(4, 6, r));
                }
                Map<String, double[]> before = buffers(layer);
                layer.eval();
                Tensor x = Tensor.randn(4, 6, r).requiresGrad(true);
                Tensor y = layer.apply(x);
                y.backward(Tensor.randn(4, 6, r));
                Tensor again = layer.apply(x.detach());
                Close.assertClose(layer + ": eval is a function of its input", y, again, 0.0);
                Map<String, double[]> after = buffers(layer);
                before.forEach((k, v) -> assertArrayEquals(v, after.get(k), 0.0, layer + " " + k));
            }
        }
    }

    @Test
    void withoutTrackRunningStatsThereAreNoBuffersAndEvalUsesTheBatch() {
        Random r = new Random(5);
        BatchNorm1d bn = new BatchNorm1d(3, 1e-5, 0.1, true, false);
        assertTrue(bn.namedBuffers().isEmpty());
        assertNull(bn.runningMean());
        assertNull(bn.runningVar());
        Tensor x = Tensor.randn(5, 3, r);
        Tensor train = bn.apply(x);
        bn.eval();
        Close.assertClose("eval without running statistics normalizes with the batch", train, bn.apply(x), 0.0);
        assertEquals(0, bn.numBatchesTracked());
    }

    @Test
    void withoutAffineThereAreNoParameters() {
        for (Module m : List.<Module>of(new BatchNorm1d(3, 1e-5, 0.1, false, true), new InstanceNorm1d(3),
                new GroupNorm(1, 3, 1e-5, false), new LayerNorm(new int[] {3}, 1e-5, false),
                new RMSNorm(new int[] {3}, 1e-5, false), new BatchRenorm1d(3, 1e-5, 0.1, false, 3, 5))) {
            assertTrue(m.namedParameters().isEmpty(), m.toString());
        }
        BatchNorm1d plain = new BatchNorm1d(3, 1e-5, 0.1, false, true);
        assertNull(plain.weight());
        Tensor x = Tensor.randn(4, 3, new Random(1));
        BatchNorm1d affine = new BatchNorm1d(3);
        Close.assertClose("affine=false is γ = 1, β = 0", affine.apply(x), plain.apply(x), 0.0);
    }

    @Test
    void gammaIsOneAndBetaZeroAtInitAndAfterResetParameters() {
        for (Module m : List.<Module>of(new BatchNorm1d(4), new InstanceNorm1d(4, 1e-5, 0.1, true, true), new GroupNorm(2, 4),
                new LayerNorm(4), new RMSNorm(4), new BatchRenorm1d(4))) {
            for (int round = 0; round < 2; round++) {
                Map<String, Parameter> p = m.namedParameters();
                assertArrayEquals(new double[] {1, 1, 1, 1}, p.get("weight").data().data, 0.0, m + " weight");
                if (p.containsKey("bias")) {
                    assertArrayEquals(new double[] {0, 0, 0, 0}, p.get("bias").data().data, 0.0, m + " bias");
                }
                for (Parameter q : m.parameters()) {
                    q.data().fill(7);
                }
                m.resetParameters();
            }
        }
    }

    @Test
    void resetRunningStatsGivesZeroMeanUnitVarianceNoBatches() {
        BatchNorm1d bn = new BatchNorm1d(2);
        bn.weight().data().fill(3);
        bn.apply(ZERO_TWO.add(5));
        bn.resetRunningStats();
        assertArrayEquals(new double[] {0, 0}, bn.runningMean().data().data, 0.0);
        assertArrayEquals(new double[] {1, 1}, bn.runningVar().data().data, 0.0);
        assertEquals(0, bn.numBatchesTracked());
        assertArrayEquals(new double[] {3, 3}, bn.weight().data().data, 0.0, "parameters untouched");
    }

    @Test
    void groupNormWithOneGroupEqualsLayerNormOverChannelsAndPositions() {
        Random r = new Random(6);
        int c = 3, l = 4;
        for (boolean fused : BOTH) {
            GroupNorm gn = new GroupNorm(1, c);
            LayerNorm ln = new LayerNorm(c, l);
            gn.setFused(fused);
            ln.setFused(fused);
            gn.weight().data().setTo(Tensor.row(0.5, 2, -1).data());
            gn.bias().data().setTo(Tensor.row(1, 0, 3).data());
            // LayerNorm's per-feature γ, β holding GroupNorm's per-channel values over each channel's L positions
            for (int j = 0; j < c * l; j++) {
                ln.weight().data().data[j] = gn.weight().data().data[j / l];
                ln.bias().data().data[j] = gn.bias().data().data[j / l];
            }
            assertSameFunction(gn, ln, Tensor.randn(5, c * l, r), r);
        }
    }

    @Test
    void groupNormWithOneChannelPerGroupEqualsInstanceNorm() {
        Random r = new Random(7);
        for (boolean fused : BOTH) {
            GroupNorm gn = new GroupNorm(4, 4);
            InstanceNorm1d in = new InstanceNorm1d(4, 1e-5, 0.1, true, false);
            gn.setFused(fused);
            in.setFused(fused);
            gn.weight().data().setTo(Tensor.row(0.5, 2, -1, 1.5).data());
            gn.bias().data().setTo(Tensor.row(1, 0, 3, -2).data());
            in.weight().data().setTo(gn.weight().data());
            in.bias().data().setTo(gn.bias().data());
            assertSameFunction(gn, in, Tensor.randn(3, 4 * 5, r), r);
        }
    }

    @Test
    void rmsNormDoesNotCentre() {
        for (boolean fused : BOTH) {
            RMSNorm rms = new RMSNorm(4);
            LayerNorm ln = new LayerNorm(4);
            rms.setFused(fused);
            ln.setFused(fused);
            Tensor constant = Tensor.row(3, 3, 3, 3);
            // a constant row is scaled to 1 (3 / sqrt(9 + eps)), not sent to 0 as LayerNorm does
            assertArrayEquals(new double[] {1, 1, 1, 1}, rms.apply(constant).data().data, 1e-15);
            assertArrayEquals(new double[] {0, 0, 0, 0}, ln.apply(constant).data().data, 0.0);
            // shifting the row changes RMSNorm's output; LayerNorm's does not
            Tensor x = Tensor.row(1, -2, 0.5, 3);
            assertNotEquals(rms.apply(x).get(0, 0), rms.apply(x.add(10)).get(0, 0), 1e-3);
            assertEquals(ln.apply(x).get(0, 0), ln.apply(x.add(10)).get(0, 0), 1e-9);
        }
    }

    @Test
    void aConstantRowOrChannelGivesFiniteOutputsAndGradients() {
        Random r = new Random(8);
        for (boolean fused : BOTH) {
            Tensor constantRow = Tensor.of(new double[][] {{2, 2, 2, 2}, {1, -1, 3, 0.5}});
            Tensor constantChannel = Tensor.of(new double[][] {{5, 1}, {5, -1}, {5, 2}});
            for (NormalizationLayer layer : List.<NormalizationLayer>of(new LayerNorm(4), new RMSNorm(4), new GroupNorm(1, 4))) {
                layer.setFused(fused);
                assertFinite(layer, constantRow, r);
            }
            for (NormalizationLayer layer : List.<NormalizationLayer>of(new BatchNorm1d(2), new BatchRenorm1d(2), new InstanceNorm1d(1))) {
                layer.setFused(fused);
                assertFinite(layer, layer instanceof InstanceNorm1d ? constantRow : constantChannel, r);
            }
            LayerNorm ln = new LayerNorm(4);
            ln.setFused(fused);
            assertArrayEquals(new double[] {0, 0, 0, 0}, java.util.Arrays.copyOf(ln.apply(constantRow).data().data, 4), 0.0,
                    "a constant row normalizes to 0 (then β)");
        }
    }

    private static void assertFinite(NormalizationLayer layer, Tensor x, Random r) {
        layer.zeroGrad();
        Tensor in = x.copy().requiresGrad(true);
        Tensor y = layer.apply(in);
        y.backward(Tensor.randn(y.rows(), y.cols(), r));
        List<Tensor> all = new java.util.ArrayList<>(List.of(y, in.grad()));
        layer.parameters().forEach(p -> all.add(p.grad()));
        for (Tensor t : all) {
            for (int i = 0; i < t.data().getNumElements(); i++) {
                assertTrue(Double.isFinite(t.data().data[i]), layer + ": non-finite value " + t);
            }
        }
    }

    /** Same outputs and input/parameter gradients (parameters compared by name) at 1e-12. */
    private static void assertSameFunction(NormalizationLayer a, NormalizationLayer b, Tensor x, Random r) {
        Tensor dy = Tensor.randn(x.rows(), x.cols(), r);
        Tensor xa = x.copy().requiresGrad(true);
        Tensor xb = x.copy().requiresGrad(true);
        Tensor ya = a.apply(xa);
        Tensor yb = b.apply(xb);
        ya.backward(dy);
        yb.backward(dy);
        Close.assertClose(a + " vs " + b + " output", ya, yb, 1e-12);
        Close.assertClose(a + " vs " + b + " dL/dx", xa.grad(), xb.grad(), 1e-12);
    }

    private static Map<String, double[]> buffers(Module m) {
        Map<String, double[]> out = new java.util.LinkedHashMap<>();
        m.namedBuffers().forEach((k, v) -> out.put(k, java.util.Arrays.copyOf(v.data().data, v.data().getNumElements())));
        return out;
    }
}

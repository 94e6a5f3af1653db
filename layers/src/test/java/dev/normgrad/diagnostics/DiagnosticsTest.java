package dev.normgrad.diagnostics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.normgrad.autograd.NoGrad;
import dev.normgrad.autograd.Tensor;
import dev.normgrad.nn.Module;
import dev.normgrad.nn.Parameter;
import dev.normgrad.nn.Sequential;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every recorded number checked against a computation by hand on a 2×2 model. */
class DiagnosticsTest {
    private static final double EPS = 1e-12;

    /** y = x·Wᵀ + b. */
    static final class Affine extends Module {
        final Parameter weight;
        final Parameter bias;

        Affine(double[][] w, double... b) {
            weight = registerParameter("weight", new Parameter(Tensor.of(w).data()));
            bias = registerParameter("bias", new Parameter(Tensor.row(b).data()));
        }

        @Override
        public Tensor forward(Tensor x) {
            return x.matmulTransposeB(weight).add(bias);
        }
    }

    static final class TanhLayer extends Module {
        @Override
        public Tensor forward(Tensor x) {
            return x.tanh();
        }
    }

    static final class SigmoidLayer extends Module {
        @Override
        public Tensor forward(Tensor x) {
            return x.sigmoid();
        }
    }

    static final class ReluLayer extends Module {
        @Override
        public Tensor forward(Tensor x) {
            return x.relu();
        }
    }

    /** factor · inner(x) with a parameter of its own: a wrapper is watched though it has a child. */
    static final class Gain extends Module {
        final Module inner;
        final Parameter gain;

        Gain(Module inner) {
            this.inner = registerModule("inner", inner);
            gain = registerParameter("gain", new Parameter(Tensor.scalar(2.0).data()));
        }

        @Override
        public Tensor forward(Tensor x) {
            return inner.apply(x).mul(gain);
        }
    }

    // z = x·Wᵀ + b = [[-1.25, 3.5], [2.75, 4.5]], exact in binary
    private static final double[][] W = {{0.5, -1}, {2, 1}};
    private static final double[] B = {0.25, -0.5};
    private static final double[][] X = {{1, 2}, {3, -1}};
    private static final double[] Z = {-1.25, 3.5, 2.75, 4.5};
    private static final double[] C = {1, 2, 3, 4};   // L = Σ c ⊙ tanh(z)

    private static Sequential tinyModel() {
        return new Sequential(new Affine(W, B), new TanhLayer());
    }

    private static Tensor lossOf(Tensor y) {
        return y.mul(Tensor.of(2, 2, C)).sum();
    }

    @Test
    void activationMeanStdAndHistogramMatchAHandComputation() {
        Sequential model = tinyModel();
        Diagnostics d = Diagnostics.attach(model);
        d.step(0);
        model.apply(Tensor.of(X));
        LayerStats affine = d.records("0").get(0);
        assertEquals(0, affine.step());
        assertEquals("Affine", affine.type());
        assertEquals(1, affine.calls());
        assertEquals(4, affine.count());
        assertEquals(2.375, affine.mean(), EPS);                       // (−1.25 + 3.5 + 2.75 + 4.5) / 4
        assertEquals(Math.sqrt(19.0625 / 4), affine.std(), EPS);       // deviations −3.625, 1.125, 0.375, 2.125
        long[] histogram = new long[62];
        histogram[18] = 1;   // −1.25: floor(−12.5) = −13 → bin −13 + 31
        histogram[58] = 1;   // 2.75: floor(27.5) = 27 → bin 58
        histogram[61] = 2;   // 3.5 and 4.5: 3 or more
        assertArrayEquals(histogram, affine.histogram());
        assertTrue(Double.isNaN(affine.saturation()), "a linear layer has no saturation rule");
        assertEquals(0, affine.nonFinite());
    }

    @Test
    void tanhSaturationIsTheFractionBeyond097() {
        Sequential model = tinyModel();
        Diagnostics d = Diagnostics.attach(model).saturation(TanhLayer.class, SaturationRule.TANH);
        model.apply(Tensor.of(X));
        LayerStats tanh = d.records("1").get(0);
        // tanh(−1.25) = −0.848, tanh(3.5) = 0.998, tanh(2.75) = 0.992, tanh(4.5) = 0.9998: three beyond 0.97
        assertEquals(0.75, tanh.saturation(), EPS);
        double mean = 0;
        for (double z : Z) {
            mean += Math.tanh(z) / 4;
        }
        double var = 0;
        for (double z : Z) {
            var += (Math.tanh(z) - mean) * (Math.tanh(z) - mean) / 4;
        }
        assertEquals(mean, tanh.mean(), EPS);
        assertEquals(Math.sqrt(var), tanh.std(), EPS);
        long[] histogram = new long[62];
        histogram[31 - 9] = 1;   // −0.848: floor(−8.48) = −9
        histogram[31 + 9] = 3;   // 0.992, 0.998, 0.9998: floor(9.9..) = 9
        assertArrayEquals(histogram, tanh.histogram());
    }

    @Test
    void sigmoidSaturationIsTheFractionWithin003OfZeroOrOne() {
        Sequential model = new Sequential(new SigmoidLayer());
        Diagnostics d = Diagnostics.attach(model).saturation(SigmoidLayer.class, SaturationRule.SIGMOID);
        // σ(−4) = 0.018 (saturated), σ(−3) = 0.047, σ(0) = 0.5, σ(3) = 0.953, σ(3.6) = 0.9734 (saturated), σ(5) = 0.993 (saturated)
        model.apply(Tensor.of(2, 3, -4, -3, 0, 3, 3.6, 5));
        assertEquals(0.5, d.records("0").get(0).saturation(), EPS);
    }

    @Test
    void reluSaturationIsTheFractionOnTheFlatSide() {
        Sequential model = new Sequential(new ReluLayer());
        Diagnostics d = Diagnostics.attach(model).saturation(ReluLayer.class, SaturationRule.RELU);
        model.apply(Tensor.of(1, 5, -2, -0.5, 0, 1, 3));
        assertEquals(0.6, d.records("0").get(0).saturation(), EPS);
    }

    @Test
    void outputGradientNormsMatchTheChainRuleByHand() {
        Sequential model = tinyModel();
        Diagnostics d = Diagnostics.attach(model);
        lossOf(model.apply(Tensor.of(X).requiresGrad(true))).backward();
        // ∂L/∂tanh = c, so ‖c‖ = √30;  ∂L/∂z = c ⊙ (1 − tanh²z)
        assertEquals(Math.sqrt(30), d.records("1").get(0).gradNorm(), EPS);
        double squares = 0;
        for (int i = 0; i < 4; i++) {
            double g = C[i] * (1 - Math.tanh(Z[i]) * Math.tanh(Z[i]));
            squares += g * g;
        }
        assertEquals(Math.sqrt(squares), d.records("0").get(0).gradNorm(), EPS);
    }

    @Test
    void parameterGradientNormsAndUpdateRatiosMatchAnSgdStepByHand() {
        Sequential model = tinyModel();
        Affine affine = (Affine) model.get(0);
        Diagnostics d = Diagnostics.attach(model);
        d.step(7);
        lossOf(model.apply(Tensor.of(X))).backward();
        double lr = 0.1;
        d.optimizerStep(() -> {
            for (Parameter p : model.parameters()) {
                for (int i = 0; i < p.rows() * p.cols(); i++) {
                    p.data().data[i] -= lr * p.gradData().data[i];
                }
            }
        });
        // by hand: dZ = c ⊙ (1 − tanh²z);  dW = dZᵀ·X;  db = Σ_rows dZ
        double[][] dz = new double[2][2];
        for (int i = 0; i < 4; i++) {
            dz[i / 2][i % 2] = C[i] * (1 - Math.tanh(Z[i]) * Math.tanh(Z[i]));
        }
        double dw2 = 0;
        for (int o = 0; o < 2; o++) {
            for (int in = 0; in < 2; in++) {
                double g = dz[0][o] * X[0][in] + dz[1][o] * X[1][in];
                dw2 += g * g;
            }
        }
        double db2 = 0;
        for (int o = 0; o < 2; o++) {
            db2 += (dz[0][o] + dz[1][o]) * (dz[0][o] + dz[1][o]);
        }
        LayerStats stats = d.records("0").get(0);
        assertEquals(7, stats.step());
        ParameterStats weight = stats.parameter("weight");
        assertEquals(2.5, weight.norm(), EPS);                             // √(0.25 + 1 + 4 + 1)
        assertEquals(Math.sqrt(dw2), weight.gradNorm(), EPS);
        assertEquals(lr * Math.sqrt(dw2), weight.updateNorm(), EPS);       // ‖Δw‖ = lr·‖∂L/∂w‖ for plain SGD
        assertEquals(lr * Math.sqrt(dw2) / 2.5, weight.updateRatio(), EPS);
        ParameterStats bias = stats.parameter("bias");
        assertEquals(Math.sqrt(0.25 * 0.25 + 0.5 * 0.5), bias.norm(), EPS);
        assertEquals(Math.sqrt(db2), bias.gradNorm(), EPS);
        assertEquals(lr * Math.sqrt(db2) / bias.norm(), bias.updateRatio(), EPS);
        assertEquals(List.of(), d.records("1").get(0).parameters(), "tanh has no parameters");
        assertNotEquals(W[0][0], affine.weight.get(0, 0));
    }

    @Test
    void anUpdateRatioOfAZeroParameterIsNaN() {
        Affine affine = new Affine(new double[][] {{1}}, 0.0);
        Diagnostics d = Diagnostics.attach(affine);
        affine.apply(Tensor.scalar(2)).backward();
        d.optimizerStep(() -> affine.bias.data().data[0] = 0.5);
        ParameterStats bias = d.records("").get(0).parameter("bias");
        assertEquals(0.0, bias.norm());
        assertEquals(0.5, bias.updateNorm(), EPS);
        assertTrue(Double.isNaN(bias.updateRatio()));
    }

    @Test
    void aLayerCalledSeveralTimesInAStepPoolsItsCalls() {
        TanhLayer tanh = new TanhLayer();
        Diagnostics d = Diagnostics.attach(tanh);
        Tensor a = Tensor.of(1, 2, 0.1, 0.2).requiresGrad(true);
        Tensor b = Tensor.of(1, 3, 0.3, -0.4, 0.5).requiresGrad(true);
        Tensor ya = tanh.apply(a);
        Tensor yb = tanh.apply(b);
        ya.sum().add(yb.mul(2).sum()).backward();
        LayerStats s = d.records("").get(0);
        double[] all = {Math.tanh(0.1), Math.tanh(0.2), Math.tanh(0.3), Math.tanh(-0.4), Math.tanh(0.5)};
        double mean = 0;
        for (double v : all) {
            mean += v / 5;
        }
        double var = 0;
        for (double v : all) {
            var += (v - mean) * (v - mean) / 5;
        }
        assertEquals(2, s.calls());
        assertEquals(5, s.count());
        assertEquals(mean, s.mean(), EPS);
        assertEquals(Math.sqrt(var), s.std(), EPS);
        assertEquals(Math.sqrt(2 * 1.0 + 3 * 4.0), s.gradNorm(), EPS);   // ‖(1, 1)‖² + ‖(2, 2, 2)‖²
    }

    @Test
    void nonFiniteActivationsAreCountedAndLeftOutOfTheStatistics() {
        TanhLayer tanh = new TanhLayer();
        Diagnostics d = Diagnostics.attach(tanh);
        tanh.apply(Tensor.of(1, 3, Double.NaN, 0.5, -0.5));
        LayerStats s = d.records("").get(0);
        assertEquals(1, s.nonFinite());
        assertEquals(2, s.count());
        assertEquals(0.0, s.mean(), EPS);
        assertEquals(Math.tanh(0.5), s.std(), EPS);
    }

    @Test
    void eachStepGetsItsOwnRecords() {
        Sequential model = tinyModel();
        Diagnostics d = Diagnostics.attach(model);
        for (int step = 0; step < 3; step++) {
            d.step(step);
            model.apply(Tensor.of(X).mul(step + 1));
        }
        List<LayerStats> records = d.records();
        assertEquals(6, records.size());
        assertEquals(List.of(0, 0, 1, 1, 2, 2), records.stream().map(LayerStats::step).toList());
        assertEquals(List.of("0", "1", "0", "1", "0", "1"), records.stream().map(LayerStats::layer).toList());
        // mean of x·Wᵀ is 2.375 − mean(b) = 2.5; with x scaled by k, mean(z) = 2.5·k − 0.125
        assertEquals(2.5 * 2 - 0.125, d.records("0").get(1).mean(), EPS);
        assertEquals(2.5 * 3 - 0.125, d.records("0").get(2).mean(), EPS);
    }

    @Test
    void byDefaultEveryLeafAndEveryLayerOwningParametersIsWatched() {
        Sequential model = new Sequential(new Gain(new TanhLayer()), new Sequential(new Affine(W, B), new TanhLayer()));
        assertEquals(List.of("0", "0.inner", "1.0", "1.1"), Diagnostics.attach(model).watchedLayers());
    }

    @Test
    void onlyTheGivenTypesAreWatchedWhenAsked() {
        Sequential model = new Sequential(new Affine(W, B), new TanhLayer(), new Affine(W, B), new TanhLayer());
        Diagnostics d = Diagnostics.attach(model, TanhLayer.class);
        assertEquals(List.of("1", "3"), d.watchedLayers());
        model.apply(Tensor.of(X));
        assertEquals(List.of("1", "3"), d.records().stream().map(LayerStats::layer).toList());
    }

    @Test
    void detachRemovesTheHooksAndKeepsTheRecords() {
        Sequential model = tinyModel();
        Diagnostics d = Diagnostics.attach(model);
        Tensor x = Tensor.of(X).requiresGrad(true);
        assertTrue(model.apply(x).creator().name().startsWith("hook("), "attached: the backward hook taps the output");
        d.detach();
        Tensor y = model.apply(x);
        assertFalse(y.creator().name().startsWith("hook("));
        assertEquals(2, d.records().size());
        assertFalse(d.isAttached());
        assertThrows(IllegalStateException.class, () -> d.step(1));
    }

    @Test
    void afterStepWithoutBeforeStepIsAnErrorThatSaysWhatToDo() {
        Diagnostics d = Diagnostics.attach(tinyModel());
        IllegalStateException e = assertThrows(IllegalStateException.class, d::afterStep);
        assertEquals("Diagnostics.afterStep: call beforeStep() before the optimizer's step, or use optimizerStep(optimizer::step) "
                + "which calls both", e.getMessage());
    }

    @Test
    void jsonHoldsEveryRecordWithNullForWhatWasNotMeasured() {
        Sequential model = tinyModel();
        Diagnostics d = Diagnostics.attach(model).saturation(TanhLayer.class, SaturationRule.TANH);
        d.step(3);
        try (NoGrad off = NoGrad.enter()) {
            model.apply(Tensor.of(X));
        }
        JsonObject json = JsonParser.parseString(d.toJson()).getAsJsonObject();
        assertEquals("normgrad-diagnostics", json.get("format").getAsString());
        assertEquals(1, json.get("version").getAsInt());
        JsonObject histogram = json.getAsJsonObject("histogram");
        assertEquals(62, histogram.get("bins").getAsInt());
        assertEquals(61, histogram.getAsJsonArray("edges").size());
        assertEquals(-3.0, histogram.getAsJsonArray("edges").get(0).getAsDouble());
        assertEquals(0.1, histogram.getAsJsonArray("edges").get(31).getAsDouble());
        assertEquals(3.0, histogram.getAsJsonArray("edges").get(60).getAsDouble());
        JsonObject affine = json.getAsJsonArray("layers").get(0).getAsJsonObject();
        assertEquals(3, affine.get("step").getAsInt());
        assertEquals("0", affine.get("layer").getAsString());
        assertEquals("Affine", affine.get("type").getAsString());
        assertEquals(2.375, affine.get("mean").getAsDouble(), EPS);
        assertTrue(affine.get("saturation").isJsonNull());
        assertTrue(affine.get("gradNorm").isJsonNull(), "no backward ran");
        assertEquals(62, affine.getAsJsonArray("histogram").size());
        assertEquals(2, affine.getAsJsonArray("histogram").get(61).getAsLong());
        assertEquals(0.75, json.getAsJsonArray("layers").get(1).getAsJsonObject().get("saturation").getAsDouble(), EPS);
        assertEquals(0, json.getAsJsonArray("sequences").size());
    }

    @Test
    void normGradsActivationsHaveTheirSaturationRulesByDefault() {
        Sequential model = new Sequential(new dev.normgrad.nn.Tanh(), new dev.normgrad.nn.Sigmoid(), new dev.normgrad.nn.ReLU(),
                new dev.normgrad.nn.LeakyReLU(), new dev.normgrad.nn.GELU(), new dev.normgrad.nn.Identity());
        Diagnostics d = Diagnostics.attach(model);
        model.apply(Tensor.of(1, 4, -4, -1, 0.5, 3));
        List<LayerStats> r = d.records();
        assertEquals(0.5, r.get(0).saturation(), EPS);    // tanh: −0.9993, 0.9951 beyond 0.97
        // sigmoid of tanh's outputs (all within (−1, 1)): none within 0.03 of 0 or 1
        assertEquals(0.0, r.get(1).saturation(), EPS);
        // relu of σ(...) > 0: none on the flat side; leaky relu and gelu see positive inputs too
        assertEquals(0.0, r.get(2).saturation(), EPS);
        assertEquals(0.0, r.get(3).saturation(), EPS);
        assertEquals(0.0, r.get(4).saturation(), EPS);
        assertTrue(Double.isNaN(r.get(5).saturation()), "Identity has no rule");
    }

    @Test
    void leakyReluAndGeluSaturateOnTheirFlatSides() {
        Sequential leaky = new Sequential(new dev.normgrad.nn.LeakyReLU());
        Diagnostics d1 = Diagnostics.attach(leaky);
        leaky.apply(Tensor.of(1, 4, -4, -1, 0, 3));
        assertEquals(0.5, d1.records().get(0).saturation(), EPS);
        Sequential gelu = new Sequential(new dev.normgrad.nn.GELU());
        Diagnostics d2 = Diagnostics.attach(gelu);
        gelu.apply(Tensor.of(1, 4, -4, -1, 0, 3));
        assertEquals(0.25, d2.records().get(0).saturation(), EPS);
        Sequential relu = new Sequential(new dev.normgrad.nn.ReLU());
        Diagnostics d3 = Diagnostics.attach(relu);
        relu.apply(Tensor.of(1, 4, -4, -1, 0, 3));
        assertEquals(0.75, d3.records().get(0).saturation(), EPS);
    }

    @Test
    void aTrainingLoopWithSgdRecordsUpdatesOfLearningRateTimesGradient() {
        java.util.Random random = new java.util.Random(5);
        Sequential model = new Sequential(new dev.normgrad.nn.Linear(4, 6, true, random), new dev.normgrad.nn.Tanh(),
                new dev.normgrad.nn.Linear(6, 3, true, random));
        double lr = 0.1;
        dev.normgrad.optim.SGD sgd = new dev.normgrad.optim.SGD(model.parameters(), lr);
        Tensor x = Tensor.randn(8, 4, random);
        int[] labels = {0, 1, 2, 0, 1, 2, 0, 1};
        Diagnostics d = Diagnostics.attach(model);
        for (int step = 0; step < 3; step++) {
            d.step(step);
            sgd.zeroGrad();
            dev.normgrad.loss.Losses.crossEntropy(model.apply(x), labels).backward();
            d.optimizerStep(sgd::step);
        }
        assertEquals(9, d.records().size());
        for (LayerStats r : d.records()) {
            assertEquals(1, r.calls());
            assertTrue(r.gradNorm() > 0, r.toString());
            for (ParameterStats p : r.parameters()) {
                assertEquals(lr * p.gradNorm(), p.updateNorm(), 1e-12 * p.updateNorm(), r.label() + " " + p.name());
                assertEquals(p.updateNorm() / p.norm(), p.updateRatio(), 1e-15);
            }
        }
        assertEquals(List.of("weight", "bias"), d.records("2").get(2).parameters().stream().map(ParameterStats::name).toList());
    }

    @Test
    void aNormalizedModelIsWatchedLayerByLayerWeightNormIncluded() {
        java.util.Random random = new java.util.Random(8);
        Sequential model = new Sequential(new dev.normgrad.norm.WeightNorm(new dev.normgrad.nn.Linear(3, 4, true, random)),
                new dev.normgrad.norm.BatchNorm1d(4), new dev.normgrad.nn.Tanh());
        Diagnostics d = Diagnostics.attach(model);
        assertEquals(List.of("0", "1", "2"), d.watchedLayers());
        model.apply(Tensor.randn(6, 3, random)).sum().backward();
        d.beforeStep();
        LayerStats bn = d.records("1").get(0);
        assertEquals(0.0, bn.mean(), 1e-12);                     // γ = 1, β = 0: the batch's own statistics
        assertEquals(1.0, bn.std(), 1e-3);                       // σ/√(σ² + eps) with the population std
        assertEquals(List.of("bias", "weightG", "weightV"),
                d.records("0").get(0).parameters().stream().map(ParameterStats::name).toList());
    }

    @Test
    void theHistogramBinsFollowTheDocumentedEdges() {
        assertEquals(0, LayerStats.histogramBin(-3.0000001));
        assertEquals(1, LayerStats.histogramBin(-3.0));
        assertEquals(30, LayerStats.histogramBin(-0.05));
        assertEquals(31, LayerStats.histogramBin(0.0));
        assertEquals(31, LayerStats.histogramBin(0.0999));
        assertEquals(32, LayerStats.histogramBin(0.1));
        assertEquals(60, LayerStats.histogramBin(Math.nextDown(3.0)));
        assertEquals(61, LayerStats.histogramBin(3.0));
        assertEquals(Double.NEGATIVE_INFINITY, LayerStats.histogramLowerEdge(0));
        assertEquals(-3.0, LayerStats.histogramLowerEdge(1));
        assertEquals(2.9, LayerStats.histogramLowerEdge(60));
        assertEquals(3.0, LayerStats.histogramLowerEdge(61));
    }

    @Test
    void diagnosticsStoreSequenceNormsWithTheStepAndInJson() {
        TanhLayer cell = new TanhLayer();
        Diagnostics d = Diagnostics.attach(cell);
        d.step(4);
        Tensor w = Tensor.scalar(0.8).requiresGrad(true);
        List<Tensor> hs = new ArrayList<>();
        Tensor h = Tensor.scalar(0);
        for (double x : new double[] {0.5, -0.3, 0.9}) {
            h = cell.apply(h.mul(w).add(x));
            hs.add(h);
        }
        h.backward();
        double[] norms = d.recordSequence("rnn", hs);
        assertEquals(List.of(new SequenceStats(4, "rnn", norms)), d.sequences());
        assertEquals(3, d.records("").get(0).calls());
        JsonObject seq = JsonParser.parseString(d.toJson()).getAsJsonObject().getAsJsonArray("sequences").get(0).getAsJsonObject();
        assertEquals(4, seq.get("step").getAsInt());
        assertEquals("rnn", seq.get("name").getAsString());
        assertEquals(norms[0], seq.getAsJsonArray("gradNorms").get(0).getAsDouble());
        assertEquals(1.0, seq.getAsJsonArray("gradNorms").get(2).getAsDouble());
    }
}

package dev.normgrad.reliability;

import dev.normgrad.autograd.Tensor;
import dev.normgrad.gradcheck.GradCheck;
import dev.normgrad.nn.Dropout;
import dev.normgrad.nn.GELU;
import dev.normgrad.nn.LeakyReLU;
import dev.normgrad.nn.Linear;
import dev.normgrad.nn.Module;
import dev.normgrad.nn.ReLU;
import dev.normgrad.nn.Sequential;
import dev.normgrad.nn.Sigmoid;
import dev.normgrad.nn.Tanh;
import dev.normgrad.norm.BatchNorm1d;
import dev.normgrad.norm.BatchRenorm1d;
import dev.normgrad.norm.GroupNorm;
import dev.normgrad.norm.InstanceNorm1d;
import dev.normgrad.norm.LayerNorm;
import dev.normgrad.norm.NormalizationLayer;
import dev.normgrad.norm.RMSNorm;
import dev.normgrad.norm.WeightNorm;
import dev.normgrad.recurrent.CellNormalization;
import dev.normgrad.recurrent.GRU;
import dev.normgrad.recurrent.LSTM;
import dev.normgrad.recurrent.RNN;
import dev.normgrad.recurrent.RNNCell;
import dev.normgrad.recurrent.Recurrent;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * Property: for random shapes and seeds, every layer's backward agrees with central differences —
 * inputs and every parameter, full check (every entry). 1,000 cases per run: 600 over the
 * feed-forward layers (Linear, each normalization layer in training and evaluation mode, fused and
 * composed, weight normalization, each activation, Dropout with a fixed seed), 400 over the
 * recurrent layers (RNN tanh and ReLU, LSTM, GRU; one or two layers; each {@link CellNormalization};
 * training and evaluation). Shapes are small (batch 2–5, 1–4 channels of 1–3 positions; 1–3 steps)
 * so the whole suite runs in seconds. The generator's seed is fixed, so a failure reproduces.
 */
class LayersGradCheckProperties {
    /** A layer built for C channels of L positions (the input is N×(C·L)), from a seeded Random. */
    private record Kind(String name, boolean needsBatch, boolean needsPositions, Builder build) {
        @Override
        public String toString() {
            return name;
        }
    }

    @FunctionalInterface
    private interface Builder {
        Module build(int channels, int positions, Random r);
    }

    private static int divisorOf(int c, Random r) {
        int g;
        do {
            g = 1 + r.nextInt(c);
        } while (c % g != 0);
        return g;
    }

    private static final List<Kind> FEED_FORWARD = List.of(
            new Kind("Linear", false, false, (c, l, r) -> new Linear(c * l, 1 + r.nextInt(4), true, r)),
            new Kind("Linear without bias", false, false, (c, l, r) -> new Linear(c * l, 1 + r.nextInt(4), false, r)),
            new Kind("BatchNorm1d", true, false, (c, l, r) -> new BatchNorm1d(c)),
            new Kind("BatchNorm1d without running statistics", true, false, (c, l, r) -> new BatchNorm1d(c, 1e-5, 0.1, true, false)),
            // rmax 1, dmax 0: r = 1 and d = 0, the constants its backward assumes, so the full layer is checkable in training
            new Kind("BatchRenorm1d", true, false, (c, l, r) -> new BatchRenorm1d(c, 1.0, 0.0)),
            new Kind("InstanceNorm1d", false, true, (c, l, r) -> new InstanceNorm1d(c, 1e-5, 0.1, true, true)),
            new Kind("LayerNorm", false, false, (c, l, r) -> new LayerNorm(c * l)),
            new Kind("LayerNorm over (C, L)", false, false, (c, l, r) -> new LayerNorm(c, l)),
            new Kind("GroupNorm", false, false, (c, l, r) -> new GroupNorm(divisorOf(c, r), c)),
            new Kind("RMSNorm", false, false, (c, l, r) -> new RMSNorm(c * l)),
            new Kind("WeightNorm(Linear)", false, false, (c, l, r) -> new WeightNorm(new Linear(c * l, 1 + r.nextInt(3), true, r))),
            new Kind("ReLU", false, false, (c, l, r) -> new ReLU()),
            new Kind("LeakyReLU", false, false, (c, l, r) -> new LeakyReLU(0.1)),
            new Kind("Tanh", false, false, (c, l, r) -> new Tanh()),
            new Kind("Sigmoid", false, false, (c, l, r) -> new Sigmoid()),
            new Kind("GELU", false, false, (c, l, r) -> new GELU()),
            new Kind("Dropout", false, false, (c, l, r) -> new Dropout(0.3, r.nextLong())),
            new Kind("Linear, LayerNorm, Tanh", false, false,
                    (c, l, r) -> new Sequential(new Linear(c * l, 3, true, r), new LayerNorm(3), new Tanh())));

    @Provide
    Arbitrary<Kind> feedForward() {
        return Arbitraries.of(FEED_FORWARD);
    }

    /** Randomises γ and β (and the running statistics, by training forwards) so that they are not the trivial 1 and 0. */
    private static void perturb(Module layer, int rows, int cols, Random r) {
        for (Tensor p : layer.parameters()) {
            double[] d = p.data().data;
            for (int i = 0; i < p.rows() * p.cols(); i++) {
                d[i] += 0.3 * r.nextGaussian();
            }
        }
        for (int i = 0; i < 2; i++) {
            layer.apply(Tensor.randn(rows, cols, r).mul(2).add(0.5));
        }
    }

    @Property(tries = 600, seed = "20261127")
    void everyFeedForwardLayerPassesOnRandomShapes(@ForAll("feedForward") Kind kind, @ForAll @IntRange(min = 2, max = 5) int rows,
            @ForAll @IntRange(min = 1, max = 4) int channels, @ForAll @IntRange(min = 1, max = 3) int positions,
            @ForAll boolean training, @ForAll boolean fused, @ForAll long seed) {
        int l = kind.needsPositions() ? Math.max(2, positions) : positions;
        Random r = new Random(seed);
        Module layer = kind.build().build(channels, l, r);
        if (layer instanceof NormalizationLayer norm) {
            norm.setFused(fused);
        }
        int cols = channels * l;
        perturb(layer, rows, cols, r);
        layer.train(training);
        GradCheck.check(layer, Tensor.randn(rows, cols, r)).assertPassed();
    }

    private enum Cell {
        RNN_TANH, RNN_RELU, LSTM, GRU
    }

    @Provide
    Arbitrary<CellNormalization> cellNormalizations() {
        return Arbitraries.of(CellNormalization.none(), CellNormalization.layerNorm(), CellNormalization.recurrentBatchNorm(2));
    }

    @Property(tries = 400, seed = "20261127")
    void everyRecurrentLayerWithEveryNormalizationPassesOnRandomShapes(@ForAll Cell cell,
            @ForAll("cellNormalizations") CellNormalization norm, @ForAll @IntRange(min = 1, max = 2) int layers,
            @ForAll @IntRange(min = 2, max = 4) int batch, @ForAll @IntRange(min = 1, max = 3) int inputSize,
            @ForAll @IntRange(min = 1, max = 3) int hiddenSize, @ForAll @IntRange(min = 1, max = 3) int steps,
            @ForAll boolean training, @ForAll long seed) {
        Random r = new Random(seed);
        Recurrent layer = switch (cell) {
            case RNN_TANH -> new RNN(inputSize, hiddenSize, layers, RNNCell.Nonlinearity.TANH, norm, r);
            case RNN_RELU -> new RNN(inputSize, hiddenSize, layers, RNNCell.Nonlinearity.RELU, norm, r);
            case LSTM -> new LSTM(inputSize, hiddenSize, layers, norm, r);
            case GRU -> new GRU(inputSize, hiddenSize, layers, norm, r);
        };
        perturb(layer, batch, steps * inputSize, r);
        layer.train(training);
        GradCheck.check(layer, Tensor.randn(batch, steps * inputSize, r)).assertPassed();
    }
}

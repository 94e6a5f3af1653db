package dev.normgrad.tutorials.experiments;

import dev.normgrad.autograd.NoGrad;
import dev.normgrad.autograd.Tensor;
import dev.normgrad.data.Digits;
import dev.normgrad.nn.Module;
import dev.normgrad.nn.Sequential;
import dev.normgrad.norm.BatchNorm1d;
import dev.normgrad.norm.GroupNorm;
import dev.normgrad.norm.InstanceNorm1d;
import dev.normgrad.norm.LayerNorm;
import dev.normgrad.norm.Normalization;
import dev.normgrad.norm.RMSNorm;
import dev.normgrad.optim.Adam;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.IntFunction;

/**
 * The experiments of notebook 5: LayerNorm and the family (Ba, Kiros &amp; Hinton, <i>Layer
 * Normalization</i>, 2016; Wu &amp; He, <i>Group Normalization</i>, 2018). One computation over
 * different axes: each layer makes its output zero-mean and unit-variance over its own statistics set
 * ({@link #normalizedStatistics}); BatchNorm's output for a sample depends on the rest of its batch,
 * LayerNorm's does not ({@link #batchDependence}); so BatchNorm degrades with small batches where
 * LayerNorm does not ({@link #batchSizeSweep}). Every method is seeded.
 *
 * <p>Where a layer needs channels, a digit's 64 pixels are read as C = 8 channels (the image rows)
 * of L = 8 positions (the columns).
 */
public final class LayerNormFamily {
    /** Channels when a digit is read as channels × positions: its 8 rows. */
    public static final int CHANNELS = 8;
    /** Positions per channel: the 8 pixels of a row. */
    public static final int LENGTH = 8;
    /** Groups of GroupNorm here: 4 groups of 2 rows. */
    public static final int GROUPS = 4;

    private LayerNormFamily() {
    }

    /** The layers compared, each with the axes it normalizes over. */
    public enum Layer {
        /** BatchNorm1d(8) in training mode: per channel, over the batch and the positions. */
        BATCH_NORM_TRAIN("BatchNorm1d (train)", "N, L", "channel"),
        /** BatchNorm1d(8) in evaluation mode: a fixed affine map from its running statistics. */
        BATCH_NORM_EVAL("BatchNorm1d (eval)", "running statistics", "channel"),
        /** LayerNorm(64): per sample, over all its features. */
        LAYER_NORM("LayerNorm", "C, L", "sample"),
        /** GroupNorm(4, 8): per sample and group of 2 channels, over those channels and the positions. */
        GROUP_NORM("GroupNorm(4)", "C/G, L", "sample x group"),
        /** InstanceNorm1d(8): per sample and channel, over the positions. */
        INSTANCE_NORM("InstanceNorm1d", "L", "sample x channel"),
        /** RMSNorm(64): per sample, divides by the root mean square, no centring. */
        RMS_NORM("RMSNorm", "C, L (no centring)", "sample");

        private final String label;
        private final String axes;
        private final String statisticPer;

        Layer(String label, String axes, String statisticPer) {
            this.label = label;
            this.axes = axes;
            this.statisticPer = statisticPer;
        }

        public String label() {
            return label;
        }

        /** The axes the statistics are taken over. */
        public String axes() {
            return axes;
        }

        /** One statistic per ... */
        public String statisticPer() {
            return statisticPer;
        }

        /** A new layer of this kind for N × 64 digits (C = 8 channels of L = 8), γ = 1, β = 0. */
        public Module create() {
            switch (this) {
                case BATCH_NORM_TRAIN:
                case BATCH_NORM_EVAL:
                    return new BatchNorm1d(CHANNELS);
                case LAYER_NORM:
                    return new LayerNorm(CHANNELS * LENGTH);
                case GROUP_NORM:
                    return new GroupNorm(GROUPS, CHANNELS);
                case INSTANCE_NORM:
                    return new InstanceNorm1d(CHANNELS);
                case RMS_NORM:
                    return new RMSNorm(CHANNELS * LENGTH);
                default:
                    throw new IllegalStateException("LayerNormFamily: unknown layer " + this);
            }
        }

        /** The statistics set of the entries of sample n, channel c (every position of it): an index in 0..groups(N)−1. */
        int group(int n, int c) {
            switch (this) {
                case BATCH_NORM_TRAIN:
                case BATCH_NORM_EVAL:
                    return c;
                case LAYER_NORM:
                case RMS_NORM:
                    return n;
                case GROUP_NORM:
                    return n * GROUPS + c / (CHANNELS / GROUPS);
                case INSTANCE_NORM:
                    return n * CHANNELS + c;
                default:
                    throw new IllegalStateException("LayerNormFamily: unknown layer " + this);
            }
        }

        int groups(int batch) {
            switch (this) {
                case BATCH_NORM_TRAIN:
                case BATCH_NORM_EVAL:
                    return CHANNELS;
                case LAYER_NORM:
                case RMS_NORM:
                    return batch;
                case GROUP_NORM:
                    return batch * GROUPS;
                case INSTANCE_NORM:
                    return batch * CHANNELS;
                default:
                    throw new IllegalStateException("LayerNormFamily: unknown layer " + this);
            }
        }
    }

    // =================================================================== (a) batch dependence

    /**
     * How much one sample's output moves when the rest of its batch is replaced.
     *
     * @param layer         the layer
     * @param maxChange     max over trials and output entries of |y₀(trial) − y₀(first batch)|
     * @param meanChange    mean over trials and entries of that difference
     * @param outputStd     standard deviation of y₀'s entries in the first batch (the scale to read maxChange against)
     */
    public record BatchDependencePoint(String layer, double maxChange, double meanChange, double outputStd) {
    }

    /**
     * The settings and, per layer, the change.
     *
     * @param batchSize the batch the watched sample sits in
     * @param trials    how many times its batch-mates were replaced
     */
    public record BatchDependence(int batchSize, int trials, List<BatchDependencePoint> layers) {
    }

    /** At the notebook's size: batches of 32, 20 trials. */
    public static BatchDependence batchDependence(long seed) {
        return batchDependence(32, 20, seed);
    }

    /**
     * Claim 6, "BatchNorm normalizes over the mini-batch, LayerNorm over each example's features":
     * sample 0 (the first test image) is put in a batch with {@code batchSize − 1} other training images,
     * {@code trials + 1} times with different batch-mates; each layer's output for sample 0 is compared
     * with its output in the first batch. The eval-mode BatchNorm has first seen 50 training batches, so
     * its running statistics are the data's.
     */
    public static BatchDependence batchDependence(int batchSize, int trials, long seed) {
        DigitsSplit data = DigitsSplit.load(seed);
        Random random = new Random(seed + 3);
        Tensor sample = data.test().subset(new int[] {0}).features();
        List<Tensor> batches = new ArrayList<>();
        for (int t = 0; t <= trials; t++) {
            int[] idx = new int[batchSize - 1];
            for (int k = 0; k < idx.length; k++) {
                idx[k] = random.nextInt(data.train().size());
            }
            batches.add(stack(sample, data.train().subset(idx).features()));
        }
        List<BatchDependencePoint> points = new ArrayList<>();
        for (Layer kind : Layer.values()) {
            Module layer = kind.create();
            if (kind == Layer.BATCH_NORM_EVAL) {
                java.util.Iterator<dev.normgrad.data.Batch> warmup = Training.batches(data.train(), batchSize, new Random(seed + 4));
                try (NoGrad off = NoGrad.enter()) {
                    for (int i = 0; i < 50; i++) {
                        layer.apply(warmup.next().features());
                    }
                }
                layer.eval();
            }
            double[] reference = null;
            double max = 0;
            double sum = 0;
            long count = 0;
            double std = 0;
            try (NoGrad off = NoGrad.enter()) {
                for (Tensor batch : batches) {
                    double[] y0 = firstRow(layer.apply(batch));
                    if (reference == null) {
                        reference = y0;
                        std = Stats.std(y0);
                        continue;
                    }
                    for (int j = 0; j < y0.length; j++) {
                        double d = Math.abs(y0[j] - reference[j]);
                        max = Math.max(max, d);
                        sum += d;
                        count++;
                    }
                }
            }
            points.add(new BatchDependencePoint(kind.label(), max, count == 0 ? 0 : sum / count, std));
        }
        return new BatchDependence(batchSize, trials, points);
    }

    /** The rows of a, then the rows of b. */
    private static Tensor stack(Tensor a, Tensor b) {
        org.ejml.data.DMatrixRMaj m = new org.ejml.data.DMatrixRMaj(a.rows() + b.rows(), a.cols());
        System.arraycopy(a.data().data, 0, m.data, 0, a.rows() * a.cols());
        System.arraycopy(b.data().data, 0, m.data, a.rows() * a.cols(), b.rows() * b.cols());
        return Tensor.wrap(m);
    }

    private static double[] firstRow(Tensor y) {
        double[] r = new double[y.cols()];
        System.arraycopy(y.data().data, 0, r, 0, r.length);
        return r;
    }

    // =================================================================== (b) accuracy against batch size

    /**
     * One model trained with one batch size.
     *
     * @param normalization {@code "none"}, {@code "BatchNorm"} or {@code "LayerNorm"}
     * @param batchSize     training batch size
     * @param steps         the steps the epochs took
     * @param testAccuracy  test accuracy in evaluation mode (BatchNorm: running statistics)
     * @param trainLoss     cross-entropy on the whole training set after training (evaluation mode)
     */
    public record BatchSizePoint(String normalization, int batchSize, int steps, double testAccuracy, double trainLoss) {
    }

    /**
     * The sweep. Every model sees the same number of samples ({@code epochs} passes over the training
     * set), so smaller batches take more, smaller steps; the optimizer and learning rate are the same for all.
     */
    public record BatchSizeSweep(String activation, int[] hidden, int epochs, String optimizer, double learningRate, String budget,
                                 List<BatchSizePoint> points) {
    }

    /** Ba et al.'s range of batch sizes: 2 … 128. */
    public static final int[] BATCH_SIZES = {2, 4, 8, 16, 32, 64, 128};

    /** The normalizations {@link #batchSizeSweep} can compare. */
    public enum Normalizer {
        /** No normalization. */
        NONE("none"),
        /** BatchNorm1d before each nonlinearity. */
        BATCH_NORM("BatchNorm"),
        /** LayerNorm before each nonlinearity. */
        LAYER_NORM("LayerNorm");

        private final String label;

        Normalizer(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }

        /** The layer for a hidden layer of the given width, or null for {@link #NONE}. */
        public IntFunction<Module> factory() {
            switch (this) {
                case NONE:
                    return null;
                case BATCH_NORM:
                    return BatchNorm1d::new;
                case LAYER_NORM:
                    return LayerNorm::new;
                default:
                    throw new IllegalStateException("LayerNormFamily: unknown normalizer " + this);
            }
        }
    }

    /**
     * At the notebook's size: BatchNorm and LayerNorm at batch sizes {@link #BATCH_SIZES}, 3 epochs each,
     * Adam at lr 0.003, 3×100 ReLU.
     */
    public static BatchSizeSweep batchSizeSweep(long seed) {
        return batchSizeSweep(new Normalizer[] {Normalizer.BATCH_NORM, Normalizer.LAYER_NORM}, BATCH_SIZES, 3, 0.003, seed);
    }

    /**
     * Accuracy against batch size for the 3×100 ReLU MLP with each normalization before each ReLU
     * (Ba et al. 2016 compare BN and LN across batch sizes): the same number of epochs (the same
     * samples seen) for every batch size, Adam at one learning rate (plain SGD at a rate that suits
     * batches of 128 diverges without normalization at batch 2), He initialisation, the same initial
     * weights and batch order for every normalization.
     */
    public static BatchSizeSweep batchSizeSweep(Normalizer[] normalizers, int[] batchSizes, int epochs, double learningRate,
                                                long seed) {
        DigitsSplit data = DigitsSplit.load(seed);
        List<BatchSizePoint> points = new ArrayList<>();
        for (int b : batchSizes) {
            for (Normalizer normalizer : normalizers) {
                Sequential model = Nets.mlp(Digits.FEATURES, BatchNormExperiments.HIDDEN, Digits.CLASSES, Activation.RELU,
                        normalizer.factory(), WeightInit.he(), new Random(seed));
                int steps = epochs * (data.train().size() / b);
                BatchNormExperiments.train(model, data, steps, b, new Adam(model.parameters(), learningRate).allowNonFiniteGradients(), seed);
                points.add(new BatchSizePoint(normalizer.label(), b, steps, Training.accuracy(model, data.test()),
                        Training.evaluate(model, data.train()).loss()));
            }
        }
        return new BatchSizeSweep(Activation.RELU.label(), BatchNormExperiments.HIDDEN.clone(), epochs, "Adam", learningRate,
                "same epochs (same number of samples seen) for every batch size", points);
    }

    // =================================================================== (c) the statistics after each normalization

    /**
     * One layer's output statistics, each computed over the layer's own statistics set (biased
     * variance), with γ = 1, β = 0.
     *
     * @param layer            the layer
     * @param axes             what it normalizes over
     * @param statisticPer     one statistic per ...
     * @param groups           how many statistics sets the batch has
     * @param inputMeanRange   {min, max} over sets of the input's mean (to compare)
     * @param inputVarRange    {min, max} over sets of the input's variance
     * @param maxAbsMean       max over sets of |mean of the output|
     * @param maxAbsVarMinusOne max over sets of |variance of the output − 1|
     * @param maxAbsMeanSquareMinusOne max over sets of |mean of the output's squares − 1| (what RMSNorm fixes)
     */
    public record LayerStatistics(String layer, String axes, String statisticPer, int groups, double[] inputMeanRange,
                                  double[] inputVarRange, double maxAbsMean, double maxAbsVarMinusOne,
                                  double maxAbsMeanSquareMinusOne) {
    }

    /**
     * What a trained BatchNorm layer's affine did: γ and β learned, and its output on the test set.
     *
     * @param layer          the BatchNorm's position in the model
     * @param gammaRange     {min, mean, max} of γ
     * @param betaRange      {min, mean, max} of β
     * @param outputMeanRange {min, max} over units of the layer's output mean on the test set (evaluation mode)
     * @param outputStdRange  {min, max} over units of its output standard deviation
     */
    public record LearnedAffine(String layer, double[] gammaRange, double[] betaRange, double[] outputMeanRange,
                                double[] outputStdRange) {
    }

    /**
     * Test accuracy of the same network with and without the learnable affine.
     *
     * @param normalization {@code "BatchNorm"} or {@code "LayerNorm"}
     * @param activation    the nonlinearity after it
     * @param withAffine        test accuracy with γ and β
     * @param withoutAffine     test accuracy with {@code affine = false} ({@code elementwiseAffine = false})
     * @param withAffineLoss    test cross-entropy with γ and β (finer than accuracy on 360 images)
     * @param withoutAffineLoss test cross-entropy without
     */
    public record AffineAblation(String normalization, String activation, double withAffine, double withoutAffine,
                                 double withAffineLoss, double withoutAffineLoss) {
    }

    /**
     * Claim 1, "normalization makes activations zero-mean, unit-variance over its axes; the learnable
     * affine restores what the network needs".
     *
     * @param batchSize         the batch measured
     * @param layers            each layer's output statistics over its own axes
     * @param identityError     max |y − x| for a BatchNorm whose γ, β were set to the batch's √(σ² + eps) and μ:
     *                          the affine can undo the normalization exactly
     * @param learned           γ, β and output statistics of each BatchNorm of a trained 3×100 sigmoid network
     * @param trainingSteps     steps the trained network took
     */
    public record NormalizedStatistics(int batchSize, List<LayerStatistics> layers, double identityError,
                                       List<LearnedAffine> learned, int trainingSteps) {
    }

    /** At the notebook's size: a batch of 32; the network trained 300 steps of batch 32. */
    public static NormalizedStatistics normalizedStatistics(long seed) {
        return normalizedStatistics(32, 300, seed);
    }

    /**
     * (1) A batch of pre-activations, z = 2·x·Wᵀ + 3 for {@code batchSize} test digits and a random
     * 64×64 W ~ N(0, 1/64) (so the input is neither centred nor of unit variance), through each layer
     * with γ = 1, β = 0: the output's mean and variance over each statistics set. (2) A BatchNorm whose γ
     * and β are set to the batch's standard deviation and mean gives back its input: the normalization
     * loses nothing the affine cannot restore. (3) The 3×100 sigmoid BN network (N(0, 0.1²), lr 0.5,
     * batch 32) trained for {@code steps}: the γ and β it learned and the statistics of each BN output.
     */
    public static NormalizedStatistics normalizedStatistics(int batchSize, int steps, long seed) {
        DigitsSplit data = DigitsSplit.load(seed);
        Random random = new Random(seed + 5);
        int[] idx = new int[batchSize];
        for (int i = 0; i < batchSize; i++) {
            idx[i] = i;
        }
        Tensor x = data.test().subset(idx).features();
        Tensor w = Tensor.randn(Digits.FEATURES, Digits.FEATURES, random).mul(1.0 / Math.sqrt(Digits.FEATURES));
        Tensor z = x.matmulTransposeB(w).mul(2.0).add(3.0).detach();

        List<LayerStatistics> layers = new ArrayList<>();
        for (Layer kind : Layer.values()) {
            if (kind == Layer.BATCH_NORM_EVAL) {
                continue;
            }
            Module layer = kind.create();
            Tensor y;
            try (NoGrad off = NoGrad.enter()) {
                y = layer.apply(z);
            }
            double[][] in = groupMoments(z, kind);
            double[][] out = groupMoments(y, kind);
            layers.add(new LayerStatistics(kind.label(), kind.axes(), kind.statisticPer(), kind.groups(batchSize),
                    new double[] {min(in[0]), max(in[0])}, new double[] {min(in[1]), max(in[1])},
                    maxAbs(out[0], 0), maxAbs(out[1], 1), maxAbs(out[2], 1)));
        }

        // BatchNorm can represent the identity: γ = √(σ_B² + eps), β = μ_B
        BatchNorm1d bn = new BatchNorm1d(Digits.FEATURES);
        double[][] zs = Probes.columnMeanAndVariance(z);
        for (int j = 0; j < Digits.FEATURES; j++) {
            double biased = zs[1][j] * (batchSize - 1) / batchSize;
            bn.weight().data().data[j] = Math.sqrt(biased + bn.eps());
            bn.bias().data().data[j] = zs[0][j];
        }
        double identityError;
        try (NoGrad off = NoGrad.enter()) {
            identityError = Stats.maxAbs(Probes.values(bn.apply(z).sub(z)));
        }

        Sequential trained = Nets.mlp(Digits.FEATURES, BatchNormExperiments.HIDDEN, Digits.CLASSES, Activation.SIGMOID,
                BatchNorm1d::new, WeightInit.normal(0.1), new Random(seed));
        BatchNormExperiments.train(trained, data, steps, 32, 0.5, seed);
        List<LearnedAffine> learned = new ArrayList<>();
        for (int i = 0; i < trained.size(); i++) {
            if (trained.get(i) instanceof BatchNorm1d layer) {
                Tensor out = Probes.layerOutput(trained, layer, data.test().features(), false);
                double[][] m = Probes.columnMeanAndVariance(out);
                double[] std = new double[m[1].length];
                for (int j = 0; j < std.length; j++) {
                    std[j] = Math.sqrt(m[1][j]);
                }
                double[] g = layer.weight().data().data.clone();
                double[] b = layer.bias().data().data.clone();
                learned.add(new LearnedAffine(String.valueOf(i), new double[] {min(g), Stats.mean(g), max(g)},
                        new double[] {min(b), Stats.mean(b), max(b)}, new double[] {min(m[0]), max(m[0])},
                        new double[] {min(std), max(std)}));
            }
        }

        return new NormalizedStatistics(batchSize, layers, identityError, learned, steps);
    }

    /** At the notebook's size: 150 steps of batch 32. */
    public static List<AffineAblation> affineAblation(long seed) {
        return affineAblation(150, seed);
    }

    /**
     * Does the network need the affine? The 3×100 network with BN or LN, with and without γ and β, for
     * sigmoid (N(0, 0.1²), lr 0.5) and ReLU (He, lr 0.1), from the same weights and batches: test
     * accuracy after {@code steps} steps of batch 32.
     */
    public static List<AffineAblation> affineAblation(int steps, long seed) {
        DigitsSplit data = DigitsSplit.load(seed);
        List<AffineAblation> ablation = new ArrayList<>();
        for (Activation activation : new Activation[] {Activation.SIGMOID, Activation.RELU}) {
            for (String name : new String[] {"BatchNorm", "LayerNorm"}) {
                double[] acc = new double[2];
                double[] loss = new double[2];
                for (int k = 0; k < 2; k++) {
                    boolean affine = k == 0;
                    IntFunction<Module> norm = name.equals("BatchNorm")
                            ? width -> new BatchNorm1d(width, Normalization.DEFAULT_EPS, Normalization.DEFAULT_MOMENTUM, affine, true)
                            : width -> new LayerNorm(new int[] {width}, Normalization.DEFAULT_EPS, affine);
                    WeightInit init = activation == Activation.SIGMOID ? WeightInit.normal(0.1) : WeightInit.he();
                    double lr = activation == Activation.SIGMOID ? 0.5 : 0.1;
                    Sequential model = Nets.mlp(Digits.FEATURES, BatchNormExperiments.HIDDEN, Digits.CLASSES, activation, norm,
                            init, new Random(seed));
                    BatchNormExperiments.train(model, data, steps, 32, lr, seed);
                    Training.Evaluation e = Training.evaluate(model, data.test());
                    acc[k] = e.accuracy();
                    loss[k] = e.loss();
                }
                ablation.add(new AffineAblation(name, activation.label(), acc[0], acc[1], loss[0], loss[1]));
            }
        }
        return ablation;
    }

    /** Per statistics set of {@code kind}: {means, biased variances, means of squares} of y (N × 64). */
    static double[][] groupMoments(Tensor y, Layer kind) {
        int n = y.rows();
        int groups = kind.groups(n);
        double[] sum = new double[groups];
        double[] sumSq = new double[groups];
        int[] count = new int[groups];
        double[] d = y.data().data;
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < CHANNELS; c++) {
                for (int l = 0; l < LENGTH; l++) {
                    int g = kind.group(i, c);
                    double v = d[i * CHANNELS * LENGTH + c * LENGTH + l];
                    sum[g] += v;
                    sumSq[g] += v * v;
                    count[g]++;
                }
            }
        }
        double[] mean = new double[groups];
        double[] var = new double[groups];
        double[] meanSq = new double[groups];
        for (int g = 0; g < groups; g++) {
            mean[g] = sum[g] / count[g];
            meanSq[g] = sumSq[g] / count[g];
        }
        // second pass for the variance (never E[x²] − E[x]²)
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < CHANNELS; c++) {
                for (int l = 0; l < LENGTH; l++) {
                    int g = kind.group(i, c);
                    double e = d[i * CHANNELS * LENGTH + c * LENGTH + l] - mean[g];
                    var[g] += e * e;
                }
            }
        }
        for (int g = 0; g < groups; g++) {
            var[g] /= count[g];
        }
        return new double[][] {mean, var, meanSq};
    }

    private static double min(double[] v) {
        double m = Double.POSITIVE_INFINITY;
        for (double x : v) {
            m = Math.min(m, x);
        }
        return m;
    }

    private static double max(double[] v) {
        double m = Double.NEGATIVE_INFINITY;
        for (double x : v) {
            m = Math.max(m, x);
        }
        return m;
    }

    private static double maxAbs(double[] v, double target) {
        double m = 0;
        for (double x : v) {
            m = Math.max(m, Math.abs(x - target));
        }
        return m;
    }

    // =================================================================== all of them

    /** Every experiment of the notebook at its default size. */
    public record Result(BatchDependence batchDependence, BatchSizeSweep batchSizeSweep, NormalizedStatistics normalizedStatistics,
                         List<AffineAblation> affineAblation) {
    }

    /** Runs every experiment of notebook 5 at its default size, the batch-size sweep with the unnormalized baseline too. */
    public static Result run(long seed) {
        return new Result(batchDependence(seed),
                batchSizeSweep(Normalizer.values(), BATCH_SIZES, 3, 0.003, seed), normalizedStatistics(seed), affineAblation(seed));
    }
}

package dev.normgrad.tutorials.experiments;

import dev.normgrad.autograd.Tensor;
import dev.normgrad.data.Batch;
import dev.normgrad.data.Digits;
import dev.normgrad.diagnostics.Diagnostics;
import dev.normgrad.diagnostics.LayerStats;
import dev.normgrad.diagnostics.ParameterStats;
import dev.normgrad.loss.Losses;
import dev.normgrad.nn.Linear;
import dev.normgrad.nn.Module;
import dev.normgrad.nn.ReLU;
import dev.normgrad.nn.Sequential;
import dev.normgrad.nn.Sigmoid;
import dev.normgrad.nn.Tanh;
import dev.normgrad.norm.BatchNorm1d;
import dev.normgrad.optim.Optimizer;
import dev.normgrad.optim.SGD;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Random;

/**
 * The experiment of notebook 3: vanishing gradients in a deep MLP (Glorot &amp; Bengio,
 * <i>Understanding the difficulty of training deep feedforward neural networks</i>, AISTATS 2010).
 * A deep network of sigmoid or tanh layers ({@code depth} hidden layers of {@code width} units,
 * {@code Linear → [BatchNorm] → activation}) is initialised in several ways; for each:
 * <ol>
 *   <li>one forward and backward pass on a fixed batch of training digits, recording per hidden layer
 *       the activations (mean, std, saturation, histogram) and the back-propagated gradient
 *       ∂L/∂s of its pre-activation s = Linear output (mean, std, norm, histograms), and the norm of
 *       ∂L/∂W of its weight — Glorot &amp; Bengio's figures 6 and 7;</li>
 *   <li>{@code steps} SGD steps, recording every {@code recordEvery} steps the saturation and spread of
 *       each layer's activations, the gradient norm reaching each layer, and each weight's
 *       update-to-data ratio ‖ΔW‖/‖W‖ — their figure 2 and the usual training diagnostics.</li>
 * </ol>
 * Activation statistics, saturation, gradient norms and update ratios come from
 * {@link Diagnostics} (saturation by its rules: sigmoid outputs within 0.03 of 0 or 1, tanh outputs
 * beyond ±0.97, where the local slope is below about 0.03 and 0.06); the values of the
 * back-propagated gradients, which the histograms need, from a backward hook of each hidden Linear.
 * Layers are numbered 1..depth from the input. Seeded: the same arguments give the same numbers on
 * every run (for a given matrix-product kernel).
 */
public final class VanishingGradients {
    /**
     * Edges of the activation histograms, the diagnostics' ({@link LayerStats#histogram()}): width 0.1
     * from −3 to 3, and a count below and one above.
     */
    public static final double[] ACTIVATION_EDGES = Stats.edges(LayerStats.HISTOGRAM_LOW, LayerStats.HISTOGRAM_HIGH,
            LayerStats.HISTOGRAM_BINS - 2);
    /** Edges of the log-magnitude gradient histograms: log10|g| from −20 to 0 in steps of 1 (zeros count below). */
    public static final double[] LOG_GRADIENT_EDGES = Stats.edges(-20, 0, 20);
    /** Bins of a run's linear gradient histogram, on [−4s, 4s], s the largest per-layer gradient std of the run. */
    public static final int GRADIENT_BINS = 40;

    private VanishingGradients() {
    }

    /**
     * One network: its nonlinearity, its weight initialisation, with or without BatchNorm before each
     * nonlinearity.
     */
    public record Config(Activation activation, WeightInit init, boolean batchNorm) {
        /** {@code "tanh, xavier"}, {@code "sigmoid, N(0,1^2), BN"}. */
        public String label() {
            return activation.label() + ", " + init.label() + (batchNorm ? ", BN" : "");
        }
    }

    /**
     * @param depth          hidden layers
     * @param width          units per hidden layer
     * @param snapshotSize   samples in the fixed batch of the one forward/backward at initialisation
     * @param steps          SGD steps
     * @param batchSize      training batch size
     * @param learningRate   SGD learning rate
     * @param recordEvery    steps between training records (step 0 is recorded)
     * @param seed           seed of the split, the weights, the fixed batch and the batch order
     * @param activationEdges edges of every activation histogram
     * @param logGradientEdges edges of every log10|∂L/∂s| histogram
     */
    public record Settings(int depth, int width, int snapshotSize, int steps, int batchSize, double learningRate, int recordEvery,
                           long seed, double[] activationEdges, double[] logGradientEdges) {
    }

    /**
     * Hidden layer {@code layer} at initialisation, on the fixed batch.
     *
     * @param layer                 1..depth, from the input
     * @param activationMean        mean of the layer's outputs (after the nonlinearity)
     * @param activationStd         their standard deviation
     * @param saturation            fraction of outputs in the flat region of the nonlinearity
     * @param activationHistogram   counts on {@link Settings#activationEdges()}
     * @param gradientMean          mean of ∂L/∂s over the batch, s the pre-activation (the Linear layer's output)
     * @param gradientStd           its standard deviation
     * @param gradientNorm          ‖∂L/∂s‖ (Frobenius, over the batch)
     * @param gradientHistogram     counts of ∂L/∂s on the run's {@link Run#gradientEdges()}
     * @param logAbsGradientHistogram counts of log10|∂L/∂s| on {@link Settings#logGradientEdges()}
     * @param weightNorm            ‖W‖ of the layer's Linear
     * @param weightGradientNorm    ‖∂L/∂W‖
     */
    public record LayerSnapshot(int layer, double activationMean, double activationStd, double saturation, long[] activationHistogram,
                                double gradientMean, double gradientStd, double gradientNorm, long[] gradientHistogram,
                                long[] logAbsGradientHistogram, double weightNorm, double weightGradientNorm) {
    }

    /**
     * One recorded training step (measured on that step's batch, before its update; the update ratio is
     * that of the step's update).
     *
     * @param step          the step
     * @param loss          the batch's cross-entropy
     * @param saturation    per hidden layer, the fraction of saturated outputs
     * @param activationStd per hidden layer, the standard deviation of its outputs
     * @param gradientNorm  per hidden layer, ‖∂L/∂s‖
     * @param updateRatio   per Linear layer (the depth hidden ones, then the output layer), ‖ΔW‖/‖W‖
     */
    public record TrainingRecord(int step, double loss, double[] saturation, double[] activationStd, double[] gradientNorm,
                                 double[] updateRatio) {
    }

    /**
     * One configuration's results.
     *
     * @param label             {@link Config#label()}
     * @param activation        {@code "sigmoid"} or {@code "tanh"}
     * @param init              the initialisation's label
     * @param batchNorm         with BatchNorm
     * @param gradientEdges     edges of this run's linear gradient histograms
     * @param atInit            per hidden layer, at initialisation
     * @param gradientRatio     ‖∂L/∂s‖ of layer 1 over that of layer depth: far below 1 when gradients vanish
     *                          towards the input
     * @param training          the training records
     * @param finalTestAccuracy test accuracy after training
     */
    public record Run(String label, String activation, String init, boolean batchNorm, double[] gradientEdges,
                      List<LayerSnapshot> atInit, double gradientRatio, List<TrainingRecord> training, double finalTestAccuracy) {
    }

    /** The settings and one run per configuration. */
    public record Result(Settings settings, List<Run> runs) {
    }

    /** The notebook's initialisations: N(0, σ²) for σ = 0.01, 0.1, 1, then PyTorch's default, Xavier and He. */
    public static List<WeightInit> defaultInits() {
        return List.of(WeightInit.normal(0.01), WeightInit.normal(0.1), WeightInit.normal(1), WeightInit.pytorchDefault(),
                WeightInit.xavier(), WeightInit.he());
    }

    /** {@code activation} with each of {@link #defaultInits()}, without BatchNorm. */
    public static List<Config> configs(Activation activation) {
        List<Config> configs = new ArrayList<>();
        for (WeightInit init : defaultInits()) {
            configs.add(new Config(activation, init, false));
        }
        return configs;
    }

    /** The sigmoid network with BatchNorm, at σ = 0.01 and with the default initialisation (claim 3). */
    public static List<Config> batchNormConfigs() {
        return List.of(new Config(Activation.SIGMOID, WeightInit.normal(0.01), true),
                new Config(Activation.SIGMOID, WeightInit.pytorchDefault(), true));
    }

    /** Every configuration of the notebook: {@code configs(SIGMOID)}, {@code configs(TANH)}, {@link #batchNormConfigs()}. */
    public static List<Config> defaultConfigs() {
        List<Config> configs = new ArrayList<>(configs(Activation.SIGMOID));
        configs.addAll(configs(Activation.TANH));
        configs.addAll(batchNormConfigs());
        return configs;
    }

    /** Depth of the notebook's network: 8 hidden layers. */
    public static final int DEPTH = 8;
    /** Width of the notebook's network: 64 units per hidden layer. */
    public static final int WIDTH = 64;

    /**
     * Every configuration ({@link #defaultConfigs()}) at the notebook's size: 8 hidden layers of 64, a
     * fixed batch of 256, 150 SGD steps of batch 32 at lr 0.1, a record every 10 steps. About 14
     * networks: the notebook runs them in three cells with {@link #run(List, long)}.
     */
    public static Result run(long seed) {
        return run(defaultConfigs(), seed);
    }

    /**
     * The given configurations at the notebook's size, e.g.
     * {@code VanishingGradients.run(VanishingGradients.configs(Activation.TANH), 42)}.
     */
    public static Result run(List<Config> configs, long seed) {
        return run(configs, DEPTH, WIDTH, 256, 150, 32, 0.1, 10, seed);
    }

    /** Runs each configuration; see the class comment. */
    public static Result run(List<Config> configs, int depth, int width, int snapshotSize, int steps, int batchSize,
                             double learningRate, int recordEvery, long seed) {
        if (depth < 1 || width < 1) {
            throw new IllegalArgumentException("VanishingGradients: depth and width must be positive, got " + depth + ", " + width);
        }
        DigitsSplit data = DigitsSplit.load(seed);
        int[] idx = new int[Math.min(snapshotSize, data.train().size())];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = i;
        }
        Batch fixed = new Batch(data.train().subset(idx).features(), data.train().subset(idx).labels());
        List<Run> runs = new ArrayList<>();
        for (Config config : configs) {
            runs.add(runOne(config, data, fixed, depth, width, steps, batchSize, learningRate, recordEvery, seed));
        }
        Settings settings = new Settings(depth, width, idx.length, steps, batchSize, learningRate, recordEvery, seed,
                ACTIVATION_EDGES.clone(), LOG_GRADIENT_EDGES.clone());
        return new Result(settings, runs);
    }

    private static Run runOne(Config config, DigitsSplit data, Batch fixed, int depth, int width, int steps, int batchSize,
                              double learningRate, int recordEvery, long seed) {
        Sequential model = Nets.mlp(Digits.FEATURES, Nets.widths(depth, width), Digits.CLASSES, config.activation(),
                config.batchNorm() ? BatchNorm1d::new : null, config.init(), new Random(seed));
        // each hidden layer's Linear and activation, and the output Linear, by their paths in the model ("0", "2", ...)
        List<String> linearPaths = new ArrayList<>();
        List<String> activationPaths = new ArrayList<>();
        List<Linear> hiddenLinears = new ArrayList<>();
        for (int i = 0; i < model.size(); i++) {
            Module m = model.get(i);
            if (m instanceof Linear linear) {
                linearPaths.add(String.valueOf(i));
                if (hiddenLinears.size() < depth) {
                    hiddenLinears.add(linear);
                }
            } else if (!(m instanceof BatchNorm1d)) {
                activationPaths.add(String.valueOf(i));
            }
        }

        // one forward/backward on the fixed batch, without updating anything
        GradientRecorder gradients = new GradientRecorder(hiddenLinears);
        Diagnostics diagnostics = watch(model);
        diagnostics.step(0);
        model.zeroGrad();
        Losses.crossEntropy(model.apply(fixed.features()), fixed.labels()).backward();
        diagnostics.beforeStep();
        diagnostics.detach();
        gradients.detach();
        double maxStd = 0;
        for (double[] g : gradients.values) {
            maxStd = Math.max(maxStd, Stats.std(g));
        }
        double scale = maxStd > 0 ? 4 * maxStd : 1;
        double[] gradientEdges = Stats.edges(-scale, scale, GRADIENT_BINS);
        List<LayerSnapshot> atInit = new ArrayList<>();
        for (int l = 0; l < depth; l++) {
            LayerStats activation = only(diagnostics, activationPaths.get(l));
            LayerStats linear = only(diagnostics, linearPaths.get(l));
            ParameterStats weight = linear.parameter("weight");
            double[] g = gradients.values.get(l);
            double[] logAbs = new double[g.length];
            for (int i = 0; i < g.length; i++) {
                logAbs[i] = g[i] == 0 ? Double.NEGATIVE_INFINITY : Math.log10(Math.abs(g[i]));
            }
            atInit.add(new LayerSnapshot(l + 1, activation.mean(), activation.std(), activation.saturation(), activation.histogram(),
                    Stats.mean(g), Stats.std(g), linear.gradNorm(), Stats.histogram(g, gradientEdges),
                    Stats.histogram(logAbs, LOG_GRADIENT_EDGES), weight.norm(), weight.gradNorm()));
        }
        double ratio = atInit.get(0).gradientNorm() / atInit.get(depth - 1).gradientNorm();

        // training; the diagnostics watch the recorded steps only
        Optimizer opt = new SGD(model.parameters(), learningRate).allowNonFiniteGradients();
        Iterator<Batch> batches = Training.batches(data.train(), batchSize, new Random(seed + 1));
        List<TrainingRecord> training = new ArrayList<>();
        for (int s = 0; s < steps; s++) {
            Batch b = batches.next();
            if (s % recordEvery != 0) {
                Training.step(model, opt, b);
                continue;
            }
            Diagnostics d = watch(model);
            d.step(s);
            opt.zeroGrad();
            Tensor loss = Losses.crossEntropy(model.apply(b.features()), b.labels());
            loss.backward();
            d.optimizerStep(opt::step);
            d.detach();
            double[] sat = new double[depth];
            double[] std = new double[depth];
            double[] grad = new double[depth];
            for (int i = 0; i < depth; i++) {
                LayerStats activation = only(d, activationPaths.get(i));
                sat[i] = activation.saturation();
                std[i] = activation.std();
                grad[i] = only(d, linearPaths.get(i)).gradNorm();
            }
            double[] update = new double[linearPaths.size()];
            for (int i = 0; i < update.length; i++) {
                update[i] = only(d, linearPaths.get(i)).parameter("weight").updateRatio();
            }
            training.add(new TrainingRecord(s, loss.item(), sat, std, grad, update));
        }
        double accuracy = Training.accuracy(model, data.test());
        return new Run(config.label(), config.activation().label(), config.init().label(), config.batchNorm(), gradientEdges, atInit,
                ratio, training, accuracy);
    }

    /** Diagnostics on the model's Linear layers and its activations (saturation rules from the diagnostics package). */
    private static Diagnostics watch(Sequential model) {
        return Diagnostics.attach(model, Linear.class, Sigmoid.class, Tanh.class, ReLU.class);
    }

    /** The one record of {@code layer} (one step was recorded). */
    private static LayerStats only(Diagnostics diagnostics, String layer) {
        List<LayerStats> records = diagnostics.records(layer);
        if (records.size() != 1) {
            throw new IllegalStateException("VanishingGradients: expected one record of layer " + layer + ", got " + records.size());
        }
        return records.get(0);
    }

    /**
     * ∂L/∂s of each hidden Linear's output s, entry by entry (the diagnostics keep only its norm; the
     * histograms need the values).
     */
    private static final class GradientRecorder {
        final List<double[]> values = new ArrayList<>();
        private final List<Linear> layers;
        private final List<Module.BackwardHook> hooks = new ArrayList<>();

        GradientRecorder(List<Linear> layers) {
            this.layers = layers;
            for (int l = 0; l < layers.size(); l++) {
                values.add(null);
                int layer = l;
                hooks.add(layers.get(l).addBackwardHook((m, dy) -> values.set(layer, Arrays.copyOf(dy.data, dy.getNumElements()))));
            }
        }

        void detach() {
            for (int l = 0; l < layers.size(); l++) {
                layers.get(l).removeHook(hooks.get(l));
            }
        }
    }
}

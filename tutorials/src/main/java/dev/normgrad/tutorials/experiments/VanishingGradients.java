package dev.normgrad.tutorials.experiments;

import dev.normgrad.autograd.Tensor;
import dev.normgrad.data.Batch;
import dev.normgrad.data.Digits;
import dev.normgrad.loss.Losses;
import dev.normgrad.nn.Linear;
import dev.normgrad.nn.Module;
import dev.normgrad.nn.Sequential;
import dev.normgrad.norm.BatchNorm1d;
import dev.normgrad.optim.Optimizer;
import dev.normgrad.optim.SGD;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.ejml.data.DMatrixRMaj;

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
 * Saturation: sigmoid outputs within 0.03 of 0 or 1, tanh outputs beyond ±0.97 (the local slope is
 * then below about 0.03 and 0.06: almost no gradient passes). Layers are numbered 1..depth from the
 * input. Seeded: the same arguments give the same numbers on every run.
 */
public final class VanishingGradients {
    /** Edges of the activation histograms: width 0.1 from −3 to 3 (a count below and one above too). */
    public static final double[] ACTIVATION_EDGES = Stats.edges(-3, 3, 60);
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
     * @param batchSize      training batch size
     * @param steps          SGD steps
     * @param learningRate   SGD learning rate
     * @param recordEvery    steps between training records (step 0 is recorded)
     * @param seed           seed of the split, the weights, the fixed batch and the batch order
     * @param activationEdges edges of every activation histogram
     * @param logGradientEdges edges of every log10|∂L/∂s| histogram
     */
    public record Settings(int depth, int width, int snapshotSize, int batchSize, int steps, double learningRate, int recordEvery,
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
        Settings settings = new Settings(depth, width, idx.length, batchSize, steps, learningRate, recordEvery, seed,
                ACTIVATION_EDGES.clone(), LOG_GRADIENT_EDGES.clone());
        return new Result(settings, runs);
    }

    private static Run runOne(Config config, DigitsSplit data, Batch fixed, int depth, int width, int steps, int batchSize,
                              double learningRate, int recordEvery, long seed) {
        Sequential model = Nets.mlp(Digits.FEATURES, Nets.widths(depth, width), Digits.CLASSES, config.activation(),
                config.batchNorm() ? BatchNorm1d::new : null, config.init(), new Random(seed));
        List<Linear> linears = Nets.layersOf(model, Linear.class);
        List<Module> activations = new ArrayList<>();
        for (Module m : model.layers()) {
            if (!(m instanceof Linear) && !(m instanceof BatchNorm1d)) {
                activations.add(m);
            }
        }
        Recorder recorder = new Recorder(linears.subList(0, depth), activations, config.activation());

        // one forward/backward on the fixed batch, without updating anything
        model.zeroGrad();
        Tensor loss = Losses.crossEntropy(model.apply(fixed.features()), fixed.labels());
        loss.backward();
        recorder.detachHooks();
        double maxStd = 0;
        for (int l = 0; l < depth; l++) {
            maxStd = Math.max(maxStd, Stats.std(recorder.gradients.get(l)));
        }
        double scale = maxStd > 0 ? 4 * maxStd : 1;
        double[] gradientEdges = Stats.edges(-scale, scale, GRADIENT_BINS);
        List<LayerSnapshot> atInit = new ArrayList<>();
        for (int l = 0; l < depth; l++) {
            double[] a = recorder.activations.get(l);
            double[] g = recorder.gradients.get(l);
            double[] logAbs = new double[g.length];
            for (int i = 0; i < g.length; i++) {
                logAbs[i] = g[i] == 0 ? Double.NEGATIVE_INFINITY : Math.log10(Math.abs(g[i]));
            }
            Linear lin = linears.get(l);
            atInit.add(new LayerSnapshot(l + 1, Stats.mean(a), Stats.std(a), saturation(a, config.activation()),
                    Stats.histogram(a, ACTIVATION_EDGES), Stats.mean(g), Stats.std(g), Stats.norm(g),
                    Stats.histogram(g, gradientEdges), Stats.histogram(logAbs, LOG_GRADIENT_EDGES),
                    Stats.norm(lin.weight().data().data), Stats.norm(lin.weight().gradData().data)));
        }
        double ratio = atInit.get(0).gradientNorm() / atInit.get(depth - 1).gradientNorm();

        // training, with records
        Optimizer opt = new SGD(model.parameters(), learningRate);
        Iterator<Batch> batches = Training.batches(data.train(), batchSize, new Random(seed + 1));
        List<TrainingRecord> training = new ArrayList<>();
        for (int s = 0; s < steps; s++) {
            Batch b = batches.next();
            boolean record = s % recordEvery == 0;
            if (record) {
                recorder.attachHooks();
            }
            opt.zeroGrad();
            Tensor l = Losses.crossEntropy(model.apply(b.features()), b.labels());
            l.backward();
            if (!record) {
                opt.step();
                continue;
            }
            recorder.detachHooks();
            DMatrixRMaj[] before = new DMatrixRMaj[linears.size()];
            for (int i = 0; i < before.length; i++) {
                before[i] = linears.get(i).weight().data().copy();
            }
            opt.step();
            double[] update = new double[linears.size()];
            for (int i = 0; i < update.length; i++) {
                DMatrixRMaj after = linears.get(i).weight().data();
                double d = 0;
                double w = 0;
                for (int k = 0; k < after.getNumElements(); k++) {
                    double delta = after.data[k] - before[i].data[k];
                    d += delta * delta;
                    w += before[i].data[k] * before[i].data[k];
                }
                update[i] = w == 0 ? 0 : Math.sqrt(d / w);
            }
            double[] sat = new double[depth];
            double[] std = new double[depth];
            double[] grad = new double[depth];
            for (int i = 0; i < depth; i++) {
                sat[i] = saturation(recorder.activations.get(i), config.activation());
                std[i] = Stats.std(recorder.activations.get(i));
                grad[i] = Stats.norm(recorder.gradients.get(i));
            }
            training.add(new TrainingRecord(s, l.item(), sat, std, grad, update));
        }
        double accuracy = Training.accuracy(model, data.test());
        return new Run(config.label(), config.activation().label(), config.init().label(), config.batchNorm(), gradientEdges, atInit,
                ratio, training, accuracy);
    }

    /** The fraction of activations in the nonlinearity's flat region. */
    static double saturation(double[] a, Activation activation) {
        long n = 0;
        for (double v : a) {
            boolean flat;
            switch (activation) {
                case SIGMOID:
                    flat = v < 0.03 || v > 0.97;
                    break;
                case TANH:
                    flat = Math.abs(v) > 0.97;
                    break;
                default:
                    flat = v <= 0;
                    break;
            }
            if (flat) {
                n++;
            }
        }
        return n / (double) a.length;
    }

    /** Captures each hidden layer's activations (forward) and ∂L/∂s of its Linear output (backward). */
    private static final class Recorder {
        final List<Linear> linears;
        final List<Module> activationLayers;
        final List<double[]> activations = new ArrayList<>();
        final List<double[]> gradients = new ArrayList<>();
        final List<Object[]> hooks = new ArrayList<>();

        Recorder(List<Linear> linears, List<Module> activationLayers, Activation activation) {
            this.linears = linears;
            this.activationLayers = activationLayers;
            if (linears.size() != activationLayers.size()) {
                throw new IllegalStateException(String.format(Locale.ROOT, "VanishingGradients: %d hidden Linear layers but %d activations",
                        linears.size(), activationLayers.size()));
            }
            attachHooks();
        }

        void attachHooks() {
            activations.clear();
            gradients.clear();
            for (int l = 0; l < linears.size(); l++) {
                activations.add(null);
                gradients.add(null);
                int layer = l;
                Module.ForwardHook f = activationLayers.get(l).addForwardHook((m, in, out) -> activations.set(layer, Probes.values(out)));
                Module.BackwardHook b = linears.get(l).addBackwardHook((m, dy) -> gradients.set(layer,
                        java.util.Arrays.copyOf(dy.data, dy.getNumElements())));
                hooks.add(new Object[] {activationLayers.get(l), f});
                hooks.add(new Object[] {linears.get(l), b});
            }
        }

        void detachHooks() {
            for (Object[] h : hooks) {
                ((Module) h[0]).removeHook(h[1]);
            }
            hooks.clear();
        }
    }
}

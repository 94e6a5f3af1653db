package dev.normgrad.tutorials.experiments;

import dev.normgrad.autograd.Tensor;
import dev.normgrad.data.Batch;
import dev.normgrad.data.Digits;
import dev.normgrad.nn.Module;
import dev.normgrad.nn.Sequential;
import dev.normgrad.norm.BatchNorm1d;
import dev.normgrad.norm.Normalization;
import dev.normgrad.optim.Optimizer;
import dev.normgrad.optim.SGD;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Random;

/**
 * The batch normalization experiments of notebook 4 (Ioffe &amp; Szegedy, <i>Batch Normalization:
 * Accelerating Deep Network Training by Reducing Internal Covariate Shift</i>, 2015), on the digits
 * ({@link DigitsSplit}: 1437 training and 360 test images). Every method is seeded: the same
 * arguments give the same numbers on every run. All training is plain SGD (no momentum) on the
 * softmax cross-entropy; a model with BatchNorm puts it between each hidden Linear and its
 * nonlinearity, the Linear then without bias.
 *
 * <ul>
 *   <li>{@link #figure1} — the paper's figure 1: test accuracy against steps with and without BN, and
 *       the 15th/50th/85th percentiles of one sigmoid's input over training.</li>
 *   <li>{@link #runningStatistics} — running statistics converging to the data's, for three momenta;
 *       a trained network evaluated with running statistics against batch statistics.</li>
 *   <li>{@link #initScaleSweep} — final accuracy and loss against the init scale σ, with and without
 *       BN (claim 4).</li>
 *   <li>{@link #convergence} — accuracy against steps at several learning rates, and train against
 *       test accuracy (claims 2 and 5).</li>
 *   <li>{@link #smallBatches}, {@link #momentumSweep}, {@link #epsSweep}, {@link #tinyNetworks} —
 *       where BN's parameters matter and where it hurts (claim 8).</li>
 * </ul>
 * {@link #run(long)} runs them all at the notebook's sizes.
 */
public final class BatchNormExperiments {
    /** Hidden widths of the paper's MNIST network: 3 layers of 100. */
    public static final int[] HIDDEN = {100, 100, 100};

    private BatchNormExperiments() {
    }

    // =================================================================== (a) figure 1

    /**
     * @param hidden         hidden widths
     * @param activation     the nonlinearity
     * @param init           the weight initialisation
     * @param steps          SGD steps
     * @param evalEvery      steps between measurements (step 0, the initial model, is measured too)
     * @param batchSize      training batch size
     * @param learningRate   SGD learning rate (the same with and without BN)
     * @param unit           the watched sigmoid: this unit of the last hidden layer
     * @param fixedBatchSize the batch the percentiles are measured on: the first this many test images
     * @param seed           the seed of the split, the weights and the batch order
     */
    public record Figure1Settings(int[] hidden, String activation, String init, int steps, int evalEvery, int batchSize,
                                  double learningRate, int unit, int fixedBatchSize, long seed) {
    }

    /**
     * One model's curves, measured every {@code evalEvery} steps.
     *
     * @param model        {@code "without BN"} or {@code "with BN"}
     * @param steps        the step of each measurement
     * @param testAccuracy test accuracy (evaluation mode: running statistics)
     * @param p15          15th percentile of the watched sigmoid's input over the fixed batch
     * @param p50          its median
     * @param p85          its 85th percentile
     */
    public record Figure1Curve(String model, int[] steps, double[] testAccuracy, double[] p15, double[] p50, double[] p85) {
    }

    /** Figure 1's two models. */
    public record Figure1(Figure1Settings settings, Figure1Curve withoutBatchNorm, Figure1Curve withBatchNorm) {
    }

    /** Figure 1 at the notebook's size: 3×100 sigmoid, N(0, 0.1²), batch 60, lr 0.5, 500 steps, measured every 25. */
    public static Figure1 figure1(long seed) {
        return figure1(HIDDEN, 500, 25, 60, 0.5, 0.1, 0, 200, seed);
    }

    /**
     * Ioffe &amp; Szegedy's figure 1 on the digits: two sigmoid MLPs from the same weights and the same
     * batches, one with BatchNorm before each sigmoid. Measured every {@code evalEvery} steps: test
     * accuracy, and the 15th, 50th and 85th percentiles of the input to one sigmoid of the last hidden
     * layer over a fixed batch (the first {@code fixedBatchSize} test images). The input to the
     * sigmoid is what it receives during training: with BN, γ·x̂ + β computed with the fixed batch's own
     * statistics (the running statistics are left untouched by the measurement).
     *
     * @param initStd weights drawn from N(0, initStd²), biases 0 (the paper: "small random Gaussian values")
     */
    public static Figure1 figure1(int[] hidden, int steps, int evalEvery, int batchSize, double learningRate, double initStd,
                                  int unit, int fixedBatchSize, long seed) {
        DigitsSplit data = DigitsSplit.load(seed);
        if (unit < 0 || unit >= hidden[hidden.length - 1]) {
            throw new IllegalArgumentException("figure1: unit " + unit + " is not in the last hidden layer (0.."
                    + (hidden[hidden.length - 1] - 1) + ")");
        }
        WeightInit init = WeightInit.normal(initStd);
        int[] idx = new int[Math.min(fixedBatchSize, data.test().size())];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = i;
        }
        Tensor fixedBatch = data.test().subset(idx).features();
        Figure1Curve[] curves = new Figure1Curve[2];
        for (int k = 0; k < 2; k++) {
            boolean bn = k == 1;
            Sequential model = Nets.mlp(Digits.FEATURES, hidden, Digits.CLASSES, Activation.SIGMOID,
                    bn ? BatchNorm1d::new : null, init, new Random(seed));
            // the input of the last sigmoid: the layer just before it
            Module sigmoidInput = model.get(model.size() - 3);
            Optimizer opt = new SGD(model.parameters(), learningRate).allowNonFiniteGradients();
            Iterator<Batch> batches = Training.batches(data.train(), batchSize, new Random(seed + 1));
            int points = steps / evalEvery + 1;
            int[] at = new int[points];
            double[] acc = new double[points];
            double[] p15 = new double[points];
            double[] p50 = new double[points];
            double[] p85 = new double[points];
            for (int s = 0, p = 0; s <= steps; s++) {
                if (s % evalEvery == 0 && p < points) {
                    at[p] = s;
                    acc[p] = Training.accuracy(model, data.test());
                    double[] u = Probes.column(Probes.layerOutput(model, sigmoidInput, fixedBatch, true), unit);
                    p15[p] = Stats.percentile(u, 15);
                    p50[p] = Stats.percentile(u, 50);
                    p85[p] = Stats.percentile(u, 85);
                    p++;
                }
                if (s < steps) {
                    Training.step(model, opt, batches.next());
                }
            }
            curves[k] = new Figure1Curve(bn ? "with BN" : "without BN", at, acc, p15, p50, p85);
        }
        Figure1Settings settings = new Figure1Settings(hidden.clone(), Activation.SIGMOID.label(), init.label(), steps, evalEvery,
                batchSize, learningRate, unit, idx.length, seed);
        return new Figure1(settings, curves[0], curves[1]);
    }

    // =================================================================== (b) running statistics, train vs eval

    /**
     * A BatchNorm1d(64) layer fed the raw digit pixels (0..16, not standardised) in batches: how fast its
     * running statistics approach the pixels' statistics over the training set.
     *
     * @param momentum      {@code "0.1"}, {@code "0.01"}, or {@code "cumulative"} (momentum null: the plain average)
     * @param steps         the number of training batches seen at each measurement
     * @param meanError     ‖runningMean − μ‖ / ‖σ‖ (the error in units of the pixels' spread; 1.35 at the start,
     *                      when runningMean = 0)
     * @param varianceError ‖runningVar − σ²‖ / ‖σ²‖ (σ² unbiased, over the training set)
     */
    public record RunningStatsCurve(String momentum, int[] steps, double[] meanError, double[] varianceError) {
    }

    /**
     * Test accuracy of a trained BN network when its BatchNorm layers use the statistics of the test
     * batch they are given (training mode) instead of the running statistics.
     *
     * @param batchSize the test batch size
     * @param accuracy  test accuracy with batch statistics
     */
    public record BatchStatisticsAccuracy(int batchSize, double accuracy) {
    }

    /**
     * @param batchSize                  training batch size, for the layer and the network
     * @param layerCurves                the single layer on raw pixels, one curve per momentum
     * @param networkSteps               steps the network trained
     * @param networkEvalAccuracy        its test accuracy with running statistics (evaluation mode)
     * @param networkBatchStatistics     its test accuracy with batch statistics, per test batch size
     * @param networkRunningMeanError    per BN layer: ‖runningMean − μ‖ / ‖σ‖, μ and σ² the mean and variance of
     *                                   the layer's input over the training set with the final weights
     * @param networkRunningVarError     per BN layer: the same for the variance
     */
    public record RunningStatistics(int batchSize, List<RunningStatsCurve> layerCurves, int networkSteps,
                                    double networkEvalAccuracy, List<BatchStatisticsAccuracy> networkBatchStatistics,
                                    double[] networkRunningMeanError, double[] networkRunningVarError) {
    }

    /** At the notebook's size: batch 32, 300 steps for the layer, 400 for the network. */
    public static RunningStatistics runningStatistics(long seed) {
        return runningStatistics(32, 300, 400, new int[] {2, 4, 8, 32, 360}, seed);
    }

    /**
     * Running statistics and evaluation mode, in two parts. (1) A lone BatchNorm1d(64) on raw pixel
     * batches, with momentum 0.1, 0.01 and null (cumulative average): the relative error of its
     * running mean and variance against the training set's, after each batch. (2) The 3×100 ReLU
     * BN network trained for {@code networkSteps} steps (lr 0.1): test accuracy with running statistics,
     * then with the statistics of test batches of each size in {@code testBatchSizes}, and how close
     * each BN layer's running statistics are to the statistics of its input over the training set.
     */
    public static RunningStatistics runningStatistics(int batchSize, int layerSteps, int networkSteps, int[] testBatchSizes,
                                                      long seed) {
        DigitsSplit data = DigitsSplit.load(seed);
        // raw pixels: the layer sees data whose mean and variance are far from 0 and 1
        dev.normgrad.data.Dataset.Split rawSplit = Digits.load().split(DigitsSplit.TEST_FRACTION, new Random(seed));
        dev.normgrad.data.Dataset raw = rawSplit.train();
        double[][] truth = Probes.columnMeanAndVariance(raw.features());
        Double[] momenta = {0.1, 0.01, null};
        List<RunningStatsCurve> curves = new ArrayList<>();
        for (Double momentum : momenta) {
            BatchNorm1d bn = new BatchNorm1d(Digits.FEATURES, Normalization.DEFAULT_EPS, momentum, true, true);
            Iterator<Batch> batches = Training.batches(raw, batchSize, new Random(seed + 2));
            int[] at = new int[layerSteps + 1];
            double[] me = new double[layerSteps + 1];
            double[] ve = new double[layerSteps + 1];
            for (int s = 0; s <= layerSteps; s++) {
                at[s] = s;
                me[s] = Probes.meanError(bn.runningMean().data().data, truth[0], truth[1]);
                ve[s] = Probes.varianceError(bn.runningVar().data().data, truth[1]);
                if (s < layerSteps) {
                    try (dev.normgrad.autograd.NoGrad off = dev.normgrad.autograd.NoGrad.enter()) {
                        bn.apply(batches.next().features());
                    }
                }
            }
            curves.add(new RunningStatsCurve(momentum == null ? "cumulative" : String.valueOf(momentum), at, me, ve));
        }

        Sequential model = Nets.mlp(Digits.FEATURES, HIDDEN, Digits.CLASSES, Activation.RELU, BatchNorm1d::new,
                WeightInit.he(), new Random(seed));
        train(model, data, networkSteps, batchSize, 0.1, seed);
        double evalAccuracy = Training.accuracy(model, data.test());
        List<BatchStatisticsAccuracy> withBatch = new ArrayList<>();
        for (int b : testBatchSizes) {
            withBatch.add(new BatchStatisticsAccuracy(b, Probes.accuracyWithBatchStatistics(model, data.test(), b)));
        }
        List<BatchNorm1d> bns = Nets.layersOf(model, BatchNorm1d.class);
        double[] meanErr = new double[bns.size()];
        double[] varErr = new double[bns.size()];
        for (int i = 0; i < bns.size(); i++) {
            double[] e = Probes.runningStatisticsError(model, bns.get(i), data.train());
            meanErr[i] = e[0];
            varErr[i] = e[1];
        }
        return new RunningStatistics(batchSize, curves, networkSteps, evalAccuracy, withBatch, meanErr, varErr);
    }

    // =================================================================== (c) init scale

    /**
     * One trained model of the sweep.
     *
     * @param initStd      weights from N(0, initStd²)
     * @param batchNorm    with BatchNorm before each nonlinearity
     * @param trainLoss    cross-entropy on the whole training set after training (evaluation mode)
     * @param testLoss     cross-entropy on the test set
     * @param testAccuracy test accuracy
     */
    public record InitSweepPoint(double initStd, boolean batchNorm, double trainLoss, double testLoss, double testAccuracy) {
    }

    /** The sweep's settings and its points, without BN then with BN for each σ. */
    public record InitSweep(String activation, int[] hidden, int steps, int batchSize, double learningRate,
                            List<InitSweepPoint> points) {
    }

    /** The notebook's σ: 0.001 … 10. */
    public static final double[] INIT_STDS = {0.001, 0.01, 0.1, 1, 10};

    /** At the notebook's size: σ in {@link #INIT_STDS}, 150 steps of batch 32, lr 0.1. */
    public static InitSweep initScaleSweep(Activation activation, long seed) {
        return initScaleSweep(activation, INIT_STDS, 150, 32, 0.1, seed);
    }

    /**
     * Claim 4, "BN lowers the sensitivity to the initial weights": the 3×100 MLP with every weight drawn
     * from N(0, σ²), trained the same number of steps at the same learning rate with and without BN,
     * for each σ. A diverged run reports a NaN or infinite loss and chance accuracy.
     */
    public static InitSweep initScaleSweep(Activation activation, double[] stds, int steps, int batchSize, double learningRate,
                                           long seed) {
        DigitsSplit data = DigitsSplit.load(seed);
        List<InitSweepPoint> points = new ArrayList<>();
        for (double std : stds) {
            for (boolean bn : new boolean[] {false, true}) {
                Sequential model = Nets.mlp(Digits.FEATURES, HIDDEN, Digits.CLASSES, activation, bn ? BatchNorm1d::new : null,
                        WeightInit.normal(std), new Random(seed));
                train(model, data, steps, batchSize, learningRate, seed);
                Training.Evaluation tr = Training.evaluate(model, data.train());
                Training.Evaluation te = Training.evaluate(model, data.test());
                points.add(new InitSweepPoint(std, bn, tr.loss(), te.loss(), te.accuracy()));
            }
        }
        return new InitSweep(activation.label(), HIDDEN.clone(), steps, batchSize, learningRate, points);
    }

    // =================================================================== (d) convergence and generalization

    /**
     * One model trained at one learning rate.
     *
     * @param learningRate       SGD learning rate
     * @param batchNorm          with BN
     * @param steps              the step of each measurement
     * @param testAccuracy       test accuracy at each measurement
     * @param trainLoss          mean mini-batch loss over the steps since the previous measurement (at step 0:
     *                           the loss of the initial model on the whole training set)
     * @param stepsTo90          first measured step with test accuracy ≥ 0.90, or −1 if never
     * @param stepsTo95          the same for 0.95
     * @param meanTestAccuracy   the mean of testAccuracy over the measurements: the area under the curve, divided
     *                           by its length (higher means it got there sooner)
     * @param finalTrainAccuracy accuracy on the whole training set at the end (evaluation mode)
     * @param finalTestAccuracy  test accuracy at the end
     * @param finalTrainLoss     cross-entropy on the whole training set at the end
     * @param finalTestLoss      cross-entropy on the test set at the end
     */
    public record ConvergenceRun(double learningRate, boolean batchNorm, int[] steps, double[] testAccuracy, double[] trainLoss,
                                 int stepsTo90, int stepsTo95, double meanTestAccuracy, double finalTrainAccuracy, double finalTestAccuracy,
                                 double finalTrainLoss, double finalTestLoss) {
    }

    /** The runs, without BN then with BN at each learning rate. */
    public record Convergence(String activation, String init, int[] hidden, int batchSize, int steps, int evalEvery,
                              List<ConvergenceRun> runs) {
    }

    /** The notebook's learning rates. */
    public static final double[] LEARNING_RATES = {0.01, 0.1, 1.0};

    /** At the notebook's size: 3×100 ReLU, He init, lr in {@link #LEARNING_RATES}, 250 steps of batch 32, measured every 10. */
    public static Convergence convergence(long seed) {
        return convergence(Activation.RELU, WeightInit.he(), LEARNING_RATES, 250, 10, 32, seed);
    }

    /**
     * Claims 2 and 5, "BN speeds convergence" and "it can improve generalization": the 3×100 MLP with
     * and without BN, from the same weights and batches, at each learning rate; test accuracy every
     * {@code evalEvery} steps, and at the end train and test accuracy and loss.
     */
    public static Convergence convergence(Activation activation, WeightInit init, double[] learningRates, int steps, int evalEvery,
                                          int batchSize, long seed) {
        DigitsSplit data = DigitsSplit.load(seed);
        List<ConvergenceRun> runs = new ArrayList<>();
        for (double lr : learningRates) {
            for (boolean bn : new boolean[] {false, true}) {
                Sequential model = Nets.mlp(Digits.FEATURES, HIDDEN, Digits.CLASSES, activation, bn ? BatchNorm1d::new : null,
                        init, new Random(seed));
                Optimizer opt = new SGD(model.parameters(), lr).allowNonFiniteGradients();
                Iterator<Batch> batches = Training.batches(data.train(), batchSize, new Random(seed + 1));
                int points = steps / evalEvery + 1;
                int[] at = new int[points];
                double[] acc = new double[points];
                double[] loss = new double[points];
                double lossSum = 0;
                int lossCount = 0;
                for (int s = 0, p = 0; s <= steps; s++) {
                    if (s % evalEvery == 0 && p < points) {
                        at[p] = s;
                        acc[p] = Training.accuracy(model, data.test());
                        loss[p] = lossCount == 0 ? Training.evaluate(model, data.train()).loss() : lossSum / lossCount;
                        lossSum = 0;
                        lossCount = 0;
                        p++;
                    }
                    if (s < steps) {
                        lossSum += Training.step(model, opt, batches.next());
                        lossCount++;
                    }
                }
                Training.Evaluation tr = Training.evaluate(model, data.train());
                Training.Evaluation te = Training.evaluate(model, data.test());
                runs.add(new ConvergenceRun(lr, bn, at, acc, loss, firstReaching(at, acc, 0.90), firstReaching(at, acc, 0.95),
                        Stats.mean(acc), tr.accuracy(), te.accuracy(), tr.loss(), te.loss()));
            }
        }
        return new Convergence(activation.label(), init.label(), HIDDEN.clone(), batchSize, steps, evalEvery, runs);
    }

    private static int firstReaching(int[] at, double[] acc, double threshold) {
        for (int i = 0; i < at.length; i++) {
            if (acc[i] >= threshold) {
                return at[i];
            }
        }
        return -1;
    }

    // =================================================================== (e) where BN's parameters matter, where it hurts

    /**
     * One model trained with a given batch size for a fixed number of epochs.
     *
     * @param batchSize               training batch size
     * @param batchNorm               with BN
     * @param steps                   the steps that many epochs took
     * @param evalAccuracy            test accuracy in evaluation mode (BN: running statistics)
     * @param batchStatisticsAccuracy test accuracy with BN using the statistics of test batches of the same size
     *                                (equal to evalAccuracy without BN)
     */
    public record SmallBatchPoint(int batchSize, boolean batchNorm, int steps, double evalAccuracy,
                                  double batchStatisticsAccuracy) {
    }

    /** The notebook's batch sizes for {@link #smallBatches}. */
    public static final int[] SMALL_BATCH_SIZES = {2, 4, 8, 32};

    /** At the notebook's size: batch sizes {@link #SMALL_BATCH_SIZES}, 3 epochs, lr 0.02. */
    public static List<SmallBatchPoint> smallBatches(long seed) {
        return smallBatches(SMALL_BATCH_SIZES, 3, 0.02, seed);
    }

    /**
     * Small batches: the 3×100 ReLU MLP with and without BN, trained for the same number of epochs
     * (the same number of samples seen: smaller batches take more steps) at each batch size; BN
     * estimates its statistics from fewer samples, and its running statistics average noisier ones.
     */
    public static List<SmallBatchPoint> smallBatches(int[] batchSizes, int epochs, double learningRate, long seed) {
        DigitsSplit data = DigitsSplit.load(seed);
        List<SmallBatchPoint> points = new ArrayList<>();
        for (int b : batchSizes) {
            for (boolean bn : new boolean[] {false, true}) {
                Sequential model = Nets.mlp(Digits.FEATURES, HIDDEN, Digits.CLASSES, Activation.RELU, bn ? BatchNorm1d::new : null,
                        WeightInit.he(), new Random(seed));
                int steps = epochs * (data.train().size() / b);
                train(model, data, steps, b, learningRate, seed);
                double eval = Training.accuracy(model, data.test());
                double batchStats = bn ? Probes.accuracyWithBatchStatistics(model, data.test(), b) : eval;
                points.add(new SmallBatchPoint(b, bn, steps, eval, batchStats));
            }
        }
        return points;
    }

    /**
     * One BN model trained with a given momentum.
     *
     * @param momentum                {@code "0.1"} etc., or {@code "cumulative"}
     * @param trainLoss               mean mini-batch loss over the last 50 steps (the same for every momentum:
     *                                momentum only changes the running statistics, never a training forward)
     * @param evalAccuracy            test accuracy with the running statistics
     * @param batchStatisticsAccuracy test accuracy with the statistics of the whole test set as one batch
     * @param runningMeanError        mean over BN layers of ‖runningMean − μ‖ / ‖σ‖ against the training set
     * @param runningVarError         the same for the variance
     */
    public record MomentumPoint(String momentum, double trainLoss, double evalAccuracy, double batchStatisticsAccuracy,
                                double runningMeanError, double runningVarError) {
    }

    /** The notebook's momenta for {@link #momentumSweep}; null is the cumulative average. */
    public static final Double[] MOMENTA = {0.5, 0.1, 0.01, 0.001, null};

    /** At the notebook's size: momenta {@link #MOMENTA}, 200 steps of batch 32, lr 0.1. */
    public static List<MomentumPoint> momentumSweep(long seed) {
        return momentumSweep(MOMENTA, 200, 32, 0.1, seed);
    }

    /**
     * BN's momentum (PyTorch's convention: the weight of the new batch in the running average): the
     * 3×100 ReLU BN MLP trained with each momentum from the same weights and batches.
     */
    public static List<MomentumPoint> momentumSweep(Double[] momenta, int steps, int batchSize, double learningRate, long seed) {
        DigitsSplit data = DigitsSplit.load(seed);
        List<MomentumPoint> points = new ArrayList<>();
        for (Double m : momenta) {
            Sequential model = Nets.mlp(Digits.FEATURES, HIDDEN, Digits.CLASSES, Activation.RELU,
                    w -> new BatchNorm1d(w, Normalization.DEFAULT_EPS, m, true, true), WeightInit.he(), new Random(seed));
            double lastLoss = train(model, data, steps, batchSize, learningRate, seed);
            double eval = Training.accuracy(model, data.test());
            double batchStats = Probes.accuracyWithBatchStatistics(model, data.test(), data.test().size());
            double me = 0;
            double ve = 0;
            List<BatchNorm1d> bns = Nets.layersOf(model, BatchNorm1d.class);
            for (BatchNorm1d bn : bns) {
                double[] e = Probes.runningStatisticsError(model, bn, data.train());
                me += e[0] / bns.size();
                ve += e[1] / bns.size();
            }
            points.add(new MomentumPoint(m == null ? "cumulative" : String.valueOf(m), lastLoss, eval, batchStats, me, ve));
        }
        return points;
    }

    /**
     * One model trained with a given eps.
     *
     * @param eps          added to the variance inside the square root
     * @param trainLoss    mean mini-batch loss over the last 50 steps
     * @param testAccuracy test accuracy
     */
    public record EpsPoint(double eps, double trainLoss, double testAccuracy) {
    }

    /** The notebook's eps values. */
    public static final double[] EPS = {1e-5, 1e-3, 0.1, 1, 10, 100};

    /** At the notebook's size: eps in {@link #EPS}, the 3×100 sigmoid BN MLP, 200 steps of batch 32, lr 0.5. */
    public static List<EpsPoint> epsSweep(long seed) {
        return epsSweep(Activation.SIGMOID, EPS, 200, 32, 0.5, seed);
    }

    /**
     * BN's eps: x̂ = (x − μ) / √(σ² + eps). An eps comparable to the variance of the layer's input stops
     * BN from normalizing (it then only centres, and shrinks by 1/√eps); the 3×100 BN MLP trained with
     * each eps from the same weights and batches, weights N(0, 0.1²).
     */
    public static List<EpsPoint> epsSweep(Activation activation, double[] eps, int steps, int batchSize, double learningRate,
                                          long seed) {
        DigitsSplit data = DigitsSplit.load(seed);
        List<EpsPoint> points = new ArrayList<>();
        for (double e : eps) {
            Sequential model = Nets.mlp(Digits.FEATURES, HIDDEN, Digits.CLASSES, activation,
                    w -> new BatchNorm1d(w, e, Normalization.DEFAULT_MOMENTUM, true, true), WeightInit.normal(0.1), new Random(seed));
            double lastLoss = train(model, data, steps, batchSize, learningRate, seed);
            points.add(new EpsPoint(e, lastLoss, Training.accuracy(model, data.test())));
        }
        return points;
    }

    /**
     * A very small network, trained from several seeds (each seed draws its own weights and batch order;
     * the split stays the one of the experiment's seed).
     *
     * @param width        hidden units
     * @param batchNorm    with BN
     * @param testAccuracy test accuracy for each seed
     * @param meanAccuracy their mean
     * @param trainLoss    mean over seeds of the cross-entropy on the whole training set after training
     */
    public record WidthPoint(int width, boolean batchNorm, double[] testAccuracy, double meanAccuracy, double trainLoss) {
    }

    /** The notebook's hidden widths for {@link #tinyNetworks}. */
    public static final int[] TINY_WIDTHS = {2, 4, 8, 16};

    /**
     * At the notebook's size: one hidden ReLU layer of each width in {@link #TINY_WIDTHS}, 600 steps of
     * batch 32, lr 0.1, 5 seeds.
     */
    public static List<WidthPoint> tinyNetworks(long seed) {
        return tinyNetworks(TINY_WIDTHS, 600, 32, 0.1, 5, seed);
    }

    /**
     * Very small networks: 64 → width → 10 with one hidden ReLU layer, with and without BN, trained the
     * same steps from the same weights and batches; {@code seeds} runs each (seed, seed + 1, ...), since
     * the differences are of the order of a few test images.
     */
    public static List<WidthPoint> tinyNetworks(int[] widths, int steps, int batchSize, double learningRate, int seeds, long seed) {
        DigitsSplit data = DigitsSplit.load(seed);
        List<WidthPoint> points = new ArrayList<>();
        for (int w : widths) {
            for (boolean bn : new boolean[] {false, true}) {
                double[] acc = new double[seeds];
                double loss = 0;
                for (int k = 0; k < seeds; k++) {
                    long s = seed + 100L * k;
                    Sequential model = Nets.mlp(Digits.FEATURES, new int[] {w}, Digits.CLASSES, Activation.RELU,
                            bn ? BatchNorm1d::new : null, WeightInit.he(), new Random(s));
                    train(model, data, steps, batchSize, learningRate, s);
                    acc[k] = Training.accuracy(model, data.test());
                    loss += Training.evaluate(model, data.train()).loss() / seeds;
                }
                points.add(new WidthPoint(w, bn, acc, Stats.mean(acc), loss));
            }
        }
        return points;
    }

    /** Everything in (e). */
    public record Sensitivity(List<SmallBatchPoint> smallBatches, List<MomentumPoint> momentum, List<EpsPoint> eps,
                              List<WidthPoint> tinyNetworks) {
    }

    // =================================================================== all of them

    /** Every experiment of the notebook at its default size. */
    public record Result(Figure1 figure1, RunningStatistics runningStatistics, InitSweep initScaleSigmoid, InitSweep initScaleRelu,
                         Convergence convergence, Sensitivity sensitivity) {
    }

    /** Runs every experiment at the notebook's size (about a minute on two cores). */
    public static Result run(long seed) {
        return new Result(figure1(seed), runningStatistics(seed), initScaleSweep(Activation.SIGMOID, seed),
                initScaleSweep(Activation.RELU, seed), convergence(seed),
                new Sensitivity(smallBatches(seed), momentumSweep(seed), epsSweep(seed), tinyNetworks(seed)));
    }

    // =================================================================== shared

    /**
     * Trains {@code model} for {@code steps} SGD steps on shuffled batches (order from seed + 1);
     * returns the mean mini-batch loss over the last min(50, steps) steps.
     */
    static double train(Module model, DigitsSplit data, int steps, int batchSize, double learningRate, long seed) {
        return train(model, data, steps, batchSize, new SGD(model.parameters(), learningRate).allowNonFiniteGradients(), seed);
    }

    /** {@link #train(Module, DigitsSplit, int, int, double, long)} with the given optimizer. */
    static double train(Module model, DigitsSplit data, int steps, int batchSize, Optimizer opt, long seed) {
        Iterator<Batch> batches = Training.batches(data.train(), batchSize, new Random(seed + 1));
        int window = Math.min(50, steps);
        double sum = 0;
        for (int s = 0; s < steps; s++) {
            double loss = Training.step(model, opt, batches.next());
            if (s >= steps - window) {
                sum += loss;
            }
        }
        return window == 0 ? Double.NaN : sum / window;
    }
}

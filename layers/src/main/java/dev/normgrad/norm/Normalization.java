package dev.normgrad.norm;

import dev.normgrad.autograd.ShapeException;
import dev.normgrad.autograd.Tensor;
import dev.normgrad.ops.BlockTranspose;
import java.util.Arrays;

/**
 * The math of every normalization layer, as static functions (PyTorch's
 * {@code torch.nn.functional.batch_norm}, {@code layer_norm}...); the layers in this package only
 * own the state they pass in. All of them are one computation, {@link #normalize}, with a different
 * {@link StatisticsSet}:
 *
 * <pre>
 *   x̂ = (x − μ) / sqrt(σ² + eps)      μ, σ² over the statistics set; σ² biased, two-pass; eps inside the root
 *   y = γ ⊙ x̂ + β                      γ, β per channel (BatchNorm, InstanceNorm, GroupNorm)
 *                                      or per feature (LayerNorm, RMSNorm)
 * </pre>
 *
 * Each function takes {@code fused}:
 * <ul>
 *   <li>{@code fused = true}: one {@link NormalizeOp}, whose backward is the closed form
 *       {@code dx = (1/σ)(dx̂ − mean(dx̂) − x̂·mean(dx̂ ⊙ x̂))}. Faster, and it keeps only x̂ and 1/σ.</li>
 *   <li>{@code fused = false}: composed from engine ops (reshape, {@link BlockTranspose}, mean, sub,
 *       pow, sqrt, div, broadcasting mul and add); autograd derives the backward. Read this one to
 *       learn what a normalization layer computes; gradient-check the other against it.</li>
 * </ul>
 * Both give the same values and gradients (to ~1e-15 relative).
 *
 * <p>Inputs are N × (C·L): N samples, each C channel blocks of L positions (L = 1 for plain
 * features). Weights, biases and running statistics are 1×C rows (1×D for LayerNorm and RMSNorm).
 * Running statistics are updated in place, with PyTorch's convention
 * {@code running = (1 − momentum)·running + momentum·batch} and the unbiased variance
 * (n/(n − 1)); the biased one normalizes.
 */
public final class Normalization {
    /** PyTorch's default eps for BatchNorm, LayerNorm, InstanceNorm and GroupNorm. */
    public static final double DEFAULT_EPS = 1e-5;
    /** PyTorch's default momentum: 10% of the batch statistic enters the running one each step. */
    public static final double DEFAULT_MOMENTUM = 0.1;

    private Normalization() {
    }

    /**
     * The output of {@link #normalize} and the statistics it used, one per statistic of the set.
     *
     * @param output   y, the shape of x
     * @param mean     the means (zeros for RMSNorm)
     * @param variance the biased variances (for RMSNorm, the mean squares)
     */
    public record Normalized(Tensor output, double[] mean, double[] variance) {
    }

    // ------------------------------------------------------------------ the one kernel

    /**
     * Normalizes {@code x} with its own statistics over {@code set}, then scales and shifts.
     *
     * @param x      N × W input. Not modified.
     * @param set    which entries share a mean and a variance; its size must be N·W
     * @param eps    added to the variance inside the square root
     * @param weight γ, a 1×A row, or null for none
     * @param bias   β, a 1×A row, or null for none
     * @param repeat how many consecutive columns share one entry of γ and β (L for per-channel, 1 for per-feature);
     *               the row of A·repeat values is tiled across the width
     * @param fused  one {@link NormalizeOp} (true) or composed from engine ops (false)
     */
    public static Normalized normalize(Tensor x, StatisticsSet set, double eps, Tensor weight, Tensor bias, int repeat,
            boolean fused) {
        checkSize(x, set);
        if (fused) {
            NormalizeOp op = new NormalizeOp(set, eps, weight != null, bias != null, repeat);
            Tensor y = op.apply(inputs(x, weight, bias));
            return new Normalized(y, op.mean(), op.variance());
        }
        Tensor v = toStatisticRows(x, set);                  // groups × (outer·inner): one statistic per row
        Tensor mean = v.mean(1);
        Tensor centred = set.centred() ? v.sub(mean) : v;
        Tensor variance = centred.pow(2).mean(1);           // biased: divides by n
        Tensor xhat = centred.div(variance.add(eps).sqrt());
        Tensor y = affine(fromStatisticRows(xhat, set, x.rows(), x.cols()), weight, bias, repeat);
        int q = set.groups();
        double[] m = set.centred() ? Arrays.copyOf(mean.data().data, q) : new double[q];
        return new Normalized(y, m, Arrays.copyOf(variance.data().data, q));
    }

    /**
     * Normalizes {@code x} with given statistics (running statistics in evaluation), held constant:
     * no gradient flows into them.
     *
     * @param mean     one mean per statistic of {@code set} (ignored for a non-centred set). Not modified.
     * @param variance one variance per statistic. Not modified.
     * @see #normalize(Tensor, StatisticsSet, double, Tensor, Tensor, int, boolean)
     */
    public static Tensor normalizeWith(Tensor x, StatisticsSet set, double[] mean, double[] variance, double eps,
            Tensor weight, Tensor bias, int repeat, boolean fused) {
        checkSize(x, set);
        if (fused) {
            return new NormalizeOp(set, mean, variance, eps, weight != null, bias != null, repeat).apply(inputs(x, weight, bias));
        }
        if (variance.length != set.groups() || (set.centred() && mean.length != set.groups())) {
            throw new IllegalArgumentException("normalize: " + set.groups() + " statistics expected, got "
                    + mean.length + " means and " + variance.length + " variances");
        }
        double[] invStd = new double[variance.length];
        for (int g = 0; g < invStd.length; g++) {
            invStd[g] = 1.0 / Math.sqrt(variance[g] + eps);
        }
        Tensor v = toStatisticRows(x, set);
        Tensor centred = set.centred() ? v.sub(Tensor.column(mean)) : v;
        Tensor xhat = centred.mul(Tensor.column(invStd));
        return affine(fromStatisticRows(xhat, set, x.rows(), x.cols()), weight, bias, repeat);
    }

    // ------------------------------------------------------------------ the layers' functions

    /**
     * Batch normalization (Ioffe &amp; Szegedy 2015): per channel, over the N samples and L positions.
     * Training (or no running statistics): the batch's statistics, and the running ones, if given,
     * are updated in place. Evaluation: the running statistics.
     *
     * @param x           N × (C·L). Not modified.
     * @param numChannels C
     * @param runningMean 1×C, or null. Modified when training.
     * @param runningVar  1×C, or null. Modified when training.
     * @param weight      γ, 1×C, or null
     * @param bias        β, 1×C, or null
     * @param momentum    the weight of the batch statistic in the running update
     */
    public static Tensor batchNorm(Tensor x, int numChannels, Tensor runningMean, Tensor runningVar, Tensor weight,
            Tensor bias, boolean training, double momentum, double eps, boolean fused) {
        return batchNorm("batchNorm", x, numChannels, runningMean, runningVar, weight, bias, training, momentum, eps, fused);
    }

    static Tensor batchNorm(String who, Tensor x, int numChannels, Tensor runningMean, Tensor runningVar, Tensor weight,
            Tensor bias, boolean training, double momentum, double eps, boolean fused) {
        int length = channelLength(who, x, numChannels);
        checkRow(who, "runningMean", runningMean, numChannels);
        checkRow(who, "runningVar", runningVar, numChannels);
        StatisticsSet set = StatisticsSet.batchNorm(x.rows(), numChannels, length);
        if (!training && runningMean != null) {
            return normalizeWith(x, set, runningMean.data().data, runningVar.data().data, eps, weight, bias, length, fused);
        }
        NormalizationLayer.requireMoreThanOneValue(who, x, set.count(), training, runningMean != null
                ? "use a batch of at least 2, or call eval()"
                : training ? "use a batch of at least 2 (without running statistics, eval() uses the batch's statistics too)"
                : "without running statistics (trackRunningStats=false) eval() also normalizes with the batch's own "
                        + "statistics; use a batch of at least 2");
        Normalized out = normalize(x, set, eps, weight, bias, length, fused);
        if (training && runningMean != null) {
            updateRunning(runningMean, runningVar, out.mean(), out.variance(), set.count(), momentum);
        }
        return out.output();
    }

    /**
     * Batch renormalization (Ioffe 2017): in training, BatchNorm's x̂ corrected towards the running
     * statistics, {@code x̂ = (x − μ_B)/σ_B · r + d}, with
     * <pre>
     *   r = clip(σ_B / σ, 1/rmax, rmax),   d = clip((μ_B − μ) / σ, −dmax, dmax),   σ = sqrt(runningVar + eps)
     * </pre>
     * computed from the running statistics before this batch updates them, and treated as constants
     * (no gradient through r and d). The kernel runs unchanged, with weight γ·r and bias β + γ·d.
     * Evaluation is BatchNorm's. rmax = 1, dmax = 0 give BatchNorm exactly.
     */
    public static Tensor batchRenorm(Tensor x, int numChannels, Tensor runningMean, Tensor runningVar, Tensor weight,
            Tensor bias, boolean training, double momentum, double eps, double rmax, double dmax, boolean fused) {
        return batchRenorm("batchRenorm", x, numChannels, runningMean, runningVar, weight, bias, training, momentum, eps,
                rmax, dmax, fused);
    }

    static Tensor batchRenorm(String who, Tensor x, int numChannels, Tensor runningMean, Tensor runningVar, Tensor weight,
            Tensor bias, boolean training, double momentum, double eps, double rmax, double dmax, boolean fused) {
        if (runningMean == null || runningVar == null) {
            throw new IllegalArgumentException(who + ": batch renormalization needs the running mean and variance");
        }
        if (!training) {
            return batchNorm(who, x, numChannels, runningMean, runningVar, weight, bias, false, momentum, eps, fused);
        }
        int length = channelLength(who, x, numChannels);
        checkRow(who, "runningMean", runningMean, numChannels);
        checkRow(who, "runningVar", runningVar, numChannels);
        StatisticsSet set = StatisticsSet.batchNorm(x.rows(), numChannels, length);
        NormalizationLayer.requireMoreThanOneValue(who, x, set.count(), true, "use a batch of at least 2, or call eval()");
        double[] mu = new double[numChannels];
        double[] var = new double[numChannels];
        NormalizeOp.statistics(x.data().data, set, mu, var);
        double[] r = new double[numChannels];
        double[] d = new double[numChannels];
        for (int c = 0; c < numChannels; c++) {
            double sigma = Math.sqrt(runningVar.data().data[c] + eps);
            r[c] = clip(Math.sqrt(var[c] + eps) / sigma, 1 / rmax, rmax);
            d[c] = clip((mu[c] - runningMean.data().data[c]) / sigma, -dmax, dmax);
        }
        Tensor rRow = Tensor.row(r);
        Tensor dRow = Tensor.row(d);
        Tensor scale = weight == null ? rRow : weight.mul(rRow);
        Tensor shift = weight == null ? dRow : weight.mul(dRow);
        if (bias != null) {
            shift = shift.add(bias);
        }
        Normalized out = normalize(x, set, eps, scale, shift, length, fused);
        updateRunning(runningMean, runningVar, out.mean(), out.variance(), set.count(), momentum);
        return out.output();
    }

    /**
     * Instance normalization (Ulyanov et al. 2016): per sample and channel, over the L positions.
     * With running statistics, training updates them with the batch average of the per-instance
     * statistics (each variance unbiased with L/(L − 1)), and {@code useInputStats = false} uses them.
     *
     * @param runningMean   1×C, or null. Modified when {@code useInputStats}.
     * @param runningVar    1×C, or null. Modified when {@code useInputStats}.
     * @param useInputStats normalize with each instance's own statistics (training, or no running statistics)
     */
    public static Tensor instanceNorm(Tensor x, int numChannels, Tensor runningMean, Tensor runningVar, Tensor weight,
            Tensor bias, boolean useInputStats, double momentum, double eps, boolean fused) {
        return instanceNorm("instanceNorm", x, numChannels, runningMean, runningVar, weight, bias, useInputStats, momentum,
                eps, fused);
    }

    static Tensor instanceNorm(String who, Tensor x, int numChannels, Tensor runningMean, Tensor runningVar, Tensor weight,
            Tensor bias, boolean useInputStats, double momentum, double eps, boolean fused) {
        int length = channelLength(who, x, numChannels);
        checkRow(who, "runningMean", runningMean, numChannels);
        checkRow(who, "runningVar", runningVar, numChannels);
        int n = x.rows();
        if (!useInputStats && runningMean != null) {
            // the running statistics are per channel: BatchNorm's set, with given statistics
            return normalizeWith(x, StatisticsSet.batchNorm(n, numChannels, length), runningMean.data().data,
                    runningVar.data().data, eps, weight, bias, length, fused);
        }
        NormalizationLayer.requireMoreThanOneValue(who, x, length, useInputStats, "InstanceNorm normalizes each channel of "
                + "each sample over its L positions, and these rows are " + numChannels + " channels of L = 1: give rows of "
                + numChannels + "·L values with L >= 2 (for plain features use LayerNorm or BatchNorm1d)");
        Normalized out = normalize(x, StatisticsSet.instanceNorm(n, numChannels, length), eps, weight, bias, length, fused);
        if (runningMean != null) {
            double[] mean = new double[numChannels];
            double[] var = new double[numChannels];
            double unbias = length / (length - 1.0);
            for (int i = 0; i < n; i++) {
                for (int c = 0; c < numChannels; c++) {
                    mean[c] += out.mean()[i * numChannels + c] / n;
                    var[c] += out.variance()[i * numChannels + c] * unbias / n;
                }
            }
            blend(runningMean, mean, momentum);
            blend(runningVar, var, momentum);
        }
        return out.output();
    }

    /**
     * Layer normalization (Ba, Kiros &amp; Hinton 2016): per sample, over the last
     * {@code normalizedSize} features — all C·L of a row, or each block of D when the row holds
     * several (PyTorch's (N, m, D) input with normalized_shape D).
     *
     * @param weight γ, 1×D (one per normalized feature), or null
     * @param bias   β, 1×D, or null
     */
    public static Tensor layerNorm(Tensor x, int normalizedSize, Tensor weight, Tensor bias, double eps, boolean fused) {
        return layerNorm("layerNorm", x, normalizedSize, weight, bias, eps, fused);
    }

    static Tensor layerNorm(String who, Tensor x, int normalizedSize, Tensor weight, Tensor bias, double eps, boolean fused) {
        checkBlocks(who, x, normalizedSize);
        checkRow(who, "weight", weight, normalizedSize);
        checkRow(who, "bias", bias, normalizedSize);
        return normalize(x, StatisticsSet.layerNorm(x.rows(), x.cols(), normalizedSize), eps, weight, bias, 1, fused).output();
    }

    /**
     * Group normalization (Wu &amp; He 2018): per sample and group of C/G consecutive channels, over
     * those channels' L positions. G = 1 is LayerNorm over (C, L) with a per-channel affine;
     * G = C is InstanceNorm.
     *
     * @param weight γ, 1×C, or null
     * @param bias   β, 1×C, or null
     */
    public static Tensor groupNorm(Tensor x, int numGroups, int numChannels, Tensor weight, Tensor bias, double eps,
            boolean fused) {
        return groupNorm("groupNorm", x, numGroups, numChannels, weight, bias, eps, fused);
    }

    static Tensor groupNorm(String who, Tensor x, int numGroups, int numChannels, Tensor weight, Tensor bias, double eps,
            boolean fused) {
        checkGroups(who, numGroups, numChannels);
        int length = channelLength(who, x, numChannels);
        checkRow(who, "weight", weight, numChannels);
        checkRow(who, "bias", bias, numChannels);
        StatisticsSet set = StatisticsSet.groupNorm(x.rows(), numGroups, numChannels, length);
        return normalize(x, set, eps, weight, bias, length, fused).output();
    }

    /**
     * Root-mean-square normalization (Zhang &amp; Sennrich 2019; PyTorch 2.4's {@code nn.RMSNorm}):
     * LayerNorm without centring, {@code y = x / sqrt(mean(x²) + eps) ⊙ γ}, over the last
     * {@code normalizedSize} features. No bias.
     *
     * @param weight γ, 1×D, or null
     */
    public static Tensor rmsNorm(Tensor x, int normalizedSize, Tensor weight, double eps, boolean fused) {
        return rmsNorm("rmsNorm", x, normalizedSize, weight, eps, fused);
    }

    static Tensor rmsNorm(String who, Tensor x, int normalizedSize, Tensor weight, double eps, boolean fused) {
        checkBlocks(who, x, normalizedSize);
        checkRow(who, "weight", weight, normalizedSize);
        return normalize(x, StatisticsSet.rmsNorm(x.rows(), x.cols(), normalizedSize), eps, weight, null, 1, fused).output();
    }

    // ------------------------------------------------------------------ composed-form helpers

    /** x viewed so that each row holds the entries of one statistic: groups × (outer·inner). */
    private static Tensor toStatisticRows(Tensor x, StatisticsSet set) {
        if (set.outer() == 1) {
            return reshape(x, set.groups(), set.inner());
        }
        return new BlockTranspose(set.inner()).apply(reshape(x, set.outer(), set.groups() * set.inner()));
    }

    /** The inverse of {@link #toStatisticRows}: back to rows × cols. */
    private static Tensor fromStatisticRows(Tensor v, StatisticsSet set, int rows, int cols) {
        if (set.outer() == 1) {
            return reshape(v, rows, cols);
        }
        return reshape(new BlockTranspose(set.inner()).apply(v), rows, cols);
    }

    private static Tensor reshape(Tensor t, int rows, int cols) {
        return t.rows() == rows && t.cols() == cols ? t : t.reshape(rows, cols);
    }

    /** y ⊙ γ + β, with γ and β stretched to the width of y. */
    private static Tensor affine(Tensor y, Tensor weight, Tensor bias, int repeat) {
        if (weight != null) {
            y = y.mul(expand(weight, repeat, y.cols()));
        }
        if (bias != null) {
            y = y.add(expand(bias, repeat, y.cols()));
        }
        return y;
    }

    /**
     * A 1×A row as the 1×W row lining up with the columns: each entry repeated {@code repeat}
     * times (an A×1 column times a 1×repeat row of ones, by broadcasting), the result tiled.
     */
    private static Tensor expand(Tensor p, int repeat, int width) {
        int a = p.cols();
        if (p.rows() != 1 || width % (a * repeat) != 0) {
            throw new ShapeException("normalize: weight/bias " + p.shape() + " does not fit a width of " + width
                    + ": expected a 1xA row with A·" + repeat + " dividing " + width);
        }
        Tensor row = repeat == 1 ? p : p.transpose().mul(Tensor.ones(1, repeat)).reshape(1, a * repeat);
        int tiles = width / (a * repeat);
        return tiles == 1 ? row : Tensor.ones(tiles, 1).mul(row).reshape(1, width);
    }

    private static Tensor[] inputs(Tensor x, Tensor weight, Tensor bias) {
        if (weight != null && bias != null) {
            return new Tensor[] {x, weight, bias};
        }
        if (weight != null) {
            return new Tensor[] {x, weight};
        }
        return bias != null ? new Tensor[] {x, bias} : new Tensor[] {x};
    }

    // ------------------------------------------------------------------ running statistics

    /** running = (1 − momentum)·running + momentum·batch, with the unbiased variance (n/(n − 1)). */
    private static void updateRunning(Tensor runningMean, Tensor runningVar, double[] mean, double[] variance, int n,
            double momentum) {
        double[] unbiased = new double[variance.length];
        for (int c = 0; c < unbiased.length; c++) {
            unbiased[c] = variance[c] * n / (n - 1.0);
        }
        blend(runningMean, mean, momentum);
        blend(runningVar, unbiased, momentum);
    }

    private static void blend(Tensor running, double[] batch, double momentum) {
        double[] r = running.data().data;
        for (int c = 0; c < batch.length; c++) {
            r[c] = (1 - momentum) * r[c] + momentum * batch[c];
        }
    }

    private static double clip(double v, double lo, double hi) {
        return Math.max(lo, Math.min(hi, v));
    }

    // ------------------------------------------------------------------ checks with messages

    /** L = width / C, or a message saying what width was expected. */
    static int channelLength(String who, Tensor x, int channels) {
        if (x.cols() % channels != 0) {
            throw new ShapeException(who + ": expected " + channels + " features, or " + channels
                    + " channels of L positions (a width that is a multiple of " + channels + "), got input " + x.shape());
        }
        return x.cols() / channels;
    }

    static void checkBlocks(String who, Tensor x, int normalizedSize) {
        if (x.cols() % normalizedSize != 0) {
            throw new ShapeException(who + ": expected rows of " + normalizedSize + " features (or of a multiple of "
                    + normalizedSize + ", normalized in blocks of " + normalizedSize + "), got input " + x.shape());
        }
    }

    static void checkGroups(String who, int numGroups, int numChannels) {
        if (numGroups <= 0 || numChannels <= 0 || numChannels % numGroups != 0) {
            StringBuilder divisors = new StringBuilder();
            for (int g = 1; g <= Math.max(1, numChannels); g++) {
                if (numChannels > 0 && numChannels % g == 0) {
                    divisors.append(divisors.length() == 0 ? "" : ", ").append(g);
                }
            }
            throw new IllegalArgumentException(who + ": numChannels " + numChannels + " must be divisible by numGroups "
                    + numGroups + " (each group holds numChannels / numGroups channels); choose numGroups among "
                    + divisors);
        }
    }

    private static void checkRow(String who, String name, Tensor t, int size) {
        if (t != null && (t.rows() != 1 || t.cols() != size)) {
            throw new ShapeException(who + ": " + name + " must be " + ShapeException.shape(1, size) + ", got " + t.shape());
        }
    }

    private static void checkSize(Tensor x, StatisticsSet set) {
        if (x.rows() * (long) x.cols() != set.size()) {
            throw new ShapeException("normalize: input " + x.shape() + " has " + (long) x.rows() * x.cols()
                    + " entries but the statistics set " + set + " covers " + set.size());
        }
    }
}

package dev.normgrad.norm;

import dev.normgrad.autograd.Function;
import dev.normgrad.autograd.ShapeException;
import org.ejml.data.DMatrixRMaj;

/**
 * The fused normalization op, with the closed-form backward: one class for BatchNorm, LayerNorm,
 * InstanceNorm, GroupNorm and RMSNorm, which differ only in their {@link StatisticsSet}.
 *
 * <p>Forward, for each statistic q of the set (n = {@code set.count()} entries):
 * <pre>
 *   μ_q  = (1/n) Σ x                       (0 when the set is not centred: RMSNorm)
 *   σ²_q = (1/n) Σ (x − μ_q)²               biased; two passes, mean first
 *   x̂    = (x − μ_q) / sqrt(σ²_q + eps)      eps inside the square root
 *   y    = γ ⊙ x̂ + β                        γ, β: 1×A rows; column j uses entry (j / repeat) mod A
 * </pre>
 * Backward (Ioffe &amp; Szegedy 2015, §3; the same formula for every set), with means over the
 * statistic's n entries:
 * <pre>
 *   dx̂ = dy ⊙ γ
 *   dx = (1/σ) (dx̂ − mean(dx̂) − x̂ · mean(dx̂ ⊙ x̂))     RMSNorm: (1/σ) (dx̂ − x̂ · mean(dx̂ ⊙ x̂))
 *   dγ = Σ dy ⊙ x̂,   dβ = Σ dy                         summed over the entries sharing the weight
 * </pre>
 * With <em>given</em> statistics (evaluation with running statistics) μ and σ are constants and
 * {@code dx = dx̂ / σ}. Saves the minimum: x̂, and 1/σ once per statistic (γ is the weight input itself, not a copy).
 *
 * <p>Inputs: {@code x} (N × W), then {@code weight} if the op was made with one, then {@code bias}
 * if made with one; apply it as {@code new NormalizeOp(...).apply(x, weight, bias)}. After the
 * forward, {@link #mean()} and {@link #variance()} give the statistics it used. The variance is
 * the two-pass one with the correction term of Chan, Golub &amp; LeVeque (1983): the mean is refined
 * by the mean of the residuals, which keeps x̂ exact to ~1e-10 even for data of mean 1e4 and standard
 * deviation 1e-2, where E[x²] − E[x]² would lose every digit.
 */
public final class NormalizeOp extends Function {
    private final StatisticsSet set;
    private final double eps;
    private final boolean hasWeight;
    private final boolean hasBias;
    private final int repeat;
    private final double[] givenMean;
    private final double[] givenVariance;

    private double[] mean;
    private double[] variance;
    private double[] invStd;
    private DMatrixRMaj xhat;
    private DMatrixRMaj weight;
    private int[] weightIndex;

    /**
     * Normalizes with the statistics of the input itself (training, and every layer without
     * running statistics); the backward goes through them.
     *
     * @param set       which entries share a statistic
     * @param eps       added to the variance inside the square root
     * @param hasWeight whether a weight γ (1×A) follows x among the inputs
     * @param hasBias   whether a bias β (1×A) follows
     * @param repeat    how many consecutive columns share one weight entry: L for a per-channel weight
     *                  (BatchNorm, InstanceNorm, GroupNorm), 1 for a per-feature one (LayerNorm, RMSNorm)
     */
    public NormalizeOp(StatisticsSet set, double eps, boolean hasWeight, boolean hasBias, int repeat) {
        this(set, null, null, eps, hasWeight, hasBias, repeat);
    }

    /**
     * Normalizes with given statistics (running statistics in evaluation), held constant.
     *
     * @param mean     one mean per statistic of {@code set} (ignored when the set is not centred). Not modified.
     * @param variance one variance per statistic. Not modified.
     */
    public NormalizeOp(StatisticsSet set, double[] mean, double[] variance, double eps, boolean hasWeight, boolean hasBias,
            int repeat) {
        if (set == null) {
            throw new IllegalArgumentException("normalize: the statistics set is null");
        }
        if (!(eps >= 0)) {
            throw new IllegalArgumentException("normalize: eps must be >= 0, got " + eps);
        }
        if (repeat <= 0) {
            throw new IllegalArgumentException("normalize: repeat must be at least 1, got " + repeat);
        }
        if ((mean == null) != (variance == null)) {
            throw new IllegalArgumentException("normalize: give both the mean and the variance, or neither");
        }
        if (variance != null && (variance.length != set.groups() || mean.length != set.groups())) {
            throw new IllegalArgumentException("normalize: " + set.groups() + " statistics expected, got " + mean.length
                    + " means and " + variance.length + " variances");
        }
        this.set = set;
        this.eps = eps;
        this.hasWeight = hasWeight;
        this.hasBias = hasBias;
        this.repeat = repeat;
        this.givenMean = mean == null ? null : mean.clone();
        this.givenVariance = variance == null ? null : variance.clone();
    }

    @Override
    public String name() {
        return "normalize";
    }

    /** The means used, one per statistic (after the forward). Zeros for a non-centred set. */
    public double[] mean() {
        return mean.clone();
    }

    /** The biased variances used, one per statistic (after the forward); for RMSNorm, the mean squares. */
    public double[] variance() {
        return variance.clone();
    }

    @Override
    protected DMatrixRMaj forward(DMatrixRMaj... in) {
        int expected = 1 + (hasWeight ? 1 : 0) + (hasBias ? 1 : 0);
        if (in.length != expected) {
            throw new IllegalArgumentException(name() + ": expected " + expected + " inputs (x"
                    + (hasWeight ? ", weight" : "") + (hasBias ? ", bias" : "") + "), got " + in.length);
        }
        DMatrixRMaj x = in[0];
        if (x.getNumElements() != set.size()) {
            throw new ShapeException(name() + ": input " + ShapeException.shape(x.numRows, x.numCols) + " has "
                    + x.getNumElements() + " entries but the statistics set " + set + " covers " + set.size());
        }
        weight = hasWeight ? in[1] : null;
        DMatrixRMaj bias = hasBias ? in[in.length - 1] : null;
        weightIndex = affineIndex(x, weight, bias);

        int q = set.groups();
        if (givenVariance == null) {
            mean = new double[q];
            variance = new double[q];
            statistics(x.data, set, mean, variance);
        } else {
            mean = set.centred() ? givenMean.clone() : new double[q];
            variance = givenVariance.clone();
        }
        invStd = new double[q];
        for (int g = 0; g < q; g++) {
            invStd[g] = 1.0 / Math.sqrt(variance[g] + eps);
        }

        xhat = new DMatrixRMaj(x.numRows, x.numCols);
        int k = set.inner();
        int idx = 0;
        for (int p = 0; p < set.outer(); p++) {
            for (int g = 0; g < q; g++) {
                double m = mean[g], s = invStd[g];
                for (int t = 0; t < k; t++, idx++) {
                    xhat.data[idx] = (x.data[idx] - m) * s;
                }
            }
        }
        if (weight == null && bias == null) {
            return xhat;
        }
        DMatrixRMaj y = new DMatrixRMaj(x.numRows, x.numCols);
        int w = x.numCols;
        for (int i = 0, at = 0; i < x.numRows; i++) {
            for (int j = 0; j < w; j++, at++) {
                int a = weightIndex[j];
                y.data[at] = (weight == null ? xhat.data[at] : weight.data[a] * xhat.data[at]) + (bias == null ? 0 : bias.data[a]);
            }
        }
        return y;
    }

    @Override
    protected void backward(DMatrixRMaj dy, DMatrixRMaj[] grads) {
        DMatrixRMaj dx = grads[0];
        DMatrixRMaj dWeight = hasWeight ? grads[1] : null;
        DMatrixRMaj dBias = hasBias ? grads[grads.length - 1] : null;
        int w = xhat.numCols;
        if (dWeight != null || dBias != null) {
            for (int i = 0, at = 0; i < xhat.numRows; i++) {
                for (int j = 0; j < w; j++, at++) {
                    int a = weightIndex[j];
                    if (dWeight != null) {
                        dWeight.data[a] += dy.data[at] * xhat.data[at];
                    }
                    if (dBias != null) {
                        dBias.data[a] += dy.data[at];
                    }
                }
            }
        }
        if (dx == null) {
            return;
        }
        int q = set.groups(), k = set.inner();
        if (givenVariance != null) {
            // constant statistics: dx = dx̂ / σ
            int idx = 0;
            for (int p = 0; p < set.outer(); p++) {
                for (int g = 0; g < q; g++) {
                    for (int t = 0; t < k; t++, idx++) {
                        dx.data[idx] += invStd[g] * dxhat(dy, idx, w);
                    }
                }
            }
            return;
        }
        // batch statistics: mean(dx̂) and mean(dx̂ ⊙ x̂) per statistic, then the closed form
        double[] meanDxhat = new double[q];
        double[] meanDxhatXhat = new double[q];
        int idx = 0;
        for (int p = 0; p < set.outer(); p++) {
            for (int g = 0; g < q; g++) {
                double s1 = 0, s2 = 0;
                for (int t = 0; t < k; t++, idx++) {
                    double d = dxhat(dy, idx, w);
                    s1 += d;
                    s2 += d * xhat.data[idx];
                }
                meanDxhat[g] += s1;
                meanDxhatXhat[g] += s2;
            }
        }
        double n = set.count();
        for (int g = 0; g < q; g++) {
            meanDxhat[g] = set.centred() ? meanDxhat[g] / n : 0.0;
            meanDxhatXhat[g] /= n;
        }
        idx = 0;
        for (int p = 0; p < set.outer(); p++) {
            for (int g = 0; g < q; g++) {
                double s = invStd[g], m1 = meanDxhat[g], m2 = meanDxhatXhat[g];
                for (int t = 0; t < k; t++, idx++) {
                    dx.data[idx] += s * (dxhat(dy, idx, w) - m1 - xhat.data[idx] * m2);
                }
            }
        }
    }

    /** dx̂ = dy ⊙ γ at flat index idx (rows of width w). */
    private double dxhat(DMatrixRMaj dy, int idx, int w) {
        return weight == null ? dy.data[idx] : dy.data[idx] * weight.data[weightIndex[idx % w]];
    }

    /** For each column, the index of its weight/bias entry; checks their shapes. */
    private int[] affineIndex(DMatrixRMaj x, DMatrixRMaj weight, DMatrixRMaj bias) {
        DMatrixRMaj p = weight != null ? weight : bias;
        if (p == null) {
            return null;
        }
        if (weight != null && bias != null && (bias.numRows != weight.numRows || bias.numCols != weight.numCols)) {
            throw new ShapeException(name() + ": weight " + ShapeException.shape(weight.numRows, weight.numCols) + " and bias "
                    + ShapeException.shape(bias.numRows, bias.numCols) + " must have the same shape");
        }
        int a = p.numCols;
        if (p.numRows != 1 || x.numCols % (a * repeat) != 0) {
            throw new ShapeException(name() + ": weight/bias " + ShapeException.shape(p.numRows, p.numCols)
                    + " does not fit input " + ShapeException.shape(x.numRows, x.numCols) + ": expected a 1xA row with "
                    + "A·" + repeat + " dividing the width " + x.numCols);
        }
        int[] index = new int[x.numCols];
        for (int j = 0; j < x.numCols; j++) {
            index[j] = (j / repeat) % a;
        }
        return index;
    }

    /**
     * The statistics of {@code x} over {@code set}, two-pass: the mean first, then the mean squared
     * deviation about it, with the correction term that refines the mean by the mean residual
     * (Chan, Golub &amp; LeVeque 1983). For a non-centred set, mean = 0 and variance = mean(x²).
     *
     * @param x        the input's entries, row-major. Not modified.
     * @param mean     receives one mean per statistic. Modified.
     * @param variance receives one biased variance per statistic. Modified.
     */
    static void statistics(double[] x, StatisticsSet set, double[] mean, double[] variance) {
        int q = set.groups(), k = set.inner();
        double n = set.count();
        java.util.Arrays.fill(mean, 0);
        java.util.Arrays.fill(variance, 0);
        if (!set.centred()) {
            int idx = 0;
            for (int p = 0; p < set.outer(); p++) {
                for (int g = 0; g < q; g++) {
                    double s = 0;
                    for (int t = 0; t < k; t++, idx++) {
                        s += x[idx] * x[idx];
                    }
                    variance[g] += s;
                }
            }
            for (int g = 0; g < q; g++) {
                variance[g] /= n;
            }
            return;
        }
        int idx = 0;
        for (int p = 0; p < set.outer(); p++) {
            for (int g = 0; g < q; g++) {
                double s = 0;
                for (int t = 0; t < k; t++, idx++) {
                    s += x[idx];
                }
                mean[g] += s;
            }
        }
        for (int g = 0; g < q; g++) {
            mean[g] /= n;
        }
        double[] residual = new double[q];
        idx = 0;
        for (int p = 0; p < set.outer(); p++) {
            for (int g = 0; g < q; g++) {
                double m = mean[g], s1 = 0, s2 = 0;
                for (int t = 0; t < k; t++, idx++) {
                    double d = x[idx] - m;
                    s1 += d;
                    s2 += d * d;
                }
                residual[g] += s1;
                variance[g] += s2;
            }
        }
        for (int g = 0; g < q; g++) {
            // Σ(x − m)² − (Σ(x − m))²/n = Σ(x − mean)² exactly, with mean = m + Σ(x − m)/n
            variance[g] = Math.max(0.0, (variance[g] - residual[g] * residual[g] / n) / n);
            mean[g] += residual[g] / n;
        }
    }
}

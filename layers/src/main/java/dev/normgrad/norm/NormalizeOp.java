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
        mean = new double[q];
        variance = new double[q];
        if (givenVariance == null) {
            statistics(x.data, set, mean, variance);
        } else {
            if (set.centred()) {
                System.arraycopy(givenMean, 0, mean, 0, q);
            }
            System.arraycopy(givenVariance, 0, variance, 0, q);
        }
        invStd = new double[q];
        double[] minusMean = new double[q];
        for (int g = 0; g < q; g++) {
            invStd[g] = 1.0 / Math.sqrt(variance[g] + eps);
            minusMean[g] = -mean[g];
        }
        xhat = new DMatrixRMaj(x.numRows, x.numCols);
        accumulate(set, xhat.data, invStd, x.data, minusMean, null, null);       // x̂ = (x − μ) / σ
        if (weight == null && bias == null) {
            return xhat;
        }
        DMatrixRMaj y = new DMatrixRMaj(x.numRows, x.numCols);
        int w = x.numCols;
        double[] gamma = perColumn(weight, 1.0);
        double[] beta = perColumn(bias, 0.0);
        for (int i = 0, at = 0; i < x.numRows; i++) {
            for (int j = 0; j < w; j++, at++) {
                y.data[at] = gamma[j] * xhat.data[at] + beta[j];
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
        // One pass over dy: dγ and dβ per column, and dx̂ = dy ⊙ γ when dx is wanted.
        double[] dxh = dx == null ? null : weight == null ? dy.data : new double[xhat.getNumElements()];
        boolean scale = dx != null && weight != null;
        if (dWeight != null || dBias != null || scale) {
            double[] gamma = scale ? perColumn(weight, 1.0) : null;
            double[] accW = new double[w];
            double[] accB = new double[w];
            for (int i = 0, at = 0; i < xhat.numRows; i++) {
                for (int j = 0; j < w; j++, at++) {
                    double g = dy.data[at];
                    accW[j] += g * xhat.data[at];
                    accB[j] += g;
                    if (scale) {
                        dxh[at] = g * gamma[j];
                    }
                }
            }
            for (int j = 0; j < w; j++) {
                if (dWeight != null) {
                    dWeight.data[weightIndex[j]] += accW[j];
                }
                if (dBias != null) {
                    dBias.data[weightIndex[j]] += accB[j];
                }
            }
        }
        if (dx == null) {
            return;
        }
        if (givenVariance != null) {
            accumulate(set, dx.data, invStd, dxh, null, null, null);        // constant statistics: dx = dx̂ / σ
            return;
        }
        // dx = (1/σ)(dx̂ − mean(dx̂)) − (1/σ)·mean(dx̂ ⊙ x̂)·x̂   (no mean(dx̂) term without centring)
        int q = set.groups();
        double[] sumDxhat = new double[q];
        double[] sumDxhatXhat = new double[q];
        pairSums(set, dxh, xhat.data, sumDxhat, sumDxhatXhat);          // Σ dx̂, Σ dx̂ ⊙ x̂ in one pass
        double n = set.count();
        double[] minusMeanDxhat = new double[q];
        double[] xhatCoefficient = new double[q];
        for (int g = 0; g < q; g++) {
            minusMeanDxhat[g] = set.centred() ? -sumDxhat[g] / n : 0.0;
            xhatCoefficient[g] = -invStd[g] * sumDxhatXhat[g] / n;
        }
        accumulate(set, dx.data, invStd, dxh, minusMeanDxhat, xhatCoefficient, xhat.data);
    }

    /** The weight or bias entry of each column (the constant {@code none} when there is none). Read only. */
    private double[] perColumn(DMatrixRMaj p, double none) {
        if (p != null && repeat == 1 && p.numCols == xhat.numCols) {
            return p.data;   // one entry per column already (LayerNorm, RMSNorm): read it in place
        }
        double[] out = new double[xhat.numCols];
        for (int j = 0; j < out.length; j++) {
            out[j] = p == null ? none : p.data[weightIndex[j]];
        }
        return out;
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

    // ------------------------------------------------------------------ statistics

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
        int q = set.groups();
        double n = set.count();
        if (!set.centred()) {
            double[] squares = sums(set, x, x);
            for (int g = 0; g < q; g++) {
                mean[g] = 0;
                variance[g] = squares[g] / n;
            }
            return;
        }
        double[] first = sums(set, x, null);
        double[] minusMean = new double[q];
        for (int g = 0; g < q; g++) {
            mean[g] = first[g] / n;
            minusMean[g] = -mean[g];
        }
        double[] residual = new double[q];
        double[] squares = new double[q];
        shiftedSums(set, x, minusMean, residual, squares);               // Σ(x − m), Σ(x − m)² in one pass
        for (int g = 0; g < q; g++) {
            // Σ(x − m)² − (Σ(x − m))²/n = Σ(x − mean)² exactly, with mean = m + Σ(x − m)/n
            variance[g] = Math.max(0.0, (squares[g] - residual[g] * residual[g] / n) / n);
            mean[g] += residual[g] / n;
        }
    }

    // ------------------------------------------------------------------ the two loops that know the layout

    /*
     * Every pass of this op is a reduction (sums, shiftedSums, pairSums) or a map (accumulate) over the
     * outer × groups × inner array, each written for the two layouts. With outer = 1
     * (all sets but BatchNorm's) a statistic's entries are contiguous: loop over statistics, then over
     * their entries. With outer > 1 (BatchNorm) a statistic's entries are spread over the rows: loop
     * over the rows into per-position accumulators of length groups·inner, then fold — so that the
     * inner loops stay long (and vectorisable) even for BatchNorm of plain features, where inner = 1.
     */

    /** Per statistic, Σ a (b null) or Σ a ⊙ b over its entries. */
    private static double[] sums(StatisticsSet set, double[] a, double[] b) {
        int q = set.groups(), k = set.inner();
        double[] out = new double[q];
        if (set.outer() == 1) {
            for (int g = 0, at = 0; g < q; g++) {
                double s = 0;
                if (b == null) {
                    for (int t = 0; t < k; t++, at++) {
                        s += a[at];
                    }
                } else {
                    for (int t = 0; t < k; t++, at++) {
                        s += a[at] * b[at];
                    }
                }
                out[g] = s;
            }
            return out;
        }
        int block = q * k;
        double[] acc = new double[block];
        for (int p = 0, at = 0; p < set.outer(); p++) {
            if (b == null) {
                for (int j = 0; j < block; j++, at++) {
                    acc[j] += a[at];
                }
            } else {
                for (int j = 0; j < block; j++, at++) {
                    acc[j] += a[at] * b[at];
                }
            }
        }
        for (int g = 0, j = 0; g < q; g++) {
            for (int t = 0; t < k; t++, j++) {
                out[g] += acc[j];
            }
        }
        return out;
    }

    /** Per statistic, {@code first += Σ (a + shift)} and {@code second += Σ (a + shift)²}, in one pass. */
    private static void shiftedSums(StatisticsSet set, double[] a, double[] shift, double[] first, double[] second) {
        int q = set.groups(), k = set.inner();
        if (set.outer() == 1) {
            for (int g = 0, at = 0; g < q; g++) {
                double sh = shift[g], s1 = 0, s2 = 0;
                for (int t = 0; t < k; t++, at++) {
                    double d = a[at] + sh;
                    s1 += d;
                    s2 += d * d;
                }
                first[g] += s1;
                second[g] += s2;
            }
            return;
        }
        double[] sh = spread(shift, 0, set);
        int block = q * k;
        double[] acc1 = new double[block];
        double[] acc2 = new double[block];
        for (int p = 0, at = 0; p < set.outer(); p++) {
            for (int j = 0; j < block; j++, at++) {
                double d = a[at] + sh[j];
                acc1[j] += d;
                acc2[j] += d * d;
            }
        }
        fold(set, acc1, first);
        fold(set, acc2, second);
    }

    /** Per statistic, {@code first += Σ a} and {@code second += Σ a ⊙ b}, in one pass. */
    private static void pairSums(StatisticsSet set, double[] a, double[] b, double[] first, double[] second) {
        int q = set.groups(), k = set.inner();
        if (set.outer() == 1) {
            for (int g = 0, at = 0; g < q; g++) {
                double s1 = 0, s2 = 0;
                for (int t = 0; t < k; t++, at++) {
                    s1 += a[at];
                    s2 += a[at] * b[at];
                }
                first[g] += s1;
                second[g] += s2;
            }
            return;
        }
        int block = q * k;
        double[] acc1 = new double[block];
        double[] acc2 = new double[block];
        for (int p = 0, at = 0; p < set.outer(); p++) {
            for (int j = 0; j < block; j++, at++) {
                acc1[j] += a[at];
                acc2[j] += a[at] * b[at];
            }
        }
        fold(set, acc1, first);
        fold(set, acc2, second);
    }

    /** out[g] += Σ over the statistic's positions t of acc[g·inner + t]. */
    private static void fold(StatisticsSet set, double[] acc, double[] out) {
        for (int g = 0, j = 0; g < set.groups(); g++) {
            for (int t = 0; t < set.inner(); t++, j++) {
                out[g] += acc[j];
            }
        }
    }

    /**
     * out += α_g·(a + shift_g) + β_g·b for every entry of every statistic g: out, a and b are
     * row-major arrays of the input's size; α null means 1, shift null means 0, β and b null mean none.
     */
    private static void accumulate(StatisticsSet set, double[] out, double[] alpha, double[] a, double[] shift,
            double[] beta, double[] b) {
        int q = set.groups(), k = set.inner();
        if (set.outer() == 1) {
            for (int g = 0, at = 0; g < q; g++) {
                double al = alpha == null ? 1 : alpha[g], sh = shift == null ? 0 : shift[g], be = beta == null ? 0 : beta[g];
                if (b == null) {
                    for (int t = 0; t < k; t++, at++) {
                        out[at] += al * (a[at] + sh);
                    }
                } else {
                    for (int t = 0; t < k; t++, at++) {
                        out[at] += al * (a[at] + sh) + be * b[at];
                    }
                }
            }
            return;
        }
        double[] al = spread(alpha, 1, set), sh = spread(shift, 0, set), be = spread(beta, 0, set);
        int block = q * k;
        for (int p = 0, at = 0; p < set.outer(); p++) {
            if (b == null) {
                for (int j = 0; j < block; j++, at++) {
                    out[at] += al[j] * (a[at] + sh[j]);
                }
            } else {
                for (int j = 0; j < block; j++, at++) {
                    out[at] += al[j] * (a[at] + sh[j]) + be[j] * b[at];
                }
            }
        }
    }

    /** One value per statistic spread over its positions in a block: out[j] = v[j / inner] (or none). */
    private static double[] spread(double[] v, double none, StatisticsSet set) {
        int k = set.inner();
        double[] out = new double[set.groups() * k];
        for (int g = 0, at = 0; g < set.groups(); g++, at += k) {
            java.util.Arrays.fill(out, at, at + k, v == null ? none : v[g]);
        }
        return out;
    }
}

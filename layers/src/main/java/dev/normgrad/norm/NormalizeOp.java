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
 * {@code dx = dx̂ / σ}. Saves the minimum: μ and 1/σ once per statistic; x and γ are the inputs
 * themselves, not copies, and x̂ = (x − μ)/σ is recomputed where the backward needs it (one
 * multiply-add per entry, cheaper than writing and reading back a saved copy).
 *
 * <p>Inputs: {@code x} (N × W), then {@code weight} if the op was made with one, then {@code bias}
 * if made with one; apply it as {@code new NormalizeOp(...).apply(x, weight, bias)}. After the
 * forward, {@link #mean()} and {@link #variance()} give the statistics it used. The variance is
 * the two-pass one with the correction term of Chan, Golub &amp; LeVeque (1983): the mean is refined
 * by the mean of the residuals, which keeps x̂ exact to ~1e-10 even for data of mean 1e4 and standard
 * deviation 1e-2, where E[x²] − E[x]² would lose every digit.
 *
 * <p><b>Two loop orders.</b> The input is read row-major as an {@code outer × groups × inner} array
 * ({@link StatisticsSet}), and each pass over it (the statistics, the output, and the backward's
 * sums and gradient) is written twice, once per case. With {@code outer = 1} (every set but
 * BatchNorm's) a statistic's entries are contiguous: the loops run statistic by statistic, over its
 * entries. With {@code outer > 1} (BatchNorm) a statistic's entries are spread over the rows, and
 * for BatchNorm of plain features ({@code inner = 1}) they are one column: the loops run row by row
 * over per-position accumulators of length {@code groups · inner}, folded per statistic at the end,
 * so that the inner loop stays long and vectorisable rather than stepping down a column one entry at
 * a time. One strided loop for both would be the second case's slow walk or the first case's
 * accumulators of the input's size. In both, an entry's column (for γ, β and their gradients) comes
 * from its position in the row, the loops splitting their runs where a row ends.
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
    private DMatrixRMaj x;
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
        x = in[0];
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
        for (int g = 0; g < q; g++) {
            invStd[g] = 1.0 / Math.sqrt(variance[g] + eps);
        }
        DMatrixRMaj y = new DMatrixRMaj(x.numRows, x.numCols);
        normalize(y.data, perColumn(weight, 1.0), perColumn(bias, 0.0));     // y = γ ⊙ (x − μ)/σ + β
        return y;
    }

    @Override
    protected void backward(DMatrixRMaj dy, DMatrixRMaj[] grads) {
        DMatrixRMaj dx = grads[0];
        DMatrixRMaj dWeight = hasWeight ? grads[1] : null;
        DMatrixRMaj dBias = hasBias ? grads[grads.length - 1] : null;
        int w = x.numCols;
        int q = set.groups();
        double[] gamma = perColumn(weight, 1.0);
        // One pass: per column Σ dy ⊙ x̂ and Σ dy (for dγ, dβ); per statistic Σ dx̂ and Σ dx̂ ⊙ x̂, dx̂ = dy ⊙ γ.
        double[] columnDyXhat = new double[w];
        double[] columnDy = new double[w];
        double[] sumDxhat = new double[q];
        double[] sumDxhatXhat = new double[q];
        sums(dy.data, gamma, columnDyXhat, columnDy, sumDxhat, sumDxhatXhat);
        for (int j = 0; j < w; j++) {
            if (dWeight != null) {
                dWeight.data[weightIndex[j]] += columnDyXhat[j];
            }
            if (dBias != null) {
                dBias.data[weightIndex[j]] += columnDy[j];
            }
        }
        if (dx == null) {
            return;
        }
        // dx = (1/σ)(dx̂ − mean(dx̂)) − (1/σ)·mean(dx̂ ⊙ x̂)·x̂   (no mean(dx̂) term without centring;
        // with given statistics, dx = dx̂/σ)
        if (givenVariance != null) {
            gradient(dx.data, dy.data, gamma, null, null);
            return;
        }
        double n = set.count();
        double[] minusMeanDxhat = new double[q];
        double[] xhatCoefficient = new double[q];
        for (int g = 0; g < q; g++) {
            minusMeanDxhat[g] = set.centred() ? -sumDxhat[g] / n : 0.0;
            xhatCoefficient[g] = -invStd[g] * sumDxhatXhat[g] / n;
        }
        gradient(dx.data, dy.data, gamma, minusMeanDxhat, xhatCoefficient);
    }

    /** The weight or bias entry of each column (the constant {@code none} when there is none). Read only. */
    private double[] perColumn(DMatrixRMaj p, double none) {
        int w = x.numCols;
        if (p != null && repeat == 1 && p.numCols == w) {
            return p.data;   // one entry per column already (LayerNorm, RMSNorm): read it in place
        }
        double[] out = new double[w];
        for (int j = 0; j < w; j++) {
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
        double[] first = new double[q];
        double[] second = new double[q];
        if (!set.centred()) {
            moments(set, x, null, first, second);                        // Σ x²
            for (int g = 0; g < q; g++) {
                mean[g] = 0;
                variance[g] = second[g] / n;
            }
            return;
        }
        moments(set, x, null, first, null);                              // Σ x
        double[] minusMean = new double[q];
        for (int g = 0; g < q; g++) {
            mean[g] = first[g] / n;
            minusMean[g] = -mean[g];
            first[g] = 0;
        }
        moments(set, x, minusMean, first, second);                       // Σ(x − m), Σ(x − m)² in one pass
        for (int g = 0; g < q; g++) {
            // Σ(x − m)² − (Σ(x − m))²/n = Σ(x − mean)² exactly, with mean = m + Σ(x − m)/n
            variance[g] = Math.max(0.0, (second[g] - first[g] * first[g] / n) / n);
            mean[g] += first[g] / n;
        }
    }

    // ------------------------------------------------------------------ the passes, each in both loop orders

    /**
     * Per statistic, {@code first += Σ (a + shift)} and, unless {@code second} is null,
     * {@code second += Σ (a + shift)²}; a null shift is 0.
     */
    private static void moments(StatisticsSet set, double[] a, double[] shift, double[] first, double[] second) {
        int q = set.groups(), k = set.inner();
        if (set.outer() == 1) {
            for (int g = 0, at = 0; g < q; g++) {
                double sh = shift == null ? 0.0 : shift[g], s1 = 0, s2 = 0;
                for (int end = at + k; at < end; at++) {
                    double d = a[at] + sh;
                    s1 += d;
                    s2 += d * d;
                }
                first[g] += s1;
                if (second != null) {
                    second[g] += s2;
                }
            }
            return;
        }
        int block = q * k;
        double[] sh = spread(shift, 0.0, set);
        double[] acc1 = new double[block];
        double[] acc2 = second == null ? null : new double[block];
        for (int p = 0, at = 0; p < set.outer(); p++) {
            for (int j = 0; j < block; j++, at++) {
                double d = a[at] + sh[j];
                acc1[j] += d;
                if (acc2 != null) {
                    acc2[j] += d * d;
                }
            }
        }
        fold(set, acc1, first);
        if (second != null) {
            fold(set, acc2, second);
        }
    }

    /** {@code y = γ_col · (x − μ)/σ + β_col} for every entry: the forward's one pass over x. */
    private void normalize(double[] y, double[] gamma, double[] beta) {
        double[] a = x.data;
        int q = set.groups(), k = set.inner(), w = x.numCols;
        if (set.outer() == 1) {
            for (int g = 0, at = 0; g < q; g++) {
                double m = mean[g], sc = invStd[g];
                for (int end = at + k; at < end; ) {
                    int col = at % w;
                    for (int stop = Math.min(end, at + w - col); at < stop; at++, col++) {
                        y[at] = gamma[col] * (sc * (a[at] - m)) + beta[col];
                    }
                }
            }
            return;
        }
        int block = q * k;
        double[] m = spread(mean, 0.0, set), sc = spread(invStd, 1.0, set);
        for (int p = 0, at = 0; p < set.outer(); p++) {
            for (int j = 0; j < block; ) {
                int col = at % w;
                for (int stop = Math.min(block, j + w - col); j < stop; j++, at++, col++) {
                    y[at] = gamma[col] * (sc[j] * (a[at] - m[j])) + beta[col];
                }
            }
        }
    }

    /**
     * The backward's one reduction, with x̂ = (x − μ)/σ and dx̂ = dy ⊙ γ: per column Σ dy ⊙ x̂ and Σ dy,
     * per statistic Σ dx̂ and Σ dx̂ ⊙ x̂ (all arrays modified: added into).
     */
    private void sums(double[] dy, double[] gamma, double[] columnDyXhat, double[] columnDy, double[] sumDxhat,
            double[] sumDxhatXhat) {
        double[] a = x.data;
        int q = set.groups(), k = set.inner(), w = x.numCols;
        if (set.outer() == 1) {
            for (int g = 0, at = 0; g < q; g++) {
                double m = mean[g], sc = invStd[g], s1 = 0, s2 = 0;
                for (int end = at + k; at < end; ) {
                    int col = at % w;
                    for (int stop = Math.min(end, at + w - col); at < stop; at++, col++) {
                        double d = dy[at], xh = sc * (a[at] - m), u = d * gamma[col];
                        columnDyXhat[col] += d * xh;
                        columnDy[col] += d;
                        s1 += u;
                        s2 += u * xh;
                    }
                }
                sumDxhat[g] += s1;
                sumDxhatXhat[g] += s2;
            }
            return;
        }
        int block = q * k;
        double[] m = spread(mean, 0.0, set), sc = spread(invStd, 1.0, set);
        double[] acc1 = new double[block];
        double[] acc2 = new double[block];
        for (int p = 0, at = 0; p < set.outer(); p++) {
            for (int j = 0; j < block; ) {
                int col = at % w;
                for (int stop = Math.min(block, j + w - col); j < stop; j++, at++, col++) {
                    double d = dy[at], xh = sc[j] * (a[at] - m[j]), u = d * gamma[col];
                    columnDyXhat[col] += d * xh;
                    columnDy[col] += d;
                    acc1[j] += u;
                    acc2[j] += u * xh;
                }
            }
        }
        fold(set, acc1, sumDxhat);
        fold(set, acc2, sumDxhatXhat);
    }

    /**
     * {@code dx += (1/σ)·(dx̂ + shift_g) + coefficient_g · x̂} for every entry of every statistic g,
     * with dx̂ = dy ⊙ γ and x̂ = (x − μ)/σ recomputed; with constant statistics (shift and coefficient
     * null), {@code dx += dx̂/σ}.
     */
    private void gradient(double[] dx, double[] dy, double[] gamma, double[] shift, double[] coefficient) {
        double[] a = x.data;
        boolean constant = coefficient == null;
        int q = set.groups(), k = set.inner(), w = x.numCols;
        if (set.outer() == 1) {
            for (int g = 0, at = 0; g < q; g++) {
                double m = mean[g], sc = invStd[g], dsh = constant ? 0 : shift[g], co = constant ? 0 : coefficient[g];
                for (int end = at + k; at < end; ) {
                    int col = at % w;
                    for (int stop = Math.min(end, at + w - col); at < stop; at++, col++) {
                        dx[at] += constant ? sc * (dy[at] * gamma[col])
                                : sc * (dy[at] * gamma[col] + dsh) + co * (sc * (a[at] - m));
                    }
                }
            }
            return;
        }
        int block = q * k;
        double[] m = spread(mean, 0.0, set), sc = spread(invStd, 1.0, set);
        double[] dsh = spread(shift, 0.0, set), co = spread(coefficient, 0.0, set);
        for (int p = 0, at = 0; p < set.outer(); p++) {
            for (int j = 0; j < block; ) {
                int col = at % w;
                for (int stop = Math.min(block, j + w - col); j < stop; j++, at++, col++) {
                    dx[at] += constant ? sc[j] * (dy[at] * gamma[col])
                            : sc[j] * (dy[at] * gamma[col] + dsh[j]) + co[j] * (sc[j] * (a[at] - m[j]));
                }
            }
        }
    }

    /** out[g] += Σ over the statistic's positions t of acc[g·inner + t]. */
    private static void fold(StatisticsSet set, double[] acc, double[] out) {
        for (int g = 0, j = 0; g < set.groups(); g++) {
            for (int t = 0; t < set.inner(); t++, j++) {
                out[g] += acc[j];
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

package dev.normgrad.norm;

import dev.normgrad.autograd.Tensor;

/**
 * Batch renormalization (Ioffe, <i>Batch Renormalization: Towards Reducing Minibatch Dependence in
 * Batch-Normalized Models</i>, 2017): BatchNorm whose training output is corrected towards the
 * running statistics, so that training and evaluation compute nearly the same function even with
 * small or non-i.i.d. batches. Not in PyTorch.
 *
 * <pre>
 *   σ  = sqrt(runningVar + eps),   μ = runningMean          (before this batch updates them)
 *   r  = clip(σ_B / σ, 1/rmax, rmax)
 *   d  = clip((μ_B − μ) / σ, −dmax, dmax)                   r and d are constants: no gradient flows through them
 *   y  = γ · ((x − μ_B) / σ_B · r + d) + β                  σ_B = sqrt(Var_B[x] + eps), biased
 * </pre>
 * Evaluation is BatchNorm's: {@code y = γ (x − μ) / σ + β}, no side effect. The running statistics
 * are updated exactly as {@link BatchNorm1d}'s (momentum 0.1, PyTorch's convention; unbiased
 * variance), so its buffers mean the same; the paper instead keeps a moving σ. The paper anneals
 * rmax from 1 to 3 and dmax from 0 to 5 during training; here they are constructor arguments,
 * defaulting to those final values (rmax = 1, dmax = 0 is exactly BatchNorm).
 *
 * <p>Shapes as {@link BatchNorm1d}: N × C or N × (C·L), L = width / C.
 */
public class BatchRenorm1d extends RunningStatsNormalization {
    /** The paper's final clipping bounds. */
    public static final double DEFAULT_RMAX = 3.0;
    public static final double DEFAULT_DMAX = 5.0;

    private final double rmax;
    private final double dmax;

    /** eps 1e-5, momentum 0.1, affine, rmax 3, dmax 5. */
    public BatchRenorm1d(int numFeatures) {
        this(numFeatures, Normalization.DEFAULT_EPS, Normalization.DEFAULT_MOMENTUM, true, DEFAULT_RMAX, DEFAULT_DMAX);
    }

    /** eps 1e-5, momentum 0.1, affine, and the given clipping bounds. */
    public BatchRenorm1d(int numFeatures, double rmax, double dmax) {
        this(numFeatures, Normalization.DEFAULT_EPS, Normalization.DEFAULT_MOMENTUM, true, rmax, dmax);
    }

    /**
     * @param rmax r is clipped to [1/rmax, rmax]; at least 1
     * @param dmax d is clipped to [−dmax, dmax]; at least 0
     */
    public BatchRenorm1d(int numFeatures, double eps, Double momentum, boolean affine, double rmax, double dmax) {
        super(numFeatures, eps, momentum, affine, true);
        if (!(rmax >= 1) || !(dmax >= 0)) {
            throw new IllegalArgumentException(who() + ": need rmax >= 1 and dmax >= 0 (rmax = 1, dmax = 0 is BatchNorm), got rmax="
                    + rmax + ", dmax=" + dmax);
        }
        this.rmax = rmax;
        this.dmax = dmax;
    }

    public double rmax() {
        return rmax;
    }

    public double dmax() {
        return dmax;
    }

    @Override
    public Tensor forward(Tensor input) {
        Tensor y = Normalization.batchRenorm(who(), input, numFeatures(), runningMean(), runningVar(), weight(), bias(),
                isTraining(), nextBatchFactor(), eps(), rmax, dmax, isFused());
        countBatch();
        return y;
    }

    @Override
    protected String extraRepr() {
        return numFeatures() + ", eps=" + format(eps()) + ", momentum=" + (momentum() == null ? "null" : format(momentum()))
                + ", affine=" + affine() + ", rmax=" + format(rmax) + ", dmax=" + format(dmax) + fusedRepr();
    }
}

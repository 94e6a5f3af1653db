package dev.normgrad.norm;

import dev.normgrad.autograd.Tensor;
import dev.normgrad.nn.Parameter;

/**
 * The state of the layers that keep running statistics — {@link BatchNorm1d},
 * {@link InstanceNorm1d}, {@link BatchRenorm1d} — as PyTorch's {@code _NormBase}: per channel a
 * weight γ and a bias β (when {@code affine}), and the buffers {@code runningMean},
 * {@code runningVar} and {@code numBatchesTracked} (when {@code trackRunningStats}).
 *
 * <p><b>Momentum</b> follows PyTorch: after each training batch
 * <pre>
 *   runningMean = (1 − momentum) · runningMean + momentum · batchMean
 *   runningVar  = (1 − momentum) · runningVar  + momentum · batchVar · n / (n − 1)     (unbiased)
 * </pre>
 * so momentum = 0.1 (the default) lets 10% of each batch in. Keras and TensorFlow use the
 * opposite convention: their {@code momentum=0.99} is the weight of the <em>running</em> value,
 * which is PyTorch's and NormGrad's momentum 0.01. A {@code null} momentum gives the cumulative
 * average over all batches so far (factor 1/numBatchesTracked), as in PyTorch.
 *
 * <p>At initialisation (and after {@link #resetParameters()}): γ = 1, β = 0, runningMean = 0,
 * runningVar = 1, numBatchesTracked = 0. Shapes: γ, β, runningMean and runningVar are 1×C rows;
 * numBatchesTracked is 1×1.
 */
public abstract class NormBase extends NormLayer {
    protected final int numFeatures;
    protected final double eps;
    protected final Double momentum;
    protected final boolean affine;
    protected final boolean trackRunningStats;
    private final Parameter weight;
    private final Parameter bias;
    private final Tensor runningMean;
    private final Tensor runningVar;
    private final Tensor numBatchesTracked;

    /**
     * @param numFeatures       C, the number of channels (features)
     * @param eps               added to the variance inside the square root
     * @param momentum          the weight of the batch statistic in the running one (PyTorch's convention), or null
     *                          for a cumulative average
     * @param affine            learn γ and β
     * @param trackRunningStats keep running statistics and use them in evaluation
     */
    protected NormBase(int numFeatures, double eps, Double momentum, boolean affine, boolean trackRunningStats) {
        String name = getClass().getSimpleName();
        if (numFeatures <= 0) {
            throw new IllegalArgumentException(name + ": numFeatures must be at least 1, got " + numFeatures);
        }
        if (!(eps >= 0)) {
            throw new IllegalArgumentException(name + "(" + numFeatures + "): eps must be >= 0, got " + eps);
        }
        if (momentum != null && !(momentum >= 0 && momentum <= 1)) {
            throw new IllegalArgumentException(name + "(" + numFeatures + "): momentum must be in [0, 1], got " + momentum
                    + "; it is the weight of the batch statistic (PyTorch's convention, default 0.1); "
                    + "Keras's momentum m is 1 − m here");
        }
        this.numFeatures = numFeatures;
        this.eps = eps;
        this.momentum = momentum;
        this.affine = affine;
        this.trackRunningStats = trackRunningStats;
        weight = affine ? registerParameter("weight", new Parameter(1, numFeatures)) : null;
        bias = affine ? registerParameter("bias", new Parameter(1, numFeatures)) : null;
        runningMean = trackRunningStats ? registerBuffer("runningMean", Tensor.zeros(1, numFeatures)) : null;
        runningVar = trackRunningStats ? registerBuffer("runningVar", Tensor.zeros(1, numFeatures)) : null;
        numBatchesTracked = trackRunningStats ? registerBuffer("numBatchesTracked", Tensor.zeros(1, 1)) : null;
        resetParameters();
    }

    /** runningMean = 0, runningVar = 1, numBatchesTracked = 0 (nothing without running statistics). */
    public void resetRunningStats() {
        if (trackRunningStats) {
            runningMean.data().zero();
            runningVar.data().fill(1.0);
            numBatchesTracked.data().zero();
        }
    }

    /** Resets the running statistics, and γ = 1, β = 0. */
    @Override
    public void resetParameters() {
        resetRunningStats();
        if (affine) {
            weight.data().fill(1.0);
            bias.data().zero();
        }
    }

    /** γ (1×C), or null when not affine. */
    public Parameter weight() {
        return weight;
    }

    /** β (1×C), or null when not affine. */
    public Parameter bias() {
        return bias;
    }

    /** The running mean (1×C), or null without running statistics. Modified by training forwards. */
    public Tensor runningMean() {
        return runningMean;
    }

    /** The running unbiased variance (1×C), or null without running statistics. */
    public Tensor runningVar() {
        return runningVar;
    }

    /** How many training batches updated the running statistics (0 without running statistics). */
    public long numBatchesTracked() {
        return numBatchesTracked == null ? 0 : (long) numBatchesTracked.data().data[0];
    }

    public int numFeatures() {
        return numFeatures;
    }

    public double eps() {
        return eps;
    }

    /** The momentum, or null for a cumulative average. */
    public Double momentum() {
        return momentum;
    }

    public boolean affine() {
        return affine;
    }

    public boolean trackRunningStats() {
        return trackRunningStats;
    }

    /**
     * Counts a training batch and returns the factor of its statistic in the running update:
     * momentum, or 1/numBatchesTracked when momentum is null.
     */
    protected double countBatch() {
        numBatchesTracked.data().data[0] += 1;
        return momentum == null ? 1.0 / numBatchesTracked.data().data[0] : momentum;
    }

    /** The layer as messages name it: {@code BatchNorm1d(16)}. */
    protected String who() {
        return getClass().getSimpleName() + "(" + numFeatures + ")";
    }

    @Override
    protected String extraRepr() {
        return numFeatures + ", eps=" + format(eps) + ", momentum=" + (momentum == null ? "null" : format(momentum))
                + ", affine=" + affine + ", trackRunningStats=" + trackRunningStats + fusedRepr();
    }
}

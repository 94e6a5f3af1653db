package dev.normgrad.norm;

import dev.normgrad.autograd.Tensor;

/**
 * A normalization layer that also keeps running statistics — {@link BatchNorm1d}, {@link BatchNorm2d},
 * {@link InstanceNorm1d}, {@link InstanceNorm2d}, {@link BatchRenorm1d} — as PyTorch's
 * {@code _NormBase}: per channel, besides γ and β (when {@code affine}; see
 * {@link NormalizationLayer}), the buffers {@code runningMean}, {@code runningVar} and
 * {@code numBatchesTracked} (when {@code trackRunningStats}), which evaluation uses in place of the
 * batch's statistics.
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
public abstract class RunningStatsNormalization extends NormalizationLayer {
    private final int numFeatures;
    private final Double momentum;
    private final boolean trackRunningStats;
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
    protected RunningStatsNormalization(int numFeatures, double eps, Double momentum, boolean affine,
            boolean trackRunningStats) {
        super(String.valueOf(numFeatures), numFeatures, eps, affine, affine);
        checkMomentum(who(), momentum);
        this.numFeatures = numFeatures;
        this.momentum = momentum;
        this.trackRunningStats = trackRunningStats;
        runningMean = trackRunningStats ? registerBuffer("runningMean", Tensor.zeros(1, numFeatures)) : null;
        runningVar = trackRunningStats ? registerBuffer("runningVar", Tensor.ones(1, numFeatures)) : null;
        numBatchesTracked = trackRunningStats ? registerBuffer("numBatchesTracked", Tensor.zeros(1, 1)) : null;
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
        super.resetParameters();
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

    /** C, the number of channels (features). */
    public int numFeatures() {
        return numFeatures;
    }

    /** The momentum, or null for a cumulative average. */
    public Double momentum() {
        return momentum;
    }

    public boolean trackRunningStats() {
        return trackRunningStats;
    }

    /**
     * The factor of the next training batch's statistic in the running update: momentum, or
     * 1/(numBatchesTracked + 1) when momentum is null. Count the batch with {@link #countBatch()}
     * once its forward has succeeded.
     */
    protected double nextBatchFactor() {
        if (momentum != null) {
            return momentum;
        }
        return numBatchesTracked == null ? 1.0 : 1.0 / (numBatchesTracked.data().data[0] + 1);
    }

    /** Counts a training batch that updated the running statistics (nothing without them, or in evaluation). */
    protected void countBatch() {
        if (trackRunningStats && isTraining()) {
            numBatchesTracked.data().data[0] += 1;
        }
    }

    /**
     * Batch normalization with this layer's state (the forward of BatchNorm1d and BatchNorm2d, which
     * differ only in how a row is read): in training, or without running statistics, the batch's
     * statistics per channel over N and L; in evaluation, the running ones.
     */
    protected final Tensor batchNormForward(Tensor input) {
        Tensor y = Normalization.batchNorm(who(), input, numFeatures, runningMean, runningVar, weight(), bias(), isTraining(),
                nextBatchFactor(), eps(), isFused());
        countBatch();
        return y;
    }

    /**
     * Instance normalization with this layer's state (the forward of InstanceNorm1d and
     * InstanceNorm2d): each channel of each sample over its L positions; in evaluation with running
     * statistics, those. As in PyTorch, numBatchesTracked is not counted.
     */
    protected final Tensor instanceNormForward(Tensor input) {
        return Normalization.instanceNorm(who(), input, numFeatures, runningMean, runningVar, weight(), bias(),
                isTraining() || !trackRunningStats, momentum, eps(), isFused());
    }

    @Override
    protected String extraRepr() {
        return numFeatures + ", eps=" + format(eps()) + ", momentum=" + (momentum == null ? "null" : format(momentum))
                + ", affine=" + affine() + ", trackRunningStats=" + trackRunningStats + fusedRepr();
    }
}

package dev.normgrad.norm;

import dev.normgrad.autograd.Tensor;

/**
 * Batch normalization (Ioffe &amp; Szegedy, <i>Batch Normalization: Accelerating Deep Network
 * Training by Reducing Internal Covariate Shift</i>, 2015), PyTorch's {@code nn.BatchNorm1d}.
 *
 * <pre>
 *   y = (x − E[x]) / sqrt(Var[x] + eps) · γ + β
 * </pre>
 * with the mean and the biased variance per channel, over the batch and the positions.
 *
 * <p><b>Shapes.</b> Input N × C (features, PyTorch's (N, C)) or N × (C·L) (each row C channel
 * blocks of L positions, PyTorch's (N, C, L)): L is the input's width divided by C, so the same
 * layer takes both; a width that is not a multiple of C is an error. Output: the input's shape.
 * γ, β, runningMean, runningVar: 1×C.
 *
 * <p><b>Training</b> uses the batch's statistics and updates the running ones with
 * {@code running = (1 − momentum)·running + momentum·batch}, momentum 0.1 by default, feeding
 * the <em>unbiased</em> variance (n/(n − 1), n = N·L) into runningVar while the biased one
 * normalizes. Keras's {@code momentum=0.99} means the opposite (the running value's weight): it is
 * 0.01 here. A batch with one value per channel (N·L = 1) is an error. <b>Evaluation</b>
 * ({@link #eval()}) uses the running statistics and changes nothing. With
 * {@code trackRunningStats = false} both modes use the batch's statistics.
 *
 * <pre>{@code
 * BatchNorm1d bn = new BatchNorm1d(16);            // 16, eps=1e-05, momentum=0.1, affine=true, trackRunningStats=true
 * Tensor y = bn.apply(Tensor.randn(32, 16, rng));  // N×C
 * Tensor z = bn.apply(Tensor.randn(32, 16 * 5, rng));  // N×(C·L), L = 5
 * }</pre>
 *
 * Fused by default; {@code setFused(false)} runs the composed form (see {@link NormalizationLayer}). For
 * images, rows of (C, H, W), {@link BatchNorm2d} is the same computation.
 */
public class BatchNorm1d extends RunningStatsNormalization {
    /** eps 1e-5, momentum 0.1, affine, tracking running statistics: PyTorch's defaults. */
    public BatchNorm1d(int numFeatures) {
        this(numFeatures, Normalization.DEFAULT_EPS, Normalization.DEFAULT_MOMENTUM, true, true);
    }

    /**
     * @param numFeatures       C, the number of channels (features)
     * @param eps               added to the variance inside the square root (1e-5)
     * @param momentum          weight of the batch statistic in the running update (0.1; PyTorch's convention,
     *                          not Keras's), or null for a cumulative average
     * @param affine            learn γ and β (true)
     * @param trackRunningStats keep running statistics and use them in evaluation (true)
     */
    public BatchNorm1d(int numFeatures, double eps, Double momentum, boolean affine, boolean trackRunningStats) {
        super(numFeatures, eps, momentum, affine, trackRunningStats);
    }

    @Override
    public Tensor forward(Tensor input) {
        return batchNormForward(input);
    }
}

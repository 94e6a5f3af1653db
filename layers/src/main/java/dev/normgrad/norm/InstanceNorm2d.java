package dev.normgrad.norm;

import dev.normgrad.autograd.Tensor;

/**
 * Instance normalization of images (Ulyanov, Vedaldi &amp; Lempitsky 2016), PyTorch's
 * {@code nn.InstanceNorm2d}: each channel of each image is normalized over its own H·W positions,
 * independently of the batch.
 *
 * <pre>
 *   y = (x − E[x]) / sqrt(Var[x] + eps) · γ + β        E, Var per (sample, channel), over H and W; Var biased
 * </pre>
 *
 * <p><b>Shapes.</b> Input N × (C·H·W), each row an image in (C, H, W) row-major order; H·W = width / C,
 * at least 2 when the input's own statistics are used. Output: the same. γ, β, runningMean,
 * runningVar: 1×C.
 *
 * <p>PyTorch's defaults, which differ from BatchNorm's: {@code affine = false},
 * {@code trackRunningStats = false}. Everything else — the running statistics when tracked
 * (momentum 0.1, PyTorch's convention; Keras's m is 1 − m here), evaluation — is
 * {@link InstanceNorm1d}'s, the same computation on rows of C channels of L positions.
 */
public class InstanceNorm2d extends RunningStatsNormalization {
    /** eps 1e-5, momentum 0.1, affine = false, trackRunningStats = false: PyTorch's defaults. */
    public InstanceNorm2d(int numFeatures) {
        this(numFeatures, Normalization.DEFAULT_EPS, Normalization.DEFAULT_MOMENTUM, false, false);
    }

    /**
     * @param numFeatures       C, the number of channels
     * @param eps               added to the variance inside the square root (1e-5)
     * @param momentum          weight of the batch statistic in the running update (0.1, PyTorch's convention)
     * @param affine            learn a per-channel γ and β (false)
     * @param trackRunningStats keep running statistics and use them in evaluation (false)
     */
    public InstanceNorm2d(int numFeatures, double eps, double momentum, boolean affine, boolean trackRunningStats) {
        super(numFeatures, eps, momentum, affine, trackRunningStats);
    }

    @Override
    public Tensor forward(Tensor input) {
        return instanceNormForward(input);
    }
}

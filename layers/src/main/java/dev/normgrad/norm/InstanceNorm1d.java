package dev.normgrad.norm;

import dev.normgrad.autograd.Tensor;

/**
 * Instance normalization (Ulyanov, Vedaldi &amp; Lempitsky, <i>Instance Normalization: The Missing
 * Ingredient for Fast Stylization</i>, 2016), PyTorch's {@code nn.InstanceNorm1d}: each channel of
 * each sample is normalized over its L positions.
 *
 * <pre>
 *   y = (x − E[x]) / sqrt(Var[x] + eps) · γ + β        E, Var per (sample, channel), over L; Var biased
 * </pre>
 *
 * <p><b>Shapes.</b> Input N × (C·L), L = width / C, at least 2 when the input's own statistics are
 * used. Output: the same. γ, β, runningMean, runningVar: 1×C.
 *
 * <p>PyTorch's defaults, which differ from BatchNorm's: {@code affine = false},
 * {@code trackRunningStats = false}, so by default there are no parameters and evaluation
 * normalizes each instance too. With {@code trackRunningStats = true}, training updates
 * runningMean and runningVar with the batch average of the instance statistics (each variance
 * unbiased, L/(L − 1)), by {@code running = (1 − momentum)·running + momentum·batch} (PyTorch's
 * convention; Keras's momentum m is 1 − m here), and evaluation uses them. As in PyTorch,
 * numBatchesTracked is kept but not counted, and the momentum cannot be null.
 */
public class InstanceNorm1d extends RunningStatsNormalization {
    /** eps 1e-5, momentum 0.1, affine = false, trackRunningStats = false: PyTorch's defaults. */
    public InstanceNorm1d(int numFeatures) {
        this(numFeatures, Normalization.DEFAULT_EPS, Normalization.DEFAULT_MOMENTUM, false, false);
    }

    /**
     * @param numFeatures       C, the number of channels
     * @param momentum          weight of the batch statistic in the running update (PyTorch's convention)
     * @param affine            learn a per-channel γ and β (false)
     * @param trackRunningStats keep running statistics and use them in evaluation (false)
     */
    public InstanceNorm1d(int numFeatures, double eps, double momentum, boolean affine, boolean trackRunningStats) {
        super(numFeatures, eps, momentum, affine, trackRunningStats);
    }

    @Override
    public Tensor forward(Tensor input) {
        return instanceNormForward(input);
    }
}

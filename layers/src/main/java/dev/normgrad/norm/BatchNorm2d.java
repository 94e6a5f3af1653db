package dev.normgrad.norm;

import dev.normgrad.autograd.Tensor;

/**
 * Batch normalization of images (Ioffe &amp; Szegedy 2015, §3.2 "Batch-normalized convolutional
 * networks"), PyTorch's {@code nn.BatchNorm2d}: one mean and one variance per channel, over the
 * batch and every position of the channel's feature map, so that all positions of a channel are
 * normalized alike, as a convolution treats them alike.
 *
 * <pre>
 *   y = (x − E[x]) / sqrt(Var[x] + eps) · γ + β        E, Var per channel over N, H and W; Var biased
 * </pre>
 *
 * <p><b>Shapes.</b> Input N × (C·H·W): each row an image of C channels of H·W positions in
 * (C, H, W) row-major order, as a {@link dev.normgrad.nn.Conv2d} gives them. The statistics of
 * channel c are over its N·H·W values; H·W is read as width / C, so the layer takes any image size
 * (it cannot tell 8 channels of 16 positions from 16 of 8: the layer before declares the shape).
 * Output: the input's shape. γ, β, runningMean, runningVar: 1×C.
 *
 * <p>Training, evaluation, momentum (0.1, PyTorch's convention: Keras's 0.99 is 0.01 here), the
 * unbiased variance in runningVar, {@code affine} and {@code trackRunningStats}: exactly as
 * {@link BatchNorm1d}, which is the same computation on rows of C channels of L positions.
 *
 * <pre>{@code
 * BatchNorm2d bn = new BatchNorm2d(8);                 // 8, eps=1e-05, momentum=0.1, affine=true, trackRunningStats=true
 * Tensor y = bn.apply(conv.apply(images));             // N×(8·H·W)
 * }</pre>
 */
public class BatchNorm2d extends RunningStatsNormalization {
    /** eps 1e-5, momentum 0.1, affine, tracking running statistics: PyTorch's defaults. */
    public BatchNorm2d(int numFeatures) {
        this(numFeatures, Normalization.DEFAULT_EPS, Normalization.DEFAULT_MOMENTUM, true, true);
    }

    /**
     * @param numFeatures       C, the number of channels
     * @param eps               added to the variance inside the square root (1e-5)
     * @param momentum          weight of the batch statistic in the running update (0.1; PyTorch's convention,
     *                          not Keras's), or null for a cumulative average
     * @param affine            learn a per-channel γ and β (true)
     * @param trackRunningStats keep running statistics and use them in evaluation (true)
     */
    public BatchNorm2d(int numFeatures, double eps, Double momentum, boolean affine, boolean trackRunningStats) {
        super(numFeatures, eps, momentum, affine, trackRunningStats);
    }

    @Override
    public Tensor forward(Tensor input) {
        return batchNormForward(input);
    }
}

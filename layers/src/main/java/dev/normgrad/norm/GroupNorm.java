package dev.normgrad.norm;

import dev.normgrad.autograd.Tensor;

/**
 * Group normalization (Wu &amp; He, <i>Group Normalization</i>, 2018), PyTorch's {@code nn.GroupNorm}:
 * the C channels are split into G groups of C/G consecutive channels, and each group of each
 * sample is normalized over its channels and their positions; then a per-channel γ and β.
 *
 * <pre>
 *   y = (x − E[x]) / sqrt(Var[x] + eps) · γ + β        E, Var per (sample, group), over C/G channels and L
 * </pre>
 * GroupNorm(1, C) is LayerNorm over (C, L) with a per-channel affine; GroupNorm(C, C) is
 * InstanceNorm. No running statistics: training and evaluation compute the same thing.
 *
 * <p><b>Shapes.</b> Input N × (C·L), L = width / C (N × C is L = 1). Output: the same. γ, β: 1×C.
 * C must be divisible by G. On images, rows of (C, H, W), L = H·W: each group is normalized over its
 * C/G channels and all their H·W positions, as PyTorch's {@code nn.GroupNorm} on (N, C, H, W).
 */
public class GroupNorm extends NormalizationLayer {
    private final int numGroups;
    private final int numChannels;

    /** eps 1e-5, affine. */
    public GroupNorm(int numGroups, int numChannels) {
        this(numGroups, numChannels, Normalization.DEFAULT_EPS, true);
    }

    /**
     * @param numGroups   G, dividing numChannels
     * @param numChannels C
     * @param eps         added to the variance inside the square root (1e-5)
     * @param affine      learn a per-channel γ and β (true)
     */
    public GroupNorm(int numGroups, int numChannels, double eps, boolean affine) {
        super(checkedGroups(numGroups, numChannels), numChannels, eps, affine, affine);
        this.numGroups = numGroups;
        this.numChannels = numChannels;
    }

    /** "G, C", once G is known to divide C. */
    private static String checkedGroups(int numGroups, int numChannels) {
        String arguments = numGroups + ", " + numChannels;
        Normalization.checkGroups("GroupNorm(" + arguments + ")", numGroups, numChannels);
        return arguments;
    }

    @Override
    public Tensor forward(Tensor input) {
        return Normalization.groupNorm(who(), input, numGroups, numChannels, weight(), bias(), eps(), isFused());
    }

    public int numGroups() {
        return numGroups;
    }

    public int numChannels() {
        return numChannels;
    }

    @Override
    protected String extraRepr() {
        return numGroups + ", " + numChannels + ", eps=" + format(eps()) + ", affine=" + affine() + fusedRepr();
    }
}

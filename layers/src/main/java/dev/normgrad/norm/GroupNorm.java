package dev.normgrad.norm;

import dev.normgrad.autograd.Tensor;
import dev.normgrad.nn.Parameter;

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
 * C must be divisible by G.
 */
public class GroupNorm extends NormLayer {
    private final int numGroups;
    private final int numChannels;
    private final double eps;
    private final boolean affine;
    private final Parameter weight;
    private final Parameter bias;

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
        Normalization.checkGroups("GroupNorm(" + numGroups + ", " + numChannels + ")", numGroups, numChannels);
        if (!(eps >= 0)) {
            throw new IllegalArgumentException("GroupNorm(" + numGroups + ", " + numChannels + "): eps must be >= 0, got " + eps);
        }
        this.numGroups = numGroups;
        this.numChannels = numChannels;
        this.eps = eps;
        this.affine = affine;
        weight = affine ? registerParameter("weight", new Parameter(1, numChannels)) : null;
        bias = affine ? registerParameter("bias", new Parameter(1, numChannels)) : null;
        resetParameters();
    }

    /** γ = 1, β = 0. */
    @Override
    public void resetParameters() {
        if (affine) {
            weight.data().fill(1.0);
            bias.data().zero();
        }
    }

    @Override
    public Tensor forward(Tensor input) {
        return Normalization.groupNorm("GroupNorm(" + numGroups + ", " + numChannels + ")", input, numGroups, numChannels,
                weight, bias, eps, isFused());
    }

    /** γ (1×C), or null when not affine. */
    public Parameter weight() {
        return weight;
    }

    /** β (1×C), or null when not affine. */
    public Parameter bias() {
        return bias;
    }

    public int numGroups() {
        return numGroups;
    }

    public int numChannels() {
        return numChannels;
    }

    public double eps() {
        return eps;
    }

    public boolean affine() {
        return affine;
    }

    @Override
    protected String extraRepr() {
        return numGroups + ", " + numChannels + ", eps=" + format(eps) + ", affine=" + affine + fusedRepr();
    }
}

package dev.normgrad.norm;

import dev.normgrad.autograd.Tensor;

/**
 * Root-mean-square layer normalization (Zhang &amp; Sennrich, <i>Root Mean Square Layer
 * Normalization</i>, 2019), as PyTorch 2.4's {@code nn.RMSNorm}: LayerNorm without centring and
 * without a bias.
 *
 * <pre>
 *   y = x / sqrt(mean(x²) + eps) · γ           mean over the normalized shape, per sample
 * </pre>
 * The mean is not subtracted: a constant row is not sent to zero, it is scaled to ±1.
 *
 * <p><b>Shapes</b> as {@link LayerNorm}: rows of D = product(normalizedShape) features, or of a
 * multiple of D (blocks normalized on their own). γ: 1×D; no β ({@link #bias()} is null).
 *
 * <p>eps defaults, as in PyTorch ({@code eps=None}), to the machine epsilon of the data type:
 * 2.220446049250313e-16 for float64 ({@code Math.ulp(1.0)}).
 */
public class RMSNorm extends NormalizationLayer {
    /** The machine epsilon of float64, PyTorch's {@code torch.finfo(torch.float64).eps}. */
    public static final double DEFAULT_EPS = Math.ulp(1.0);

    private final int[] normalizedShape;
    private final int size;

    /** Over the last {@code normalizedShape} features, eps = machine epsilon, with γ. */
    public RMSNorm(int... normalizedShape) {
        this(normalizedShape, DEFAULT_EPS, true);
    }

    /**
     * @param normalizedShape   the trailing shape normalized over
     * @param eps               added to mean(x²) inside the square root
     * @param elementwiseAffine learn γ, one per normalized feature (true)
     */
    public RMSNorm(int[] normalizedShape, double eps, boolean elementwiseAffine) {
        super(LayerNorm.shapeRepr(normalizedShape), LayerNorm.product("RMSNorm", normalizedShape), eps, elementwiseAffine, false);
        this.normalizedShape = normalizedShape.clone();
        this.size = LayerNorm.product("RMSNorm", normalizedShape);
    }

    @Override
    public Tensor forward(Tensor input) {
        return Normalization.rmsNorm(who(), input, size, weight(), eps(), isFused());
    }

    public int[] normalizedShape() {
        return normalizedShape.clone();
    }

    /** True when the layer learns γ (PyTorch's name for {@link #affine()}). */
    public boolean elementwiseAffine() {
        return affine();
    }

    @Override
    protected String extraRepr() {
        return LayerNorm.shapeRepr(normalizedShape) + ", eps=" + format(eps()) + ", elementwiseAffine=" + affine() + fusedRepr();
    }
}

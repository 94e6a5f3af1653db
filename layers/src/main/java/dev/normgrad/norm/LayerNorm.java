package dev.normgrad.norm;

import dev.normgrad.autograd.Tensor;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * Layer normalization (Ba, Kiros &amp; Hinton, <i>Layer Normalization</i>, 2016), PyTorch's
 * {@code nn.LayerNorm}: each sample is normalized over its last features, then an elementwise γ
 * and β (one per normalized feature).
 *
 * <pre>
 *   y = (x − E[x]) / sqrt(Var[x] + eps) · γ + β        E, Var per sample, over the normalized shape; Var biased
 * </pre>
 * The same in training and evaluation (no running statistics), and independent of the batch.
 *
 * <p><b>Shapes.</b> {@code new LayerNorm(16)} normalizes rows of 16 features; {@code new LayerNorm(C, L)}
 * normalizes rows of C channels of L positions over (C, L) — the same computation on D = C·L
 * features, since rows are flat. γ, β: 1×D (PyTorch's normalized_shape, flattened row-major).
 * A row whose width is a multiple m·D is read as m blocks of D, each normalized on its own
 * (PyTorch's (N, m, D) input): {@code new LayerNorm(L)} on N × (C·L) normalizes each channel over
 * its L positions, with a γ per position. Any other width is an error. On images, rows of
 * (C, H, W), {@code new LayerNorm(C, H, W)} normalizes each sample over all its C·H·W values, with
 * a γ and β per value (PyTorch's {@code nn.LayerNorm([C, H, W])}).
 */
public class LayerNorm extends NormalizationLayer {
    private final int[] normalizedShape;
    private final int size;

    /** Over the last {@code normalizedShape} features (their product D), eps 1e-5, with γ and β. */
    public LayerNorm(int... normalizedShape) {
        this(normalizedShape, Normalization.DEFAULT_EPS, true);
    }

    /**
     * @param normalizedShape   the trailing shape normalized over, e.g. {16}, {C, L} or {C, H, W}
     * @param eps               added to the variance inside the square root (1e-5)
     * @param elementwiseAffine learn γ and β, one per normalized feature (true)
     */
    public LayerNorm(int[] normalizedShape, double eps, boolean elementwiseAffine) {
        super(shapeRepr(normalizedShape), product("LayerNorm", normalizedShape), eps, elementwiseAffine, elementwiseAffine);
        this.normalizedShape = normalizedShape.clone();
        this.size = product("LayerNorm", normalizedShape);
    }

    @Override
    public Tensor forward(Tensor input) {
        return Normalization.layerNorm(who(), input, size, weight(), bias(), eps(), isFused());
    }

    public int[] normalizedShape() {
        return normalizedShape.clone();
    }

    /** True when the layer learns γ and β (PyTorch's name for {@link #affine()}). */
    public boolean elementwiseAffine() {
        return affine();
    }

    @Override
    protected String extraRepr() {
        return shapeRepr(normalizedShape) + ", eps=" + format(eps()) + ", elementwiseAffine=" + affine() + fusedRepr();
    }

    /** "16" or "(4, 3)". */
    static String shapeRepr(int[] shape) {
        if (shape == null) {
            return "";
        }
        String inner = Arrays.stream(shape).mapToObj(String::valueOf).collect(Collectors.joining(", "));
        return shape.length == 1 ? inner : "(" + inner + ")";
    }

    static int product(String layer, int[] shape) {
        if (shape == null || shape.length == 0) {
            throw new IllegalArgumentException(layer + ": give the normalized shape, e.g. " + layer + "(16) or " + layer + "(C, L)");
        }
        long size = 1;
        for (int d : shape) {
            if (d <= 0) {
                throw new IllegalArgumentException(layer + "(" + shapeRepr(shape) + "): every dimension must be at least 1");
            }
            size *= d;
        }
        if (size > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(layer + "(" + shapeRepr(shape) + "): too many features");
        }
        return (int) size;
    }
}

package dev.normgrad.ops;

/**
 * Binary cross-entropy of a logit x against a target y ∈ [0, 1], elementwise, in its stable form:
 * <pre>
 *   ℓ(x, y) = −[y·log σ(x) + (1 − y)·log(1 − σ(x))]
 *           = max(x, 0) − x·y + log(1 + exp(−|x|))
 *   ∂ℓ/∂x = σ(x) − y          ∂ℓ/∂y = −x
 * </pre>
 * The second line never evaluates exp of a large positive number, so logits of ±1e4 give finite
 * losses and gradients (log σ(x) computed directly would be log 0 = −∞). {@code max(x, 0) +
 * log(1 + exp(−|x|))} is softplus(x), a smooth function: there is no kink at 0. Inputs: logits and
 * targets (same shape, or broadcast as in {@link Broadcast}); output: the elementwise loss, which
 * the loss function then averages. Saves both inputs (each partial reads them), not the output.
 */
public final class BinaryCrossEntropyWithLogits extends Broadcast {
    public BinaryCrossEntropyWithLogits() {
        super(true, true, false);
    }

    @Override
    protected double apply(double x, double y) {
        return Math.max(x, 0.0) - x * y + StrictMath.log1p(StrictMath.exp(-Math.abs(x)));
    }

    @Override
    protected double partialA(double x, double y, double z) {
        return ReproducibleMath.sigmoid(x) - y;
    }

    @Override
    protected double partialB(double x, double y, double z) {
        return -x;
    }

    @Override
    protected String symbol() {
        return "bce";
    }
}

package dev.normgrad.loss;

import dev.normgrad.autograd.Tensor;

/**
 * Binary cross-entropy on logits, in the stable form {@code max(x, 0) − x·t + log(1 + e^(−|x|))},
 * averaged over every entry: see {@link Losses#bceWithLogits}. Give it raw logits (no sigmoid) and
 * targets in [0, 1] of the same shape. Holds no state.
 *
 * <pre>{@code
 * BCEWithLogitsLoss criterion = new BCEWithLogitsLoss();
 * Tensor loss = criterion.apply(model.apply(x), targets);  // both N×1 for one binary output
 * }</pre>
 */
public final class BCEWithLogitsLoss {
    /** The 1×1 mean binary cross-entropy of {@code logits} against {@code targets} (same shape). */
    public Tensor apply(Tensor logits, Tensor targets) {
        return Losses.bceWithLogits(logits, targets);
    }

    @Override
    public String toString() {
        return "BCEWithLogitsLoss()";
    }
}

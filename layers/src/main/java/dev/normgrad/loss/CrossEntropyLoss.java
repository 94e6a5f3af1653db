package dev.normgrad.loss;

import dev.normgrad.autograd.Tensor;

/**
 * Softmax cross-entropy on integer class labels, averaged over the batch: see
 * {@link Losses#crossEntropy}. Give it raw logits (the last Linear layer's output, no softmax) and
 * one label per row. Holds no state.
 *
 * <pre>{@code
 * CrossEntropyLoss criterion = new CrossEntropyLoss();
 * Tensor loss = criterion.apply(model.apply(x), labels);   // logits N×C, labels int[N] in 0..C−1
 * loss.backward();
 * }</pre>
 */
public final class CrossEntropyLoss {
    /** The 1×1 mean cross-entropy of {@code logits} (N×C) against {@code labels} (N values in 0..C−1). */
    public Tensor apply(Tensor logits, int[] labels) {
        return Losses.crossEntropy(logits, labels);
    }

    @Override
    public String toString() {
        return "CrossEntropyLoss()";
    }
}

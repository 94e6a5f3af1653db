package dev.normgrad.data;

import dev.normgrad.autograd.Tensor;

/**
 * One mini-batch from a {@link DataLoader}: B×F features (a new tensor, not requiring grad) and their
 * B labels.
 */
public record Batch(Tensor features, int[] labels) {
    /** B, the number of samples in this batch. */
    public int size() {
        return labels.length;
    }
}

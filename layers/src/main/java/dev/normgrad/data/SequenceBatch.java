package dev.normgrad.data;

import dev.normgrad.autograd.Tensor;
import java.util.List;

/**
 * A batch of N sequences of T steps, as the recurrent layers read it, with one target per
 * sequence.
 *
 * @param steps   T tensors, one per time step, each N×F (not requiring grad)
 * @param targets N×1 values for a regression task; N×K one-hot rows for a classification task
 * @param labels  the N class indices of a classification task, or null for a regression task
 */
public record SequenceBatch(List<Tensor> steps, Tensor targets, int[] labels) {
    public SequenceBatch {
        if (steps == null || steps.isEmpty()) {
            throw new IllegalArgumentException("SequenceBatch: no steps");
        }
        steps = List.copyOf(steps);
        if (targets == null) {
            throw new IllegalArgumentException("SequenceBatch: no targets");
        }
        for (int t = 0; t < steps.size(); t++) {
            if (steps.get(t).rows() != targets.rows()) {
                throw new IllegalArgumentException("SequenceBatch: step " + t + " is " + steps.get(t).shape()
                        + " but the targets are " + targets.shape() + "; both need one row per sequence");
            }
        }
        if (labels != null && labels.length != targets.rows()) {
            throw new IllegalArgumentException("SequenceBatch: " + labels.length + " labels for " + targets.rows() + " sequences");
        }
    }

    /** N, the number of sequences. */
    public int size() {
        return targets.rows();
    }

    /** T, the number of steps. */
    public int length() {
        return steps.size();
    }

    /** F, the features of each step. */
    public int features() {
        return steps.get(0).cols();
    }
}

package dev.normgrad.diagnostics;

import java.util.Arrays;
import java.util.Objects;

/**
 * The gradient profile of one recurrent computation at one training step, recorded by
 * {@link Diagnostics#recordSequence}: {@code gradNorms[t]} = ‖∂L/∂h_t‖ for t = 0 … T−1, as
 * {@link dev.normgrad.recurrent.HiddenGradients#gradNorms} counts them. Norms falling by orders of
 * magnitude towards t = 0 are the vanishing gradient.
 *
 * @param step      the training step they were recorded at
 * @param name      which sequence ({@code "encoder"})
 * @param gradNorms ‖∂L/∂h_t‖ (Frobenius norm over the batch), in time order
 */
public record SequenceStats(int step, String name, double[] gradNorms) {
    public SequenceStats {
        gradNorms = gradNorms.clone();
    }

    @Override
    public double[] gradNorms() {
        return gradNorms.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SequenceStats s && step == s.step && name.equals(s.name) && Arrays.equals(gradNorms, s.gradNorms);
    }

    @Override
    public int hashCode() {
        return Objects.hash(step, name, Arrays.hashCode(gradNorms));
    }

    @Override
    public String toString() {
        return "SequenceStats[step=" + step + ", name=" + name + ", gradNorms=" + Arrays.toString(gradNorms) + "]";
    }
}

package dev.normgrad.recurrent;

import dev.normgrad.autograd.Tensor;

/**
 * A module whose forward depends on the time step, such as {@link RecurrentBatchNorm}, which
 * keeps separate statistics for every step. A recurrent cell calls {@link #forward(Tensor, int)}
 * on its normalization modules that implement this interface, and plain {@code apply(x)} on the
 * others (LayerNorm is the same at every step).
 */
public interface PerTimeStep {
    /**
     * The output for input {@code x} at time step {@code step} (0 for the first step of a sequence).
     */
    Tensor forward(Tensor x, int step);
}

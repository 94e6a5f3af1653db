package dev.normgrad.gradcheck;

import dev.normgrad.autograd.Tensor;
import java.util.Map;

/**
 * Anything a gradient check can verify beyond a plain function of its inputs: a forward pass,
 * the parameters whose gradients are checked too, and the mutable state (running statistics,
 * random generators) that must be put back after every perturbed forward — otherwise a check of
 * BatchNorm drifts its running statistics and a check of Dropout draws a new mask each time, and
 * the numbers lie. Every layer ({@code Module}) is {@code Checkable}.
 */
public interface Checkable {
    /** The forward pass. */
    Tensor apply(Tensor... inputs);

    /** The tensors checked besides the inputs, by name (a layer's parameters). */
    Map<String, ? extends Tensor> namedParameters();

    /**
     * The parts of this model by their path in it ({@code ""} for the model itself,
     * {@code "layers.3"} for a child's child), so that a report can say where an op was created
     * or which part's state changed. A layer's are its sub-modules; the default has none.
     */
    default Map<String, ? extends Checkable> namedModules() {
        return Map.of();
    }

    /**
     * Captures every piece of state a forward may change (buffers, random generators); the
     * returned handle puts it back. The default has no state.
     */
    default State saveState() {
        return () -> { };
    }

    /** A saved state; {@link #restore()} may be called any number of times. */
    @FunctionalInterface
    interface State {
        void restore();
    }
}

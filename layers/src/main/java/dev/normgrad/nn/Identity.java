package dev.normgrad.nn;

import dev.normgrad.autograd.Tensor;

/**
 * {@code y = x}: returns its input unchanged (the same tensor). A placeholder where a layer is
 * optional, e.g. "no normalization" in an experiment that swaps normalization layers.
 */
public class Identity extends Module {
    @Override
    public Tensor forward(Tensor input) {
        return input;
    }
}

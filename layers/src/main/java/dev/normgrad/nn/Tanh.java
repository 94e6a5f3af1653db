package dev.normgrad.nn;

import dev.normgrad.autograd.Tensor;

/**
 * Hyperbolic tangent, elementwise: {@code y = tanh x}, {@code dx = dy · (1 − y²)}. Shapes: any → same.
 * Saturates for |x| ≫ 1, where its derivative vanishes: in a deep tanh network without
 * normalization, gradients shrink layer by layer. The op is {@link dev.normgrad.ops.Tanh}.
 */
public class Tanh extends Module {
    @Override
    public Tensor forward(Tensor input) {
        return input.tanh();
    }
}

package dev.normgrad.nn;

import dev.normgrad.autograd.Tensor;

/**
 * Rectified linear unit, elementwise: {@code y = max(0, x)}, {@code dx = dy · [x > 0]} (0 at x = 0,
 * as PyTorch). Shapes: any → same. V. Nair and G. Hinton, "Rectified Linear Units Improve Restricted
 * Boltzmann Machines", ICML 2010. The op is {@link dev.normgrad.ops.Relu}.
 */
public class ReLU extends Module {
    @Override
    public Tensor forward(Tensor input) {
        return input.relu();
    }
}

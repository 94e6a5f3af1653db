package dev.normgrad.norm;

import dev.normgrad.autograd.Tensor;
import dev.normgrad.nn.Module;
import dev.normgrad.nn.Parameter;

/** y = x·Wᵀ + b with W out×in and b 1×out: a stand-in with Linear's parameter names and shapes. */
final class TinyLinear extends Module {
    final Parameter weight;
    final Parameter bias;

    TinyLinear(int in, int out) {
        weight = registerParameter("weight", new Parameter(out, in));
        bias = registerParameter("bias", new Parameter(1, out));
    }

    @Override
    public Tensor forward(Tensor input) {
        return input.matmulTransposeB(weight).add(bias);
    }
}

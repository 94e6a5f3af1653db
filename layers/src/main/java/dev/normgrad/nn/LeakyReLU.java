package dev.normgrad.nn;

import dev.normgrad.autograd.Tensor;

/**
 * Leaky ReLU, elementwise: {@code y = x} for x &gt; 0, {@code s·x} otherwise; {@code dx = dy · (x > 0 ? 1 : s)}.
 * The small slope s (default 0.01, PyTorch's) keeps a gradient flowing through negative inputs.
 * Shapes: any → same. A. Maas, A. Hannun, A. Ng, "Rectifier Nonlinearities Improve Neural Network
 * Acoustic Models", ICML 2013. The op is {@link dev.normgrad.ops.LeakyRelu}.
 */
public class LeakyReLU extends Module {
    private final double negativeSlope;

    /** Negative slope 0.01. */
    public LeakyReLU() {
        this(0.01);
    }

    public LeakyReLU(double negativeSlope) {
        if (!Double.isFinite(negativeSlope)) {
            throw new IllegalArgumentException("LeakyReLU: the negative slope must be finite, got " + negativeSlope);
        }
        this.negativeSlope = negativeSlope;
    }

    public double negativeSlope() {
        return negativeSlope;
    }

    @Override
    public Tensor forward(Tensor input) {
        return input.leakyRelu(negativeSlope);
    }

    @Override
    protected String extraRepr() {
        return "negativeSlope=" + negativeSlope;
    }
}

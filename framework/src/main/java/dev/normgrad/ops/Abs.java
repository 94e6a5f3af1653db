package dev.normgrad.ops;

/**
 * {@code y = |x| ; dx = dy · sign(x)}, with sign(0) = 0 as in PyTorch (and sign(NaN) = 0, PyTorch's
 * {@code sgn}). Saves the input. Not differentiable at 0: a gradient check reports entries there as kinks.
 */
public final class Abs extends Elementwise {
    public Abs() {
        super(Saves.INPUT);
    }

    @Override
    protected void inspect(org.ejml.data.DMatrixRMaj input) {
        recordKinks(input, 0.0);
    }

    @Override
    protected double apply(double x) {
        return Math.abs(x);
    }

    @Override
    protected double derivative(double x, double y) {
        return x > 0 ? 1 : x < 0 ? -1 : 0;
    }
}

package dev.normgrad.ops;

/**
 * {@code y = x for x > 0, else s·x ; dx = dy · (x > 0 ? 1 : s)} (saves the input); PyTorch's default slope s is 0.01. Not differentiable at 0: a gradient check reports entries there as kinks.
 */
public final class LeakyRelu extends Elementwise {
    private final double slope;

    public LeakyRelu(double negativeSlope) {
        super(Saves.INPUT);
        this.slope = negativeSlope;
    }

    @Override
    protected void inspect(org.ejml.data.DMatrixRMaj input) {
        recordKinks(input, 0.0);
    }

    @Override
    protected double apply(double x) {
        return x > 0 ? x : slope * x;
    }

    @Override
    protected double derivative(double x, double y) {
        return x > 0 ? 1 : slope;
    }
}

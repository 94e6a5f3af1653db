package dev.normgrad.ops;

/**
 * Power with a constant exponent, {@code y = xᵖ ; dx = dy · p · xᵖ⁻¹} (saves the input).
 */
public final class Pow extends Elementwise {
    private final double p;

    public Pow(double exponent) {
        super(Saves.INPUT);
        this.p = exponent;
    }

    @Override
    protected double apply(double x) {
        return StrictMath.pow(x, p);
    }

    @Override
    protected double derivative(double x, double y) {
        return p == 0 ? 0 : p * StrictMath.pow(x, p - 1);
    }
}

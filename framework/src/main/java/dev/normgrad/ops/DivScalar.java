package dev.normgrad.ops;

/**
 * {@code y = x / c ; dx = dy / c}. Divides rather than multiplying by 1/c, so the value is the
 * correctly rounded quotient (and a subnormal c does not overflow 1/c).
 */
public final class DivScalar extends Elementwise {
    private final double c;

    public DivScalar(double c) {
        super(Saves.NOTHING);
        this.c = c;
    }

    @Override
    protected double apply(double x) {
        return x / c;
    }

    @Override
    protected double derivative(double x, double y) {
        return 1.0 / c;
    }
}

package dev.normgrad.ops;

/**
 * {@code y = c · x ; dx = c · dy}.
 */
public final class MulScalar extends Elementwise {
    private final double c;

    public MulScalar(double c) {
        super(Saves.NOTHING);
        this.c = c;
    }

    @Override
    protected double apply(double x) {
        return c * x;
    }

    @Override
    protected double derivative(double x, double y) {
        return c;
    }
}

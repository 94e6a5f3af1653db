package dev.normgrad.ops;

/**
 * {@code y = −x ; dx = −dy}.
 */
public final class Neg extends Elementwise {
    public Neg() {
        super(Saves.NOTHING);
    }

    @Override
    protected double apply(double x) {
        return -x;
    }

    @Override
    protected double derivative(double x, double y) {
        return -1;
    }
}

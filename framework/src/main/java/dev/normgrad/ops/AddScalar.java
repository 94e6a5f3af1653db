package dev.normgrad.ops;

/**
 * {@code y = x + c ; dx = dy}.
 */
public final class AddScalar extends Elementwise {
    private final double c;

    public AddScalar(double c) {
        super(Saves.NOTHING);
        this.c = c;
    }

    @Override
    protected double apply(double x) {
        return x + c;
    }

    @Override
    protected double derivative(double x, double y) {
        return 1;
    }
}

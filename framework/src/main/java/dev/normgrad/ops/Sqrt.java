package dev.normgrad.ops;

/**
 * {@code y = √x ; dx = dy / (2y)} (saves the output).
 */
public final class Sqrt extends Elementwise {
    public Sqrt() {
        super(Saves.OUTPUT);
    }

    @Override
    protected double apply(double x) {
        return Math.sqrt(x);
    }

    @Override
    protected double derivative(double x, double y) {
        return 0.5 / y;
    }
}

package dev.normgrad.ops;

/**
 * {@code y = eˣ ; dx = dy · y} (saves the output).
 */
public final class Exp extends Elementwise {
    public Exp() {
        super(Saves.OUTPUT);
    }

    @Override
    protected double apply(double x) {
        return StrictMath.exp(x);
    }

    @Override
    protected double derivative(double x, double y) {
        return y;
    }
}

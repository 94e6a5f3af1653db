package dev.normgrad.ops;

/**
 * {@code y = tanh x ; dx = dy · (1 − y²)} (saves the output). Saturates for |x| ≫ 1: the derivative vanishes there, the root of vanishing gradients in deep tanh networks.
 */
public final class Tanh extends Elementwise {
    public Tanh() {
        super(Saves.OUTPUT);
    }

    @Override
    protected double apply(double x) {
        return Math.tanh(x);
    }

    @Override
    protected double derivative(double x, double y) {
        return 1 - y * y;
    }
}

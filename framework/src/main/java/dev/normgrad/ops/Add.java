package dev.normgrad.ops;

/**
 * Elementwise {@code z = a + b ; da = dz, db = dz}, with broadcasting (see {@link Broadcast}); the gradient of a broadcast
 * operand is summed over the dimensions it was stretched along. Saves nothing.
 */
public final class Add extends Broadcast {
    public Add() {
        super(false, false, false);
    }

    @Override
    protected double apply(double a, double b) {
        return a + b;
    }

    @Override
    protected double partialA(double a, double b, double z) {
        return 1;
    }

    @Override
    protected double partialB(double a, double b, double z) {
        return 1;
    }

    @Override
    protected String symbol() {
        return "+";
    }
}

package dev.normgrad.ops;

/**
 * Elementwise {@code z = a / b ; da = dz / b, db = −dz ⊙ z / b}, with broadcasting (see {@link Broadcast}); the gradient of a broadcast
 * operand is summed over the dimensions it was stretched along. Saves b and z.
 */
public final class Div extends Broadcast {
    public Div() {
        super(false, true, true);
    }

    @Override
    protected double apply(double a, double b) {
        return a / b;
    }

    @Override
    protected double partialA(double a, double b, double z) {
        return 1 / b;
    }

    @Override
    protected double partialB(double a, double b, double z) {
        return -z / b;
    }

    @Override
    protected String symbol() {
        return "/";
    }
}

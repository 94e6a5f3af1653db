package dev.normgrad.ops;

/**
 * Elementwise {@code z = a ⊙ b ; da = dz ⊙ b, db = dz ⊙ a}, with broadcasting (see {@link Broadcast}); the gradient of a broadcast
 * operand is summed over the dimensions it was stretched along. Saves a and b.
 */
public final class Mul extends Broadcast {
    public Mul() {
        super(true, true, false);
    }

    @Override
    protected double apply(double a, double b) {
        return a * b;
    }

    @Override
    protected double partialA(double a, double b, double z) {
        return b;
    }

    @Override
    protected double partialB(double a, double b, double z) {
        return a;
    }

    @Override
    protected String symbol() {
        return "*";
    }
}

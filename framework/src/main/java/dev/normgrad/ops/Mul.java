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

    // This op's own copy of the same-shape loops (see Broadcast): f and its partials inlined.
    @Override
    protected void applySameShape(double[] a, double[] b, double[] z, int n) {
        for (int i = 0; i < n; i++) {
            z[i] = apply(a[i], b[i]);
        }
    }

    @Override
    protected void accumulateSameShape(double[] dz, double[] a, double[] b, double[] z, double[] da, double[] db, int n) {
        if (da != null) {
            for (int i = 0; i < n; i++) {
                da[i] += dz[i] * partialA(Double.NaN, b[i], Double.NaN);
            }
        }
        if (db != null) {
            for (int i = 0; i < n; i++) {
                db[i] += dz[i] * partialB(a[i], Double.NaN, Double.NaN);
            }
        }
    }
}

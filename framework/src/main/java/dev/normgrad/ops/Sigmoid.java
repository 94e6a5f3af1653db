package dev.normgrad.ops;

/**
 * Logistic sigmoid, {@code y = 1 / (1 + e⁻ˣ) ; dx = dy · y(1 − y)} (saves the output; at most 1/4, which is why deep sigmoid networks lose their gradients). Computed without overflow for large |x|.
 */
public final class Sigmoid extends Elementwise {
    public Sigmoid() {
        super(Saves.OUTPUT);
    }

    @Override
    protected double apply(double x) {
        return ReproducibleMath.sigmoid(x);
    }

    @Override
    protected double derivative(double x, double y) {
        return y * (1 - y);
    }

    // This op's own copy of the loops (see Elementwise): f and f' inlined.
    @Override
    protected void applyAll(double[] x, double[] y, int n) {
        for (int i = 0; i < n; i++) {
            y[i] = apply(x[i]);
        }
    }

    @Override
    protected void accumulateGradient(double[] dy, double[] x, double[] y, double[] dx, int n) {
        for (int i = 0; i < n; i++) {
            dx[i] += dy[i] * derivative(Double.NaN, y[i]);
        }
    }
}

package dev.normgrad.ops;

/**
 * {@code y = tanh x ; dx = dy · (1 − y²)} (saves the output). Saturates for |x| ≫ 1: the derivative vanishes there, the root of vanishing gradients in deep tanh networks.
 * tanh itself is {@link ReproducibleMath#tanh}, the same bits on every machine.
 */
public final class Tanh extends Elementwise {
    public Tanh() {
        super(Saves.OUTPUT);
    }

    @Override
    protected double apply(double x) {
        return ReproducibleMath.tanh(x);
    }

    @Override
    protected double derivative(double x, double y) {
        return 1 - y * y;
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

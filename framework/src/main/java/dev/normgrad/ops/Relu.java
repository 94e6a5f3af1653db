package dev.normgrad.ops;

/**
 * Rectified linear unit, {@code y = max(0, x) ; dx = dy · [x > 0]} (saves the output: y > 0 exactly
 * when x > 0), with derivative 0 at x = 0 as in PyTorch. A NaN input stays NaN (as in PyTorch), so
 * anomaly mode still sees it instead of a silent 0. Not differentiable at 0: a gradient check
 * reports entries there as kinks.
 */
public final class Relu extends Elementwise {
    public Relu() {
        super(Saves.OUTPUT);
    }

    @Override
    protected void inspect(org.ejml.data.DMatrixRMaj input) {
        recordKinks(input, 0.0);
    }

    // !(v <= 0) is true for v > 0 and for NaN: one comparison, which the JIT turns into a conditional
    // move (the sign of an activation is a coin flip; a branch on it would mispredict half the time).
    @Override
    protected double apply(double x) {
        return !(x <= 0) ? x : 0.0;
    }

    @Override
    protected double derivative(double x, double y) {
        return !(y <= 0) ? 1.0 : 0.0;   // PyTorch passes the gradient through at NaN
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

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

    // Both written without a comparison of doubles: the JIT compiles one to a jump, and the sign of an
    // activation is a coin flip, so the jump would mispredict on every other entry.
    @Override
    protected double apply(double x) {
        return Math.max(x, 0.0);   // NaN stays NaN, −0 gives 0
    }

    @Override
    protected double derivative(double x, double y) {
        // 1 where the output y = max(x, 0) is not +0 (x > 0, or NaN: PyTorch passes the gradient through), 0 where it is
        long bits = Double.doubleToRawLongBits(y);
        return (bits | -bits) >>> 63;
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

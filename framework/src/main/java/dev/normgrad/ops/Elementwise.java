package dev.normgrad.ops;

import dev.normgrad.autograd.Function;
import org.ejml.data.DMatrixRMaj;

/**
 * The shared kernel of every unary elementwise op: {@code y_i = f(x_i)}, {@code dx_i += dy_i · f'(x_i)}.
 * A subclass gives f and f' side by side and says what f' needs, so that only that is saved:
 * the input ({@link Saves#INPUT}, e.g. log), the output ({@link Saves#OUTPUT}, e.g. tanh:
 * 1 − y²), or nothing (neg).
 */
public abstract class Elementwise extends Function {
    /** What the derivative reads. */
    protected enum Saves { NOTHING, INPUT, OUTPUT }

    private final Saves saves;
    private DMatrixRMaj x;
    private DMatrixRMaj y;

    protected Elementwise(Saves saves) {
        this.saves = saves;
    }

    /** f(x). */
    protected abstract double apply(double x);

    /**
     * f'(x), given whichever of x and y = f(x) the op saves (the other is NaN: do not read it).
     */
    protected abstract double derivative(double x, double y);

    /** Called with the input before it is mapped; kinked ops report their kinks here. */
    protected void inspect(DMatrixRMaj input) {
    }

    @Override
    protected final DMatrixRMaj forward(DMatrixRMaj... in) {
        DMatrixRMaj input = in[0];
        inspect(input);
        DMatrixRMaj out = new DMatrixRMaj(input.numRows, input.numCols);
        applyAll(input.data, out.data, input.getNumElements());
        if (saves == Saves.INPUT) {
            x = input;
        } else if (saves == Saves.OUTPUT) {
            y = out;
        }
        return out;
    }

    @Override
    protected final void backward(DMatrixRMaj dy, DMatrixRMaj[] dx) {
        if (dx[0] == null) {
            return;
        }
        accumulateGradient(dy.data, x == null ? null : x.data, y == null ? null : y.data, dx[0].data,
                dy.getNumElements());
    }

    /*
     * The two loops, written once here. The JIT compiles a method once for every class that inherits
     * it, so once this loop has run several ops it calls f and f' through a virtual call per entry and
     * cannot vectorise. The ops on the hot path of a training step (relu, tanh, sigmoid; add, sub and
     * mul in Broadcast) therefore repeat these loops in their own final classes, where the JIT inlines
     * their f and f': the loop is copied, the math is not (the copies call apply and derivative).
     * `./normgrad bench ops` (ElementwiseBench) measures each copy against this shared loop; an op
     * whose copy does not pay there keeps the shared one.
     */

    /** {@code y[i] = f(x[i])} for {@code i < n}. x: not modified; y: modified. */
    protected void applyAll(double[] x, double[] y, int n) {
        for (int i = 0; i < n; i++) {
            y[i] = apply(x[i]);
        }
    }

    /**
     * {@code dx[i] += dy[i] · f'(x[i], y[i])} for {@code i < n}; x or y is null when the op does not save it.
     * dx: modified; the others: not.
     */
    protected void accumulateGradient(double[] dy, double[] x, double[] y, double[] dx, int n) {
        for (int i = 0; i < n; i++) {
            dx[i] += dy[i] * derivative(x == null ? Double.NaN : x[i], y == null ? Double.NaN : y[i]);
        }
    }
}

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
        int n = input.getNumElements();
        for (int i = 0; i < n; i++) {
            out.data[i] = apply(input.data[i]);
        }
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
        int n = dy.getNumElements();
        double[] g = dx[0].data;
        for (int i = 0; i < n; i++) {
            double xi = x == null ? Double.NaN : x.data[i];
            double yi = y == null ? Double.NaN : y.data[i];
            g[i] += dy.data[i] * derivative(xi, yi);
        }
    }
}

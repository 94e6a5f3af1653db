package dev.normgrad.ops;

import dev.normgrad.autograd.Function;
import dev.normgrad.autograd.ShapeException;
import org.ejml.data.DMatrixRMaj;

/**
 * The shared kernel of the binary elementwise ops (add, sub, mul, div) with broadcasting: each
 * operand is either the output's shape or stretched along a dimension of size 1 — a row vector
 * (1×n) is repeated down the rows, a column vector (m×1) across the columns, a scalar (1×1)
 * everywhere, on either side (PyTorch's rule in two dimensions).
 *
 * <p>{@code z_ij = f(a_i'j', b_i''j'')}; backward: {@code da += Σ_broadcast dz · ∂f/∂a},
 * {@code db += Σ_broadcast dz · ∂f/∂b}, summing over the dimensions the operand was stretched along.
 */
public abstract class Broadcast extends Function {
    private DMatrixRMaj a;
    private DMatrixRMaj b;
    private DMatrixRMaj z;

    /** f(a, b). */
    protected abstract double apply(double a, double b);

    /** ∂f/∂a at (a, b), where z = f(a, b). */
    protected abstract double partialA(double a, double b, double z);

    /** ∂f/∂b at (a, b), where z = f(a, b). */
    protected abstract double partialB(double a, double b, double z);

    /** The operator between the shapes in error messages, e.g. "+". */
    protected abstract String symbol();

    @Override
    protected final DMatrixRMaj forward(DMatrixRMaj... in) {
        a = in[0];
        b = in[1];
        int rows = outDim(a.numRows, b.numRows);
        int cols = outDim(a.numCols, b.numCols);
        z = new DMatrixRMaj(rows, cols);
        int ra = a.numRows == 1 ? 0 : a.numCols, ca = a.numCols == 1 ? 0 : 1;
        int rb = b.numRows == 1 ? 0 : b.numCols, cb = b.numCols == 1 ? 0 : 1;
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                z.data[i * cols + j] = apply(a.data[i * ra + j * ca], b.data[i * rb + j * cb]);
            }
        }
        return z;
    }

    @Override
    protected final void backward(DMatrixRMaj dz, DMatrixRMaj[] grads) {
        int rows = z.numRows, cols = z.numCols;
        int ra = a.numRows == 1 ? 0 : a.numCols, ca = a.numCols == 1 ? 0 : 1;
        int rb = b.numRows == 1 ? 0 : b.numCols, cb = b.numCols == 1 ? 0 : 1;
        DMatrixRMaj da = grads[0], db = grads[1];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                int k = i * cols + j, ka = i * ra + j * ca, kb = i * rb + j * cb;
                double av = a.data[ka], bv = b.data[kb], g = dz.data[k];
                if (da != null) {
                    da.data[ka] += g * partialA(av, bv, z.data[k]);
                }
                if (db != null) {
                    db.data[kb] += g * partialB(av, bv, z.data[k]);
                }
            }
        }
    }

    private int outDim(int da, int db) {
        if (da == db || db == 1) {
            return da;
        }
        if (da == 1) {
            return db;
        }
        throw new ShapeException(name() + ": " + ShapeException.shape(a.numRows, a.numCols) + " " + symbol() + " "
                + ShapeException.shape(b.numRows, b.numCols) + ": shapes do not broadcast; each dimension must match or be 1"
                + " (a 1xn row, an mx1 column or a 1x1 scalar)");
    }
}

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
 *
 * <p>A subclass says in its constructor which of a, b and z its partial derivatives read, and only
 * those are kept for backward (add and sub keep none, mul keeps a and b, div keeps b and z); the
 * shapes are always kept.
 */
public abstract class Broadcast extends Function {
    private final boolean savesA;
    private final boolean savesB;
    private final boolean savesOutput;
    private DMatrixRMaj a;
    private DMatrixRMaj b;
    private DMatrixRMaj z;
    private int aRows;
    private int aCols;
    private int bRows;
    private int bCols;
    private int rows;
    private int cols;

    /**
     * @param savesA      the partial derivatives read a
     * @param savesB      the partial derivatives read b
     * @param savesOutput the partial derivatives read z = f(a, b)
     */
    protected Broadcast(boolean savesA, boolean savesB, boolean savesOutput) {
        this.savesA = savesA;
        this.savesB = savesB;
        this.savesOutput = savesOutput;
    }

    /** f(a, b). */
    protected abstract double apply(double a, double b);

    /** ∂f/∂a at (a, b), where z = f(a, b); a value the op does not save is NaN: do not read it. */
    protected abstract double partialA(double a, double b, double z);

    /** ∂f/∂b at (a, b), where z = f(a, b); a value the op does not save is NaN: do not read it. */
    protected abstract double partialB(double a, double b, double z);

    /** The operator between the shapes in error messages, e.g. "+". */
    protected abstract String symbol();

    @Override
    protected final DMatrixRMaj forward(DMatrixRMaj... in) {
        DMatrixRMaj x = in[0];
        DMatrixRMaj w = in[1];
        aRows = x.numRows;
        aCols = x.numCols;
        bRows = w.numRows;
        bCols = w.numCols;
        rows = outDim(aRows, bRows);
        cols = outDim(aCols, bCols);
        DMatrixRMaj out = new DMatrixRMaj(rows, cols);
        a = savesA ? x : null;
        b = savesB ? w : null;
        z = savesOutput ? out : null;
        if (sameShape()) {
            applySameShape(x.data, w.data, out.data, rows * cols);
            return out;
        }
        // Stride 0 along a dimension of size 1 is the broadcast.
        int ra = aRows == 1 ? 0 : aCols, ca = aCols == 1 ? 0 : 1;
        int rb = bRows == 1 ? 0 : bCols, cb = bCols == 1 ? 0 : 1;
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                out.data[i * cols + j] = apply(x.data[i * ra + j * ca], w.data[i * rb + j * cb]);
            }
        }
        return out;
    }

    @Override
    protected final void backward(DMatrixRMaj dz, DMatrixRMaj[] grads) {
        int ra = aRows == 1 ? 0 : aCols, ca = aCols == 1 ? 0 : 1;
        int rb = bRows == 1 ? 0 : bCols, cb = bCols == 1 ? 0 : 1;
        DMatrixRMaj da = grads[0], db = grads[1];
        if (sameShape()) {
            accumulateSameShape(dz.data, a == null ? null : a.data, b == null ? null : b.data, z == null ? null : z.data,
                    da == null ? null : da.data, db == null ? null : db.data, rows * cols);
            return;
        }
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                int k = i * cols + j, ka = i * ra + j * ca, kb = i * rb + j * cb;
                double av = a == null ? Double.NaN : a.data[ka];
                double bv = b == null ? Double.NaN : b.data[kb];
                double zv = z == null ? Double.NaN : z.data[k];
                double g = dz.data[k];
                if (da != null) {
                    da.data[ka] += g * partialA(av, bv, zv);
                }
                if (db != null) {
                    db.data[kb] += g * partialB(av, bv, zv);
                }
            }
        }
    }

    private boolean sameShape() {
        return aRows == bRows && aCols == bCols;
    }

    /*
     * Operands of the same shape (no broadcast) take these two loops; add, sub and mul repeat them in
     * their own final classes so that the JIT inlines f and its partials there (the reason, and the
     * benchmark that measures it, are in Elementwise).
     */

    /** {@code z[i] = f(a[i], b[i])} for {@code i < n}. a, b: not modified; z: modified. */
    protected void applySameShape(double[] a, double[] b, double[] z, int n) {
        for (int i = 0; i < n; i++) {
            z[i] = apply(a[i], b[i]);
        }
    }

    /**
     * {@code da[i] += dz[i]·∂f/∂a, db[i] += dz[i]·∂f/∂b} for {@code i < n}; a, b, z are null when the op
     * does not save them, da or db null when that operand needs no gradient. da, db: modified.
     */
    protected void accumulateSameShape(double[] dz, double[] a, double[] b, double[] z, double[] da, double[] db, int n) {
        for (int i = 0; i < n; i++) {
            double av = a == null ? Double.NaN : a[i];
            double bv = b == null ? Double.NaN : b[i];
            double zv = z == null ? Double.NaN : z[i];
            if (da != null) {
                da[i] += dz[i] * partialA(av, bv, zv);
            }
            if (db != null) {
                db[i] += dz[i] * partialB(av, bv, zv);
            }
        }
    }

    private int outDim(int na, int nb) {
        if (na == nb || nb == 1) {
            return na;
        }
        if (na == 1) {
            return nb;
        }
        throw new ShapeException(name() + ": " + ShapeException.shape(aRows, aCols) + " " + symbol() + " "
                + ShapeException.shape(bRows, bCols) + ": shapes do not broadcast; each dimension must match or be 1"
                + " (a 1xn row, an mx1 column or a 1x1 scalar)");
    }
}

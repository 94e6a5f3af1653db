package dev.normgrad.tutorials.coursework.assignments;

import dev.normgrad.tutorials.coursework.sandbox.CaseRequest;
import java.util.Random;
import org.ejml.data.DMatrixRMaj;

/** Random matrices for the cases, and the few sums the known mistakes are built from. */
final class Draw {
    private Draw() {
    }

    /** offset + scale · N(0, 1), entry by entry. */
    static DMatrixRMaj normal(int rows, int cols, double scale, double offset, Random random) {
        DMatrixRMaj m = new DMatrixRMaj(rows, cols);
        for (int i = 0; i < m.getNumElements(); i++) {
            m.data[i] = offset + scale * random.nextGaussian();
        }
        return m;
    }

    /** Uniform on [low, high). */
    static DMatrixRMaj uniform(int rows, int cols, double low, double high, Random random) {
        DMatrixRMaj m = new DMatrixRMaj(rows, cols);
        for (int i = 0; i < m.getNumElements(); i++) {
            m.data[i] = low + (high - low) * random.nextDouble();
        }
        return m;
    }

    static DMatrixRMaj filled(int rows, int cols, double value) {
        DMatrixRMaj m = new DMatrixRMaj(rows, cols);
        m.fill(value);
        return m;
    }

    /** A copy of {@code m} whose column {@code col} holds one value throughout. */
    static DMatrixRMaj constantColumn(DMatrixRMaj m, int col, double value) {
        DMatrixRMaj c = m.copy();
        for (int i = 0; i < c.numRows; i++) {
            c.set(i, col, value);
        }
        return c;
    }

    /** A copy of {@code m} whose row {@code row} holds one value throughout. */
    static DMatrixRMaj constantRow(DMatrixRMaj m, int row, double value) {
        DMatrixRMaj c = m.copy();
        for (int j = 0; j < c.numCols; j++) {
            c.set(row, j, value);
        }
        return c;
    }

    /** An input that requires a gradient. */
    static CaseRequest.Input input(String name, DMatrixRMaj value) {
        return new CaseRequest.Input(name, value, true);
    }

    /** Σᵢ a ⊙ b over the rows: a 1×cols row. */
    static DMatrixRMaj columnSumsOfProduct(DMatrixRMaj a, DMatrixRMaj b) {
        DMatrixRMaj s = new DMatrixRMaj(1, a.numCols);
        for (int i = 0; i < a.numRows; i++) {
            for (int j = 0; j < a.numCols; j++) {
                s.data[j] += a.get(i, j) * (b == null ? 1 : b.get(i, j));
            }
        }
        return s;
    }

    /** An odd size in [low, high]. */
    static int odd(int low, int high, Random random) {
        int n = low + random.nextInt(high - low + 1);
        return n % 2 == 1 ? n : n + 1;
    }
}

package dev.normgrad.gradcheck;

import dev.normgrad.autograd.Function;
import org.ejml.data.DMatrixRMaj;

/** Ops with a right forward and, on request, one classic mistake in their backward. */
final class PlantedOps {
    private PlantedOps() {
    }

    /** y = x + b, b a 1×n row broadcast down the rows; db = Σᵢ dyᵢ, or one of two classic slips. */
    static final class BiasAdd extends Function {
        enum Bug {
            NONE,
            /** db averaged over the rows instead of summed. */
            MEAN_NOT_SUM,
            /** db summed over the wrong axis (row j's columns). */
            WRONG_AXIS
        }

        private final Bug bug;

        BiasAdd(Bug bug) {
            this.bug = bug;
        }

        @Override
        protected DMatrixRMaj forward(DMatrixRMaj... in) {
            DMatrixRMaj y = in[0].copy();
            for (int i = 0; i < y.numRows; i++) {
                for (int j = 0; j < y.numCols; j++) {
                    y.add(i, j, in[1].get(0, j));
                }
            }
            return y;
        }

        @Override
        protected void backward(DMatrixRMaj dy, DMatrixRMaj[] dx) {
            if (dx[0] != null) {
                for (int k = 0; k < dy.getNumElements(); k++) {
                    dx[0].data[k] += dy.data[k];
                }
            }
            if (dx[1] != null) {
                for (int j = 0; j < dy.numCols; j++) {
                    double s = 0;
                    for (int i = 0; i < dy.numRows; i++) {
                        s += bug == Bug.WRONG_AXIS ? dy.get(j % dy.numRows, i % dy.numCols) : dy.get(i, j);
                    }
                    dx[1].add(0, j, bug == Bug.MEAN_NOT_SUM ? s / dy.numRows : s);
                }
            }
        }
    }

    /** y = tanh(x), saving y for the backwards below, which differ in their slips. */
    abstract static class TanhOp extends Function {
        DMatrixRMaj y;

        @Override
        protected DMatrixRMaj forward(DMatrixRMaj... in) {
            y = in[0].copy();
            for (int k = 0; k < y.getNumElements(); k++) {
                y.data[k] = Math.tanh(y.data[k]);
            }
            return y;
        }
    }

    /** y = tanh(x), dx = c·dy·(1 − y²): right for c = 1, a constant-ratio bug otherwise. */
    static final class ScaledTanh extends TanhOp {
        private final double c;

        ScaledTanh(double c) {
            this.c = c;
        }

        @Override
        protected void backward(DMatrixRMaj dy, DMatrixRMaj[] dx) {
            for (int k = 0; k < dy.getNumElements(); k++) {
                dx[0].data[k] += c * dy.data[k] * (1 - y.data[k] * y.data[k]);
            }
        }
    }

    /** y = x², with the 2 of d(x²)/dx = 2x dropped: dx = dy·x (the README's example). */
    static final class SquareSlip extends Function {
        private DMatrixRMaj x;

        @Override
        protected DMatrixRMaj forward(DMatrixRMaj... in) {
            x = in[0];
            DMatrixRMaj y = x.copy();
            for (int k = 0; k < y.getNumElements(); k++) {
                y.data[k] *= y.data[k];
            }
            return y;
        }

        @Override
        protected void backward(DMatrixRMaj dy, DMatrixRMaj[] dx) {
            if (dx[0] == null) {
                return;
            }
            for (int k = 0; k < dy.getNumElements(); k++) {
                dx[0].data[k] += dy.data[k] * x.data[k];
            }
        }
    }

    /** y = the mean of each row (N×1), with the 1/C forgotten in backward: dx = dy. */
    static final class RowMeanWithoutDivision extends Function {
        private int cols;

        @Override
        protected DMatrixRMaj forward(DMatrixRMaj... in) {
            cols = in[0].numCols;
            DMatrixRMaj y = new DMatrixRMaj(in[0].numRows, 1);
            for (int i = 0; i < in[0].numRows; i++) {
                for (int j = 0; j < cols; j++) {
                    y.data[i] += in[0].get(i, j) / cols;
                }
            }
            return y;
        }

        @Override
        protected void backward(DMatrixRMaj dy, DMatrixRMaj[] dx) {
            for (int i = 0; i < dx[0].numRows; i++) {
                for (int j = 0; j < cols; j++) {
                    dx[0].add(i, j, dy.data[i]);
                }
            }
        }
    }

    /** y = x·W; dW written in one of several wrong ways. */
    static final class MatMul extends Function {
        enum Bug { NONE, FACTOR_TWO, SIGN, TRANSPOSED_SQUARE, TRANSPOSED_LAYOUT, SET_TO_TRANSPOSED }

        private final Bug bug;
        private DMatrixRMaj x;
        private DMatrixRMaj w;

        MatMul(Bug bug) {
            this.bug = bug;
        }

        @Override
        protected DMatrixRMaj forward(DMatrixRMaj... in) {
            x = in[0];
            w = in[1];
            DMatrixRMaj y = new DMatrixRMaj(x.numRows, w.numCols);
            org.ejml.dense.row.CommonOps_DDRM.mult(x, w, y);
            return y;
        }

        @Override
        protected void backward(DMatrixRMaj dy, DMatrixRMaj[] dx) {
            if (dx[0] != null) {
                org.ejml.dense.row.CommonOps_DDRM.multAddTransB(dy, w, dx[0]);
            }
            if (dx[1] == null) {
                return;
            }
            DMatrixRMaj dw = new DMatrixRMaj(w.numRows, w.numCols);
            org.ejml.dense.row.CommonOps_DDRM.multTransA(x, dy, dw);           // Xᵀ·dY
            switch (bug) {
                case NONE -> org.ejml.dense.row.CommonOps_DDRM.addEquals(dx[1], dw);
                case FACTOR_TWO -> org.ejml.dense.row.CommonOps_DDRM.addEquals(dx[1], 2, dw);
                case SIGN -> org.ejml.dense.row.CommonOps_DDRM.subtractEquals(dx[1], dw);
                case TRANSPOSED_SQUARE -> {
                    for (int i = 0; i < w.numRows; i++) {
                        for (int j = 0; j < w.numCols; j++) {
                            dx[1].add(i, j, dw.get(j, i));
                        }
                    }
                }
                case TRANSPOSED_LAYOUT, SET_TO_TRANSPOSED -> {
                    DMatrixRMaj dwT = new DMatrixRMaj(w.numCols, w.numRows);
                    org.ejml.dense.row.CommonOps_DDRM.multTransA(dy, x, dwT);   // dYᵀ·X
                    if (bug == Bug.SET_TO_TRANSPOSED) {
                        dx[1].setTo(dwT);                                       // the engine refuses the shape
                    } else {
                        for (int p = 0; p < dwT.getNumElements(); p++) {        // written entry by entry
                            dx[1].data[p] += dwT.data[p];
                        }
                    }
                }
            }
        }
    }

    /** y = x₀ + x₁ + x₂ whose backward never writes dx₂. */
    static final class SumOfThreeForgettingTheLast extends Function {
        @Override
        protected DMatrixRMaj forward(DMatrixRMaj... in) {
            DMatrixRMaj y = in[0].copy();
            for (int k = 0; k < y.getNumElements(); k++) {
                y.data[k] += in[1].data[k] + in[2].data[k];
            }
            return y;
        }

        @Override
        protected void backward(DMatrixRMaj dy, DMatrixRMaj[] dx) {
            for (int i = 0; i < 2; i++) {
                for (int k = 0; k < dy.getNumElements(); k++) {
                    dx[i].data[k] += dy.data[k];
                }
            }
        }
    }

    /** y = tanh(x) whose backward skips the last row (a loop bound one short) or gets one column wrong. */
    static final class TanhWithAWrongLine extends TanhOp {
        private final boolean lastRow;

        TanhWithAWrongLine(boolean lastRow) {
            this.lastRow = lastRow;
        }

        @Override
        protected void backward(DMatrixRMaj dy, DMatrixRMaj[] dx) {
            int rows = lastRow ? y.numRows - 1 : y.numRows;
            for (int i = 0; i < rows; i++) {
                for (int j = 0; j < y.numCols; j++) {
                    double t = y.get(i, j);
                    double slope = !lastRow && j == 1 ? 1 - t : 1 - t * t;      // column 1: the square forgotten
                    dx[0].add(i, j, dy.get(i, j) * slope);
                }
            }
        }
    }

    /** y = tanh(x) whose backward adds noise that follows no pattern. */
    static final class NoisyTanh extends TanhOp {
        @Override
        protected void backward(DMatrixRMaj dy, DMatrixRMaj[] dx) {
            java.util.Random noise = new java.util.Random(99);
            for (int k = 0; k < dy.getNumElements(); k++) {
                dx[0].data[k] += dy.data[k] * (1 - y.data[k] * y.data[k]) + (k % 3 == 0 ? noise.nextGaussian() : 0);
            }
        }
    }

    /** y = x + noise drawn inside the op from the given generator: its forward is a different function every time. */
    static final class NoisyIdentity extends Function {
        private final java.util.Random noise;

        NoisyIdentity(java.util.Random noise) {
            this.noise = noise;
        }

        @Override
        protected DMatrixRMaj forward(DMatrixRMaj... in) {
            DMatrixRMaj y = in[0].copy();
            for (int k = 0; k < y.getNumElements(); k++) {
                y.data[k] += 1e-3 * noise.nextGaussian();
            }
            return y;
        }

        @Override
        protected void backward(DMatrixRMaj dy, DMatrixRMaj[] dx) {
            for (int k = 0; k < dy.getNumElements(); k++) {
                dx[0].data[k] += dy.data[k];
            }
        }
    }

    /**
     * x̂ = (x − μ) / sqrt(σ² + eps) over groups of entries — each row (LayerNorm), each column
     * (BatchNorm), or blocks of 4 columns within a row (InstanceNorm with L = 4) — with its backward
     * dx = (1/σ)(dx̂ − mean(dx̂) − x̂·mean(dx̂·x̂)), one of whose terms may be dropped.
     */
    static final class Normalize extends Function {
        enum Over { ROWS, COLUMNS, BLOCKS_OF_4 }

        enum Drop { NOTHING, MEAN, VARIANCE, BOTH }

        private final Over over;
        private final Drop drop;
        private int[] group;
        private int groups;
        private double[] invStd;
        private DMatrixRMaj xhat;

        Normalize(Over over, Drop drop) {
            this.over = over;
            this.drop = drop;
        }

        @Override
        protected DMatrixRMaj forward(DMatrixRMaj... in) {
            DMatrixRMaj x = in[0];
            int n = x.getNumElements();
            group = new int[n];
            for (int k = 0; k < n; k++) {
                int i = k / x.numCols;
                int j = k % x.numCols;
                group[k] = switch (over) {
                    case ROWS -> i;
                    case COLUMNS -> j;
                    case BLOCKS_OF_4 -> i * (x.numCols / 4) + j / 4;
                };
            }
            groups = switch (over) {
                case ROWS -> x.numRows;
                case COLUMNS -> x.numCols;
                case BLOCKS_OF_4 -> x.numRows * (x.numCols / 4);
            };
            double[] count = new double[groups];
            double[] mean = new double[groups];
            double[] var = new double[groups];
            for (int k = 0; k < n; k++) {
                count[group[k]]++;
                mean[group[k]] += x.data[k];
            }
            for (int g = 0; g < groups; g++) {
                mean[g] /= count[g];
            }
            for (int k = 0; k < n; k++) {
                double d = x.data[k] - mean[group[k]];
                var[group[k]] += d * d / count[group[k]];
            }
            invStd = new double[groups];
            for (int g = 0; g < groups; g++) {
                invStd[g] = 1 / Math.sqrt(var[g] + 1e-5);
            }
            xhat = new DMatrixRMaj(x.numRows, x.numCols);
            for (int k = 0; k < n; k++) {
                xhat.data[k] = (x.data[k] - mean[group[k]]) * invStd[group[k]];
            }
            return xhat.copy();
        }

        @Override
        protected void backward(DMatrixRMaj dy, DMatrixRMaj[] dx) {
            int n = dy.getNumElements();
            double[] count = new double[groups];
            double[] meanG = new double[groups];
            double[] meanGx = new double[groups];
            for (int k = 0; k < n; k++) {
                count[group[k]]++;
            }
            for (int k = 0; k < n; k++) {
                meanG[group[k]] += dy.data[k] / count[group[k]];
                meanGx[group[k]] += dy.data[k] * xhat.data[k] / count[group[k]];
            }
            boolean keepMean = drop == Drop.NOTHING || drop == Drop.VARIANCE;
            boolean keepVariance = drop == Drop.NOTHING || drop == Drop.MEAN;
            for (int k = 0; k < n; k++) {
                int g = group[k];
                dx[0].data[k] += invStd[g] * (dy.data[k] - (keepMean ? meanG[g] : 0) - (keepVariance ? xhat.data[k] * meanGx[g] : 0));
            }
        }
    }
}

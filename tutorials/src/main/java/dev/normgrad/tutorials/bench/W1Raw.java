package dev.normgrad.tutorials.bench;

import dev.normgrad.gemm.MatMulKernel;
import java.util.Arrays;
import java.util.Random;
import org.ejml.data.DMatrixRMaj;

/**
 * Workload W1 written by hand on raw matrices, with no graph: the limit the engine's W1 step is
 * measured against. One SGD step of
 * <pre>
 *   in → Linear h → BatchNorm1d → ReLU → Linear h → BatchNorm1d → ReLU → Linear classes
 *   loss = mean over the batch of softmax cross-entropy (log-sum-exp) on integer labels
 * </pre>
 * in float64 (W1: in 784, h 256, classes 10, batch 128), BatchNorm in training mode with PyTorch's
 * conventions (biased variance normalizes, eps 1e-5 inside the root, running statistics updated
 * with momentum 0.1 and the unbiased variance), then {@code p -= lr·∂L/∂p} for every parameter.
 *
 * <p>Every buffer is allocated once; a step allocates nothing. Products go through
 * {@link MatMulKernel#gemm} — the same kernel the engine uses, so engine ÷ raw measures the graph,
 * not the BLAS. The backward pass, by hand:
 * <pre>
 *   dZ3 = (softmax(Z3) − onehot(y)) / N      dW3 = dZ3ᵀ·A2   db3 = Σᵢ dZ3ᵢ   dA2 = dZ3·W3
 *   dY = dA ⊙ [A > 0]                        dγ = Σᵢ dYᵢ ⊙ x̂ᵢ   dβ = Σᵢ dYᵢ
 *   dZ = γ/(N·σ) ⊙ (N·dY − dβ − x̂ ⊙ dγ)     (BatchNorm's closed-form backward, σ = √(var + eps))
 *   dW = dZᵀ·A_prev   db = Σᵢ dZᵢ   dA_prev = dZ·W
 * </pre>
 */
public final class W1Raw {
    private static final double EPS = 1e-5;
    private static final double MOMENTUM = 0.1;

    private final int batch;
    private final int hidden;
    private final int classes;
    final double lr;
    final DMatrixRMaj x;
    final int[] labels;

    // Parameters, their gradients, and the running statistics (1×h rows).
    final DMatrixRMaj w1, b1, g1, be1, w2, b2, g2, be2, w3, b3;
    final DMatrixRMaj dw1, db1, dg1, dbe1, dw2, db2, dg2, dbe2, dw3, db3;
    final DMatrixRMaj runningMean1, runningVar1, runningMean2, runningVar2;

    // Workspaces: what backward needs from forward, and two N×h scratch matrices.
    private final DMatrixRMaj z1, xhat1, a1, z2, xhat2, a2, z3, da, dz;
    private final double[] invStd1, invStd2, colSum;
    final DMatrixRMaj[][] parametersAndGradients;

    /** W1 as defined: 784 → 256 → 256 → 10, batch 128, learning rate 0.01. */
    public static W1Raw standard(long seed) {
        return new W1Raw(784, 256, 10, 128, 0.01, seed);
    }

    /** Weights drawn like PyTorch's Linear (uniform ±1/√fan_in), γ = 1, β = 0; a fixed random batch. */
    public W1Raw(int in, int hidden, int classes, int batch, double lr, long seed) {
        this.batch = batch;
        this.hidden = hidden;
        this.classes = classes;
        this.lr = lr;
        Random rng = new Random(seed);
        x = RawMatrices.uniform(batch, in, 1.0, rng);
        labels = new int[batch];
        for (int i = 0; i < batch; i++) {
            labels[i] = rng.nextInt(classes);
        }
        w1 = RawMatrices.uniform(hidden, in, 1 / Math.sqrt(in), rng);
        b1 = RawMatrices.uniform(1, hidden, 1 / Math.sqrt(in), rng);
        w2 = RawMatrices.uniform(hidden, hidden, 1 / Math.sqrt(hidden), rng);
        b2 = RawMatrices.uniform(1, hidden, 1 / Math.sqrt(hidden), rng);
        w3 = RawMatrices.uniform(classes, hidden, 1 / Math.sqrt(hidden), rng);
        b3 = RawMatrices.uniform(1, classes, 1 / Math.sqrt(hidden), rng);
        g1 = filled(1, hidden, 1);
        be1 = new DMatrixRMaj(1, hidden);
        g2 = filled(1, hidden, 1);
        be2 = new DMatrixRMaj(1, hidden);
        runningMean1 = new DMatrixRMaj(1, hidden);
        runningVar1 = filled(1, hidden, 1);
        runningMean2 = new DMatrixRMaj(1, hidden);
        runningVar2 = filled(1, hidden, 1);
        dw1 = new DMatrixRMaj(hidden, in);
        db1 = new DMatrixRMaj(1, hidden);
        dg1 = new DMatrixRMaj(1, hidden);
        dbe1 = new DMatrixRMaj(1, hidden);
        dw2 = new DMatrixRMaj(hidden, hidden);
        db2 = new DMatrixRMaj(1, hidden);
        dg2 = new DMatrixRMaj(1, hidden);
        dbe2 = new DMatrixRMaj(1, hidden);
        dw3 = new DMatrixRMaj(classes, hidden);
        db3 = new DMatrixRMaj(1, classes);
        z1 = new DMatrixRMaj(batch, hidden);
        xhat1 = new DMatrixRMaj(batch, hidden);
        a1 = new DMatrixRMaj(batch, hidden);
        z2 = new DMatrixRMaj(batch, hidden);
        xhat2 = new DMatrixRMaj(batch, hidden);
        a2 = new DMatrixRMaj(batch, hidden);
        z3 = new DMatrixRMaj(batch, classes);
        da = new DMatrixRMaj(batch, hidden);
        dz = new DMatrixRMaj(batch, hidden);
        invStd1 = new double[hidden];
        invStd2 = new double[hidden];
        colSum = new double[Math.max(hidden, classes)];
        parametersAndGradients = new DMatrixRMaj[][] {{w1, dw1}, {b1, db1}, {g1, dg1}, {be1, dbe1}, {w2, dw2},
            {b2, db2}, {g2, dg2}, {be2, dbe2}, {w3, dw3}, {b3, db3}};
    }

    /** One training step: forward, backward (gradients overwritten, which is zeroing them), SGD update. Returns the loss. */
    public double step() {
        double loss = lossAndGradients();
        RawMatrices.sgd(parametersAndGradients, lr);
        return loss;
    }

    /** The training-mode loss at the current parameters (updates the running statistics, as a forward in train mode does). */
    public double loss() {
        return forward();
    }

    /** Forward and backward: the loss, with every gradient field set to ∂L/∂p. */
    public double lossAndGradients() {
        double loss = forward();
        // dZ3 = (softmax − onehot)/N, in place in z3 (which forward left holding the softmax).
        double[] p = z3.data;
        for (int i = 0; i < batch; i++) {
            p[i * classes + labels[i]] -= 1;
        }
        for (int i = 0; i < batch * classes; i++) {
            p[i] /= batch;
        }
        linearBackward(z3, a2, w3, dw3, db3, da);
        batchNormReluBackward(da, a2, xhat2, invStd2, g2, dg2, dbe2, dz);
        linearBackward(dz, a1, w2, dw2, db2, da);
        batchNormReluBackward(da, a1, xhat1, invStd1, g1, dg1, dbe1, dz);
        linearBackward(dz, x, w1, dw1, db1, null);   // the input needs no gradient
        return loss;
    }

    private double forward() {
        linear(x, w1, b1, z1);
        batchNormRelu(z1, g1, be1, runningMean1, runningVar1, xhat1, invStd1, a1);
        linear(a1, w2, b2, z2);
        batchNormRelu(z2, g2, be2, runningMean2, runningVar2, xhat2, invStd2, a2);
        linear(a2, w3, b3, z3);
        // Cross-entropy by log-sum-exp; z3 becomes softmax(z3) for the backward.
        double loss = 0;
        double[] z = z3.data;
        for (int i = 0; i < batch; i++) {
            int row = i * classes;
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < classes; j++) {
                max = Math.max(max, z[row + j]);
            }
            double sum = 0;
            for (int j = 0; j < classes; j++) {
                sum += StrictMath.exp(z[row + j] - max);
            }
            double logSumExp = max + StrictMath.log(sum);
            loss += logSumExp - z[row + labels[i]];
            for (int j = 0; j < classes; j++) {
                z[row + j] = StrictMath.exp(z[row + j] - logSumExp);
            }
        }
        return loss / batch;
    }

    /** out = in·Wᵀ + b. */
    private static void linear(DMatrixRMaj in, DMatrixRMaj w, DMatrixRMaj b, DMatrixRMaj out) {
        MatMulKernel.gemm(false, in, true, w, out, false);
        int cols = out.numCols;
        for (int i = 0; i < out.numRows; i++) {
            for (int j = 0; j < cols; j++) {
                out.data[i * cols + j] += b.data[j];
            }
        }
    }

    /** dW = dOutᵀ·in, db = Σᵢ dOutᵢ, dIn = dOut·W (skipped when dIn is null). */
    private void linearBackward(DMatrixRMaj dOut, DMatrixRMaj in, DMatrixRMaj w, DMatrixRMaj dw, DMatrixRMaj db, DMatrixRMaj dIn) {
        MatMulKernel.gemm(true, dOut, false, in, dw, false);
        columnSums(dOut, db.data);
        if (dIn != null) {
            MatMulKernel.gemm(false, dOut, false, w, dIn, false);
        }
    }

    /** a = relu(γ·x̂ + β), x̂ = (z − mean)/√(var + eps) over the batch; running statistics updated. */
    private void batchNormRelu(DMatrixRMaj z, DMatrixRMaj g, DMatrixRMaj be, DMatrixRMaj runningMean, DMatrixRMaj runningVar,
                               DMatrixRMaj xhat, double[] invStd, DMatrixRMaj a) {
        int h = hidden;
        double[] mean = colSum;
        columnSums(z, mean);
        for (int j = 0; j < h; j++) {
            mean[j] /= batch;
        }
        double[] zd = z.data;
        double[] xd = xhat.data;
        Arrays.fill(invStd, 0);
        for (int i = 0; i < batch; i++) {   // two-pass variance: centre first
            int row = i * h;
            for (int j = 0; j < h; j++) {
                double c = zd[row + j] - mean[j];
                xd[row + j] = c;
                invStd[j] += c * c;
            }
        }
        for (int j = 0; j < h; j++) {
            double var = invStd[j] / batch;
            runningMean.data[j] = (1 - MOMENTUM) * runningMean.data[j] + MOMENTUM * mean[j];
            runningVar.data[j] = (1 - MOMENTUM) * runningVar.data[j] + MOMENTUM * var * batch / (batch - 1);
            invStd[j] = 1 / Math.sqrt(var + EPS);
        }
        double[] ad = a.data;
        for (int i = 0; i < batch; i++) {
            int row = i * h;
            for (int j = 0; j < h; j++) {
                double xh = xd[row + j] * invStd[j];
                xd[row + j] = xh;
                ad[row + j] = Math.max(0, g.data[j] * xh + be.data[j]);
            }
        }
    }

    /** dZ from dA through ReLU and BatchNorm; sets dγ and dβ. */
    private void batchNormReluBackward(DMatrixRMaj dA, DMatrixRMaj a, DMatrixRMaj xhat, double[] invStd, DMatrixRMaj g,
                                       DMatrixRMaj dg, DMatrixRMaj dbe, DMatrixRMaj dZ) {
        int h = hidden;
        double[] dad = dA.data;
        double[] ad = a.data;
        double[] xd = xhat.data;
        Arrays.fill(dg.data, 0, h, 0);
        Arrays.fill(dbe.data, 0, h, 0);
        for (int i = 0; i < batch; i++) {
            int row = i * h;
            for (int j = 0; j < h; j++) {
                double dy = dad[row + j] * Math.signum(ad[row + j]);   // a = relu(…) ≥ 0: [a > 0], without a jump
                dad[row + j] = dy;   // dA becomes dY
                dg.data[j] += dy * xd[row + j];
                dbe.data[j] += dy;
            }
        }
        double[] dzd = dZ.data;
        for (int i = 0; i < batch; i++) {
            int row = i * h;
            for (int j = 0; j < h; j++) {
                dzd[row + j] = g.data[j] * invStd[j] / batch
                        * (batch * dad[row + j] - dbe.data[j] - xd[row + j] * dg.data[j]);
            }
        }
    }

    private static void columnSums(DMatrixRMaj m, double[] out) {
        int cols = m.numCols;
        Arrays.fill(out, 0, cols, 0);
        for (int i = 0; i < m.numRows; i++) {
            int row = i * cols;
            for (int j = 0; j < cols; j++) {
                out[j] += m.data[row + j];
            }
        }
    }

    private static DMatrixRMaj filled(int r, int c, double v) {
        DMatrixRMaj m = new DMatrixRMaj(r, c);
        m.fill(v);
        return m;
    }
}

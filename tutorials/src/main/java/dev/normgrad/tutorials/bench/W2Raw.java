package dev.normgrad.tutorials.bench;

import dev.normgrad.gemm.MatMulKernel;
import dev.normgrad.ops.ReproducibleMath;
import java.util.Random;
import org.ejml.data.DMatrixRMaj;

/**
 * Workload W2 written by hand on raw matrices, with no graph: the limit for the engine's W2 step.
 * A tanh RNN cell unrolled over T steps with LayerNorm on the hidden state each step, MSE on the
 * last hidden state, forward and backward (gradients of every parameter; W2: input 32, hidden 128,
 * T 50, batch 32, float64):
 * <pre>
 *   a_t = x_t·W_ihᵀ + b_ih + h_{t−1}·W_hhᵀ + b_hh     u_t = tanh(a_t)
 *   h_t = γ ⊙ (u_t − μ_t)/σ_t + β   (per row: μ, σ² = biased variance over the hidden units, σ = √(σ² + eps))
 *   L = mean((h_T − target)²)
 * </pre>
 * Backward, from t = T down to 1:
 * <pre>
 *   dγ += Σᵢ dh ⊙ û   dβ += Σᵢ dh   dû = dh ⊙ γ
 *   du = (dû − mean_row(dû) − û ⊙ mean_row(dû ⊙ û)) / σ        (LayerNorm's closed form, û = normalized u)
 *   da = du ⊙ (1 − u²)   dW_ih += daᵀ·x_t   dW_hh += daᵀ·h_{t−1}   db_ih, db_hh += Σᵢ da   dh_{t−1} = da·W_hh
 * </pre>
 * Buffers are allocated once; products go through {@link MatMulKernel#gemm} and tanh is {@link ReproducibleMath#tanh}, as in the
 * engine, so engine ÷ raw measures the graph, not the kernels.
 */
public final class W2Raw {
    private static final double EPS = 1e-5;

    private final int batch;
    private final int hidden;
    private final int steps;
    final DMatrixRMaj[] xs;
    final DMatrixRMaj target;
    private final DMatrixRMaj h0;

    final DMatrixRMaj wih, bih, whh, bhh, gamma, beta;
    final DMatrixRMaj dwih, dbih, dwhh, dbhh, dgamma, dbeta;
    final DMatrixRMaj[][] parametersAndGradients;

    // Saved by forward, per step: u_t = tanh(a_t), û_t, 1/σ_t per row, h_t.
    private final DMatrixRMaj[] u, uhat, h;
    private final double[][] invStd;
    private final DMatrixRMaj dh, da;

    /** W2 as defined: input 32, hidden 128, 50 steps, batch 32. */
    public static W2Raw standard(long seed) {
        return new W2Raw(32, 128, 50, 32, seed);
    }

    /** Weights like PyTorch's RNNCell (uniform ±1/√hidden), γ = 1, β = 0; fixed random inputs and target. */
    public W2Raw(int input, int hidden, int steps, int batch, long seed) {
        this.batch = batch;
        this.hidden = hidden;
        this.steps = steps;
        Random rng = new Random(seed);
        double bound = 1 / Math.sqrt(hidden);
        wih = RawMatrices.uniform(hidden, input, bound, rng);
        bih = RawMatrices.uniform(1, hidden, bound, rng);
        whh = RawMatrices.uniform(hidden, hidden, bound, rng);
        bhh = RawMatrices.uniform(1, hidden, bound, rng);
        gamma = new DMatrixRMaj(1, hidden);
        gamma.fill(1);
        beta = new DMatrixRMaj(1, hidden);
        dwih = new DMatrixRMaj(hidden, input);
        dbih = new DMatrixRMaj(1, hidden);
        dwhh = new DMatrixRMaj(hidden, hidden);
        dbhh = new DMatrixRMaj(1, hidden);
        dgamma = new DMatrixRMaj(1, hidden);
        dbeta = new DMatrixRMaj(1, hidden);
        parametersAndGradients = new DMatrixRMaj[][] {{wih, dwih}, {bih, dbih}, {whh, dwhh}, {bhh, dbhh},
            {gamma, dgamma}, {beta, dbeta}};
        xs = new DMatrixRMaj[steps];
        for (int t = 0; t < steps; t++) {
            xs[t] = RawMatrices.uniform(batch, input, 1, rng);
        }
        target = RawMatrices.uniform(batch, hidden, 1, rng);
        h0 = new DMatrixRMaj(batch, hidden);
        u = new DMatrixRMaj[steps];
        uhat = new DMatrixRMaj[steps];
        h = new DMatrixRMaj[steps];
        invStd = new double[steps][batch];
        for (int t = 0; t < steps; t++) {
            u[t] = new DMatrixRMaj(batch, hidden);
            uhat[t] = new DMatrixRMaj(batch, hidden);
            h[t] = new DMatrixRMaj(batch, hidden);
        }
        dh = new DMatrixRMaj(batch, hidden);
        da = new DMatrixRMaj(batch, hidden);
    }

    /** The loss at the current parameters (forward only). */
    public double loss() {
        return forward();
    }

    /** Forward and backward: the loss, with every gradient field set to ∂L/∂p. */
    public double lossAndGradients() {
        double loss = forward();
        for (DMatrixRMaj[] pg : parametersAndGradients) {
            pg[1].zero();
        }
        int n = batch * hidden;
        double[] last = h[steps - 1].data;
        for (int i = 0; i < n; i++) {
            dh.data[i] = 2 * (last[i] - target.data[i]) / n;
        }
        for (int t = steps - 1; t >= 0; t--) {
            layerNormTanhBackward(t);
            MatMulKernel.gemm(true, da, false, xs[t], dwih, true);
            addColumnSums(da, dbih);
            addColumnSums(da, dbhh);
            if (t > 0) {
                MatMulKernel.gemm(true, da, false, h[t - 1], dwhh, true);
                MatMulKernel.gemm(false, da, false, whh, dh, false);   // dh_{t−1}; da is not needed after this
            }
            // h_0 is a constant zero state: no dW_hh term and no dh_0.
        }
        return loss;
    }

    private double forward() {
        for (int t = 0; t < steps; t++) {
            DMatrixRMaj a = u[t];
            MatMulKernel.gemm(false, xs[t], true, wih, a, false);
            MatMulKernel.gemm(false, t == 0 ? h0 : h[t - 1], true, whh, a, true);
            double[] ad = a.data;
            double[] uh = uhat[t].data;
            double[] hd = h[t].data;
            for (int i = 0; i < batch; i++) {
                int row = i * hidden;
                double mean = 0;
                for (int j = 0; j < hidden; j++) {
                    double v = ReproducibleMath.tanh(ad[row + j] + bih.data[j] + bhh.data[j]);
                    ad[row + j] = v;
                    mean += v;
                }
                mean /= hidden;
                double var = 0;
                for (int j = 0; j < hidden; j++) {   // two-pass variance
                    double c = ad[row + j] - mean;
                    var += c * c;
                }
                double inv = 1 / Math.sqrt(var / hidden + EPS);
                invStd[t][i] = inv;
                for (int j = 0; j < hidden; j++) {
                    double xh = (ad[row + j] - mean) * inv;
                    uh[row + j] = xh;
                    hd[row + j] = gamma.data[j] * xh + beta.data[j];
                }
            }
        }
        double loss = 0;
        double[] last = h[steps - 1].data;
        for (int i = 0; i < batch * hidden; i++) {
            double d = last[i] - target.data[i];
            loss += d * d;
        }
        return loss / (batch * hidden);
    }

    /** From dh (∂L/∂h_t) to da (∂L/∂a_t) through LayerNorm and tanh; accumulates dγ and dβ. */
    private void layerNormTanhBackward(int t) {
        double[] dhd = dh.data;
        double[] uh = uhat[t].data;
        double[] ud = u[t].data;
        double[] dad = da.data;
        for (int i = 0; i < batch; i++) {
            int row = i * hidden;
            double meanD = 0;
            double meanDU = 0;
            for (int j = 0; j < hidden; j++) {
                double g = dhd[row + j];
                dgamma.data[j] += g * uh[row + j];
                dbeta.data[j] += g;
                double dxh = g * gamma.data[j];
                meanD += dxh;
                meanDU += dxh * uh[row + j];
            }
            meanD /= hidden;
            meanDU /= hidden;
            double inv = invStd[t][i];
            for (int j = 0; j < hidden; j++) {
                double dxh = dhd[row + j] * gamma.data[j];
                double du = (dxh - meanD - uh[row + j] * meanDU) * inv;
                double uv = ud[row + j];
                dad[row + j] = du * (1 - uv * uv);
            }
        }
    }

    private static void addColumnSums(DMatrixRMaj m, DMatrixRMaj out) {
        int cols = m.numCols;
        for (int i = 0; i < m.numRows; i++) {
            int row = i * cols;
            for (int j = 0; j < cols; j++) {
                out.data[j] += m.data[row + j];
            }
        }
    }
}

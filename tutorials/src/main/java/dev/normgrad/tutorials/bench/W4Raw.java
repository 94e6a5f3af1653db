package dev.normgrad.tutorials.bench;

import dev.normgrad.gemm.MatMulKernel;
import dev.normgrad.ops.Im2Col;
import dev.normgrad.ops.SlidingWindow;
import java.util.Arrays;
import java.util.Random;
import org.ejml.data.DMatrixRMaj;

/**
 * Workload W4 written by hand on raw arrays, with no graph: the limit the engine's W4 step is
 * measured against. One SGD step of the course's small CNN ({@code Nets.digitsCnn} with BatchNorm2d)
 * on a batch of 8×8 single-channel images, float64:
 * <pre>
 *   (1, 8, 8) → conv 3×3 pad 1 → BatchNorm2d → ReLU → max pool 2 → (8, 4, 4)
 *             → conv 3×3 pad 1 → BatchNorm2d → ReLU → max pool 2 → (16, 2, 2) → Linear 64 → classes
 *   loss = mean over the batch of softmax cross-entropy on integer labels;  then p −= lr·∂L/∂p
 * </pre>
 * BatchNorm in training mode with PyTorch's conventions (biased variance normalizes, eps 1e-5 inside
 * the root, running statistics updated with momentum 0.1 and the unbiased variance).
 *
 * <p>Written as one would by hand: each convolution is im2col ({@link Im2Col}, the engine's) and one
 * product through {@link MatMulKernel} (the engine's kernel) over the whole batch, and the block
 * after it — bias, BatchNorm, ReLU, pooling — works on the product's channel-major result
 * (C × N·H·W, one channel per row) in one pass each, the pooling writing the next convolution's
 * image-major input directly; the backward runs the same way back. Every buffer is allocated once:
 * a step allocates nothing. The backward, by hand:
 * <pre>
 *   dZ = (softmax − onehot(y)) / N        dW = dZᵀ·P2    db = Σᵢ dZᵢ    dP2 = dZ·W
 *   pool: the gradient goes to each window's maximum;  ReLU: dY = dA ⊙ [A &gt; 0]
 *   BatchNorm: dγ = Σ dY ⊙ x̂,  dβ = Σ dY,  dZ = γ/(n·σ) ⊙ (n·dY − dβ − x̂ ⊙ dγ)      n = N·H·W per channel
 *   conv: dW = dZ·colsᵀ,  db = Σ dZ,  dX = col2im(Wᵀ·dZ)
 * </pre>
 */
public final class W4Raw {
    private static final double EPS = 1e-5;
    private static final double MOMENTUM = 0.1;

    private final int batch;
    private final int classes;
    final double lr;
    final DMatrixRMaj x;
    final int[] labels;
    private final Block block1;
    private final Block block2;
    final DMatrixRMaj w3, b3, dw3, db3;
    private final DMatrixRMaj logits, dPooled2;
    final DMatrixRMaj[][] parametersAndGradients;

    /** W4 as defined: batch 64, 10 classes, learning rate 0.01. */
    public static W4Raw standard(long seed) {
        return new W4Raw(64, 10, 0.01, seed);
    }

    /**
     * Weights drawn like PyTorch's defaults (uniform ±1/√fanIn for convolutions and Linear), γ = 1,
     * β = 0; a fixed batch of images with pixels uniform in [0, 1) and random labels.
     */
    public W4Raw(int batch, int classes, double lr, long seed) {
        this.batch = batch;
        this.classes = classes;
        this.lr = lr;
        Random rng = new Random(seed);
        x = RawMatrices.uniform(batch, 64, 0.5, rng);
        for (int i = 0; i < x.getNumElements(); i++) {
            x.data[i] += 0.5;
        }
        labels = new int[batch];
        for (int i = 0; i < batch; i++) {
            labels[i] = rng.nextInt(classes);
        }
        block1 = new Block(new SlidingWindow(1, 8, 8, 3, 3, 1, 1, 1, 1), 8, batch, rng);
        block2 = new Block(new SlidingWindow(8, 4, 4, 3, 3, 1, 1, 1, 1), 16, batch, rng);
        w3 = RawMatrices.uniform(classes, 64, 1 / Math.sqrt(64), rng);
        b3 = RawMatrices.uniform(1, classes, 1 / Math.sqrt(64), rng);
        dw3 = new DMatrixRMaj(classes, 64);
        db3 = new DMatrixRMaj(1, classes);
        logits = new DMatrixRMaj(batch, classes);
        dPooled2 = new DMatrixRMaj(batch, 64);
        parametersAndGradients = new DMatrixRMaj[][] {{block1.w, block1.dw}, {block1.b, block1.db}, {block1.gamma, block1.dgamma},
            {block1.beta, block1.dbeta}, {block2.w, block2.dw}, {block2.b, block2.db}, {block2.gamma, block2.dgamma},
            {block2.beta, block2.dbeta}, {w3, dw3}, {b3, db3}};
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
        DMatrixRMaj features = block2.pooled;
        double[] z = logits.data;
        for (int i = 0; i < batch; i++) {              // logits become dL/dz = (softmax − onehot)/N
            for (int j = 0; j < classes; j++) {
                z[i * classes + j] = (z[i * classes + j] - (j == labels[i] ? 1 : 0)) / batch;
            }
        }
        MatMulKernel.gemm(true, logits, false, features, dw3, false);
        Arrays.fill(db3.data, 0);
        for (int i = 0; i < batch; i++) {
            for (int j = 0; j < classes; j++) {
                db3.data[j] += z[i * classes + j];
            }
        }
        MatMulKernel.gemm(false, logits, false, w3, dPooled2, false);
        block2.backward(dPooled2, block2.dInput);
        block1.backward(block2.dInput, null);       // the images need no gradient
        return loss;
    }

    /** The loss; leaves softmax(logits) in {@link #logits} for the backward. */
    private double forward() {
        block1.forward(x);
        block2.forward(block1.pooled);
        DMatrixRMaj features = block2.pooled;          // image-major: N × 64 features
        MatMulKernel.gemm(false, features, true, w3, logits, false);
        double loss = 0;
        double[] z = logits.data;
        for (int i = 0; i < batch; i++) {
            int row = i * classes;
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < classes; j++) {
                z[row + j] += b3.data[j];
                max = Math.max(max, z[row + j]);
            }
            double sum = 0;
            for (int j = 0; j < classes; j++) {
                sum += Math.exp(z[row + j] - max);
            }
            double logSumExp = max + Math.log(sum);
            loss += logSumExp - z[row + labels[i]];
            for (int j = 0; j < classes; j++) {
                z[row + j] = Math.exp(z[row + j] - logSumExp);
            }
        }
        return loss / batch;
    }

    /** conv → BatchNorm2d → ReLU → 2×2 max pool, with every buffer it needs, forward and backward. */
    private static final class Block {
        final SlidingWindow window;
        final int channels, batch, positions, batchPositions, k;
        final DMatrixRMaj w, b, gamma, beta, runningMean, runningVar;
        final DMatrixRMaj dw, db, dgamma, dbeta;
        final DMatrixRMaj cols, z, xhat, dz;
        final double[] invStd;
        final int[] winners;
        final DMatrixRMaj pooled, dInput;

        Block(SlidingWindow window, int channels, int batch, Random rng) {
            this.window = window;
            this.channels = channels;
            this.batch = batch;
            positions = window.positions();
            batchPositions = batch * positions;
            k = window.patchSize(window.channels());
            w = RawMatrices.uniform(channels, k, 1 / Math.sqrt(k), rng);
            b = RawMatrices.uniform(1, channels, 1 / Math.sqrt(k), rng);
            gamma = new DMatrixRMaj(1, channels);
            gamma.fill(1);
            beta = new DMatrixRMaj(1, channels);
            runningMean = new DMatrixRMaj(1, channels);
            runningVar = new DMatrixRMaj(1, channels);
            runningVar.fill(1);
            dw = new DMatrixRMaj(channels, k);
            db = new DMatrixRMaj(1, channels);
            dgamma = new DMatrixRMaj(1, channels);
            dbeta = new DMatrixRMaj(1, channels);
            cols = new DMatrixRMaj(k, batchPositions);
            z = new DMatrixRMaj(channels, batchPositions);
            xhat = new DMatrixRMaj(channels, batchPositions);
            dz = new DMatrixRMaj(channels, batchPositions);
            invStd = new double[channels];
            int pooledSize = channels * positions / 4;
            winners = new int[batch * pooledSize];
            pooled = new DMatrixRMaj(batch, pooledSize);
            dInput = new DMatrixRMaj(batch, window.inputSize());
        }

        /** in: N × (C·H·W) images. Leaves the pooled N × (C'·H/2·W/2) images in {@link #pooled}. */
        void forward(DMatrixRMaj in) {
            Im2Col.im2col(in.data, batch, window, 0, window.channels(), cols.data);
            MatMulKernel.gemm(false, w, false, cols, z, false);             // C' × N·P, one channel per row
            int h = window.outHeight(), wd = window.outWidth(), ph = h / 2, pw = wd / 2, pooledSize = channels * ph * pw;
            double n = batchPositions;
            for (int c = 0; c < channels; c++) {
                int row = c * batchPositions;
                double bias = b.data[c];
                double sum = 0;
                for (int i = row; i < row + batchPositions; i++) {
                    z.data[i] += bias;
                    sum += z.data[i];
                }
                double mean = sum / n;
                double squares = 0;
                for (int i = row; i < row + batchPositions; i++) {
                    double d = z.data[i] - mean;
                    squares += d * d;
                }
                double var = squares / n;
                runningMean.data[c] = (1 - MOMENTUM) * runningMean.data[c] + MOMENTUM * mean;
                runningVar.data[c] = (1 - MOMENTUM) * runningVar.data[c] + MOMENTUM * var * n / (n - 1);
                double inv = 1 / Math.sqrt(var + EPS);
                invStd[c] = inv;
                double g = gamma.data[c], be = beta.data[c];
                for (int i = row; i < row + batchPositions; i++) {
                    double xh = (z.data[i] - mean) * inv;
                    xhat.data[i] = xh;
                    z.data[i] = Math.max(g * xh + be, 0.0);                 // z now holds the ReLU's output
                }
                // 2×2 max pooling of channel c of every image, written image-major
                for (int img = 0; img < batch; img++) {
                    int plane = row + img * positions;
                    int out = img * pooledSize + c * ph * pw;
                    for (int oh = 0; oh < ph; oh++) {
                        for (int ow = 0; ow < pw; ow++, out++) {
                            int at = plane + 2 * oh * wd + 2 * ow;
                            int best = at;
                            double max = z.data[at];
                            if (z.data[at + 1] > max) {
                                max = z.data[at + 1];
                                best = at + 1;
                            }
                            if (z.data[at + wd] > max) {
                                max = z.data[at + wd];
                                best = at + wd;
                            }
                            if (z.data[at + wd + 1] > max) {
                                max = z.data[at + wd + 1];
                                best = at + wd + 1;
                            }
                            pooled.data[out] = max;
                            winners[out] = best;
                        }
                    }
                }
            }
        }

        /**
         * dOut: N × (C'·H/2·W/2), the gradient of {@link #pooled}. Sets dw, db, dγ, dβ, and dIn (N × C·H·W)
         * unless it is null.
         */
        void backward(DMatrixRMaj dOut, DMatrixRMaj dIn) {
            Arrays.fill(dz.data, 0, channels * batchPositions, 0);
            for (int o = 0; o < winners.length; o++) {                       // pool: to each window's maximum
                dz.data[winners[o]] += dOut.data[o];
            }
            double n = batchPositions;
            for (int c = 0; c < channels; c++) {
                int row = c * batchPositions;
                double sumDy = 0, sumDyXhat = 0;
                for (int i = row; i < row + batchPositions; i++) {             // ReLU: z (its output) > 0
                    double dy = z.data[i] > 0 ? dz.data[i] : 0;
                    dz.data[i] = dy;
                    sumDy += dy;
                    sumDyXhat += dy * xhat.data[i];
                }
                dgamma.data[c] = sumDyXhat;
                dbeta.data[c] = sumDy;
                double scale = gamma.data[c] * invStd[c] / n;
                double sumDz = 0;
                for (int i = row; i < row + batchPositions; i++) {
                    double d = scale * (n * dz.data[i] - sumDy - xhat.data[i] * sumDyXhat);
                    dz.data[i] = d;
                    sumDz += d;
                }
                db.data[c] = sumDz;
            }
            MatMulKernel.gemm(false, dz, true, cols, dw, false);
            if (dIn != null) {
                MatMulKernel.gemm(true, w, false, dz, cols, false);           // the columns are no longer needed
                Arrays.fill(dIn.data, 0, batch * window.inputSize(), 0);
                Im2Col.col2im(cols.data, batch, window, 0, window.channels(), dIn.data);
            }
        }
    }

    // accessors for the engine's copy of the same network and for the tests
    DMatrixRMaj conv1Weight() {
        return block1.w;
    }

    DMatrixRMaj conv1Bias() {
        return block1.b;
    }

    DMatrixRMaj conv2Weight() {
        return block2.w;
    }

    DMatrixRMaj conv2Bias() {
        return block2.b;
    }

    DMatrixRMaj[] conv1Gradients() {
        return new DMatrixRMaj[] {block1.dw, block1.db, block1.dgamma, block1.dbeta};
    }

    DMatrixRMaj[] conv2Gradients() {
        return new DMatrixRMaj[] {block2.dw, block2.db, block2.dgamma, block2.dbeta};
    }

    DMatrixRMaj runningVar2() {
        return block2.runningVar;
    }
}

package dev.normgrad.ops;

import dev.normgrad.autograd.Function;
import dev.normgrad.autograd.ShapeException;
import dev.normgrad.gemm.MatMulKernel;
import org.ejml.data.DMatrixRMaj;

/**
 * A 2-D convolution (PyTorch's {@code F.conv2d}; strictly a cross-correlation, as in every deep
 * learning library), through {@link Im2Col} and one matrix product per group.
 *
 * <p>Shapes: x is N × (C·H·W), each row an image in (C, H, W) row-major order; the weight W is
 * C' × (C/G·kH·kW), PyTorch's (C', C/G, kH, kW) flattened row-major; the bias b is 1 × C'. The
 * output y is N × (C'·H'·W'), each row an image (C', H', W') with H', W' from the
 * {@link SlidingWindow}. With G groups, output channels g·C'/G … (g+1)·C'/G − 1 read only input
 * channels g·C/G … (g+1)·C/G − 1 (G = C: depthwise).
 * <pre>
 *   y[n, o, p] = b[o] + Σ_k W[o, k] · cols_n[k, p]          cols_n = im2col(x_n) on o's group, P = H'·W' positions p
 *
 *   forward, per group:   Y' = W_g · cols                   cols = [cols_0 … cols_{N−1}], (C/G·kH·kW) × (N·P)
 *   backward, per group:  dW_g += dY'·colsᵀ                 dY' = dY regrouped as C'/G × (N·P)
 *                         dx   += col2im(W_gᵀ·dY')
 *                         db   += Σ_{n, p} dY[n, o, p]
 * </pre>
 * The images of the batch sit side by side in one column matrix, so each group is one GEMM through
 * {@link MatMulKernel} (not N small ones); Y' is then regrouped into the output rows, adding b on the
 * way. A 1-D convolution is the same op on images of height 1 (C, 1, L) with kH = 1.
 *
 * <p>Saves the minimum: x and W (the input matrices themselves, not copies). The backward
 * rebuilds the column matrix from x rather than keeping it (PyTorch does the same). The column
 * and regrouping matrices live in a buffer of the calling thread, reused from call to call, so a
 * training step allocates only its outputs and gradients; that buffer keeps the largest size seen.
 *
 * <p>Inputs: {@code x, weight} or {@code x, weight, bias}; apply as
 * {@code new Conv2dOp(window, outChannels, groups).apply(x, weight, bias)}.
 */
public final class Conv2dOp extends Function {
    private final SlidingWindow window;
    private final int outChannels;
    private final int groups;
    private DMatrixRMaj x;
    private DMatrixRMaj w;

    /**
     * @param window      the input image (C, H, W), kernel, stride and padding
     * @param outChannels C', divisible by {@code groups}
     * @param groups      G, dividing C and C' (1: every output channel reads every input channel)
     */
    public Conv2dOp(SlidingWindow window, int outChannels, int groups) {
        if (window == null) {
            throw new IllegalArgumentException("conv2d: the window is null");
        }
        if (outChannels < 1 || groups < 1 || window.channels() % groups != 0 || outChannels % groups != 0) {
            throw new IllegalArgumentException("conv2d: groups " + groups + " must divide both the " + window.channels()
                    + " input channels and the " + outChannels + " output channels (each at least 1)");
        }
        this.window = window;
        this.outChannels = outChannels;
        this.groups = groups;
    }

    @Override
    public String name() {
        return "conv2d";
    }

    @Override
    protected DMatrixRMaj forward(DMatrixRMaj... in) {
        if (in.length != 2 && in.length != 3) {
            throw new IllegalArgumentException(name() + ": expected the inputs x, weight and optionally bias, got "
                    + in.length + " inputs");
        }
        x = in[0];
        w = in[1];
        DMatrixRMaj b = in.length == 3 ? in[2] : null;
        checkShapes(x, w, b);
        int n = x.numRows, positions = window.positions(), batchPositions = n * positions;
        int groupIn = window.channels() / groups, groupOut = outChannels / groups, k = window.patchSize(groupIn);
        DMatrixRMaj y = new DMatrixRMaj(n, outChannels * positions);
        Scratch s = Scratch.get();
        DMatrixRMaj cols = DMatrixRMaj.wrap(k, batchPositions, s.columns(k * batchPositions));
        DMatrixRMaj out = DMatrixRMaj.wrap(groupOut, batchPositions, s.regrouped(groupOut * batchPositions));
        for (int g = 0; g < groups; g++) {
            Im2Col.im2col(x.data, n, window, g * groupIn, groupIn, cols.data);
            MatMulKernel.gemm(false, groupWeight(w, g, groupOut, k, s), false, cols, out, false);
            // Y' (C'/G × N·P) into the rows of y, image n's channel g·C'/G + o at (g·C'/G + o)·P, plus b
            for (int o = 0; o < groupOut; o++) {
                int channel = g * groupOut + o;
                double bias = b == null ? 0.0 : b.data[channel];
                for (int i = 0; i < n; i++) {
                    int from = o * batchPositions + i * positions;
                    int to = (i * outChannels + channel) * positions;
                    for (int p = 0; p < positions; p++) {
                        y.data[to + p] = out.data[from + p] + bias;
                    }
                }
            }
        }
        return y;
    }

    @Override
    protected void backward(DMatrixRMaj dy, DMatrixRMaj[] grads) {
        int n = x.numRows, positions = window.positions(), batchPositions = n * positions;
        int groupIn = window.channels() / groups, groupOut = outChannels / groups, k = window.patchSize(groupIn);
        Scratch s = Scratch.get();
        DMatrixRMaj cols = DMatrixRMaj.wrap(k, batchPositions, s.columns(k * batchPositions));
        DMatrixRMaj dOut = DMatrixRMaj.wrap(groupOut, batchPositions, s.regrouped(groupOut * batchPositions));
        for (int g = 0; g < groups; g++) {
            // dY' (C'/G × N·P): the rows of dy regrouped by channel, images side by side
            for (int o = 0; o < groupOut; o++) {
                int channel = g * groupOut + o;
                double sum = 0;
                for (int i = 0; i < n; i++) {
                    int from = (i * outChannels + channel) * positions;
                    int to = o * batchPositions + i * positions;
                    for (int p = 0; p < positions; p++) {
                        double v = dy.data[from + p];
                        dOut.data[to + p] = v;
                        sum += v;
                    }
                }
                if (grads.length == 3 && grads[2] != null) {
                    grads[2].data[channel] += sum;                          // db = Σ_{n,p} dY
                }
            }
            if (grads[1] != null) {                                         // dW_g += dY'·colsᵀ
                Im2Col.im2col(x.data, n, window, g * groupIn, groupIn, cols.data);
                if (groups == 1) {
                    MatMulKernel.gemm(false, dOut, true, cols, grads[1], true);
                } else {
                    DMatrixRMaj dWg = DMatrixRMaj.wrap(groupOut, k, s.weightGradient(groupOut * k));
                    MatMulKernel.gemm(false, dOut, true, cols, dWg, false);
                    int at = g * groupOut * k;
                    for (int e = 0; e < groupOut * k; e++) {
                        grads[1].data[at + e] += dWg.data[e];
                    }
                }
            }
            if (grads[0] != null) {                                         // dx += col2im(W_gᵀ·dY')
                MatMulKernel.gemm(true, groupWeight(w, g, groupOut, k, s), false, dOut, cols, false);
                Im2Col.col2im(cols.data, n, window, g * groupIn, groupIn, grads[0].data);
            }
        }
    }

    /** The weight of group g, (C'/G) × k: W itself for one group, else its rows copied out. */
    private DMatrixRMaj groupWeight(DMatrixRMaj w, int g, int groupOut, int k, Scratch s) {
        if (groups == 1) {
            return w;
        }
        DMatrixRMaj wg = DMatrixRMaj.wrap(groupOut, k, s.weight(groupOut * k));
        System.arraycopy(w.data, g * groupOut * k, wg.data, 0, groupOut * k);
        return wg;
    }

    private void checkShapes(DMatrixRMaj x, DMatrixRMaj w, DMatrixRMaj b) {
        window.checkInput(name(), x);
        int c = window.channels();
        int k = window.patchSize(c / groups);
        if (w.numRows != outChannels || w.numCols != k) {
            throw new ShapeException(name() + ": weight " + ShapeException.shape(w.numRows, w.numCols) + " must be "
                    + ShapeException.shape(outChannels, k) + ": out channels × (in channels / groups)·kH·kW = " + outChannels
                    + " × " + (c / groups) + "·" + window.kernelHeight() + "·" + window.kernelWidth());
        }
        if (b != null && (b.numRows != 1 || b.numCols != outChannels)) {
            throw new ShapeException(name() + ": bias " + ShapeException.shape(b.numRows, b.numCols) + " must be "
                    + ShapeException.shape(1, outChannels) + ", one per output channel");
        }
    }

    /**
     * The calling thread's work buffers: the column matrix, the regrouped output (or its gradient),
     * and for grouped convolutions a group's weight and weight gradient. Each grows to the largest size
     * asked for and is reused; its contents live only within one forward or one backward call.
     */
    private static final class Scratch {
        private static final ThreadLocal<Scratch> CURRENT = ThreadLocal.withInitial(Scratch::new);
        private double[] columns = new double[0];
        private double[] regrouped = new double[0];
        private double[] weight = new double[0];
        private double[] weightGradient = new double[0];

        static Scratch get() {
            return CURRENT.get();
        }

        double[] columns(int size) {
            return columns = atLeast(columns, size);
        }

        double[] regrouped(int size) {
            return regrouped = atLeast(regrouped, size);
        }

        double[] weight(int size) {
            return weight = atLeast(weight, size);
        }

        double[] weightGradient(int size) {
            return weightGradient = atLeast(weightGradient, size);
        }

        private static double[] atLeast(double[] a, int size) {
            return a.length >= size ? a : new double[size];
        }
    }
}

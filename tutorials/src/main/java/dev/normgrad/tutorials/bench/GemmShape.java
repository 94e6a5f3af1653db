package dev.normgrad.tutorials.bench;

import java.util.List;
import java.util.Random;
import dev.normgrad.gemm.MatMulKernel;
import org.ejml.data.DMatrixRMaj;

/**
 * A GEMM of the reference workloads, named {@code m x k x n-OP}: op(A) is m×k, op(B) is k×n, OP
 * says which operand is transposed (NT: {@code A·Bᵀ}, a Linear forward; TN: {@code Aᵀ·B}, a weight
 * gradient; NN: an input gradient or a plain product). 2·m·k·n flops.
 */
public record GemmShape(int m, int k, int n, boolean transA, boolean transB) {
    /** The shapes benchmarked: the plain product of the design, every product W1 and W2 run, and W4's heaviest. */
    public static final List<String> WORKLOAD_SHAPES = List.of(
            "128x784x256-NN",   // the reference product (DESIGN.md: PyTorch 55 GF/s, EJML ~4)
            "128x784x256-NT",   // W1 forward, layer 1: X·W1ᵀ
            "128x256x256-NT",   // W1 forward, layer 2
            "128x256x10-NT",    // W1 forward, layer 3
            "128x10x256-NN",    // W1 backward, layer 3: dA2 = dZ3·W3
            "10x128x256-TN",    // W1 backward, layer 3: dW3 = dZ3ᵀ·A2
            "128x256x256-NN",   // W1 backward, layer 2: dA1 = dZ2·W2
            "256x128x256-TN",   // W1 backward, layer 2: dW2
            "256x128x784-TN",   // W1 backward, layer 1: dW1 = dZ1ᵀ·X
            "32x32x128-NT",     // W2 forward: X·Wihᵀ
            "32x128x128-NT",    // W2 forward: H·Whhᵀ
            "32x128x128-NN",    // W2 backward: dH = dZ·Whh
            "128x32x128-TN",    // W2 backward: dWhh = dZᵀ·H
            "128x32x32-TN",     // W2 backward: dWih = dZᵀ·X
            "16x72x1024-NN",    // W4 forward, second convolution: W·cols (16 filters, 8·3·3 taps, 64 images × 4·4)
            "16x1024x72-NT",    // W4 backward: dW = dY·colsᵀ
            "72x16x1024-TN");   // W4 backward: dcols = Wᵀ·dY

    /** Parses "128x784x256-NT". */
    public static GemmShape parse(String text) {
        String[] parts = text.split("[x-]");
        if (parts.length != 4 || parts[3].length() != 2 || !parts[3].matches("[NT]{2}")) {
            throw new IllegalArgumentException("GEMM shape '" + text + "': expected m x k x n-OP like 128x784x256-NT");
        }
        return new GemmShape(Integer.parseInt(parts[0]), Integer.parseInt(parts[1]), Integer.parseInt(parts[2]),
                parts[3].charAt(0) == 'T', parts[3].charAt(1) == 'T');
    }

    /** 2·m·k·n. */
    public double flops() {
        return 2.0 * m * k * n;
    }

    /** A, stored as op requires (k×m when transposed). */
    public DMatrixRMaj newA(Random rng) {
        return random(transA ? k : m, transA ? m : k, rng);
    }

    /** B, stored as op requires (n×k when transposed). */
    public DMatrixRMaj newB(Random rng) {
        return random(transB ? n : k, transB ? k : n, rng);
    }

    /** EJML's call for this form, {@code c = op(a)·op(b)}: the baseline, with no crossover or BLAS dispatch. */
    public void ejml(DMatrixRMaj a, DMatrixRMaj b, DMatrixRMaj c) {
        MatMulKernel.EJML.gemm(transA, a, transB, b, c, false);
    }

    @Override
    public String toString() {
        return m + "x" + k + "x" + n + "-" + (transA ? "T" : "N") + (transB ? "T" : "N");
    }

    private static DMatrixRMaj random(int r, int c, Random rng) {
        DMatrixRMaj x = new DMatrixRMaj(r, c);
        for (int i = 0; i < r * c; i++) {
            x.data[i] = rng.nextGaussian();
        }
        return x;
    }
}

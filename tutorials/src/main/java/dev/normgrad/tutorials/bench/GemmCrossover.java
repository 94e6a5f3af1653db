package dev.normgrad.tutorials.bench;

import dev.normgrad.gemm.MatMulKernel;
import dev.normgrad.gemm.NetlibGemm;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.ejml.data.DMatrixRMaj;

/**
 * Measures where netlib's GEMM starts to beat EJML's: for square and workload-shaped products of
 * growing size, the GF/s of EJML and of every netlib implementation this JVM can load (each with
 * crossover 0, so BLAS really runs): the best of 7 timed rounds after a warm-up (the best, not the
 * median, because on a shared machine other processes only ever slow a round down). The crossovers in
 * {@link MatMulKernel#NATIVE_CROSSOVER} and {@link MatMulKernel#VECTOR_CROSSOVER} come from this table.
 * Run: {@code java --add-modules jdk.incubator.vector -cp ... dev.normgrad.tutorials.bench.GemmCrossover}
 * (without the module, netlib's Java path is the plain loops).
 */
public final class GemmCrossover {
    private GemmCrossover() {
    }

    public static void main(String[] args) {
        run(System.out);
    }

    /** Prints the table: one row per shape (m×k×n, op), one GF/s column per kernel. */
    public static void run(PrintStream out) {
        List<MatMulKernel.Gemm> kernels = new ArrayList<>();
        kernels.add(MatMulKernel.EJML);
        NetlibGemm.nativeBlas(0).ifPresent(kernels::add);
        kernels.add(NetlibGemm.javaBlas(0));
        StringBuilder header = new StringBuilder(String.format(Locale.ROOT, "%-18s %10s", "m x k x n op", "flops"));
        for (MatMulKernel.Gemm g : kernels) {
            header.append(String.format(Locale.ROOT, " %26s", g.name()));
        }
        out.println(header + "   (GF/s, 2 flops per multiply-add)");
        int[][] shapes = {
            {2, 2, 2}, {4, 4, 4}, {8, 8, 8}, {12, 12, 12}, {16, 16, 16}, {20, 20, 20}, {24, 24, 24}, {32, 32, 32},
            {40, 40, 40}, {48, 48, 48}, {64, 64, 64}, {96, 96, 96}, {128, 128, 128}, {256, 256, 256},
            {4, 8, 10}, {8, 64, 32}, {32, 32, 128}, {32, 128, 128}, {128, 32, 128}, {128, 784, 256}, {128, 256, 10},
        };
        Random rng = new Random(1);
        // For the crossover: per kernel, the square products (m = k = n) on which it lost to EJML.
        List<List<String>> losses = new ArrayList<>();
        kernels.forEach(g -> losses.add(new ArrayList<>()));
        for (int[] s : shapes) {
            for (String op : new String[] {"NN", "NT", "TN"}) {
                boolean ta = op.charAt(0) == 'T';
                boolean tb = op.charAt(1) == 'T';
                int m = s[0], k = s[1], n = s[2];
                DMatrixRMaj a = random(ta ? k : m, ta ? m : k, rng);
                DMatrixRMaj b = random(tb ? n : k, tb ? k : n, rng);
                DMatrixRMaj c = new DMatrixRMaj(m, n);
                long flops = (long) m * n * k;
                StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "%-18s %10d", m + "x" + k + "x" + n + " " + op, flops));
                double ejml = 0;
                for (int g = 0; g < kernels.size(); g++) {
                    double gflops = 2.0 * flops / secondsPerCall(kernels.get(g), ta, a, tb, b, c) / 1e9;
                    row.append(String.format(Locale.ROOT, " %26.2f", gflops));
                    if (g == 0) {
                        ejml = gflops;
                    } else if (m == k && k == n && gflops <= ejml) {
                        losses.get(g).add(m + "^3 " + op);
                    }
                }
                out.println(row);
            }
        }
        for (int g = 1; g < kernels.size(); g++) {
            out.printf(Locale.ROOT, "%s lost to EJML on the square products %s%n", kernels.get(g).name(), losses.get(g));
        }
    }

    private static DMatrixRMaj random(int r, int c, Random rng) {
        DMatrixRMaj x = new DMatrixRMaj(r, c);
        for (int i = 0; i < r * c; i++) {
            x.data[i] = rng.nextGaussian();
        }
        return x;
    }

    /** Best of 7 rounds of ~20-40 ms each, after ~200 ms of warm-up. */
    private static double secondsPerCall(MatMulKernel.Gemm g, boolean ta, DMatrixRMaj a, boolean tb, DMatrixRMaj b, DMatrixRMaj c) {
        long calls = 1;
        long deadline = System.nanoTime() + 200_000_000L;
        while (System.nanoTime() < deadline) {
            g.gemm(ta, a, tb, b, c, false);
        }
        long t0 = System.nanoTime();
        while (System.nanoTime() - t0 < 40_000_000L) {
            for (long i = 0; i < calls; i++) {
                g.gemm(ta, a, tb, b, c, false);
            }
            calls *= 2;
        }
        double[] rounds = new double[7];
        for (int r = 0; r < rounds.length; r++) {
            long start = System.nanoTime();
            for (long i = 0; i < calls; i++) {
                g.gemm(ta, a, tb, b, c, false);
            }
            rounds[r] = (System.nanoTime() - start) / 1e9 / calls;
        }
        Arrays.sort(rounds);
        return rounds[0];
    }
}

package dev.normgrad.norm;

import dev.normgrad.autograd.Tensor;
import java.util.Arrays;
import java.util.Random;

/**
 * Fused op against the composed form: BatchNorm1d(256) on a batch of 128, one forward and one
 * backward per iteration, median over rounds. Not a test (no timings in the test suite); run it:
 *
 * <pre>
 *   mvn -o -q -B test-compile -pl layers -am
 *   M2=~/.m2/repository/org/ejml
 *   java -cp layers/target/test-classes:layers/target/classes:framework/target/classes:$M2/ejml-core/0.43.1/ejml-core-0.43.1.jar:$M2/ejml-ddense/0.43.1/ejml-ddense-0.43.1.jar dev.normgrad.norm.NormBench
 * </pre>
 */
public final class NormBench {
    private NormBench() {
    }

    public static void main(String[] args) {
        int n = 128, c = 256, l = args.length > 0 ? Integer.parseInt(args[0]) : 1;
        int rounds = 21, perRound = 40;
        Random r = new Random(1);
        Tensor x = Tensor.randn(n, c * l, r);
        Tensor dy = Tensor.randn(n, c * l, r);
        BatchNorm1d fused = new BatchNorm1d(c);
        BatchNorm1d composed = new BatchNorm1d(c);
        composed.setFused(false);
        for (int i = 0; i < 300; i++) {   // JIT warm-up
            step(fused, x, dy);
            step(composed, x, dy);
        }
        double[] tf = new double[rounds];
        double[] tc = new double[rounds];
        for (int k = 0; k < rounds; k++) {   // interleaved, so both see the same machine load
            tf[k] = time(fused, x, dy, perRound);
            tc[k] = time(composed, x, dy, perRound);
        }
        double mf = median(tf), mc = median(tc);
        System.out.printf("BatchNorm1d(%d), input %dx%d (L=%d), forward+backward, median of %d rounds x %d:%n", c, n, c * l, l,
                rounds, perRound);
        System.out.printf("  fused    %8.1f us%n  composed %8.1f us%n  composed / fused = %.2fx%n", mf, mc, mc / mf);
    }

    private static void step(BatchNorm1d layer, Tensor x, Tensor dy) {
        Tensor in = x.copy().requiresGrad(true);
        layer.zeroGrad();
        layer.apply(in).backward(dy);
    }

    private static double time(BatchNorm1d layer, Tensor x, Tensor dy, int iterations) {
        long t0 = System.nanoTime();
        for (int i = 0; i < iterations; i++) {
            step(layer, x, dy);
        }
        return (System.nanoTime() - t0) / 1e3 / iterations;
    }

    private static double median(double[] a) {
        double[] s = a.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }
}

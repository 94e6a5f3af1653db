package dev.normgrad.tutorials.bench;

import dev.normgrad.gemm.MatMulKernel;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.function.DoubleSupplier;

/**
 * {@code ./normgrad bench cpu}: the workloads timed by the CPU time of the calling thread, the
 * engine's step and the hand-written one interleaved call by call, for a machine shared with other
 * jobs. Wall-clock benchmarks (JMH, the rest of {@code bench}) measure whatever share of the cores
 * the machine gives this process at that moment; on a busy machine that share changes between the
 * engine's iterations and the raw ones and their ratio means nothing. A thread's CPU time counts
 * only the work it did, and interleaving puts both sides under the same cache and frequency
 * conditions.
 *
 * <p>Run it with a single-threaded BLAS ({@code OPENBLAS_NUM_THREADS=1}): a BLAS worker thread's time
 * is not the calling thread's, so with more threads the products would go uncounted (the command
 * warns). Compare with {@code bench_torch.py --cpu-time} (one thread, process CPU time). Output: the
 * {@code bench} JSON lines with {@code "timing":"thread-cpu"} added; a time is the median over
 * {@value #ROUNDS} rounds of the mean CPU time per call, after {@value #WARMUP_SECONDS} s of warm-up.
 */
public final class CpuTimeBench {
    /** Timed rounds per workload. */
    public static final int ROUNDS = 15;
    /** Warm-up, in seconds of CPU time per workload (both sides together). */
    public static final double WARMUP_SECONDS = 3;

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private CpuTimeBench() {
    }

    /** Runs W1, W2, W4 and W3; returns the exit status. */
    public static int run(PrintStream out, PrintStream err) {
        String blasThreads = System.getenv("OPENBLAS_NUM_THREADS");
        if (!"1".equals(blasThreads)) {
            err.println("bench cpu: OPENBLAS_NUM_THREADS is " + (blasThreads == null ? "unset" : blasThreads)
                    + "; set it to 1, or the time of the BLAS's worker threads is not counted");
        }
        String blas = MatMulKernel.select("auto").name();
        W1Raw raw1 = W1Raw.standard(7);
        W1Engine engine1 = new W1Engine(W1Raw.standard(7));
        pair("W1", engine1::step, raw1::step, 4, blas, out, err);
        W2Raw raw2 = W2Raw.standard(7);
        W2Engine engine2 = new W2Engine(W2Raw.standard(7));
        pair("W2", engine2::lossAndGradients, raw2::lossAndGradients, 2, blas, out, err);
        W4Raw raw4 = W4Raw.standard(7);
        W4Engine engine4 = new W4Engine(W4Raw.standard(7));
        pair("W4", engine4::step, raw4::step, 4, blas, out, err);
        W3Bench w3 = new W3Bench();
        w3.setUp();
        single("W3-full", () -> w3.full().checked(), 2, blas, out);
        single("W3-fast", () -> w3.fast().checked(), 20, blas, out);
        return 0;
    }

    private static void pair(String name, DoubleSupplier engine, DoubleSupplier raw, int callsPerRound, String blas,
            PrintStream out, PrintStream err) {
        warmUp(engine, raw);
        double[] e = new double[ROUNDS];
        double[] r = new double[ROUNDS];
        for (int k = 0; k < ROUNDS; k++) {
            for (int c = 0; c < callsPerRound; c++) {
                e[k] += cpuMs(engine);
                r[k] += cpuMs(raw);
            }
            e[k] /= callsPerRound;
            r[k] /= callsPerRound;
        }
        Map<String, Object> line = BenchMain.line(name, median(e), median(r), blas);
        line.put("timing", "thread-cpu");
        out.println(BenchMain.toJson(line));
        err.printf(Locale.ROOT, "%s: engine %.3f ms, raw %.3f ms of CPU%n", name, median(e), median(r));
    }

    private static void single(String name, DoubleSupplier f, int callsPerRound, String blas, PrintStream out) {
        warmUp(f, f);
        double[] t = new double[ROUNDS];
        for (int k = 0; k < ROUNDS; k++) {
            for (int c = 0; c < callsPerRound; c++) {
                t[k] += cpuMs(f);
            }
            t[k] /= callsPerRound;
        }
        Map<String, Object> line = BenchMain.line(name, median(t), null, blas);
        line.put("timing", "thread-cpu");
        out.println(BenchMain.toJson(line));
    }

    private static void warmUp(DoubleSupplier a, DoubleSupplier b) {
        long end = THREADS.getCurrentThreadCpuTime() + (long) (WARMUP_SECONDS * 1e9);
        while (THREADS.getCurrentThreadCpuTime() < end) {
            a.getAsDouble();
            b.getAsDouble();
        }
    }

    private static double cpuMs(DoubleSupplier f) {
        long start = THREADS.getCurrentThreadCpuTime();
        f.getAsDouble();
        return (THREADS.getCurrentThreadCpuTime() - start) / 1e6;
    }

    static double median(double[] values) {
        double[] s = values.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }
}

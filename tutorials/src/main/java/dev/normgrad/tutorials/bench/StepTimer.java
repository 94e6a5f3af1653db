package dev.normgrad.tutorials.bench;

import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleSupplier;

/**
 * Times one workload in this JVM, the engine's step and the hand-written one interleaved: after
 * the workload's warm-up, {@value #ROUNDS} rounds, each a block of engine steps then a block of raw
 * steps of about {@value #BLOCK_SECONDS} s each, so that both sides run under the same machine
 * conditions (a shared machine's load drifts between rounds, not between the two sides of one).
 * Each step is timed by the wall clock and by the CPU time of this thread (which a busy machine
 * does not inflate, but which misses the BLAS's worker threads: compare CPU times with
 * {@code OPENBLAS_NUM_THREADS=1}).
 *
 * <p>Around the engine's steps it also counts what they cost the memory system, per step: bytes
 * allocated by this thread, the process's minor page faults (Linux; a fault is the first touch of
 * a page the process never used), and the collectors' pause time.
 */
final class StepTimer {
    /** Timed rounds per launch. */
    static final int ROUNDS = 15;
    /** The length of one block of steps of one side, in seconds. */
    static final double BLOCK_SECONDS = 0.1;

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private StepTimer() {
    }

    /**
     * One launch's line: {@code workload, engine_ms, raw_ms, overhead, blas} as {@code bench} prints
     * them (medians over the rounds; overhead the median of the rounds' engine ÷ raw), then
     * {@code engine_cpu_ms, raw_cpu_ms, overhead_cpu} (the same by CPU time) and
     * {@code alloc_mb, page_faults, gc_ms} (per engine step).
     */
    static Map<String, Object> measure(Workload workload, String blas) {
        return measure(workload, blas, workload.warmUpSeconds());
    }

    /** {@link #measure(Workload, String)} after {@code warmUpSeconds} of warm-up instead of the workload's own. */
    static Map<String, Object> measure(Workload workload, String blas, double warmUpSeconds) {
        Workload.Steps steps = workload.steps().get();
        DoubleSupplier engine = steps.engine();
        DoubleSupplier raw = steps.raw();
        long warmUpEnd = System.nanoTime() + (long) (warmUpSeconds * 1e9);
        long engineNanos = 0;
        int engineCalls = 0;
        while (System.nanoTime() < warmUpEnd || engineCalls == 0) {
            long start = System.nanoTime();
            engine.getAsDouble();
            engineNanos += System.nanoTime() - start;
            engineCalls++;
            if (raw != null) {
                raw.getAsDouble();
            }
        }
        int block = (int) Math.max(1, Math.round(BLOCK_SECONDS * 1e9 * engineCalls / engineNanos));

        double[] engineMs = new double[ROUNDS];
        double[] engineCpu = new double[ROUNDS];
        double[] rawMs = new double[ROUNDS];
        double[] rawCpu = new double[ROUNDS];
        double[] ratio = new double[ROUNDS];
        double[] cpuRatio = new double[ROUNDS];
        long allocated = 0;
        long faults = 0;
        long gcMs = 0;
        for (int r = 0; r < ROUNDS; r++) {
            long bytes0 = THREADS.getCurrentThreadAllocatedBytes();
            long faults0 = minorPageFaults();
            long gc0 = gcMillis();
            long cpu0 = THREADS.getCurrentThreadCpuTime();
            long wall0 = System.nanoTime();
            for (int c = 0; c < block; c++) {
                engine.getAsDouble();
            }
            engineMs[r] = (System.nanoTime() - wall0) / 1e6 / block;
            engineCpu[r] = (THREADS.getCurrentThreadCpuTime() - cpu0) / 1e6 / block;
            gcMs += gcMillis() - gc0;
            faults += minorPageFaults() - faults0;
            allocated += THREADS.getCurrentThreadAllocatedBytes() - bytes0;
            if (raw != null) {
                cpu0 = THREADS.getCurrentThreadCpuTime();
                wall0 = System.nanoTime();
                for (int c = 0; c < block; c++) {
                    raw.getAsDouble();
                }
                rawMs[r] = (System.nanoTime() - wall0) / 1e6 / block;
                rawCpu[r] = (THREADS.getCurrentThreadCpuTime() - cpu0) / 1e6 / block;
                ratio[r] = engineMs[r] / rawMs[r];
                cpuRatio[r] = engineCpu[r] / rawCpu[r];
            }
        }
        double stepsTimed = (double) ROUNDS * block;
        Map<String, Object> line = BenchMain.line(workload.name(), median(engineMs), raw == null ? null : median(rawMs), blas);
        line.put("overhead", raw == null ? null : BenchMain.round(median(ratio)));
        line.put("engine_cpu_ms", BenchMain.round(median(engineCpu)));
        line.put("raw_cpu_ms", raw == null ? null : BenchMain.round(median(rawCpu)));
        line.put("overhead_cpu", raw == null ? null : BenchMain.round(median(cpuRatio)));
        line.put("alloc_mb", BenchMain.round(allocated / stepsTimed / 1e6));
        line.put("page_faults", minorPageFaults() < 0 ? null : BenchMain.round(faults / stepsTimed));
        line.put("gc_ms", BenchMain.round(gcMs / stepsTimed));
        return line;
    }

    /** The process's minor page faults so far (field 10 of /proc/self/stat), or −1 where there is no /proc. */
    static long minorPageFaults() {
        try {
            String stat = Files.readString(Path.of("/proc/self/stat"));
            // after "pid (command) ": state is field 3, minflt field 10
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(fields[7]);
        } catch (IOException | RuntimeException noProcFs) {
            return -1;
        }
    }

    private static long gcMillis() {
        long total = 0;
        List<GarbageCollectorMXBean> collectors = ManagementFactory.getGarbageCollectorMXBeans();
        for (GarbageCollectorMXBean gc : collectors) {
            total += Math.max(0, gc.getCollectionTime());
        }
        return total;
    }

    static double median(double[] values) {
        double[] s = values.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    /** min, median and max of {@code values}, rounded as the bench prints times. */
    static Map<String, Object> spread(double[] values) {
        double[] s = values.clone();
        Arrays.sort(s);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("min", BenchMain.round(s[0]));
        out.put("median", BenchMain.round(median(s)));
        out.put("max", BenchMain.round(s[s.length - 1]));
        return out;
    }
}

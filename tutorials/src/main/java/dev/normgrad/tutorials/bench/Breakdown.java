package dev.normgrad.tutorials.bench;

import dev.normgrad.gemm.MatMulKernel;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.DoubleSupplier;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;
import org.ejml.data.DMatrixRMaj;

/**
 * {@code ./normgrad bench profile w1 w2}: where a workload's engine step spends its time, in ms per
 * step, from Java Flight Recorder's samples of the stepping thread (every millisecond, Java and
 * native code alike), beside two limits for the products: the step's GEMM flops at the GEMM kernel's
 * measured peak (the best rate it reached on any of the step's products), and the step's products
 * alone, each distinct product timed on its own at its own shape and counted as often as the step
 * makes it. Small products run below the peak, so the second is the floor for any step that makes
 * the same products with the same kernel, whatever it does around them.
 *
 * <p>After a warm-up long enough for the heap to have been touched once, blocks of engine steps and
 * of hand-written steps take turns for {@value #SECONDS} s under the recorder. Each sample goes to the
 * category of the innermost frame that names one: the GEMM (netlib, EJML's products), normalization
 * ({@code dev.normgrad.norm}), elementwise ops ({@code dev.normgrad.ops}: activations, bias, loss),
 * the optimizer, graph bookkeeping (the autograd engine, modules) and allocation (creating and zeroing
 * matrices). The recorder cannot sample a thread while the JVM itself runs for it (a large array
 * allocated outside the thread's buffer and zeroed by the VM, a collection's pause): that time is what
 * the engine blocks' wall time holds beyond their samples, counted at the rate the hand-written
 * blocks (which allocate nothing) were sampled at, and it goes to allocation too. The hand-written
 * step's samples are sorted the same way beside it: its own loops (normalization, bias, loss, update,
 * written inline) count as "other".
 */
final class Breakdown {
    /** Seconds of recording per workload. */
    static final double SECONDS = 6;
    /** Warm-up before recording, in seconds: the JIT and the first pass over the heap. */
    static final double WARM_UP_SECONDS = 8;
    /** The categories, in output order. */
    static final List<String> CATEGORIES = List.of("gemm", "elementwise", "normalization", "optimizer", "graph", "allocation",
            "other");

    private Breakdown() {
    }

    /** Profiles each workload that has a hand-written side; one JSON line each. Returns the exit status. */
    static int run(List<Workload> workloads, PrintStream out, PrintStream err) {
        for (Workload w : workloads) {
            if (w.steps().get().raw() == null) {
                err.println("bench profile: " + w.name() + " has no hand-written step to calibrate against; skipped");
                continue;
            }
            Map<String, Object> line;
            try {
                line = profile(w);
            } catch (IOException e) {
                err.println("normgrad bench: the flight recording failed: " + e.getMessage());
                return 1;
            }
            out.println(BenchMain.toJson(line));
            err.print(table(line));
        }
        return 0;
    }

    @SuppressWarnings("unchecked")
    static String table(Map<String, Object> line) {
        StringBuilder t = new StringBuilder(String.format(Locale.ROOT, "%s, ms per step (engine %s, raw %s):%n",
                line.get("workload"), line.get("engine_ms"), line.get("raw_ms")));
        t.append(String.format(Locale.ROOT, "  %-15s %8s %8s%n", "", "engine", "raw"));
        Map<String, Object> raw = (Map<String, Object>) line.get("raw_breakdown_ms");
        ((Map<String, Object>) line.get("breakdown_ms")).forEach((k, v) ->
                t.append(String.format(Locale.ROOT, "  %-15s %8s %8s%n", k, v, raw.get(k))));
        t.append(String.format(Locale.ROOT, "  physical limit: %s GFLOP of GEMM at %s GF/s = %s ms%n", line.get("gemm_gflop"),
                line.get("gemm_peak_gflops"), line.get("limit_ms")));
        t.append(String.format(Locale.ROOT, "  the step's products alone, each timed at its own shape: %s ms%n",
                line.get("gemm_at_shapes_ms")));
        return t.toString();
    }

    private static Map<String, Object> profile(Workload w) throws IOException {
        Workload.Steps steps = w.steps().get();
        long end = System.nanoTime() + (long) (WARM_UP_SECONDS * 1e9);
        while (System.nanoTime() < end) {
            steps.engine().getAsDouble();
            steps.raw().getAsDouble();
        }
        List<Product> products = products(steps.engine());
        // The products are timed before the recording: timed after it was read back, they came out
        // about 60 % slower than in a fresh JVM; before it, they match.
        double flops = products.stream().mapToDouble(p -> p.count * p.flops()).sum();
        double peak = 0;   // GF/s: the best rate of any of the step's products
        double atShapes = 0;
        Map<String, Object> shapes = new LinkedHashMap<>();   // per distinct product: how often, µs per call
        for (Product p : products) {
            double seconds = bestSeconds(p);
            peak = Math.max(peak, p.flops() / seconds / 1e9);
            atShapes += p.count * seconds * 1e3;
            shapes.put(p.key(), Map.of("count", p.count, "us", BenchMain.round(seconds * 1e6)));
        }

        Path file = Files.createTempFile("normgrad-profile", ".jfr");
        long[] nanos = new long[2];   // engine, raw
        int blocks = 0;
        try (Recording r = new Recording()) {
            r.enable("jdk.ExecutionSample").withPeriod(Duration.ofMillis(1));
            r.enable("jdk.NativeMethodSample").withPeriod(Duration.ofMillis(1));
            r.start();
            end = System.nanoTime() + (long) (SECONDS * 1e9);
            while (System.nanoTime() < end) {
                nanos[0] += engineBlock(steps.engine());
                nanos[1] += rawBlock(steps.raw());
                blocks++;
            }
            r.stop();
            r.dump(file);
        }
        Map<String, Integer> engineSamples = new LinkedHashMap<>();
        CATEGORIES.forEach(c -> engineSamples.put(c, 0));
        Map<String, Integer> rawSamplesBy = new LinkedHashMap<>();
        CATEGORIES.forEach(c -> rawSamplesBy.put(c, 0));
        int rawSamples = 0;
        String thread = Thread.currentThread().getName();
        for (RecordedEvent e : RecordingFile.readAllEvents(file)) {
            if (e.getThread("sampledThread") == null || !thread.equals(e.getThread("sampledThread").getJavaName())) {
                continue;
            }
            RecordedStackTrace stack = e.getStackTrace();
            if (stack == null) {
                continue;
            }
            String side = side(stack);
            if ("raw".equals(side)) {
                rawSamples++;
                rawSamplesBy.merge(category(stack), 1, Integer::sum);   // its own loops: "other"
            } else if ("engine".equals(side)) {
                engineSamples.merge(category(stack), 1, Integer::sum);
            }
        }
        Files.deleteIfExists(file);
        int stepsTimed = blocks * BLOCK;
        double rawMs = nanos[1] / 1e6;
        double samplesPerMs = rawSamples / rawMs;
        double engineMs = nanos[0] / 1e6;
        double perStep = 1 / (samplesPerMs * stepsTimed);   // ms per step that one sample stands for
        int sampled = engineSamples.values().stream().mapToInt(Integer::intValue).sum();
        Map<String, Object> breakdown = new LinkedHashMap<>();
        for (String c : CATEGORIES) {
            double ms = engineSamples.get(c) * perStep;
            if (c.equals("allocation")) {
                ms += Math.max(0, engineMs - sampled / samplesPerMs) / stepsTimed;   // the VM's time, not sampled
            }
            breakdown.put(c, BenchMain.round(ms));
        }
        Map<String, Object> rawBreakdown = new LinkedHashMap<>();
        for (String c : CATEGORIES) {
            rawBreakdown.put(c, BenchMain.round(rawSamplesBy.get(c) * perStep));
        }
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("workload", w.name());
        line.put("engine_ms", BenchMain.round(engineMs / stepsTimed));
        line.put("raw_ms", BenchMain.round(rawMs / stepsTimed));
        line.put("breakdown_ms", breakdown);
        line.put("raw_breakdown_ms", rawBreakdown);
        line.put("samples", sampled);
        line.put("gemm_gflop", BenchMain.round(flops / 1e9));
        line.put("gemm_peak_gflops", BenchMain.round(peak));
        line.put("limit_ms", BenchMain.round(flops / peak / 1e6));
        line.put("gemm_at_shapes_ms", BenchMain.round(atShapes));
        line.put("gemm_shapes", shapes);
        line.put("blas", BenchMain.blasLabel());
        return line;
    }

    /** Steps per block. */
    private static final int BLOCK = 10;

    /** A block of engine steps; their wall time. A frame of its own, so that samples tell the two sides apart. */
    private static long engineBlock(DoubleSupplier engine) {
        long start = System.nanoTime();
        for (int i = 0; i < BLOCK; i++) {
            engine.getAsDouble();
        }
        return System.nanoTime() - start;
    }

    /** A block of hand-written steps; their wall time. */
    private static long rawBlock(DoubleSupplier raw) {
        long start = System.nanoTime();
        for (int i = 0; i < BLOCK; i++) {
            raw.getAsDouble();
        }
        return System.nanoTime() - start;
    }

    /** "engine" or "raw" by the block method on the stack, else null. */
    private static String side(RecordedStackTrace stack) {
        for (RecordedFrame f : stack.getFrames()) {
            if (f.getMethod().getType().getName().equals(Breakdown.class.getName())) {
                String m = f.getMethod().getName();
                return m.equals("engineBlock") ? "engine" : m.equals("rawBlock") ? "raw" : null;
            }
        }
        return null;
    }

    /** The category of the innermost frame that names one. */
    static String category(RecordedStackTrace stack) {
        for (RecordedFrame f : stack.getFrames()) {
            String c = category(f.getMethod().getType().getName());
            if (c != null) {
                return c;
            }
        }
        return "other";
    }

    /** The category of a frame's class, or null for one that names none (the JDK's, the bench's). */
    static String category(String type) {
        if (type.startsWith("dev.ludovic.netlib.") || type.startsWith("dev.normgrad.gemm.")
                || type.startsWith("org.ejml.dense.row.mult.")) {
            return "gemm";
        }
        if (type.startsWith("org.ejml.data.")) {
            return "allocation";
        }
        if (type.startsWith("dev.normgrad.norm.")) {
            return "normalization";
        }
        if (type.startsWith("dev.normgrad.optim.")) {
            return "optimizer";
        }
        if (type.startsWith("dev.normgrad.ops.")) {
            return "elementwise";
        }
        if (type.startsWith("dev.normgrad.")
                && !type.startsWith("dev.normgrad.tutorials.")) {
            return "graph";   // autograd, modules, losses: the engine around the ops
        }
        return null;
    }

    /**
     * One product of a step, with how many times the step makes it: its operands (copies) and
     * options, for timing it again on its own.
     */
    static final class Product {
        final boolean transA;
        final boolean transB;
        final boolean accumulate;
        final DMatrixRMaj a;
        final DMatrixRMaj b;
        final DMatrixRMaj c;
        int count;

        Product(boolean transA, DMatrixRMaj a, boolean transB, DMatrixRMaj b, DMatrixRMaj c, boolean accumulate) {
            this.transA = transA;
            this.transB = transB;
            this.accumulate = accumulate;
            this.a = a.copy();
            this.b = b.copy();
            this.c = c.copy();
        }

        double flops() {
            return 2.0 * c.numRows * c.numCols * (transA ? a.numRows : a.numCols);
        }

        String key() {
            return key(transA, a, transB, b, c, accumulate);
        }

        /** m×k×n-OP and whether it adds onto c: products alike in these take the same time. */
        static String key(boolean transA, DMatrixRMaj a, boolean transB, DMatrixRMaj b, DMatrixRMaj c, boolean accumulate) {
            return c.numRows + "x" + (transA ? a.numRows : a.numCols) + "x" + c.numCols + "-" + (transA ? "T" : "N")
                    + (transB ? "T" : "N") + (accumulate ? "+" : "");
        }
    }

    /** The products of one engine step, each distinct one once with its count. */
    static List<Product> products(DoubleSupplier engine) {
        MatMulKernel.Gemm kernel = MatMulKernel.current();
        Map<String, Product> seen = new LinkedHashMap<>();
        MatMulKernel.use(new MatMulKernel.Gemm() {
            @Override
            public void gemm(boolean transA, DMatrixRMaj a, boolean transB, DMatrixRMaj b, DMatrixRMaj c, boolean accumulate) {
                seen.computeIfAbsent(Product.key(transA, a, transB, b, c, accumulate),
                        k -> new Product(transA, a, transB, b, c, accumulate)).count++;
                kernel.gemm(transA, a, transB, b, c, accumulate);
            }

            @Override
            public String name() {
                return kernel.name();
            }
        });
        try {
            engine.getAsDouble();
        } finally {
            MatMulKernel.use(kernel);
        }
        return new ArrayList<>(seen.values());
    }

    /**
     * Seconds per call of the product on its own, back to back with the current kernel: the best of 7
     * rounds of about 0.03 s (after one round of warm-up). Its operands stay in cache, so this is the
     * product's best case inside a step.
     */
    private static double bestSeconds(Product p) {
        int calls = (int) Math.max(1, 6e7 / p.flops());
        double best = Double.POSITIVE_INFINITY;
        for (int round = 0; round < 8; round++) {
            long start = System.nanoTime();
            for (int i = 0; i < calls; i++) {
                MatMulKernel.gemm(p.transA, p.a, p.transB, p.b, p.c, p.accumulate);
            }
            double seconds = (System.nanoTime() - start) / 1e9 / calls;
            best = round == 0 ? best : Math.min(best, seconds);   // round 0 warms up
        }
        return best;
    }
}

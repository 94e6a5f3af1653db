package dev.normgrad.tutorials.bench;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import dev.normgrad.gemm.MatMulKernel;
import dev.normgrad.gemm.NetlibGemm;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * {@code ./normgrad bench}: runs the JMH benchmarks with a short configuration and prints one JSON
 * object per workload on standard output (progress and a readable summary go to standard error):
 * <pre>
 * {"workload":"GEMM-128x784x256-NN","engine_ms":…,"raw_ms":…,"overhead":…,"blas":"netlib:JNIBLAS(openblas)","path":"auto","gflops":…}
 * {"workload":"W1","engine_ms":…,"raw_ms":…,"overhead":…,"blas":"…"}
 * {"workload":"W2",…}
 * {"workload":"W3-full","engine_ms":…,"raw_ms":null,"overhead":null,"blas":"…"}   (and W3-fast)
 * {"workload":"W4",…}
 * {"workload":"norm-BatchNorm1d","fused_ms":…,"composed_ms":…,"speedup":…}          (and norm-LayerNorm)
 * {"workload":"elementwise-relu","own_ms":…,"shared_ms":…,"speedup":…}              (and tanh, sigmoid, add, mul)
 * </pre>
 * For a GEMM, engine is the product through {@link MatMulKernel} on the named path (one line per
 * path: {@code auto} is what NormGrad picks in a JVM started like this one, then {@code native},
 * {@code vector} and {@code java} with netlib for every product) and raw is the direct EJML call;
 * overhead = engine ÷ raw, so below 1 means faster than EJML. For a workload, engine is the step
 * through the autograd engine and raw the same step written by hand ({@link W1Raw},
 * {@link W2Raw}, {@link W4Raw}), both on the auto kernel. W3, the gradient check, has no hand-written side. Times are
 * the median over the measured iterations of the mean time per call.
 *
 * <p>Three other modes: {@code bench w1 w2 w3 --launches N} times each workload in N fresh JVMs and
 * reports min, median and max over them ({@link Launches}: the worst launch, which one JVM cannot
 * show); {@code bench profile w1 w2} says where a step's time goes ({@link Breakdown}); {@code bench cpu}
 * times the workloads in this JVM by thread CPU time ({@link StepTimer}, for a busy machine).
 *
 * <p>JMH configuration (the whole run takes a few minutes): one fork per benchmark and
 * parameter set, {@value #WARMUP_ITERATIONS} warm-up and {@value #MEASUREMENT_ITERATIONS} measured
 * iterations of {@value #ITERATION_MS} ms each ({@value #WORKLOAD_WARMUP_MS} ms of warm-up in all for W1 and W2,
 * whose steps are long). Forks for {@code vector} get
 * {@code --add-modules jdk.incubator.vector}, those for {@code java} run without it, the others
 * inherit this JVM's arguments. Numbers from a shared or busy machine are noisy: compare runs made
 * side by side (this and {@code bench_torch.py}).
 */
public final class BenchMain {
    /** Warm-up iterations per fork. */
    public static final int WARMUP_ITERATIONS = 3;
    /** Measured iterations per fork. */
    public static final int MEASUREMENT_ITERATIONS = 5;
    /** Length of one iteration. */
    public static final int ITERATION_MS = 200;
    /**
     * Warm-up of a W1 or W2 benchmark, in ms: a step takes 10–40 ms and the engine's step runs many
     * methods, so {@value #WARMUP_ITERATIONS} × {@value #ITERATION_MS} ms (15 steps of W2) measured the
     * engine still half in the interpreter (its time fell by a third from there).
     */
    public static final int WORKLOAD_WARMUP_MS = 4000;

    private static final String VECTOR_MODULE = "jdk.incubator.vector";
    private static final Gson GSON = new GsonBuilder().serializeNulls().disableHtmlEscaping().create();

    private BenchMain() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /**
     * Runs the benchmarks the arguments select and returns the exit status: every benchmark (no
     * argument), or any of "gemm", "w1", "w2", "w3", "w4", "norm" and "ops". "cpu" times the workloads in this JVM
     * instead, engine and raw interleaved, by wall clock and thread CPU ({@link StepTimer}; for a busy
     * machine; not part of "all"). {@code --launches N} times the selected workloads (all of them
     * when none is named) in N fresh JVMs each and adds min, median and max ({@link Launches}).
     */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        List<String> selection = new ArrayList<>();
        Integer launches = null;
        Double warmUp = null;
        List<String> known = new ArrayList<>(List.of("gemm", "norm", "ops", "cpu", "profile"));
        known.addAll(Workload.selections());
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--launches") || a.startsWith("--launches=")) {
                String value = a.contains("=") ? a.substring(a.indexOf('=') + 1) : i + 1 < args.length ? args[++i] : null;
                launches = launchCount(value);
                if (launches == null) {
                    err.println("normgrad bench: --launches takes a whole number of fresh JVMs from 1 to " + MAX_LAUNCHES
                            + ", got " + (value == null ? "nothing" : "'" + value + "'") + "; e.g. --launches 10");
                    return 2;
                }
            } else if (a.equals("--warmup") || a.startsWith("--warmup=")) {
                String value = a.contains("=") ? a.substring(a.indexOf('=') + 1) : i + 1 < args.length ? args[++i] : null;
                warmUp = warmUpSeconds(value);
                if (warmUp == null) {
                    err.println("normgrad bench: --warmup takes the seconds of warm-up of each launch, from 0 to "
                            + MAX_WARMUP_SECONDS + ", got " + (value == null ? "nothing" : "'" + value + "'") + "; e.g. --warmup 20");
                    return 2;
                }
            } else if (known.contains(a)) {
                if (!selection.contains(a)) {
                    selection.add(a);
                }
            } else {
                err.println("normgrad bench: unknown selection '" + a + "'; use gemm, " + String.join(", ", Workload.selections())
                        + ", norm, ops, cpu, profile or nothing for all, and --launches N for N fresh JVMs per workload");
                return 2;
            }
        }
        if (warmUp != null && launches == null) {
            err.println("normgrad bench: --warmup sets the warm-up of each launch; use it with --launches N");
            return 2;
        }
        if (launches != null) {
            List<String> notWorkloads = selection.stream().filter(a -> !Workload.selections().contains(a)).toList();
            if (!notWorkloads.isEmpty()) {
                err.println("normgrad bench: --launches times the workloads (" + String.join(", ", Workload.selections())
                        + "), not " + String.join(", ", notWorkloads));
                return 2;
            }
            return Launches.run(workloads(selection.isEmpty() ? Workload.selections() : selection), launches, warmUp, out, err);
        }
        if (selection.contains("profile")) {
            List<String> named = selection.stream().filter(a -> !a.equals("profile")).toList();
            if (!Workload.selections().containsAll(named)) {
                err.println("normgrad bench: profile takes workloads (" + String.join(", ", Workload.selections()) + "), not "
                        + String.join(", ", named.stream().filter(a -> !Workload.selections().contains(a)).toList()));
                return 2;
            }
            return Breakdown.run(workloads(named.isEmpty() ? Workload.selections() : named), out, err);
        }
        if (selection.contains("cpu")) {
            if (selection.size() > 1) {
                err.println("normgrad bench: cpu times every workload in this JVM; run it alone");
                return 2;
            }
            return timeInThisJvm(out, err);
        }
        boolean all = selection.isEmpty();
        long start = System.nanoTime();
        err.println("bench: GEMM kernel in this JVM: " + MatMulKernel.describe()
                + coreTypeNote(MatMulKernel.current().name(), System.getenv("OPENBLAS_CORETYPE")));
        err.println("bench: JMH forks 1, warm-up " + WARMUP_ITERATIONS + " x " + ITERATION_MS + " ms, measurement "
                + MEASUREMENT_ITERATIONS + " x " + ITERATION_MS + " ms per benchmark (about two minutes in all)");
        try {
            if (all || selection.contains("gemm")) {
                gemm(out, err);
            }
            if (all || selection.contains("w1")) {
                workload("W1", W1Bench.class, out, err);
            }
            if (all || selection.contains("w2")) {
                workload("W2", W2Bench.class, out, err);
            }
            if (all || selection.contains("w3")) {
                gradCheck(out, err);
            }
            if (all || selection.contains("w4")) {
                workload("W4", W4Bench.class, out, err);
            }
            if (all || selection.contains("norm")) {
                normalization(out, err);
            }
            if (all || selection.contains("ops")) {
                elementwise(out, err);
            }
        } catch (RunnerException e) {
            err.println("bench: JMH failed: " + e.getMessage());
            return 1;
        }
        err.printf(Locale.ROOT, "bench: done in %.0f s%n", (System.nanoTime() - start) / 1e9);
        return 0;
    }

    /** The most launches one command runs (each takes several seconds). */
    static final int MAX_LAUNCHES = 1000;

    /** The longest warm-up a launch takes, in seconds. */
    static final int MAX_WARMUP_SECONDS = 600;

    /** The value of --warmup, or null when it is not a number of seconds in 0..{@value #MAX_WARMUP_SECONDS}. */
    static Double warmUpSeconds(String value) {
        if (value == null || !value.trim().matches("\\d{1,3}(\\.\\d{1,3})?")) {
            return null;
        }
        double s = Double.parseDouble(value.trim());
        return s <= MAX_WARMUP_SECONDS ? s : null;
    }

    /** The value of --launches, or null when it is not a whole number in 1..{@value #MAX_LAUNCHES}. */
    static Integer launchCount(String value) {
        if (value == null || !value.trim().matches("\\d{1,4}")) {
            return null;
        }
        int n = Integer.parseInt(value.trim());
        return n >= 1 && n <= MAX_LAUNCHES ? n : null;
    }

    private static List<Workload> workloads(List<String> selections) {
        List<Workload> out = new ArrayList<>();
        for (String s : selections) {
            out.addAll(Workload.selected(s));
        }
        return out;
    }

    /** {@code bench cpu}: every workload timed in this JVM, one {@link StepTimer} line each. */
    private static int timeInThisJvm(PrintStream out, PrintStream err) {
        String blasThreads = System.getenv("OPENBLAS_NUM_THREADS");
        if (!"1".equals(blasThreads)) {
            err.println("bench cpu: OPENBLAS_NUM_THREADS is " + (blasThreads == null ? "unset" : blasThreads)
                    + "; set it to 1, or the time of the BLAS's worker threads is not in the CPU times");
        }
        for (Workload w : Workload.ALL) {
            Map<String, Object> line = StepTimer.measure(w, blasLabel());
            out.println(toJson(line));
            err.printf(Locale.ROOT, "%s: engine %s ms (CPU %s), raw %s ms (CPU %s)%n", w.name(), line.get("engine_ms"),
                    line.get("engine_cpu_ms"), line.get("raw_ms"), line.get("raw_cpu_ms"));
        }
        return 0;
    }

    private static void gemm(PrintStream out, PrintStream err) throws RunnerException {
        Optional<NetlibGemm> nat = NetlibGemm.nativeBlas(0);
        List<String> inheritedPaths = new ArrayList<>(List.of("raw", "auto"));
        nat.ifPresent(n -> inheritedPaths.add("native"));
        String[] shapes = GemmShape.WORKLOAD_SHAPES.toArray(String[]::new);

        Map<String, Double> ms = new LinkedHashMap<>();
        err.println("bench: GEMM paths " + inheritedPaths + " ...");
        ms.putAll(runGemm(shapes, inheritedPaths, inheritedJvmArgs()));
        err.println("bench: GEMM path vector ...");
        ms.putAll(runGemm(shapes, List.of("vector"), withVectorModule()));
        err.println("bench: GEMM path java ...");
        ms.putAll(runGemm(shapes, List.of("java"), withoutVectorModule()));

        Map<String, String> names = new LinkedHashMap<>();
        names.put("auto", MatMulKernel.select("auto").name());
        nat.ifPresent(n -> names.put("native", n.name()));
        names.put("vector", "netlib:VectorBLAS");
        names.put("java", "netlib:Java11BLAS");

        err.printf(Locale.ROOT, "%-16s %8s", "GF/s", "ejml");
        names.forEach((path, name) -> err.printf(Locale.ROOT, " %24s", path + "=" + name));
        err.println();
        for (String shape : shapes) {
            GemmShape s = GemmShape.parse(shape);
            Double raw = ms.get(shape + "/raw");
            err.printf(Locale.ROOT, "%-16s %8.2f", shape, s.flops() / raw / 1e6);
            for (Map.Entry<String, String> path : names.entrySet()) {
                Double engine = ms.get(shape + "/" + path.getKey());
                Map<String, Object> line = line("GEMM-" + shape, engine, raw, blasLabel(path.getValue()));
                line.put("path", path.getKey());
                if (path.getKey().equals("auto")) {
                    line.put("runs", GemmBench.pathAutoRuns(s, MatMulKernel.select("auto")));
                }
                line.put("gflops", round(s.flops() / engine / 1e6));
                out.println(GSON.toJson(line));
                err.printf(Locale.ROOT, " %24.2f", s.flops() / engine / 1e6);
            }
            err.println();
        }
    }

    /**
     * A workload's line from its benchmark class: method {@code raw} (the hand-written step) and
     * {@code engine} (the same step through the autograd engine).
     */
    private static void workload(String name, Class<?> bench, PrintStream out, PrintStream err) throws RunnerException {
        err.println("bench: " + name + " ...");
        Map<String, Double> ms = new LinkedHashMap<>();
        ChainedOptionsBuilder options = options(inheritedJvmArgs())
                .warmupTime(TimeValue.milliseconds(WORKLOAD_WARMUP_MS / WARMUP_ITERATIONS));
        for (RunResult r : new Runner(options.include(bench.getName() + ".").build()).run()) {
            String label = r.getParams().getBenchmark();
            ms.put(label.substring(label.lastIndexOf('.') + 1), median(r));
        }
        Map<String, Object> line = line(name, ms.get("engine"), ms.get("raw"), blasLabel(MatMulKernel.select("auto").name()));
        out.println(GSON.toJson(line));
        err.printf(Locale.ROOT, "%s: engine %.3f ms, raw %.3f ms%n", name, ms.get("engine"), ms.get("raw"));
    }

    /** W3-full and W3-fast: the gradient check is the workload, so raw_ms and overhead are null. */
    private static void gradCheck(PrintStream out, PrintStream err) throws RunnerException {
        err.println("bench: W3 ...");
        for (RunResult r : new Runner(options(inheritedJvmArgs()).include(W3Bench.class.getName() + ".").build()).run()) {
            String label = r.getParams().getBenchmark();
            String mode = label.substring(label.lastIndexOf('.') + 1);
            out.println(GSON.toJson(line("W3-" + mode, median(r), null, blasLabel(MatMulKernel.select("auto").name()))));
        }
    }

    /**
     * Fused against composed normalization ({@link NormBench}): one line per layer,
     * {@code {"workload":"norm-BatchNorm1d","fused_ms":…,"composed_ms":…,"speedup":…}}, speedup = composed ÷ fused.
     */
    private static void normalization(PrintStream out, PrintStream err) throws RunnerException {
        err.println("bench: normalization fused vs composed ...");
        Map<String, Double> ms = new LinkedHashMap<>();
        for (RunResult r : new Runner(options(inheritedJvmArgs()).include(NormBench.class.getName() + ".").build()).run()) {
            ms.put(r.getParams().getParam("layer") + "/" + r.getParams().getParam("fused"), median(r));
        }
        for (String layer : List.of("BatchNorm1d", "LayerNorm")) {
            Map<String, Object> line = normLine(layer, ms.get(layer + "/true"), ms.get(layer + "/false"));
            out.println(GSON.toJson(line));
            err.printf(Locale.ROOT, "%s 128x256 forward+backward: fused %.3f ms, composed %.3f ms, %.2fx%n", layer,
                    ms.get(layer + "/true"), ms.get(layer + "/false"), ms.get(layer + "/false") / ms.get(layer + "/true"));
        }
    }

    /**
     * Each hot elementwise op's own loops against the shared ones ({@link ElementwiseBench}): one line per op,
     * {@code {"workload":"elementwise-relu","own_ms":…,"shared_ms":…,"speedup":…}}, speedup = shared ÷ own.
     */
    private static void elementwise(PrintStream out, PrintStream err) throws RunnerException {
        err.println("bench: elementwise ops, own loops vs shared ...");
        Map<String, Double> ms = new LinkedHashMap<>();
        for (RunResult r : new Runner(options(inheritedJvmArgs()).include(ElementwiseBench.class.getName() + ".").build()).run()) {
            ms.put(r.getParams().getParam("op") + "/" + r.getParams().getParam("loop"), median(r));
        }
        for (String op : ElementwiseBench.OPS) {
            double own = ms.get(op + "/own");
            double shared = ms.get(op + "/shared");
            Map<String, Object> line = new LinkedHashMap<>();
            line.put("workload", "elementwise-" + op);
            line.put("own_ms", round(own));
            line.put("shared_ms", round(shared));
            line.put("speedup", round(shared / own));
            out.println(GSON.toJson(line));
            err.printf(Locale.ROOT, "%s 128x256 forward+backward: own loops %.4f ms, shared loops %.4f ms, %.2fx%n", op, own,
                    shared, shared / own);
        }
    }

    /** A fused-versus-composed line. */
    static Map<String, Object> normLine(String layer, double fusedMs, double composedMs) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("workload", "norm-" + layer);
        line.put("fused_ms", round(fusedMs));
        line.put("composed_ms", round(composedMs));
        line.put("speedup", round(composedMs / fusedMs));
        return line;
    }

    /** The "blas" value of this JVM's lines: the GEMM kernel, and the OpenBLAS kernels asked for if any. */
    static String blasLabel() {
        return blasLabel(MatMulKernel.current().name());
    }

    /** The "blas" value of a line timed with the named kernel, in this environment. */
    static String blasLabel(String kernel) {
        return blasLabel(kernel, System.getenv("OPENBLAS_CORETYPE"));
    }

    /**
     * The kernel's name, followed for OpenBLAS by {@code OPENBLAS_CORETYPE} when it is set: the variable
     * makes OpenBLAS run another CPU's kernels than its own choice (Haswell's AVX2 kernels on an AVX-512
     * CPU, say), so a time means little without it.
     */
    static String blasLabel(String kernel, String coreType) {
        return kernel + coreTypeNote(kernel, coreType);
    }

    /** {@code ", OPENBLAS_CORETYPE=…"} for an OpenBLAS kernel when the variable is set, else "". */
    private static String coreTypeNote(String kernel, String coreType) {
        return coreType == null || !kernel.contains("openblas") ? "" : ", OPENBLAS_CORETYPE=" + coreType;
    }

    /** One workload line; engine or raw is null when that side is not measured. */
    static Map<String, Object> line(String workload, Double engineMs, Double rawMs, String blas) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("workload", workload);
        line.put("engine_ms", engineMs == null ? null : round(engineMs));
        line.put("raw_ms", rawMs == null ? null : round(rawMs));
        line.put("overhead", engineMs == null || rawMs == null ? null : round(engineMs / rawMs));
        line.put("blas", blas);
        return line;
    }

    /** The JSON text of a line (for tests and for callers printing their own). */
    static String toJson(Map<String, Object> line) {
        return GSON.toJson(line);
    }

    /** Four significant digits: enough for noisy timings, short to read. */
    static double round(double v) {
        if (v == 0 || !Double.isFinite(v)) {
            return v;
        }
        double scale = Math.pow(10, 3 - (int) Math.floor(Math.log10(Math.abs(v))));
        return Math.round(v * scale) / scale;
    }

    private static Map<String, Double> runGemm(String[] shapes, List<String> paths, List<String> jvmArgs) throws RunnerException {
        Collection<RunResult> results = new Runner(options(jvmArgs)
                .include(GemmBench.class.getName() + ".gemm")
                .param("shape", shapes)
                .param("path", paths.toArray(String[]::new))
                .build()).run();
        Map<String, Double> ms = new LinkedHashMap<>();
        for (RunResult r : results) {
            ms.put(r.getParams().getParam("shape") + "/" + r.getParams().getParam("path"), median(r));
        }
        return ms;
    }

    private static ChainedOptionsBuilder options(List<String> jvmArgs) {
        return new OptionsBuilder()
                .forks(1)
                .warmupIterations(WARMUP_ITERATIONS)
                .warmupTime(TimeValue.milliseconds(ITERATION_MS))
                .measurementIterations(MEASUREMENT_ITERATIONS)
                .measurementTime(TimeValue.milliseconds(ITERATION_MS))
                .timeUnit(TimeUnit.MILLISECONDS)
                .jvmArgs(jvmArgs.toArray(String[]::new))
                .shouldFailOnError(true)
                .verbosity(VerboseMode.SILENT);
    }

    /** Median over the measured iterations of the mean time per call, in ms. */
    private static double median(RunResult r) {
        return r.getPrimaryResult().getStatistics().getPercentile(50);
    }

    private static List<String> inheritedJvmArgs() {
        return new ArrayList<>(ManagementFactory.getRuntimeMXBean().getInputArguments());
    }

    private static List<String> withVectorModule() {
        List<String> args = withoutVectorModule();
        args.add("--add-modules=" + VECTOR_MODULE);
        return args;
    }

    /** This JVM's arguments minus any {@code --add-modules jdk.incubator.vector}, in either spelling. */
    static List<String> withoutVectorModule() {
        List<String> in = inheritedJvmArgs();
        List<String> args = new ArrayList<>();
        for (int i = 0; i < in.size(); i++) {
            String a = in.get(i);
            if (a.equals("--add-modules") && i + 1 < in.size() && in.get(i + 1).equals(VECTOR_MODULE)) {
                i++;
            } else if (!a.equals("--add-modules=" + VECTOR_MODULE)) {
                args.add(a);
            }
        }
        return args;
    }
}

package dev.normgrad.tutorials.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/**
 * {@code ./normgrad bench w1 w2 w3 --launches N}: every workload timed in N fresh JVMs, the launches
 * of the workloads taking turns (launch 1 of each, then launch 2 of each, ...), so that a drift of the
 * machine spreads over all of them. A JIT that compiles differently, a heap that the collector sizes
 * differently: whatever makes one launch slower than the next shows in the spread, which one
 * long-running JVM would hide.
 *
 * <p>Each launch runs {@link Launch} with this JVM's arguments and class path and prints its line
 * ({@link StepTimer}), with {@code "launch": k} added. The warm-up is each workload's own (as JMH's,
 * a few seconds), or {@code --warmup SECONDS}: on a machine busy with other work, a step can take ten
 * times as long, and a launch then measures before its heap has been touched once (its page faults
 * per step say so). After the last launch, one summary line per
 * workload gives min, median and max over the launches of every measured quantity:
 * <pre>
 * {"workload":"W2","launches":10,"engine_ms":{"min":…,"median":…,"max":…},"raw_ms":{…},"overhead":{…},
 *  "engine_cpu_ms":{…},"raw_cpu_ms":{…},"overhead_cpu":{…},"alloc_mb":{…},"page_faults":{…},"gc_ms":{…},"blas":"…",
 *  "java":"17.0.15","jvm_args":"…"}
 * </pre>
 * The worst launch is the max: of {@code overhead} for the engine's cost over the hand-written step,
 * of {@code engine_ms} for the comparison with PyTorch ({@code bench_torch.py --compare}).
 */
final class Launches {
    /** The quantities summarised over the launches, in output order. */
    static final List<String> MEASURES = List.of("engine_ms", "raw_ms", "overhead", "engine_cpu_ms", "raw_cpu_ms",
            "overhead_cpu", "alloc_mb", "page_faults", "gc_ms");

    private Launches() {
    }

    /**
     * Runs {@code n} launches of every workload; returns the exit status (1 when a launch failed).
     *
     * @param warmUpSeconds the warm-up of every launch, or null for each workload's own
     */
    static int run(List<Workload> workloads, int n, Double warmUpSeconds, PrintStream out, PrintStream err) {
        List<String> jvmArgs = ManagementFactory.getRuntimeMXBean().getInputArguments();
        err.println("bench: " + n + " launches of " + workloads.stream().map(Workload::name).toList()
                + ", each a fresh JVM" + (jvmArgs.isEmpty() ? " (no JVM options)" : " with " + String.join(" ", jvmArgs)));
        Map<Workload, List<JsonObject>> lines = new LinkedHashMap<>();
        for (int k = 1; k <= n; k++) {
            for (Workload w : workloads) {
                JsonObject line;
                try {
                    line = launch(w, jvmArgs, warmUpSeconds);
                } catch (IOException | IllegalStateException e) {
                    err.println("normgrad bench: launch " + k + " of " + w.name() + " failed: " + e.getMessage());
                    return 1;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    err.println("normgrad bench: interrupted");
                    return 1;
                }
                line.addProperty("launch", k);
                out.println(line);
                out.flush();
                lines.computeIfAbsent(w, x -> new ArrayList<>()).add(line);
                err.printf(Locale.ROOT, "bench: %s launch %d/%d: engine %s ms, raw %s ms, engine ÷ raw %s, %s page faults per step%n",
                        w.name(), k, n, text(line, "engine_ms"), text(line, "raw_ms"), text(line, "overhead"),
                        text(line, "page_faults"));
            }
        }
        for (Map.Entry<Workload, List<JsonObject>> e : lines.entrySet()) {
            Map<String, Object> summary = summary(e.getKey().name(), e.getValue(), String.join(" ", jvmArgs));
            out.println(BenchMain.toJson(summary));
            err.print(table(summary));
        }
        return 0;
    }

    /** One fresh JVM timing {@code w}; its JSON line. */
    private static JsonObject launch(Workload w, List<String> jvmArgs, Double warmUpSeconds)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmArgs);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(Launch.class.getName());
        command.add(w.name());
        if (warmUpSeconds != null) {
            command.add(String.valueOf(warmUpSeconds));
        }
        Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String json = null;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String text = r.readLine(); text != null; text = r.readLine()) {
                if (text.startsWith("{")) {
                    json = text;
                }
            }
        }
        int status = p.waitFor();
        if (status != 0 || json == null) {
            throw new IllegalStateException("the JVM exited with status " + status + (json == null ? " and printed no result" : ""));
        }
        return JsonParser.parseString(json).getAsJsonObject();
    }

    /** The summary line of one workload's launches. */
    static Map<String, Object> summary(String workload, List<JsonObject> launches, String jvmArgs) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("workload", workload);
        s.put("launches", launches.size());
        for (String m : MEASURES) {
            double[] values = new double[launches.size()];
            boolean present = true;
            for (int i = 0; i < values.length; i++) {
                JsonObject line = launches.get(i);
                present &= line.has(m) && !line.get(m).isJsonNull();
                values[i] = present ? line.get(m).getAsDouble() : Double.NaN;
            }
            s.put(m, present ? StepTimer.spread(values) : null);
        }
        s.put("blas", launches.get(0).get("blas").getAsString());
        s.put("java", System.getProperty("java.version"));
        s.put("jvm_args", jvmArgs);
        return s;
    }

    /** The readable summary: one row per quantity, min, median and max over the launches. */
    @SuppressWarnings("unchecked")
    static String table(Map<String, Object> summary) {
        StringBuilder t = new StringBuilder(String.format(Locale.ROOT, "%-28s %9s %9s %9s%n", summary.get("workload") + " over "
                + summary.get("launches") + " launches", "min", "median", "max"));
        for (String m : MEASURES) {
            Map<String, Object> v = (Map<String, Object>) summary.get(m);
            if (v != null) {
                t.append(String.format(Locale.ROOT, "  %-26s %9s %9s %9s%n", m, v.get("min"), v.get("median"), v.get("max")));
            }
        }
        return t.toString();
    }

    private static String text(JsonObject line, String key) {
        return line.has(key) && !line.get(key).isJsonNull() ? line.get(key).getAsString() : "-";
    }
}

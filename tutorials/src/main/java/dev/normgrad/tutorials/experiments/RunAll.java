package dev.normgrad.tutorials.experiments;

import dev.normgrad.gemm.MatMulKernel;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Runs every experiment of notebooks 3, 4 and 5 at its full (notebook) size for one or more seeds,
 * reads the claims off the results ({@link Claims}), and prints everything as one JSON document on
 * standard output; progress and timings go to standard error, the claims table too.
 *
 * <pre>
 *   java -cp "tutorials/target/normgrad-tutorials.jar:tutorials/target/lib/*" \
 *       dev.normgrad.tutorials.experiments.RunAll --seeds 1,2,3 &gt; experiments.json
 * </pre>
 * Options: {@code --seeds 1,2,3} (default 1), {@code --pretty} (indented JSON). About a minute per
 * seed on two cores. The numbers are those of the matrix-product kernel that runs (see
 * {@link Report#gemm()}); {@code -Dnormgrad.gemm=ejml} gives the same numbers on every machine.
 *
 * <p>Output: {@code {"seeds": [...], "claims": [Evidence...], "results": [{"seed", "vanishingGradients",
 * "batchNorm", "layerNormFamily"}...]}}.
 */
public final class RunAll {
    private RunAll() {
    }

    /**
     * The JSON document.
     *
     * @param gemm    the matrix-product kernel that ran ({@link MatMulKernel#describe()}): kernels agree to
     *                rounding, and rounding differences grow over hundreds of SGD steps, so the numbers are
     *                reproducible for a given kernel ({@code -Dnormgrad.gemm=ejml} everywhere)
     * @param seeds   the seeds run
     * @param claims  the evidence for each claim, one value per seed
     * @param results every experiment's results, per seed
     */
    public record Report(String gemm, long[] seeds, List<Claims.Evidence> claims, List<Claims.SeedResults> results) {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Parses the options, runs, prints; returns the exit status (2 on bad usage). */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        long[] seeds = {1};
        boolean pretty = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--seeds":
                    if (i + 1 >= args.length) {
                        err.println("RunAll: --seeds needs a value, e.g. --seeds 1,2,3");
                        return 2;
                    }
                    try {
                        String[] parts = args[++i].split(",");
                        seeds = new long[parts.length];
                        for (int k = 0; k < parts.length; k++) {
                            seeds[k] = Long.parseLong(parts[k].trim());
                        }
                    } catch (NumberFormatException e) {
                        err.println("RunAll: --seeds takes integers separated by commas, got '" + args[i] + "'");
                        return 2;
                    }
                    break;
                case "--pretty":
                    pretty = true;
                    break;
                default:
                    err.println("RunAll: unknown option '" + args[i] + "'; options: --seeds 1,2,3  --pretty");
                    return 2;
            }
        }
        err.println("RunAll: matrix products by " + MatMulKernel.describe());
        Report report = report(seeds, err);
        err.print(Claims.table(report.claims()));
        out.println(pretty ? Json.toPrettyJson(report) : Json.toJson(report));
        return 0;
    }

    /** Runs everything for each seed; progress and timings on {@code log}. */
    public static Report report(long[] seeds, PrintStream log) {
        List<Claims.SeedResults> results = new ArrayList<>();
        for (long seed : seeds) {
            // the vanishing-gradient networks in the notebook's three cells, timed each
            List<VanishingGradients.Run> runs = new ArrayList<>();
            VanishingGradients.Settings settings = null;
            for (Map.Entry<String, List<VanishingGradients.Config>> cell : vanishingGradientCells().entrySet()) {
                VanishingGradients.Result part = timed(log, seed, "VanishingGradients.run(" + cell.getKey() + ")",
                        () -> VanishingGradients.run(cell.getValue(), seed));
                settings = part.settings();
                runs.addAll(part.runs());
            }
            VanishingGradients.Result vg = new VanishingGradients.Result(settings, runs);
            BatchNormExperiments.Result bn = new BatchNormExperiments.Result(
                    timed(log, seed, "BatchNormExperiments.figure1", () -> BatchNormExperiments.figure1(seed)),
                    timed(log, seed, "BatchNormExperiments.runningStatistics", () -> BatchNormExperiments.runningStatistics(seed)),
                    timed(log, seed, "BatchNormExperiments.initScaleSweep(SIGMOID)",
                            () -> BatchNormExperiments.initScaleSweep(Activation.SIGMOID, seed)),
                    timed(log, seed, "BatchNormExperiments.initScaleSweep(RELU)",
                            () -> BatchNormExperiments.initScaleSweep(Activation.RELU, seed)),
                    timed(log, seed, "BatchNormExperiments.convergence", () -> BatchNormExperiments.convergence(seed)),
                    new BatchNormExperiments.Sensitivity(
                            timed(log, seed, "BatchNormExperiments.smallBatches", () -> BatchNormExperiments.smallBatches(seed)),
                            timed(log, seed, "BatchNormExperiments.momentumSweep", () -> BatchNormExperiments.momentumSweep(seed)),
                            timed(log, seed, "BatchNormExperiments.epsSweep", () -> BatchNormExperiments.epsSweep(seed)),
                            timed(log, seed, "BatchNormExperiments.tinyNetworks", () -> BatchNormExperiments.tinyNetworks(seed))));
            LayerNormFamily.Result ln = new LayerNormFamily.Result(
                    timed(log, seed, "LayerNormFamily.batchDependence", () -> LayerNormFamily.batchDependence(seed)),
                    timed(log, seed, "LayerNormFamily.batchSizeSweep(all three)", () -> LayerNormFamily.batchSizeSweep(
                            LayerNormFamily.Normalizer.values(), LayerNormFamily.BATCH_SIZES, 3, 0.003, seed)),
                    timed(log, seed, "LayerNormFamily.normalizedStatistics", () -> LayerNormFamily.normalizedStatistics(seed)),
                    timed(log, seed, "LayerNormFamily.affineAblation", () -> LayerNormFamily.affineAblation(seed)));
            results.add(new Claims.SeedResults(seed, vg, bn, ln));
        }
        return new Report(MatMulKernel.describe(), seeds.clone(), Claims.evaluate(results), results);
    }

    private static Map<String, List<VanishingGradients.Config>> vanishingGradientCells() {
        Map<String, List<VanishingGradients.Config>> cells = new LinkedHashMap<>();
        cells.put("configs(SIGMOID)", VanishingGradients.configs(Activation.SIGMOID));
        cells.put("configs(TANH)", VanishingGradients.configs(Activation.TANH));
        cells.put("batchNormConfigs()", VanishingGradients.batchNormConfigs());
        return cells;
    }

    private static <T> T timed(PrintStream log, long seed, String name, Supplier<T> experiment) {
        long t0 = System.nanoTime();
        T result = experiment.get();
        log.printf(Locale.ROOT, "seed %d  %-50s %6.1f s%n", seed, name, (System.nanoTime() - t0) / 1e9);
        return result;
    }
}

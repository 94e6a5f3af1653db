package dev.normgrad.tutorials.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The claims read off (reduced) results, and RunAll's command line. */
class ClaimsTest {
    /** Two seeds of reduced results, computed once for the class. */
    private static List<Claims.SeedResults> results;

    private static synchronized List<Claims.SeedResults> results() {
        if (results == null) {
            results = List.of(reduced(1), reduced(2));
        }
        return results;
    }

    private static Claims.SeedResults reduced(long seed) {
        List<VanishingGradients.Config> configs = List.of(
                new VanishingGradients.Config(Activation.SIGMOID, WeightInit.pytorchDefault(), false),
                new VanishingGradients.Config(Activation.SIGMOID, WeightInit.normal(0.01), false),
                new VanishingGradients.Config(Activation.SIGMOID, WeightInit.pytorchDefault(), true),
                new VanishingGradients.Config(Activation.SIGMOID, WeightInit.normal(0.01), true));
        VanishingGradients.Result vg = VanishingGradients.run(configs, 4, 16, 64, 10, 32, 0.1, 5, seed);
        int[] hidden = {16, 16};
        BatchNormExperiments.Result bn = new BatchNormExperiments.Result(
                BatchNormExperiments.figure1(hidden, 40, 20, 32, 0.5, 0.1, 0, 50, seed),
                BatchNormExperiments.runningStatistics(16, 10, 10, new int[] {2, 8}, seed),
                BatchNormExperiments.initScaleSweep(Activation.SIGMOID, new double[] {0.1, 1}, 10, 32, 0.1, seed),
                BatchNormExperiments.initScaleSweep(Activation.RELU, new double[] {0.1, 1}, 10, 32, 0.1, seed),
                BatchNormExperiments.convergence(Activation.RELU, WeightInit.he(), new double[] {0.1}, 20, 10, 32, seed),
                new BatchNormExperiments.Sensitivity(
                        BatchNormExperiments.smallBatches(new int[] {2}, 1, 0.02, seed),
                        BatchNormExperiments.momentumSweep(new Double[] {0.1, 0.001}, 10, 32, 0.1, seed),
                        BatchNormExperiments.epsSweep(Activation.SIGMOID, new double[] {1e-5, 100}, 10, 32, 0.5, seed),
                        BatchNormExperiments.tinyNetworks(new int[] {2, 4}, 10, 32, 0.1, 1, seed)));
        LayerNormFamily.Result ln = new LayerNormFamily.Result(
                LayerNormFamily.batchDependence(8, 2, seed),
                LayerNormFamily.batchSizeSweep(new LayerNormFamily.Normalizer[] {LayerNormFamily.Normalizer.BATCH_NORM,
                        LayerNormFamily.Normalizer.LAYER_NORM}, new int[] {2, 32}, 1, 0.003, seed),
                LayerNormFamily.normalizedStatistics(8, 10, seed),
                LayerNormFamily.affineAblation(10, seed));
        return new Claims.SeedResults(seed, vg, bn, ln);
    }

    @Test
    void everyClaimHasEvidenceWithOneValuePerSeedAndAHonestTally() {
        List<Claims.Evidence> evidence = Claims.evaluate(results());
        Set<Integer> claims = evidence.stream().map(Claims.Evidence::claim).collect(Collectors.toSet());
        assertEquals(Set.of(1, 2, 3, 4, 5, 6, 7, 8), claims);
        for (Claims.Evidence e : evidence) {
            assertEquals(2, e.value().length, e.measure());
            assertEquals(2, e.holds().length, e.measure());
            int held = (e.holds()[0] ? 1 : 0) + (e.holds()[1] ? 1 : 0);
            assertEquals(held, e.heldFor(), e.measure());
        }
        // exact facts hold whatever the size: zero mean over each layer's axes, LN independent of the batch
        Claims.Evidence centred = evidence.get(0);
        assertEquals(2, centred.heldFor(), centred.measure());
        Claims.Evidence independent = evidence.stream().filter(e -> e.claim() == 6).findFirst().orElseThrow();
        assertEquals(2, independent.heldFor(), Claims.table(List.of(independent)));
        assertTrue(Claims.table(evidence).contains("claim 8"), "the table lists every claim");
    }

    @Test
    void runAllRejectsBadOptionsWithUsage() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
        assertEquals(2, RunAll.run(new String[] {"--seeds", "one"}, o, e));
        assertEquals(2, RunAll.run(new String[] {"--fast"}, o, e));
        assertEquals(2, RunAll.run(new String[] {"--seeds"}, o, e));
        String text = err.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("--seeds takes integers") && text.contains("unknown option '--fast'"), text);
        assertEquals("", out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void theReportIsJsonWithSeedsClaimsAndResults() {
        RunAll.Report report = new RunAll.Report(new long[] {1, 2}, Claims.evaluate(results()), results());
        JsonObject json = JsonParser.parseString(Json.toJson(report)).getAsJsonObject();
        assertEquals(2, json.getAsJsonArray("seeds").get(1).getAsLong());
        assertEquals(2, json.getAsJsonArray("results").size());
        JsonObject first = json.getAsJsonArray("results").get(0).getAsJsonObject();
        assertTrue(first.has("vanishingGradients") && first.has("batchNorm") && first.has("layerNormFamily"), first.keySet().toString());
        JsonObject claim = json.getAsJsonArray("claims").get(0).getAsJsonObject();
        assertEquals(1, claim.get("claim").getAsInt());
        assertTrue(claim.has("holdsWhen") && claim.has("heldFor"), claim.keySet().toString());
    }
}

package dev.normgrad.tutorials.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.normgrad.gemm.MatMulKernel;
import dev.normgrad.gemm.NetlibGemm;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;

/** The bench command's output format and argument handling (the benchmarks themselves are not run here). */
class BenchMainTest {
    @Test
    void workloadLineHasTheDocumentedKeysInOrder() {
        assertEquals("{\"workload\":\"W1\",\"engine_ms\":6.1,\"raw_ms\":5.0,\"overhead\":1.22,\"blas\":\"ejml\"}",
                BenchMain.toJson(BenchMain.line("W1", 6.1, 5.0, "ejml")));
    }

    @Test
    void theBlasLabelNamesTheOpenBlasKernelsTheEnvironmentAskedFor() {
        assertEquals("netlib:JNIBLAS(openblas), OPENBLAS_CORETYPE=Haswell",
                BenchMain.blasLabel("netlib:JNIBLAS(openblas)", "Haswell"));
        assertEquals("netlib:JNIBLAS(openblas)", BenchMain.blasLabel("netlib:JNIBLAS(openblas)", null));
        // the variable means nothing to EJML or another BLAS
        assertEquals("ejml", BenchMain.blasLabel("ejml", "Haswell"));
        assertEquals("netlib:JNIBLAS(mkl)", BenchMain.blasLabel("netlib:JNIBLAS(mkl)", "Haswell"));
    }

    @Test
    void gradientCheckHasNoRawSideSoItsRawAndOverheadAreNull() {
        assertEquals("{\"workload\":\"W3-full\",\"engine_ms\":2.5,\"raw_ms\":null,\"overhead\":null,\"blas\":\"netlib:VectorBLAS\"}",
                BenchMain.toJson(BenchMain.line("W3-full", 2.5, null, "netlib:VectorBLAS")));
    }

    @Test
    void normalizationLineGivesFusedComposedAndTheirRatio() {
        assertEquals("{\"workload\":\"norm-BatchNorm1d\",\"fused_ms\":0.5,\"composed_ms\":1.5,\"speedup\":3.0}",
                BenchMain.toJson(BenchMain.normLine("BatchNorm1d", 0.5, 1.5)));
    }

    @Test
    void normBenchRunsFusedAndComposedToTheSameOutput() {
        double[][] outputs = new double[2][];
        for (int k = 0; k < 2; k++) {
            NormBench bench = new NormBench();
            bench.layer = "BatchNorm1d";
            bench.fused = k == 0;
            bench.prepare();
            outputs[k] = bench.forwardBackward().data().data.clone();
        }
        for (int i = 0; i < outputs[0].length; i++) {
            assertEquals(outputs[1][i], outputs[0][i], 1e-10);
        }
    }

    @Test
    void timesKeepFourSignificantDigits() {
        assertEquals(0.0001235, BenchMain.round(0.000123456), 1e-18);
        assertEquals(12350.0, BenchMain.round(12345.67));
        assertEquals(1.0, BenchMain.round(1.0));
        assertEquals(0.0, BenchMain.round(0.0));
    }

    @Test
    void unknownSelectionIsExitTwo() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = BenchMain.run(new String[] {"w9"}, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(2, status);
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("unknown selection 'w9'"), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void gemmShapeParsesItsNameAndCountsFlops() {
        GemmShape s = GemmShape.parse("256x128x784-TN");
        assertEquals(new GemmShape(256, 128, 784, true, false), s);
        assertEquals("256x128x784-TN", s.toString());
        assertEquals(2.0 * 256 * 128 * 784, s.flops());
        assertEquals(128, s.newA(new java.util.Random(1)).numRows, "Aᵀ is stored k x m");
        for (String name : GemmShape.WORKLOAD_SHAPES) {
            assertEquals(name, GemmShape.parse(name).toString());
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> GemmShape.parse("128x784"));
        assertTrue(e.getMessage().contains("128x784x256-NT"), e.getMessage());
    }

    @Test
    void w3ModelPassesItsOwnGradientCheckInBothModes() {
        W3Bench bench = new W3Bench();
        bench.setUp();
        assertTrue(bench.full().passed(), bench.full().toString());
        assertTrue(bench.fast().passed(), bench.fast().toString());
        assertEquals(8 + 8 + 64 + 8, W3Bench.model().parameters().stream().mapToInt(p -> p.data().getNumElements()).sum());
    }

    /** Runs the bench command; returns {status, stdout, stderr}. */
    private static Object[] bench(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = BenchMain.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Object[] {status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8)};
    }

    @Test
    void launchesTakeAWholeNumberFromOneToAThousand() {
        for (String[] args : new String[][] {{"w2", "--launches", "0"}, {"w2", "--launches", "-1"}, {"w2", "--launches", "ten"},
            {"w2", "--launches"}, {"--launches=1001"}, {"w2", "--launches", "99999999999"}, {"--launches", "2.5"}}) {
            Object[] r = bench(args);
            assertEquals(2, r[0], String.join(" ", args));
            assertTrue(((String) r[2]).startsWith("normgrad bench: --launches takes a whole number of fresh JVMs from 1 to 1000"),
                    (String) r[2]);
            assertEquals("", r[1], "no output before the refusal");
        }
        assertEquals(Integer.valueOf(10), BenchMain.launchCount("10"));
        assertEquals(Integer.valueOf(1000), BenchMain.launchCount("1000"));
    }

    @Test
    void theWarmUpTakesSecondsFromZeroToSixHundredWithLaunches() {
        for (String[] args : new String[][] {{"w2", "--launches", "3", "--warmup", "-1"}, {"w2", "--launches", "3", "--warmup", "lots"},
            {"--launches", "3", "--warmup=601"}, {"--launches", "3", "--warmup"}}) {
            Object[] r = bench(args);
            assertEquals(2, r[0], String.join(" ", args));
            assertTrue(((String) r[2]).startsWith("normgrad bench: --warmup takes the seconds of warm-up of each launch, from 0 to 600"),
                    (String) r[2]);
        }
        Object[] r = bench("w2", "--warmup", "20");
        assertEquals(2, r[0]);
        assertTrue(((String) r[2]).contains("--warmup sets the warm-up of each launch; use it with --launches N"), (String) r[2]);
        assertEquals(Double.valueOf(20), BenchMain.warmUpSeconds("20"));
        assertEquals(Double.valueOf(0.5), BenchMain.warmUpSeconds("0.5"));
    }

    @Test
    void launchesTimeTheWorkloadsOnly() {
        Object[] r = bench("gemm", "--launches", "3");
        assertEquals(2, r[0]);
        assertTrue(((String) r[2]).contains("--launches times the workloads (w1, w2, w3, w4), not gemm"), (String) r[2]);
        r = bench("profile", "gemm");
        assertEquals(2, r[0]);
        assertTrue(((String) r[2]).contains("profile takes workloads (w1, w2, w3, w4), not gemm"), (String) r[2]);
    }

    @Test
    void theWorkloadRegistryNamesEachWorkloadOnce() {
        assertEquals(List.of("w1", "w2", "w3", "w4"), Workload.selections());
        assertEquals(List.of("W3-full", "W3-fast"), Workload.selected("w3").stream().map(Workload::name).toList());
        assertEquals("W2", Workload.named("w2").name());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Workload.named("W9"));
        assertTrue(e.getMessage().contains("W1, W2, W3-full, W3-fast, W4"), e.getMessage());
        for (Workload w : Workload.ALL) {
            Workload.Steps steps = w.steps().get();
            assertEquals(w.name().startsWith("W3"), steps.raw() == null, w.name() + ": only the gradient check has no hand-written side");
        }
    }

    @Test
    void theSummaryGivesMinMedianAndMaxOfEveryMeasure() {
        List<JsonObject> launches = List.of(
                JsonParser.parseString("{\"workload\":\"W2\",\"engine_ms\":10.0,\"raw_ms\":9.0,\"overhead\":1.1,\"blas\":\"b\","
                        + "\"engine_cpu_ms\":9.5,\"raw_cpu_ms\":8.5,\"alloc_mb\":17.0,\"page_faults\":4.0,\"gc_ms\":0.1}").getAsJsonObject(),
                JsonParser.parseString("{\"workload\":\"W2\",\"engine_ms\":80.0,\"raw_ms\":9.5,\"overhead\":8.4,\"blas\":\"b\","
                        + "\"engine_cpu_ms\":60.0,\"raw_cpu_ms\":8.0,\"alloc_mb\":17.0,\"page_faults\":4000.0,\"gc_ms\":3.0}").getAsJsonObject(),
                JsonParser.parseString("{\"workload\":\"W2\",\"engine_ms\":11.0,\"raw_ms\":10.0,\"overhead\":1.05,\"blas\":\"b\","
                        + "\"engine_cpu_ms\":10.0,\"raw_cpu_ms\":9.0,\"alloc_mb\":17.0,\"page_faults\":2.0,\"gc_ms\":0.0}").getAsJsonObject());
        Map<String, Object> s = Launches.summary("W2", launches, "-Xmn256m");
        assertEquals(3, s.get("launches"));
        assertEquals(Map.of("min", 10.0, "median", 11.0, "max", 80.0), s.get("engine_ms"));
        assertEquals(Map.of("min", 1.05, "median", 1.1, "max", 8.4), s.get("overhead"));
        assertEquals(Map.of("min", 2.0, "median", 4.0, "max", 4000.0), s.get("page_faults"));
        assertEquals("-Xmn256m", s.get("jvm_args"));
        String table = Launches.table(s);
        assertTrue(table.startsWith("W2 over 3 launches"), table);
        assertTrue(table.contains("engine_ms") && table.contains("80.0"), table);

        List<JsonObject> check = List.of(JsonParser.parseString(
                "{\"workload\":\"W3-fast\",\"engine_ms\":0.05,\"raw_ms\":null,\"overhead\":null,\"blas\":\"b\"}").getAsJsonObject());
        Map<String, Object> w3 = Launches.summary("W3-fast", check, "");
        assertEquals(Map.of("min", 0.05, "median", 0.05, "max", 0.05), w3.get("engine_ms"));
        assertEquals(null, w3.get("raw_ms"), "no hand-written side: null, not zeros");
        assertEquals(null, w3.get("overhead"));
    }

    @Test
    void oneLaunchRunsInAFreshJvmAndIsSummarised() {
        Object[] r = bench("w3", "--launches", "1");
        assertEquals(0, r[0], (String) r[2]);
        List<JsonObject> lines = ((String) r[1]).lines().map(l -> JsonParser.parseString(l).getAsJsonObject()).toList();
        assertEquals(List.of("W3-full", "W3-fast", "W3-full", "W3-fast"), lines.stream().map(l -> l.get("workload").getAsString()).toList());
        for (JsonObject launch : lines.subList(0, 2)) {
            assertEquals(1, launch.get("launch").getAsInt());
            assertTrue(launch.get("engine_ms").getAsDouble() > 0, launch.toString());
            assertTrue(launch.get("alloc_mb").getAsDouble() > 0, "a gradient check allocates: " + launch);
        }
        for (JsonObject summary : lines.subList(2, 4)) {
            assertEquals(1, summary.get("launches").getAsInt());
            JsonObject engine = summary.getAsJsonObject("engine_ms");
            assertEquals(engine.get("min"), engine.get("max"), "one launch: min = median = max");
        }
    }

    @Test
    void theProfileSortsFramesIntoTheTableCategories() {
        assertEquals("gemm", Breakdown.category("dev.ludovic.netlib.blas.JNIBLAS"));
        assertEquals("gemm", Breakdown.category("org.ejml.dense.row.mult.MatrixMatrixMult_DDRM"));
        assertEquals("gemm", Breakdown.category("dev.normgrad.gemm.NetlibGemm"));
        assertEquals("allocation", Breakdown.category("org.ejml.data.DMatrixRMaj"));
        assertEquals("normalization", Breakdown.category("dev.normgrad.norm.NormalizeOp"));
        assertEquals("elementwise", Breakdown.category("dev.normgrad.ops.Relu"));
        assertEquals("optimizer", Breakdown.category("dev.normgrad.optim.SGD"));
        assertEquals("graph", Breakdown.category("dev.normgrad.autograd.Backward"));
        assertEquals("graph", Breakdown.category("dev.normgrad.nn.Sequential"));
        assertEquals(null, Breakdown.category("java.lang.StrictMath"), "the JDK's frames name no category: the caller's does");
        assertEquals(null, Breakdown.category("dev.normgrad.tutorials.bench.W1Engine"));
    }

    @Test
    void theProfileCountsEachDistinctProductOfAStepWithItsFlops() {
        DMatrixRMaj a = new DMatrixRMaj(2, 3), b = new DMatrixRMaj(3, 4), c = new DMatrixRMaj(2, 4);
        DMatrixRMaj g = new DMatrixRMaj(3, 4);
        List<Breakdown.Product> products = Breakdown.products(() -> {
            for (int t = 0; t < 3; t++) {
                MatMulKernel.gemm(false, a, false, b, c, true);
            }
            MatMulKernel.gemm(true, a, false, c, g, false);   // aᵀ·c, 3×2·2×4
            return 0;
        });
        assertEquals(2, products.size());
        assertEquals("2x3x4-NN+", products.get(0).key());
        assertEquals(3, products.get(0).count);
        assertEquals(2.0 * 2 * 3 * 4, products.get(0).flops());
        assertEquals("3x2x4-TN", products.get(1).key());
        assertEquals(1, products.get(1).count);
        assertEquals(2.0 * 3 * 2 * 4, products.get(1).flops());
    }

    @Test
    void theAutoLineNamesThePathAutoTakesAtItsShape() {
        GemmShape small = GemmShape.parse("4x4x4-NN");          // 64 flops: under the crossover
        GemmShape large = GemmShape.parse("32x128x128-NT");
        MatMulKernel.Gemm java = NetlibGemm.javaBlas(1000);
        assertEquals("ejml", GemmBench.pathAutoRuns(small, java));
        assertEquals(java.name().contains("Vector") ? "vector" : "java", GemmBench.pathAutoRuns(large, java));
        assertEquals("ejml", GemmBench.pathAutoRuns(large, MatMulKernel.EJML));
    }
}

package dev.normgrad.tutorials.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The bench command's output format and argument handling (the benchmarks themselves are not run here). */
class BenchMainTest {
    @Test
    void workloadLineHasTheDocumentedKeysInOrder() {
        assertEquals("{\"workload\":\"W1\",\"engine_ms\":6.1,\"raw_ms\":5.0,\"overhead\":1.22,\"blas\":\"ejml\"}",
                BenchMain.toJson(BenchMain.line("W1", 6.1, 5.0, "ejml")));
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
            bench.setUp();
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
}

package dev.normgrad.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.normgrad.gemm.MatMulKernel;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Same seed, same bits: 100 training steps ({@link TrainingRun}: an MLP with batch norm, dropout and
 * layer norm under Adam; an LSTM with layer norm under SGD with momentum and clipping) give
 * bit-identical parameters and buffers (SHA-256 of their raw bits) when run twice in one JVM with the
 * default GEMM kernel, and in this JVM and a child JVM both on EJML's kernel
 * ({@code -Dnormgrad.gemm=ejml}). The default kernel is what {@code auto} picks in the test JVM
 * (on the build machine: EJML, as no fast native BLAS is found and the Vector API is off). Each GEMM
 * kernel has its own rounding: EJML, netlib's Java loops and its Vector API kernel each reproduce
 * their own bits from run to run and across JVMs, but not each other's, so a result is reproducible
 * on the same kernel, and the cross-JVM claim is tested for EJML.
 */
class DeterminismTest {
    private static final long SEED = 7;
    private static final int STEPS = 100;

    @Test
    void theSameSeedGivesBitIdenticalParametersTwiceInOneJvmOnTheDefaultKernel() {
        String first = TrainingRun.fingerprint(TrainingRun.train(SEED, STEPS));
        String second = TrainingRun.fingerprint(TrainingRun.train(SEED, STEPS));
        assertEquals(first, second, "kernel " + MatMulKernel.describe());
        assertNotEquals(first, TrainingRun.fingerprint(TrainingRun.train(SEED + 1, STEPS)), "another seed gives other bits");
    }

    @Test
    void theSameSeedGivesBitIdenticalParametersInAChildJvmOnEjml() throws Exception {
        MatMulKernel.Gemm previous = MatMulKernel.current();
        String here;
        MatMulKernel.use(MatMulKernel.EJML);
        try {
            here = TrainingRun.fingerprint(TrainingRun.train(SEED, STEPS));
        } finally {
            MatMulKernel.use(previous);
        }
        Process child = ChildJvm.start(TrainingRun.class, List.of("-D" + MatMulKernel.PROPERTY + "=ejml", "-XX:+UseSerialGC"),
                String.valueOf(SEED), String.valueOf(STEPS));
        List<String> lines;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            lines = out.lines().toList();
        }
        assertTrue(child.waitFor(60, TimeUnit.SECONDS), "the child did not finish");
        assertEquals(0, child.exitValue(), String.join("\n", lines));
        assertEquals(List.of("ejml", here), lines);
    }
}

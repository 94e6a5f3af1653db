package dev.normgrad.reliability;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import org.junit.jupiter.api.Test;

/**
 * 1,000 training steps ({@link TrainingRun}: MLP with batch norm, dropout, layer norm under Adam;
 * LSTM with layer norm under SGD with momentum and clipping) retain no heap: the heap used after a
 * full GC at step 1,000 exceeds that at step 100 by less than 1 MiB (measured here: about 15 KB).
 * Step 100 rather than 0 as the baseline: by then the optimizers' state (momentum, Adam's moments)
 * and the lazily allocated gradients exist. Anything kept per step — a graph, an activation, a
 * history entry — would add up over 900 steps.
 */
class LongRunTest {
    private static final long TOLERANCE = 1L << 20;

    private static long usedAfterGc() {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 4; i++) {
            System.gc();
            used = Math.min(used, memory.getHeapMemoryUsage().getUsed());
        }
        return used;
    }

    @Test
    void aThousandTrainingStepsRetainNoHeap() {
        TrainingRun run = new TrainingRun(3);
        for (int s = 0; s < 100; s++) {
            run.step();
        }
        long at100 = usedAfterGc();
        for (int s = 100; s < 1000; s++) {
            run.step();
        }
        long at1000 = usedAfterGc();
        long growth = at1000 - at100;
        System.out.printf("LongRunTest: heap after GC at step 100: %d bytes, at step 1000: %d bytes, growth %d bytes (tolerance %d)%n",
                at100, at1000, growth, TOLERANCE);
        assertTrue(growth < TOLERANCE, "the heap grew by " + growth + " bytes from step 100 to step 1000");
        assertTrue(run.modules().size() == 3);   // keeps the run reachable until measured
    }
}

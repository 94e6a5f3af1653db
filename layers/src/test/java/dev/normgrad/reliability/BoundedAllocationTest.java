package dev.normgrad.reliability;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.normgrad.io.ModelFormatException;
import dev.normgrad.io.ModelIO;
import dev.normgrad.nn.Linear;
import java.lang.management.ManagementFactory;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Sizes are checked before memory is allocated for them: a file declaring a tensor of a billion
 * entries (8 GB) is refused while this thread allocates less than 4 MB in total, measured with
 * HotSpot's per-thread allocation counter.
 */
class BoundedAllocationTest {
    private static long allocatedByThisThread() {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        return threads.getThreadAllocatedBytes(Thread.currentThread().getId());
    }

    @Test
    void aHugeDeclaredShapeIsRefusedWithoutAllocatingForIt() {
        String json = ModelIO.toJson(new Linear(3, 2, true, new Random(1)))
                .replaceFirst("\"shape\": \\[2, 3\\]", "\"shape\": [100000, 10000]");
        ModelIO.fromJson(ModelIO.toJson(new Linear(3, 2, true, new Random(1))));   // warm up: classes loaded, paths compiled
        long before = allocatedByThisThread();
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> ModelIO.fromJson(json));
        long allocated = allocatedByThisThread() - before;
        assertTrue(e.getMessage().contains("refused before allocating"), e.getMessage());
        assertTrue(allocated < 4_000_000, "the refused load allocated " + allocated + " bytes");
    }

    @Test
    void aHugeDeclaredShapeWithinTheLimitsIsStillReadOnlyAsFarAsItsData() {
        // 4000x4000 is within the default limit; its data holds 6 numbers, so the reader fails at the
        // end of the data array, having stored only what the file holds, not 128 MB
        String json = ModelIO.toJson(new Linear(3, 2, true, new Random(1)))
                .replaceFirst("\"shape\": \\[2, 3\\]", "\"shape\": [4000, 4000]");
        long before = allocatedByThisThread();
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> ModelIO.fromJson(json));
        long allocated = allocatedByThisThread() - before;
        assertTrue(e.getMessage().contains("data has 6 numbers, but shape 4000x4000 needs 16000000"), e.getMessage());
        assertTrue(allocated < 16_000_000, "the refused load allocated " + allocated + " bytes");
    }
}

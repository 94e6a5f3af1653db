package dev.normgrad.reliability;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;

/** Retained heap, for the tests that check nothing is kept past its step. */
public final class Heap {
    private Heap() {
    }

    /** The heap in use after a full GC: the smallest of four readings, each right after {@code System.gc()}. */
    public static long usedAfterGc() {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 4; i++) {
            System.gc();
            used = Math.min(used, memory.getHeapMemoryUsage().getUsed());
        }
        return used;
    }
}

package dev.normgrad.tutorials.bench;

import java.lang.management.ManagementFactory;

/**
 * Runs a benchmark's step until it has allocated {@value #BYTES} bytes (or for
 * {@value #MAX_SECONDS} s at most), so that the heap's young generation has been touched once before
 * JMH measures: the first write to each page of a fresh heap is a page fault, which would otherwise
 * be what a short benchmark of an allocating step measures (see the launcher's comment).
 */
final class HeapWarmUp {
    /** Twice the young generation the launcher sets (256 MB). */
    static final long BYTES = 512L << 20;
    /** The warm-up's limit on a busy machine. */
    static final int MAX_SECONDS = 20;

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private HeapWarmUp() {
    }

    static void run(Runnable step) {
        long start = THREADS.getCurrentThreadAllocatedBytes();
        long end = System.nanoTime() + MAX_SECONDS * 1_000_000_000L;
        while (THREADS.getCurrentThreadAllocatedBytes() - start < BYTES && System.nanoTime() < end) {
            step.run();
        }
    }
}

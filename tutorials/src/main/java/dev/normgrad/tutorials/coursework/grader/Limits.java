package dev.normgrad.tutorials.coursework.grader;

import java.time.Duration;

/**
 * The limits a submission runs under in the child JVM.
 *
 * @param perCase       wall clock for one case (its forward and backward, or one GradCheck)
 * @param heapMegabytes the child's heap ({@code -Xmx})
 * @param outputBytes   how much one case may print
 * @param startup       wall clock for the child JVM to start and load the classes
 */
public record Limits(Duration perCase, int heapMegabytes, long outputBytes, Duration startup) {
    /** 5 s per case, 256 MB of heap, 1 MB of printing per case, 60 s to start. */
    public static final Limits DEFAULT = new Limits(Duration.ofSeconds(5), 256, 1 << 20, Duration.ofSeconds(60));
}

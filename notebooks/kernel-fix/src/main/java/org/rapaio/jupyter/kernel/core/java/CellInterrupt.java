package org.rapaio.jupyter.kernel.core.java;

/**
 * Whether the notebook cell in progress has been interrupted (Kernel › Interrupt). A cell is a sequence of
 * JShell snippets: stopping the one that runs is not enough, the rest of the cell must not run either, and
 * an interrupt that arrives while JShell compiles the next snippet finds nothing running. The kernel's
 * request loop sets this when an interrupt arrives during a request and clears it when the request ends;
 * {@link RapaioExecutionControl} refuses to start a snippet while it is set. One kernel runs per JVM.
 */
public final class CellInterrupt {

    private static volatile boolean requested;

    private CellInterrupt() {
    }

    /** Kernel › Interrupt arrived while a request was in progress. */
    public static void request() {
        requested = true;
    }

    /** The request in progress has ended: a later cell runs normally. */
    public static void clear() {
        requested = false;
    }

    /** Whether the cell in progress has been interrupted. */
    public static boolean isRequested() {
        return requested;
    }
}

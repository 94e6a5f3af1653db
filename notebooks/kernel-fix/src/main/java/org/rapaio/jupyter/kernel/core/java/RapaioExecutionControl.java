package org.rapaio.jupyter.kernel.core.java;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import jdk.jshell.execution.DirectExecutionControl;
import jdk.jshell.spi.SPIResolutionException;

/**
 * Runs each JShell snippet of a notebook cell on a thread of its own, in the kernel's JVM, and stops it on
 * Kernel › Interrupt; a drop-in replacement for the class of the same name in
 * {@code io.github.padreati:rapaio-jupyter-kernel:3.0.1}, with the same constructor and public methods.
 *
 * <p>Why it exists: 3.0.1 ran snippets on a thread pool and answered an interrupt by cancelling the
 * snippet's future (which only sets the thread's interrupt flag: a loop that never checks it runs on,
 * keeping a core busy) and then shutting the pool down, so that every later snippet was refused. Here an
 * interrupt first interrupts the cell's thread (a {@code Thread.sleep}, {@code wait} or blocking queue
 * ends at once with an {@link InterruptedException}), and if the thread is still running after
 * {@value #INTERRUPT_GRACE_MILLIS} ms, stops it with {@link Thread#stop()} — what JShell's own
 * {@code LocalExecutionControl.stop()} does on Java 17 — retrying until it has ended. The snippet then
 * fails with the exception class {@value #INTERRUPTED} and a message saying so, with the lines it was
 * running when stopped. The cell's later snippets are not started ({@link CellInterrupt}); the next cell's
 * run on new threads.
 *
 * <p>Stopping a thread at an arbitrary instruction is safe for the kernel because no kernel state is
 * touched by a cell's thread except through lock-free queues (see {@code Channels}); the user's own
 * objects may be left half-updated, and the message says so. {@link Thread#stop()} is unsupported from
 * Java 20 on; there an interrupt can only end code that reacts to the interrupt flag, and the message
 * says the cell keeps running.
 */
public class RapaioExecutionControl extends DirectExecutionControl {

    public static final String TIMEOUT_MARKER = "## Timeout Marker ##";
    public static final String INTERRUPTED_MARKER = "## Interrupted Marker ##";

    /** The exception class name a notebook shows for a cell stopped by Kernel › Interrupt. */
    public static final String INTERRUPTED = "Interrupted";
    static final String STOPPED_MESSAGE =
            "the cell was stopped by Kernel › Interrupt; objects it was changing may be half-updated";
    static final String NOT_STOPPED_MESSAGE =
            "the cell did not stop (it ignores interrupts): it keeps running in the background; "
                    + "Kernel › Restart ends it";

    /** How long an interrupted cell may take to end by itself before its thread is stopped. */
    static final long INTERRUPT_GRACE_MILLIS = 100;
    private static final long STOP_RETRY_MILLIS = 50;
    /** How long an interrupt keeps trying to stop a cell that catches {@link ThreadDeath}. */
    private static final long STOP_DEADLINE_MILLIS = 5_000;
    private static final AtomicInteger ID = new AtomicInteger(0);

    private final long timeoutTime;
    private final Map<String, Object> results = new ConcurrentHashMap<>();
    private volatile Cell running;
    private volatile boolean closed;

    /** @param timeoutTime the longest a snippet may run, in milliseconds; 0 or less for no limit */
    public RapaioExecutionControl(long timeoutTime) {
        this.timeoutTime = timeoutTime;
    }

    /** The longest a snippet may run, in milliseconds (0 or less: no limit). */
    public long getTimeout() {
        return timeoutTime;
    }

    /** Removes and returns the value of an executed snippet. */
    public Object takeResult(String key) {
        Object result = results.remove(key);
        if (result == null) {
            throw new IllegalStateException("No result with key: " + key);
        }
        return result;
    }

    @Override
    protected String invoke(Method methodCall) throws Exception {
        if (closed) {
            throw new StoppedException();
        }
        Cell cell = new Cell(methodCall);
        synchronized (this) {
            // atomic with interrupt()'s look at the running cell: an interrupt either finds this snippet
            // running or has already marked the cell interrupted
            if (CellInterrupt.isRequested()) {
                throw new UserException(STOPPED_MESSAGE, INTERRUPTED, new StackTraceElement[0]);
            }
            running = cell;
            cell.thread.start();
        }
        try {
            Object value = cell.await(timeoutTime);
            String id = UUID.randomUUID().toString();
            results.put(id, value);
            return id;
        } finally {
            running = null;
        }
    }

    /**
     * Stops the running snippet, if any, and returns once it has ended (or once stopping it has been given
     * up): interrupt, then {@link Thread#stop()} after {@value #INTERRUPT_GRACE_MILLIS} ms. The rest of the
     * cell is refused through {@link CellInterrupt}, which the caller sets first.
     */
    public void interrupt() {
        Cell cell;
        synchronized (this) {
            cell = running;
        }
        if (cell != null) {
            cell.stop();
        }
    }

    /** The same as {@link #interrupt()}: JShell calls it for {@code JShell.stop()}. */
    @Override
    public void stop() {
        interrupt();
    }

    /** Stops the running snippet and refuses new ones: the kernel is shutting down. */
    @Override
    public void close() {
        closed = true;
        interrupt();
        super.close();
    }

    /** One snippet's execution on its own thread. */
    private static final class Cell {
        final Method method;
        final Thread thread;
        private final Object lock = new Object();
        private boolean stopRequested;   // guarded by lock
        private boolean timedOut;        // guarded by lock
        private boolean stopGivenUp;     // guarded by lock
        private StackTraceElement[] stoppedAt; // guarded by lock
        private volatile boolean returned;
        private volatile Object value;
        private volatile Throwable failure;

        Cell(Method method) {
            this.method = method;
            this.thread = new Thread(this::execute, "notebook-cell-" + ID.getAndIncrement());
            thread.setDaemon(true); // a cell that could not be stopped does not keep the kernel's JVM alive
            // a ThreadDeath that escapes the snippet (stopped outside its frames) is expected, not an error
            thread.setUncaughtExceptionHandler((t, e) -> {
                if (!(e instanceof ThreadDeath)) {
                    failure = e;
                }
            });
        }

        private void execute() {
            try {
                value = method.invoke(null);
                returned = true;
            } catch (InvocationTargetException e) {
                failure = e.getCause();
            } catch (IllegalAccessException e) {
                failure = e;
            }
        }

        /**
         * Waits for the snippet to end (stopping it after {@code timeoutMillis} if positive) and returns its
         * value, or throws what the notebook shows: its exception, or that it was interrupted or timed out.
         */
        Object await(long timeoutMillis) throws Exception {
            if (timeoutMillis > 0) {
                thread.join(timeoutMillis);
                if (thread.isAlive()) {
                    synchronized (lock) {
                        timedOut = true;
                    }
                    stop();
                }
            }
            while (thread.isAlive() && !givenUp()) {
                thread.join(STOP_RETRY_MILLIS);
            }
            synchronized (lock) {
                // a snippet that returned normally despite an interrupt (it handled the interrupt) keeps its value
                if (stopRequested && !(returned && !thread.isAlive())) {
                    StackTraceElement[] where = stoppedAt != null ? stoppedAt
                            : failure != null ? failure.getStackTrace() : new StackTraceElement[0];
                    if (timedOut) {
                        throw new UserException("Execution timed out", TIMEOUT_MARKER, where);
                    }
                    throw new UserException(thread.isAlive() ? NOT_STOPPED_MESSAGE : STOPPED_MESSAGE, INTERRUPTED,
                            where);
                }
            }
            Throwable cause = failure;
            if (cause == null) {
                return value;
            }
            if (cause instanceof SPIResolutionException spi) {
                throw new ResolutionException(spi.id(), cause.getStackTrace());
            }
            throw new UserException(cause.getMessage(), cause.getClass().getName(), cause.getStackTrace());
        }

        private boolean givenUp() {
            synchronized (lock) {
                return stopGivenUp;
            }
        }

        /**
         * Interrupts the thread, then stops it if it has not ended within the grace time; returns once it
         * has ended or stopping it has been given up. A second call returns at once.
         */
        @SuppressWarnings("deprecation") // Thread.stop: the only way to end a loop that never checks a flag
        void stop() {
            synchronized (lock) {
                if (stopRequested || !thread.isAlive()) {
                    return;
                }
                stopRequested = true;
            }
            thread.interrupt();
            join(INTERRUPT_GRACE_MILLIS);
            long deadline = System.nanoTime() + STOP_DEADLINE_MILLIS * 1_000_000;
            boolean supported = true;
            while (thread.isAlive() && supported && System.nanoTime() < deadline) {
                StackTraceElement[] where = thread.getStackTrace();
                synchronized (lock) {
                    if (stoppedAt == null) {
                        stoppedAt = where;
                    }
                }
                try {
                    thread.stop();
                } catch (UnsupportedOperationException e) {
                    supported = false; // Java 20 and later
                }
                join(STOP_RETRY_MILLIS);
            }
            synchronized (lock) {
                stopGivenUp = thread.isAlive();
            }
        }

        private void join(long millis) {
            try {
                thread.join(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}

package org.rapaio.jupyter.kernel.channels;

import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The thread that runs one channel's poll loop (shell, control, heartbeat) of the Java Jupyter
 * kernel {@code io.github.padreati:rapaio-jupyter-kernel:3.0.1}; a drop-in replacement for the
 * kernel's class of the same name, with the same constructor and methods.
 *
 * <p>Why it exists: in 3.0.1, {@code start()} starts the thread first and sets {@code running}
 * afterwards. When the new thread reaches its {@code while (running)} test before the caller has set
 * the flag, the loop exits at once and that channel is never served again: the kernel looks alive
 * but never answers (notebooks/README.md gives the start-up figures). Here the flag is set before the thread
 * starts, so the thread always sees it. And an exception from one iteration (a malformed or unsigned
 * message, a handler that fails) ended 3.0.1's loop for good; here it is logged and the loop goes on.
 *
 * <p>notebooks/install-kernel.sh puts this class's jar before the kernel's jar on the class path, so
 * the JVM loads this class instead of the kernel's own.
 */
public final class LoopThread extends Thread {

    private static final Logger LOGGER = Logger.getLogger(LoopThread.class.getSimpleName());

    private volatile boolean running;
    private final long sleepMillis;
    private final Runnable loopBody;

    /**
     * @param name        the thread's name
     * @param sleepMillis pause after each run of the body, in milliseconds
     * @param loopBody    one iteration of the channel's loop (typically a poll with a timeout)
     */
    public LoopThread(String name, long sleepMillis, Runnable loopBody) {
        super(name);
        this.sleepMillis = sleepMillis;
        this.loopBody = loopBody;
    }

    /** Runs the body, then sleeps, until {@link #shutdown()} or an interrupt. */
    @Override
    public void run() {
        while (running) {
            try {
                loopBody.run();
            } catch (RuntimeException e) {
                if (!running) {
                    return;
                }
                LOGGER.log(Level.SEVERE, getName() + ": the loop goes on after an error", e);
            }
            try {
                Thread.sleep(sleepMillis);
            } catch (InterruptedException e) {
                running = false;
                return;
            }
        }
    }

    /** Marks the loop running, then starts the thread: the order that makes the loop never exit early. */
    @Override
    public synchronized void start() {
        running = true;
        super.start();
    }

    /** Asks the loop to stop after its current iteration. */
    public void shutdown() {
        running = false;
    }

    /**
     * Asks the loop to stop and waits up to {@code millis} for it to end (not when called from the loop
     * itself), so that its socket can then be closed without another thread still polling it.
     */
    public void shutdownAndJoin(long millis) {
        shutdown();
        if (Thread.currentThread() != this) {
            try {
                join(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Whether the loop has been started and not yet asked to stop. */
    public boolean isRunning() {
        return running;
    }
}

package org.rapaio.jupyter.kernel.channels;

/**
 * The thread that runs one channel's poll loop (shell, control, heartbeat) of the Java Jupyter
 * kernel {@code io.github.padreati:rapaio-jupyter-kernel:3.0.1}; a drop-in replacement for the
 * kernel's class of the same name, with the same constructor and methods.
 *
 * <p>Why it exists: in 3.0.1, {@code start()} starts the thread first and sets {@code running}
 * afterwards. When the new thread reaches its {@code while (running)} test before the caller has set
 * the flag, the loop exits at once and that channel is never served again: the kernel looks alive
 * but never answers (measured: about 8 of 100 starts hung). Here the flag is set before the thread
 * starts, so the thread always sees it.
 *
 * <p>notebooks/install-kernel.sh puts this class's jar before the kernel's jar on the class path, so
 * the JVM loads this class instead of the kernel's own.
 */
public final class LoopThread extends Thread {

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
            loopBody.run();
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

    /** Whether the loop has been started and not yet asked to stop. */
    public boolean isRunning() {
        return running;
    }
}

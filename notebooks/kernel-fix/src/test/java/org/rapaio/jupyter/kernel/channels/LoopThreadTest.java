package org.rapaio.jupyter.kernel.channels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class LoopThreadTest {

    /** The kernel's own 3.0.1 class fails this now and then: its loop can exit before the first run. */
    @Test
    void everyStartedLoopRunsItsBody() throws InterruptedException {
        int starts = 300;
        int neverRan = 0;
        for (int i = 0; i < starts; i++) {
            CountDownLatch ran = new CountDownLatch(1);
            AtomicReference<LoopThread> self = new AtomicReference<>();
            LoopThread t = new LoopThread("loop-" + i, 0, () -> {
                ran.countDown();
                self.get().shutdown();
            });
            self.set(t);
            t.start();
            if (!ran.await(10, TimeUnit.SECONDS)) neverRan++;
            t.join(10_000);
        }
        assertEquals(0, neverRan, "loops that exited without running their body, of " + starts);
    }

    @Test
    void shutdownStopsTheLoop() throws InterruptedException {
        AtomicInteger runs = new AtomicInteger();
        CountDownLatch ranTwice = new CountDownLatch(2);
        LoopThread t = new LoopThread("loop", 1, () -> {
            runs.incrementAndGet();
            ranTwice.countDown();
        });
        t.start();
        assertTrue(t.isRunning());
        assertTrue(ranTwice.await(10, TimeUnit.SECONDS), "the body should run repeatedly");
        t.shutdown();
        t.join(10_000);
        assertFalse(t.isAlive(), "the thread should end after shutdown()");
        assertFalse(t.isRunning());
        int after = runs.get();
        Thread.sleep(20);
        assertEquals(after, runs.get(), "the body must not run after the thread ended");
    }

    @Test
    void interruptStopsTheLoop() throws InterruptedException {
        CountDownLatch ran = new CountDownLatch(1);
        LoopThread t = new LoopThread("loop", 50, ran::countDown);
        t.start();
        assertTrue(ran.await(10, TimeUnit.SECONDS));
        t.interrupt();
        t.join(10_000);
        assertFalse(t.isAlive(), "an interrupt during the pause should end the loop");
        assertFalse(t.isRunning());
    }

    /** In 3.0.1 one failing iteration (a malformed message, a handler error) ended the loop: the socket went deaf. */
    @Test
    void anErrorInOneIterationDoesNotEndTheLoop() throws InterruptedException {
        AtomicInteger runs = new AtomicInteger();
        CountDownLatch ranAgain = new CountDownLatch(3);
        LoopThread t = new LoopThread("loop", 0, () -> {
            ranAgain.countDown();
            if (runs.incrementAndGet() == 1) {
                throw new IllegalStateException("a bad message");
            }
        });
        t.start();
        assertTrue(ranAgain.await(10, TimeUnit.SECONDS), "the loop ended after an error in its first iteration");
        t.shutdownAndJoin(10_000);
        assertFalse(t.isAlive());
    }

    @Test
    void keepsTheKernelsConstructorAndName() {
        LoopThread t = new LoopThread("ShellChannel-1", 50, () -> { });
        assertEquals("ShellChannel-1", t.getName());
        assertFalse(t.isRunning(), "not running before start()");
    }
}

package org.rapaio.jupyter.kernel.core.java;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import jdk.jshell.EvalException;
import jdk.jshell.JShell;
import jdk.jshell.SnippetEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Snippets run through the kernel's execution control, in a JShell of their own, and interrupted from another thread. */
class RapaioExecutionControlTest {

    private JShell shell;
    private RapaioExecutionControl control;

    @BeforeEach
    void start() {
        open(-1);
    }

    private void open(long timeoutMillis) {
        String id = UUID.randomUUID().toString();
        RapaioExecutionControlProvider provider = new RapaioExecutionControlProvider();
        shell = JShell.builder()
                .executionEngine(provider, Map.of(RapaioExecutionControlProvider.EXECUTION_ID_KEY, id,
                        RapaioExecutionControlProvider.EXECUTION_TIMEOUT_KEY, String.valueOf(timeoutMillis)))
                .build();
        shell.eval("1"); // starts the execution engine
        control = provider.getRegisteredControl(id);
    }

    @AfterEach
    void close() {
        CellInterrupt.clear();
        shell.close();
    }

    private SnippetEvent eval(String code) {
        List<SnippetEvent> events = shell.eval(code);
        return events.get(events.size() - 1);
    }

    /** The event of an interrupted snippet, and the seconds from the interrupt to the snippet's end. */
    private record Interrupted(SnippetEvent event, double seconds) { }

    /** Evaluates the code on another thread and interrupts it once it has run for half a second. */
    private Interrupted interruptAfterHalfASecond(String code) throws Exception {
        CompletableFuture<SnippetEvent> running = CompletableFuture.supplyAsync(() -> eval(code));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60); // JShell compiles first: slow on a busy machine
        while (!snippetRunning()) {
            assertTrue(System.nanoTime() < deadline, "the snippet did not start");
            Thread.sleep(10);
        }
        Thread.sleep(500);
        long t0 = System.nanoTime();
        control.interrupt();
        SnippetEvent event = running.get(30, TimeUnit.SECONDS);
        return new Interrupted(event, (System.nanoTime() - t0) / 1e9);
    }

    /** Whether a cell's thread is executing a snippet's code (a frame of a class JShell generated, in package REPL). */
    private static boolean snippetRunning() {
        return Thread.getAllStackTraces().entrySet().stream()
                .anyMatch(e -> e.getKey().getName().startsWith("notebook-cell-") && Arrays.stream(e.getValue())
                        .anyMatch(f -> f.getClassName().startsWith("REPL.")));
    }

    private static EvalException failure(SnippetEvent event) {
        return assertInstanceOf(EvalException.class, event.exception(), "the snippet should have failed");
    }

    /** 3.0.1 only set the interrupt flag of the snippet's thread, which a loop never checks: it ran on. */
    @Test
    void anInterruptStopsALoopThatNeverChecksTheFlag() throws Exception {
        eval("long spins = 0;");
        Interrupted run = interruptAfterHalfASecond("while (true) { spins++; }");
        EvalException e = failure(run.event());
        assertEquals(RapaioExecutionControl.INTERRUPTED, e.getExceptionClassName());
        assertEquals(RapaioExecutionControl.STOPPED_MESSAGE, e.getMessage());
        assertTrue(run.seconds() < 2, "stopped after " + run.seconds() + " s");
        // the lines it was running when stopped: the snippet's own frame (JShell names its source "#id")
        assertTrue(Arrays.stream(e.getStackTrace()).anyMatch(f -> f.getFileName() != null && f.getFileName().startsWith("#")),
                Arrays.toString(e.getStackTrace()));
    }

    @Test
    void anInterruptEndsASleepAtOnce() throws Exception {
        Interrupted run = interruptAfterHalfASecond("Thread.sleep(600_000);");
        assertEquals(RapaioExecutionControl.INTERRUPTED, failure(run.event()).getExceptionClassName());
        assertTrue(run.seconds() < RapaioExecutionControl.INTERRUPT_GRACE_MILLIS / 1000.0 + 0.5, "took " + run.seconds() + " s");
    }

    /** 3.0.1 shut its executor down on an interrupt: every later snippet was refused. */
    @Test
    void theNextSnippetRunsAfterAnInterrupt() throws Exception {
        interruptAfterHalfASecond("while (true) { }");
        SnippetEvent next = eval("6 * 7");
        assertNull(next.exception());
        assertEquals(42, control.takeResult(next.value()));
    }

    @Test
    void aSnippetThatHandlesTheInterruptKeepsItsValue() throws Exception {
        eval("String nap() { try { Thread.sleep(600_000); return \"slept\"; } catch (InterruptedException e) { return \"woken\"; } }");
        Interrupted run = interruptAfterHalfASecond("nap()");
        assertNull(run.event().exception());
        assertEquals("woken", control.takeResult(run.event().value()));
    }

    @Test
    void whileTheCellIsMarkedInterruptedNoSnippetStarts() {
        CellInterrupt.request();
        EvalException e = failure(eval("System.setProperty(\"normgrad.ran\", \"yes\")"));
        assertEquals(RapaioExecutionControl.INTERRUPTED, e.getExceptionClassName());
        assertNull(System.getProperty("normgrad.ran"), "the snippet ran");
        CellInterrupt.clear();
        assertNull(eval("1 + 1").exception());
    }

    /** A loop that swallows ThreadDeath cannot be stopped: the snippet returns, says so, and the kernel goes on. */
    @Test
    void aCellThatCannotBeStoppedIsReportedAndLeftBehind() throws Exception {
        Interrupted run = interruptAfterHalfASecond(
                "while (true) { try { while (true) { Thread.onSpinWait(); } } catch (Throwable t) { } }");
        EvalException e = failure(run.event());
        assertEquals(RapaioExecutionControl.INTERRUPTED, e.getExceptionClassName());
        assertEquals(RapaioExecutionControl.NOT_STOPPED_MESSAGE, e.getMessage());
        SnippetEvent next = eval("\"still here\"");
        assertEquals("still here", control.takeResult(next.value()));
    }

    @Test
    void aSnippetOverTheTimeLimitIsStopped() {
        shell.close();
        open(300);
        EvalException e = failure(eval("while (true) { }"));
        assertEquals(RapaioExecutionControl.TIMEOUT_MARKER, e.getExceptionClassName());
        assertNull(eval("1").exception());
    }
}

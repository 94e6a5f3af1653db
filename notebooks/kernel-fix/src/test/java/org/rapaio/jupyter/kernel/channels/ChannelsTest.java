package org.rapaio.jupyter.kernel.channels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.rapaio.jupyter.kernel.core.ConnectionProperties;
import org.rapaio.jupyter.kernel.core.RapaioKernel;
import org.rapaio.jupyter.kernel.message.MessageType;

class ChannelsTest {

    private static RapaioKernel kernel;

    @BeforeAll
    static void startKernel() {
        Logger.getLogger("").setLevel(Level.WARNING); // the kernel logs every bind and message at INFO
        kernel = new RapaioKernel();
    }

    @AfterAll
    static void stopKernel() {
        kernel.javaEngine().shutdown();
    }

    /**
     * The race of rapaio 3.0.1: the request is already queued when the shell loop starts; its
     * Channels dropped it ("Unhandled message") when the handler table was still empty.
     */
    @Test
    void aKernelInfoRequestWaitingAtStartUpIsAnswered() throws Exception {
        for (int start = 0; start < 10; start++) {
            ConnectionProperties props = FrontEnd.freshConnection();
            Channels channels = new Channels(props);
            try (FrontEnd frontEnd = FrontEnd.shell(props)) {
                frontEnd.send("kernel_info_request");
                channels.connect(kernel);
                FrontEnd.Received reply = frontEnd.receive(10_000);
                assertEquals("kernel_info_reply", reply == null ? null : reply.type(),
                        "start " + start + ": the reply to a kernel_info_request sent before connect()");
            } finally {
                close(channels);
            }
        }
    }

    @Test
    void everyRequestTypeTheKernelHandlesIsRouted() throws Exception {
        Channels channels = new Channels(FrontEnd.freshConnection());
        try {
            assertNull(channels.getHandler(MessageType.SHELL_KERNEL_INFO_REQUEST), "nothing is routed before connect()");
            channels.connect(kernel);
            for (MessageType<?> type : new MessageType<?>[] {
                    MessageType.SHELL_EXECUTE_REQUEST, MessageType.SHELL_INSPECT_REQUEST,
                    MessageType.SHELL_COMPLETE_REQUEST, MessageType.SHELL_HISTORY_REQUEST,
                    MessageType.SHELL_IS_COMPLETE_REQUEST, MessageType.SHELL_KERNEL_INFO_REQUEST,
                    MessageType.CONTROL_SHUTDOWN_REQUEST, MessageType.CONTROL_INTERRUPT_REQUEST,
                    MessageType.CUSTOM_COMM_OPEN, MessageType.CUSTOM_COMM_MSG, MessageType.CUSTOM_COMM_CLOSE,
                    MessageType.SHELL_COMM_INFO_REQUEST}) {
                assertNotNull(channels.getHandler(type), type.name());
            }
        } finally {
            close(channels);
        }
    }

    /** The channels of a started kernel, with a front end's shell, control and iopub sockets connected to them. */
    private static final class Session implements AutoCloseable {
        final Channels channels;
        final FrontEnd shell;
        final FrontEnd control;
        final FrontEnd iopub;

        Session() throws Exception {
            ConnectionProperties props = FrontEnd.freshConnection();
            channels = new Channels(props);
            shell = FrontEnd.shell(props);
            control = FrontEnd.control(props);
            iopub = FrontEnd.iopub(props);
            channels.connect(kernel);
            // as the Jupyter server does: ask until iopub delivers, so that its subscription is in place
            for (int i = 0; i < 100 && iopub.receive(100) == null; i++) {
                shell.send("kernel_info_request");
            }
            while (shell.receive(200) != null || iopub.receive(200) != null) {
                // drain the replies to the requests above
            }
        }

        @Override
        public void close() throws InterruptedException {
            shell.close();
            control.close();
            iopub.close();
            ChannelsTest.close(channels);
        }
    }

    /** 3.0.1 sent every reply on the shell socket: a ROUTER drops a reply for a peer of another socket. */
    @Test
    void aControlRequestIsAnsweredOnTheControlSocket() throws Exception {
        try (Session s = new Session()) {
            String id = s.control.send("kernel_info_request");
            FrontEnd.Received reply = s.control.receive(10_000);
            assertNotNull(reply, "no reply on the control socket");
            assertEquals("kernel_info_reply", reply.type());
            assertEquals(id, reply.parentId());
        }
    }

    /** Kernel › Restart: the shutdown_reply comes on control (3.0.1 sent it on shell) and the kernel closes its sockets. */
    @Test
    void aShutdownRequestIsAnsweredOnControlAndClosesTheChannels() throws Exception {
        RapaioKernel own = new RapaioKernel(); // shutting down closes the kernel's JShell: not the shared one
        ConnectionProperties props = FrontEnd.freshConnection();
        Channels channels = new Channels(props);
        try (FrontEnd control = FrontEnd.control(props)) {
            channels.connect(own);
            String id = control.send("shutdown_request", "{\"restart\": true}");
            FrontEnd.Received reply = control.receive(10_000);
            assertNotNull(reply, "no shutdown_reply on the control socket");
            assertEquals("shutdown_reply", reply.type());
            assertEquals(id, reply.parentId());
            for (int i = 0; i < 500 && !channels.isClosed(); i++) {
                Thread.sleep(20);
            }
            assertTrue(channels.isClosed(), "the channels are still open 10 s after the shutdown_reply");
        } finally {
            if (!channels.isClosed()) {
                close(channels);
            }
        }
    }

    /**
     * What the Jupyter server does whenever a browser connects: kernel_info_request on shell and on control
     * at once. 3.0.1 kept one message id for both threads: replies went out with the other request's id,
     * on the wrong socket, or not at all.
     */
    @Test
    void requestsOnShellAndControlAtOnceEachGetTheirOwnReply() throws Exception {
        try (Session s = new Session()) {
            List<String> wrong = new ArrayList<>();
            for (int round = 0; round < 50; round++) {
                String shellId = s.shell.send("kernel_info_request");
                String controlId = s.control.send("kernel_info_request");
                FrontEnd.Received onShell = s.shell.receive(10_000);
                FrontEnd.Received onControl = s.control.receive(10_000);
                if (onShell == null || !shellId.equals(onShell.parentId())) {
                    wrong.add("round " + round + " shell: " + onShell);
                }
                if (onControl == null || !controlId.equals(onControl.parentId())) {
                    wrong.add("round " + round + " control: " + onControl);
                }
            }
            assertEquals(List.of(), wrong, "replies missing or answering another request");
        }
    }

    /**
     * Kernel › Interrupt while a cell spins in a loop that never checks a flag: the cell ends within 2 s with
     * an error saying it was interrupted, the kernel publishes no "idle" before the cell has ended, and the
     * next cell runs and prints. 3.0.1 published "idle" at once, left the cell running, and printed nothing
     * afterwards.
     */
    @Test
    void anInterruptStopsTheRunningCellAndTheKernelStaysBusyUntilItHasStopped() throws Exception {
        try (Session s = new Session()) {
            String cell = s.shell.execute("long spins = 0;\nwhile (true) { spins++; }");
            FrontEnd.Received busy = s.iopub.receive("status", 10_000);
            assertNotNull(busy);
            assertEquals("\"busy\"", busy.text("execution_state"));
            Thread.sleep(500); // the loop runs

            long t0 = System.nanoTime();
            String interrupt = s.control.send("interrupt_request");
            FrontEnd.Received ack = s.control.receive(10_000);
            assertNotNull(ack, "no interrupt_reply on the control socket");
            assertEquals("interrupt_reply", ack.type());
            assertEquals(interrupt, ack.parentId());
            FrontEnd.Received reply = s.shell.receive("execute_reply", 10_000);
            double seconds = (System.nanoTime() - t0) / 1e9;
            assertNotNull(reply, "the interrupted cell sent no execute_reply");
            assertEquals(cell, reply.parentId());
            assertEquals("\"error\"", reply.text("status"));
            assertTrue(seconds < 2, "the cell ended " + seconds + " s after the interrupt");

            // iopub, up to the cell's "idle": the error, and no "idle" of anything before it
            List<FrontEnd.Received> published = new ArrayList<>();
            FrontEnd.Received m;
            do {
                m = s.iopub.receive(10_000);
                assertNotNull(m, "iopub went silent; so far " + published);
                published.add(m);
            } while (!(m.type().equals("status") && cell.equals(m.parentId()) && m.text("execution_state").contains("idle")));
            FrontEnd.Received error = published.stream().filter(p -> p.type().equals("error")).findFirst().orElse(null);
            assertNotNull(error, "no error output for the interrupted cell: " + published);
            assertTrue(error.text("traceback").contains("Interrupted: the cell was stopped by Kernel"), error.text("traceback"));
            for (FrontEnd.Received p : published.subList(0, published.size() - 1)) {
                assertTrue(!(p.type().equals("status") && p.text("execution_state").contains("idle")),
                        "\"idle\" published while the cell still ran: " + published);
            }

            String probe = s.shell.execute("System.out.println(\"probe \" + 2);");
            FrontEnd.Received out = s.iopub.receive("stream", 10_000);
            assertNotNull(out, "the next cell printed nothing");
            assertEquals(probe, out.parentId());
            assertEquals("\"probe 2\\n\"", out.text("text"));
            FrontEnd.Received ok = s.shell.receive("execute_reply", 10_000);
            assertNotNull(ok);
            assertEquals("\"ok\"", ok.text("status"));
        }
    }

    /**
     * A cell of many short snippets: an interrupt mostly arrives while JShell compiles the next one, when
     * nothing runs. The rest of the cell must not run.
     */
    @Test
    void anInterruptBetweenTwoSnippetsEndsTheCell() throws Exception {
        try (Session s = new Session()) {
            StringBuilder code = new StringBuilder();
            for (int i = 0; i < 200; i++) {
                code.append("System.out.println(\"snippet ").append(i).append("\");\n");
            }
            String cell = s.shell.execute(code.toString());
            assertNotNull(s.iopub.receive("stream", 30_000), "the cell did not start printing");
            s.control.send("interrupt_request");
            FrontEnd.Received reply = s.shell.receive("execute_reply", 30_000);
            assertNotNull(reply);
            assertEquals(cell, reply.parentId());
            assertEquals("\"error\"", reply.text("status"), "the cell ran to its end");
            String probe = s.shell.execute("System.out.println(\"probe\");");
            FrontEnd.Received ok = s.shell.receive("execute_reply", 10_000);
            assertEquals(probe, ok.parentId());
            assertEquals("\"ok\"", ok.text("status"), "the interrupt leaked into the next cell");
        }
    }

    /** Stops the loop threads, then closes the sockets: a socket must not be closed while another thread polls it. */
    private static void close(Channels channels) throws InterruptedException {
        List<LoopThread> loops = Thread.getAllStackTraces().keySet().stream()
                .filter(LoopThread.class::isInstance).map(LoopThread.class::cast).toList();
        loops.forEach(LoopThread::shutdown);
        for (LoopThread loop : loops) {
            loop.join(10_000);
        }
        channels.close();
    }
}

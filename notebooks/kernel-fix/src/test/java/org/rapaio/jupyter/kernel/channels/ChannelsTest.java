package org.rapaio.jupyter.kernel.channels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.rapaio.jupyter.kernel.core.ConnectionProperties;
import org.rapaio.jupyter.kernel.core.RapaioKernel;
import org.rapaio.jupyter.kernel.message.MessageType;
import org.rapaio.org.zeromq.SocketType;
import org.rapaio.org.zeromq.ZMQ;

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

    /** A front end's shell socket: a DEALER that speaks the Jupyter wire protocol, signed with the key. */
    private static final class FrontEnd implements AutoCloseable {
        private final ZMQ.Context ctx = ZMQ.context(1);
        private final ZMQ.Socket socket = ctx.socket(SocketType.DEALER);
        private final String key;

        FrontEnd(ConnectionProperties props) {
            key = props.key();
            socket.setLinger(0);
            socket.connect(props.formatAddress(props.shellPort()));
        }

        void send(String msgType) throws Exception {
            String header = "{\"msg_id\":\"" + UUID.randomUUID() + "\",\"session\":\"" + UUID.randomUUID()
                    + "\",\"username\":\"test\",\"date\":\"2026-01-01T00:00:00.000Z\",\"msg_type\":\"" + msgType
                    + "\",\"version\":\"5.3\"}";
            String[] parts = {header, "{}", "{}", "{}"};
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            for (String part : parts) {
                mac.update(part.getBytes(StandardCharsets.UTF_8));
            }
            socket.sendMore("<IDS|MSG>");
            socket.sendMore(HexFormat.of().formatHex(mac.doFinal()));
            socket.sendMore(parts[0]);
            socket.sendMore(parts[1]);
            socket.sendMore(parts[2]);
            socket.send(parts[3]);
        }

        /** The msg_type of the next message, or null if none arrives in time. */
        String receiveType(long millis) {
            try (ZMQ.Poller poller = ctx.poller(1)) {
                poller.register(socket, ZMQ.Poller.POLLIN);
                if (poller.poll(millis) <= 0) {
                    return null;
                }
            }
            String frame;
            do {
                frame = socket.recvStr();
            } while (!"<IDS|MSG>".equals(frame));
            socket.recvStr(); // signature
            Matcher m = Pattern.compile("\"msg_type\"\\s*:\\s*\"([^\"]+)\"").matcher(socket.recvStr());
            while (socket.hasReceiveMore()) {
                socket.recv();
            }
            return m.find() ? m.group(1) : "?";
        }

        @Override
        public void close() {
            socket.close();
            ctx.close();
        }
    }

    /**
     * The race of rapaio 3.0.1: the request is already queued when the shell loop starts; its
     * Channels dropped it ("Unhandled message") when the handler table was still empty.
     */
    @Test
    void aKernelInfoRequestWaitingAtStartUpIsAnswered() throws Exception {
        for (int start = 0; start < 10; start++) {
            ConnectionProperties props = freshConnection();
            Channels channels = new Channels(props);
            try (FrontEnd frontEnd = new FrontEnd(props)) {
                frontEnd.send("kernel_info_request");
                channels.connect(kernel);
                assertEquals("kernel_info_reply", frontEnd.receiveType(10_000),
                        "start " + start + ": the reply to a kernel_info_request sent before connect()");
            } finally {
                close(channels);
            }
        }
    }

    @Test
    void everyRequestTypeTheKernelHandlesIsRouted() throws Exception {
        Channels channels = new Channels(freshConnection());
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

    private static ConnectionProperties freshConnection() throws IOException {
        int[] ports = new int[5];
        for (int i = 0; i < ports.length; i++) {
            try (ServerSocket s = new ServerSocket(0)) {
                ports[i] = s.getLocalPort();
            }
        }
        // control, shell, transport, signature scheme, stdin, heartbeat, ip, iopub, key
        return new ConnectionProperties(ports[0], ports[1], "tcp", "hmac-sha256", ports[2], ports[3], "127.0.0.1",
                ports[4], UUID.randomUUID().toString());
    }
}

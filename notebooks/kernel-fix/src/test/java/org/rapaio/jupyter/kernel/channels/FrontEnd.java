package org.rapaio.jupyter.kernel.channels;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.rapaio.jupyter.kernel.core.ConnectionProperties;
import org.rapaio.org.zeromq.SocketType;
import org.rapaio.org.zeromq.ZMQ;
import org.rapaio.shaded.com.google.gson.JsonObject;
import org.rapaio.shaded.com.google.gson.JsonParser;

/** A Jupyter client's socket on one of the kernel's channels, speaking the wire protocol signed with the key. */
final class FrontEnd implements AutoCloseable {

    /** A message from the kernel: its type, the id of the request it answers (or null), its content. */
    record Received(String type, String parentId, JsonObject content) {
        String text(String field) {
            return content.has(field) ? content.get(field).toString() : "";
        }

        @Override
        public String toString() {
            return type + " (reply to " + parentId + ")";
        }
    }

    private final ZMQ.Context ctx = ZMQ.context(1);
    private final ZMQ.Socket socket;
    private final String key;
    private final String session = UUID.randomUUID().toString();

    private FrontEnd(ConnectionProperties props, SocketType type, int port) {
        key = props.key();
        socket = ctx.socket(type);
        socket.setLinger(0);
        if (type == SocketType.SUB) {
            socket.subscribe(new byte[0]);
        }
        socket.connect(props.formatAddress(port));
    }

    static FrontEnd shell(ConnectionProperties props) {
        return new FrontEnd(props, SocketType.DEALER, props.shellPort());
    }

    static FrontEnd control(ConnectionProperties props) {
        return new FrontEnd(props, SocketType.DEALER, props.controlPort());
    }

    static FrontEnd iopub(ConnectionProperties props) {
        return new FrontEnd(props, SocketType.SUB, props.iopubPort());
    }

    /** Sends a request with empty content; returns its msg_id. */
    String send(String msgType) throws Exception {
        return send(msgType, "{}");
    }

    /** Sends a request; returns its msg_id. */
    String send(String msgType, String content) throws Exception {
        String id = UUID.randomUUID().toString();
        String header = "{\"msg_id\":\"" + id + "\",\"session\":\"" + session
                + "\",\"username\":\"test\",\"date\":\"2026-01-01T00:00:00.000Z\",\"msg_type\":\"" + msgType
                + "\",\"version\":\"5.3\"}";
        String[] parts = {header, "{}", "{}", content};
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
        return id;
    }

    /** An execute_request for the code; returns its msg_id. */
    String execute(String code) throws Exception {
        JsonObject content = new JsonObject();
        content.addProperty("code", code);
        content.addProperty("silent", false);
        content.addProperty("store_history", true);
        content.add("user_expressions", new JsonObject());
        content.addProperty("allow_stdin", false);
        content.addProperty("stop_on_error", true);
        return send("execute_request", content.toString());
    }

    /** The next message, or null if none arrives within the time. */
    Received receive(long millis) {
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
        JsonObject header = JsonParser.parseString(socket.recvStr()).getAsJsonObject();
        String parentRaw = socket.recvStr();
        socket.recvStr(); // metadata
        JsonObject content = JsonParser.parseString(socket.recvStr()).getAsJsonObject();
        while (socket.hasReceiveMore()) {
            socket.recv();
        }
        String parentId = null;
        if (parentRaw != null && !parentRaw.isBlank() && !"null".equals(parentRaw.trim())) {
            JsonObject parent = JsonParser.parseString(parentRaw).getAsJsonObject();
            parentId = parent.has("msg_id") ? parent.get("msg_id").getAsString() : null;
        }
        return new Received(header.get("msg_type").getAsString(), parentId, content);
    }

    /** The next message of a type (others are skipped), or null if none arrives within the time. */
    Received receive(String type, long millis) {
        long deadline = System.currentTimeMillis() + millis;
        for (long left = millis; left > 0; left = deadline - System.currentTimeMillis()) {
            Received r = receive(left);
            if (r == null) {
                return null;
            }
            if (r.type().equals(type)) {
                return r;
            }
        }
        return null;
    }

    @Override
    public void close() {
        socket.close();
        ctx.close();
    }

    /** A connection file's contents on free local ports. */
    static ConnectionProperties freshConnection() throws IOException {
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

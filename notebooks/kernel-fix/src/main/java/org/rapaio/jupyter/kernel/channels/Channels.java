package org.rapaio.jupyter.kernel.channels;

import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.Stack;
import org.rapaio.jupyter.kernel.core.ConnectionProperties;
import org.rapaio.jupyter.kernel.core.RapaioKernel;
import org.rapaio.jupyter.kernel.message.ContentType;
import org.rapaio.jupyter.kernel.message.HMACDigest;
import org.rapaio.jupyter.kernel.message.Message;
import org.rapaio.jupyter.kernel.message.MessageId;
import org.rapaio.jupyter.kernel.message.MessageType;
import org.rapaio.jupyter.kernel.message.messages.ErrorReply;
import org.rapaio.jupyter.kernel.message.messages.IOPubStatus;
import org.rapaio.jupyter.kernel.message.messages.IOPubStream;
import org.rapaio.org.zeromq.ZMQ;

/**
 * The kernel's five sockets (heartbeat, shell, control, stdin, iopub) and the table that routes each
 * request type to the kernel's handler; a drop-in replacement for the class of the same name in
 * {@code io.github.padreati:rapaio-jupyter-kernel:3.0.1}, with the same constructor and methods.
 *
 * <p>Why it exists: in 3.0.1, {@code connect} binds the sockets (starting their loop threads) first and
 * creates and fills the handler table afterwards, in a plain field. A request that is already waiting
 * when the shell loop starts (a client sends {@code kernel_info_request} as soon as it launches the
 * kernel) finds no handler and is dropped with "Unhandled message" or, if the table does not exist
 * yet, kills the shell loop with a NullPointerException. A client that asks only once, such as the
 * classic Jupyter Notebook server when a browser opens a notebook, then waits 60 seconds for a reply
 * that never comes. Here the table is complete before any socket is bound, and starting the loop
 * threads publishes it to them.
 */
public final class Channels {

    private final ConnectionProperties connProps;
    private final ZMQ.Context ctx;
    private final HeartbeatChannel heartbeat;
    private final ShellChannel shell;
    private final ControlChannel control;
    private final StdinChannel stdin;
    private final IOPubChannel iopub;
    private final Set<AbstractChannel> channels;
    private final Stack<Runnable> afterActions = new Stack<>();
    private final Map<MessageType<?>, MessageHandler<?>> handlers = new HashMap<>();

    private volatile MessageId<?> msgId;
    private volatile boolean isConnected;
    private volatile boolean requestShutdown;

    /** Creates the sockets (unbound) for the ports and key of a Jupyter connection file. */
    public Channels(ConnectionProperties connProps) throws NoSuchAlgorithmException, InvalidKeyException {
        this.connProps = connProps;
        this.ctx = ZMQ.context(1);
        HMACDigest hmac = connProps.createHMACDigest();
        this.heartbeat = new HeartbeatChannel(this, ctx, hmac);
        this.shell = new ShellChannel(this, ctx, hmac, this);
        this.control = new ControlChannel(this, ctx, hmac);
        this.stdin = new StdinChannel(this, ctx, hmac);
        this.iopub = new IOPubChannel(this, ctx, hmac);
        this.channels = Set.of(heartbeat, shell, control, stdin, iopub);
    }

    /**
     * Routes requests to the kernel, then binds the sockets and announces "starting". The order is
     * the fix: every handler is in place before a loop thread can read a request.
     */
    public void connect(RapaioKernel kernel) {
        if (isConnected) {
            return;
        }
        kernel.registerChannels(this);
        route(MessageType.SHELL_EXECUTE_REQUEST, kernel::handleExecuteRequest);
        route(MessageType.SHELL_INSPECT_REQUEST, kernel::handleInspectRequest);
        route(MessageType.SHELL_COMPLETE_REQUEST, kernel::handleCompleteRequest);
        route(MessageType.SHELL_HISTORY_REQUEST, kernel::handleHistoryRequest);
        route(MessageType.SHELL_IS_COMPLETE_REQUEST, kernel::handleIsCompleteRequest);
        route(MessageType.SHELL_KERNEL_INFO_REQUEST, kernel::handleKernelInfoRequest);
        route(MessageType.CONTROL_SHUTDOWN_REQUEST, kernel::handleShutdownRequest);
        route(MessageType.CONTROL_INTERRUPT_REQUEST, kernel::handleInterruptRequest);
        route(MessageType.CUSTOM_COMM_OPEN, kernel::handleCommOpenCommand);
        route(MessageType.CUSTOM_COMM_MSG, kernel::handleCommMsgCommand);
        route(MessageType.CUSTOM_COMM_CLOSE, kernel::handleCommCloseCommand);
        route(MessageType.SHELL_COMM_INFO_REQUEST, kernel::handleCommInfoRequest);
        channels.forEach(channel -> channel.bind(connProps));
        iopub.sendMessage(new Message<>(MessageType.IOPUB_STATUS, IOPubStatus.STARTING));
        isConnected = true;
    }

    private <T> void route(MessageType<T> type, MessageHandler<T> handler) {
        handlers.put(type, handler);
    }

    /** The handler for a request type, or null if the kernel does not handle it. */
    @SuppressWarnings("unchecked")
    public <T> MessageHandler<T> getHandler(MessageType<T> type) {
        return (MessageHandler<T>) handlers.get(type);
    }

    /** Closes every socket and the ZeroMQ context. */
    public void close() {
        channels.forEach(AbstractChannel::close);
        ctx.close();
    }

    /** Waits until every channel's loop has ended. */
    public void joinUntilClose() {
        channels.forEach(AbstractChannel::joinUntilClose);
    }

    /** Whether a request is being handled (its id becomes the parent of what the kernel sends). */
    public boolean hasMsgId() {
        return msgId != null;
    }

    /** Sets the request being handled. */
    public void setMsgId(MessageId<?> msgId) {
        this.msgId = msgId;
    }

    /** Clears the request being handled. */
    public void freeMsgId() {
        this.msgId = null;
    }

    /** Asks the loops to close the connection after the current request. */
    public void markForShutdown() {
        requestShutdown = true;
    }

    /** Whether a shutdown was requested. */
    public boolean isMarkedForShutdown() {
        return requestShutdown;
    }

    /** Publishes text on the notebook's stdout stream. */
    public void writeToStdOut(String text) {
        publish(new IOPubStream(IOPubStream.StreamName.OUT, text));
    }

    /** Publishes text on the notebook's stderr stream. */
    public void writeToStdErr(String text) {
        publish(new IOPubStream(IOPubStream.StreamName.ERR, text));
    }

    /** Asks the front end for a line of input. */
    public String readFromStdIn() {
        return stdin.getInput(msgId, "", false);
    }

    /** Publishes content on iopub, as a child of the request being handled. */
    public <T extends ContentType<T>> void publish(T content) {
        iopub.sendMessage(new Message<>(msgId, content.type(), content));
    }

    /** Replies on the shell socket to the request being handled. */
    public <T extends ContentType<T>> void reply(T content) {
        shell.sendMessage(new Message<>(msgId, content.type(), content));
    }

    /** Replies with an error on the shell socket to the request being handled. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public void replyError(MessageType<?> type, ErrorReply error) {
        shell.sendMessage(new Message(msgId, type, error));
    }

    /** Runs an action after the current request is handled (actions run last-in, first-out). */
    public void scheduleAfter(Runnable action) {
        afterActions.push(action);
    }

    /** Runs and removes the scheduled actions. */
    public void runAfterActions() {
        while (!afterActions.isEmpty()) {
            afterActions.pop().run();
        }
    }

    /** Publishes "busy" now and "idle" after the current request. */
    public void busyThenIdle() {
        publish(IOPubStatus.BUSY);
        scheduleAfter(() -> publish(IOPubStatus.IDLE));
    }
}

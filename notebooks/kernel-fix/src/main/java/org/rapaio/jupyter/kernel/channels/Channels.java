package org.rapaio.jupyter.kernel.channels;

import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.rapaio.jupyter.kernel.core.ConnectionProperties;
import org.rapaio.jupyter.kernel.core.RapaioKernel;
import org.rapaio.jupyter.kernel.core.java.CellInterrupt;
import org.rapaio.jupyter.kernel.message.ContentType;
import org.rapaio.jupyter.kernel.message.HMACDigest;
import org.rapaio.jupyter.kernel.message.Message;
import org.rapaio.jupyter.kernel.message.MessageId;
import org.rapaio.jupyter.kernel.message.MessageType;
import org.rapaio.jupyter.kernel.message.messages.ControlInterruptReply;
import org.rapaio.jupyter.kernel.message.messages.ErrorReply;
import org.rapaio.jupyter.kernel.message.messages.IOPubStatus;
import org.rapaio.jupyter.kernel.message.messages.IOPubStream;
import org.rapaio.org.zeromq.ZMQ;

/**
 * The kernel's five sockets (heartbeat, shell, control, stdin, iopub), the table that routes each
 * request type to the kernel's handler, and the state of the request being handled; a drop-in
 * replacement for the class of the same name in {@code io.github.padreati:rapaio-jupyter-kernel:3.0.1},
 * with the same constructor and public methods.
 *
 * <p>What 3.0.1 got wrong, and what this class does instead:
 * <ul>
 *   <li><b>One request state for two threads.</b> The shell and control sockets are served by two threads,
 *       but 3.0.1 kept a single "current message id" and a single stack of after-actions for both. A
 *       control request handled while a shell request runs (the Jupyter server sends
 *       {@code kernel_info_request} on shell and control at once whenever a browser connects; Kernel ›
 *       Interrupt arrives on control while a cell runs) overwrote the shell's message id and ran the
 *       shell's pending actions: replies went out with the wrong parent or to the wrong socket (a lost
 *       {@code kernel_info_reply}: a page that never becomes ready, a Restart &amp; Run All that runs
 *       nothing, then everything twice; a lost {@code execute_reply}: a cell stuck at {@code In [*]}),
 *       the control thread published the shell's "idle", and two threads popping one stack could throw
 *       and end the shell loop for good. Here each request carries its own id, its own after-actions and
 *       the socket it came from: a reply goes back on that socket, to that request.</li>
 *   <li><b>Replies on the wrong socket.</b> 3.0.1 sent every reply on shell, including
 *       {@code interrupt_reply}, {@code shutdown_reply} and {@code kernel_info_reply} to a control
 *       request; a ROUTER socket drops a message for a peer it does not know.</li>
 *   <li><b>Kernel › Interrupt.</b> 3.0.1 replied, published "idle" at once, cancelled a future (which only
 *       sets a flag a loop never checks) and shut its executor down: the cell ran on at {@code In [*]}, and
 *       every later cell was refused. Here the interrupt marks the cell in progress interrupted and stops
 *       the snippet that runs (see {@code RapaioExecutionControl}), and returns once it has ended.</li>
 *   <li><b>Dishonest status.</b> The "idle" of a control request (an interrupt) told the page the kernel
 *       was idle while a cell still ran. Here a control request publishes "idle" only when no shell
 *       request is in progress (the shell's own "idle" follows when it ends).</li>
 *   <li><b>Sockets used from any thread.</b> Output printed by a cell was sent on iopub from the cell's
 *       own thread, which Kernel › Interrupt may stop at any instruction (a half-sent message corrupts
 *       the socket). Here every iopub message goes through a lock-free queue to one publisher thread,
 *       and a cell asking for input waits on a stdin exchange run by another thread: a cell's thread
 *       never touches a socket.</li>
 *   <li><b>The start-up race.</b> In 3.0.1, {@code connect} bound the sockets before it filled the handler
 *       table, so a request already waiting (clients send {@code kernel_info_request} at once) was dropped
 *       or killed the shell loop. Here the table is complete before any socket is bound.</li>
 * </ul>
 */
public final class Channels {

    private static final Logger LOGGER = Logger.getLogger(Channels.class.getSimpleName());
    private static final long CLOSE_WAIT_MILLIS = 2_000;

    /** One request being handled: where it came from, its id (the parent of what is sent for it), its after-actions. */
    private static final class Request {
        final AbstractChannel from;
        volatile MessageId<?> id;
        final Deque<Runnable> after = new ArrayDeque<>();

        Request(AbstractChannel from, MessageId<?> id) {
            this.from = from;
            this.id = id;
        }
    }

    private final ConnectionProperties connProps;
    private final ZMQ.Context ctx;
    private final HeartbeatChannel heartbeat;
    private final ShellChannel shell;
    private final ControlChannel control;
    private final StdinChannel stdin;
    private final IOPubChannel iopub;
    private final List<AbstractChannel> channels;
    private final Map<MessageType<?>, MessageHandler<?>> handlers = new HashMap<>();

    /** The request the current loop thread handles; unset on other threads. */
    private final ThreadLocal<Request> handling = new ThreadLocal<>();
    /** The shell request in progress: the parent of what a cell's threads print or display. */
    private volatile Request shellRequest;
    /** Orders the start and end of a shell request with an interrupt's look at it. */
    private final Object cellLock = new Object();
    private final Object statusLock = new Object();
    private boolean shellBusy; // guarded by statusLock

    private final ConcurrentLinkedQueue<Message<?>> outbox = new ConcurrentLinkedQueue<>();
    /** Whether the publisher holds a message it has taken from the outbox and not yet sent. */
    private volatile boolean inFlight;
    private final Object publishedLock = new Object();
    private final Thread publisher;
    private final ExecutorService stdinExchange = Executors.newSingleThreadExecutor(r -> daemon(r, "Stdin-exchange"));

    private volatile boolean isConnected;
    private volatile boolean requestShutdown;
    private volatile boolean closing;
    private volatile boolean closed;

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
        this.channels = List.of(heartbeat, shell, control, stdin, iopub);
        this.publisher = daemon(this::publishLoop, "IOPub-publisher");
    }

    private static Thread daemon(Runnable body, String name) {
        Thread t = new Thread(body, name);
        t.setDaemon(true);
        return t;
    }

    /**
     * Routes requests to the kernel, then binds the sockets and announces "starting". The order matters:
     * every handler is in place before a loop thread can read a request.
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
        route(MessageType.CONTROL_INTERRUPT_REQUEST, message -> interrupt(kernel));
        route(MessageType.CUSTOM_COMM_OPEN, kernel::handleCommOpenCommand);
        route(MessageType.CUSTOM_COMM_MSG, kernel::handleCommMsgCommand);
        route(MessageType.CUSTOM_COMM_CLOSE, kernel::handleCommCloseCommand);
        route(MessageType.SHELL_COMM_INFO_REQUEST, kernel::handleCommInfoRequest);
        publisher.start();
        channels.forEach(channel -> channel.bind(connProps));
        enqueue(new Message<>(MessageType.IOPUB_STATUS, IOPubStatus.STARTING));
        isConnected = true;
    }

    /**
     * Kernel › Interrupt, on the control thread: acknowledges at once, marks the cell in progress interrupted
     * (its later snippets will not start), stops the snippet that runs, and returns when it has ended, so
     * that this request's "idle" does not come before the cell's end. (3.0.1's handler reported "idle" at
     * once and shut down the executor every later cell needed.)
     */
    private void interrupt(RapaioKernel kernel) {
        busyThenIdle();
        reply(new ControlInterruptReply());
        synchronized (cellLock) { // the cell's request cannot end, nor the next begin, until this is done
            if (shellRequest == null) {
                return; // nothing to interrupt: the next cell must run
            }
            CellInterrupt.request();
            kernel.interrupt();
        }
    }

    private <T> void route(MessageType<T> type, MessageHandler<T> handler) {
        handlers.put(type, handler);
    }

    /** The handler for a request type, or null if the kernel does not handle it. */
    @SuppressWarnings("unchecked")
    public <T> MessageHandler<T> getHandler(MessageType<T> type) {
        return (MessageHandler<T>) handlers.get(type);
    }

    /**
     * Handles one request read from the shell or control socket, on that socket's loop thread: its
     * handler runs, then its after-actions (replies, "idle"), with the request's own id as the parent of
     * everything sent for it. After a shutdown request, closes the connection.
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    void serve(AbstractChannel from, Message<?> message) {
        MessageType<?> type = message.header().type();
        MessageHandler handler = getHandler(type);
        if (handler == null) {
            LOGGER.warning("Unhandled message on " + from.channelName + ": " + type.name());
            return;
        }
        Request request = new Request(from, message.getId());
        handling.set(request);
        if (from == shell) {
            synchronized (cellLock) {
                shellRequest = request;
            }
        }
        try {
            handler.handle(message);
        } catch (RuntimeException e) {
            LOGGER.log(Level.SEVERE, "Exception handling " + type.name(), e);
        } finally {
            try {
                runAfterActions();
            } finally {
                handling.remove();
                if (from == shell) {
                    synchronized (cellLock) {
                        shellRequest = null;
                        CellInterrupt.clear();
                    }
                }
            }
        }
        if (requestShutdown) {
            close();
        }
    }

    private Request current() {
        Request r = handling.get();
        return r != null ? r : shellRequest;
    }

    /** Closes every socket and the ZeroMQ context, after the loops have stopped and iopub has sent what it holds. */
    public void close() {
        synchronized (this) {
            if (closing) {
                return;
            }
            closing = true;
        }
        shell.close();
        control.close();
        heartbeat.close();
        LockSupport.unpark(publisher);
        try {
            publisher.join(CLOSE_WAIT_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        stdinExchange.shutdownNow();
        stdin.close();
        iopub.close();
        ctx.close();
        closed = true;
    }

    /** Waits until every channel's loop has ended. */
    public void joinUntilClose() {
        channels.forEach(AbstractChannel::joinUntilClose);
    }

    /** Whether a request is being handled (its id becomes the parent of what the kernel sends). */
    public boolean hasMsgId() {
        Request r = current();
        return r != null && r.id != null;
    }

    /** Sets the id of the request being handled. */
    public void setMsgId(MessageId<?> msgId) {
        Request r = current();
        if (r != null) {
            r.id = msgId;
        }
    }

    /** Clears the id of the request being handled. */
    public void freeMsgId() {
        Request r = current();
        if (r != null) {
            r.id = null;
        }
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

    /**
     * Asks the front end for a line of input, for the request being handled. The exchange runs on its own
     * thread, so that a cell stopped while it waits leaves the stdin socket intact.
     */
    public String readFromStdIn() {
        Request r = current();
        MessageId<?> id = r == null ? null : r.id;
        try {
            return stdinExchange.submit(() -> stdin.getInput(id, "", false)).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for input", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("could not read input from the front end", e.getCause());
        }
    }

    /** Publishes content on iopub, as a child of the request being handled. */
    public <T extends ContentType<T>> void publish(T content) {
        Request r = current();
        enqueue(new Message<>(r == null ? null : r.id, content.type(), content));
    }

    /**
     * Replies to the request being handled, on the socket it came from, once iopub has sent what was
     * published before (a cell's outputs reach the front end before its reply, as with 3.0.1's direct sends).
     */
    public <T extends ContentType<T>> void reply(T content) {
        Request r = requireRequest();
        awaitPublished();
        r.from.sendMessage(new Message<>(r.id, content.type(), content));
    }

    /** Replies with an error to the request being handled, on the socket it came from (after iopub, as {@link #reply}). */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public void replyError(MessageType<?> type, ErrorReply error) {
        Request r = requireRequest();
        awaitPublished();
        r.from.sendMessage(new Message(r.id, type, error));
    }

    /** Waits (boundedly) until the outbox is empty and nothing is being sent. */
    private void awaitPublished() {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(CLOSE_WAIT_MILLIS);
        synchronized (publishedLock) {
            while ((inFlight || !outbox.isEmpty()) && !closing) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return;
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(publishedLock, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    private Request requireRequest() {
        Request r = handling.get();
        if (r == null) {
            throw new IllegalStateException("a reply outside of a request's handler (thread " + Thread.currentThread().getName() + ")");
        }
        return r;
    }

    /** Runs an action after the current request is handled (actions run last-in, first-out). */
    public void scheduleAfter(Runnable action) {
        requireRequest().after.push(action);
    }

    /**
     * Runs and removes the current request's scheduled actions; one that fails is logged and the others still
     * run (they send the reply and "idle": without them the front end waits forever).
     */
    public void runAfterActions() {
        Request r = handling.get();
        if (r == null) {
            return;
        }
        while (!r.after.isEmpty()) {
            try {
                r.after.pop().run();
            } catch (RuntimeException e) {
                LOGGER.log(Level.SEVERE, "An action after a request failed", e);
            }
        }
    }

    /**
     * Publishes "busy" now and "idle" after the current request. The "idle" of a control request is left
     * out while a shell request is in progress: the kernel is still busy, and the shell request's own
     * "idle" follows when it ends.
     */
    public void busyThenIdle() {
        Request r = requireRequest();
        status(r, IOPubStatus.BUSY);
        scheduleAfter(() -> status(r, IOPubStatus.IDLE));
    }

    private void status(Request r, IOPubStatus status) {
        synchronized (statusLock) {
            if (r.from == shell) {
                shellBusy = status == IOPubStatus.BUSY;
            } else if (status == IOPubStatus.IDLE && shellBusy) {
                return;
            }
            enqueue(new Message<>(r.id, status.type(), status));
        }
    }

    private void enqueue(Message<?> message) {
        outbox.add(message);
        LockSupport.unpark(publisher);
    }

    /** The one thread that sends on iopub, in the order messages were queued. */
    private void publishLoop() {
        while (!(closing && outbox.isEmpty())) {
            inFlight = true; // before taking: a waiter that sees the outbox empty then sees this flag
            Message<?> m = outbox.poll();
            if (m != null) {
                try {
                    iopub.sendMessage(m);
                } catch (RuntimeException e) {
                    LOGGER.log(Level.SEVERE, "Could not publish " + m.header().type().name(), e);
                }
            }
            inFlight = false;
            synchronized (publishedLock) {
                publishedLock.notifyAll();
            }
            if (m == null) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
            }
        }
    }

    /** Whether {@link #close()} has finished. */
    boolean isClosed() {
        return closed;
    }
}

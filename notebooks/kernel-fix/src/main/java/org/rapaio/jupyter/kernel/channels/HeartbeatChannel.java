package org.rapaio.jupyter.kernel.channels;

import java.util.concurrent.atomic.AtomicInteger;
import org.rapaio.jupyter.kernel.core.ConnectionProperties;
import org.rapaio.jupyter.kernel.message.HMACDigest;
import org.rapaio.org.zeromq.SocketType;
import org.rapaio.org.zeromq.ZMQ;

/**
 * The heartbeat socket: echoes every ping; a drop-in replacement for the class of the same name in
 * rapaio-jupyter-kernel 3.0.1, whose {@code close()} closed the socket while its loop thread could still
 * be polling it. Here the loop ends first.
 */
public final class HeartbeatChannel extends AbstractChannel {

    private static final AtomicInteger ID = new AtomicInteger();

    private volatile LoopThread loopThread;

    public HeartbeatChannel(Channels channels, ZMQ.Context context, HMACDigest hmacGenerator) {
        super(channels, "HeartbeatChannel", context, SocketType.REP, hmacGenerator);
    }

    @Override
    public void bind(ConnectionProperties connProps) {
        if (loopThread != null) {
            throw new IllegalStateException("Channel already bound.");
        }
        socket.bind(connProps.formatAddress(connProps.hbPort()));
        ZMQ.Poller poller = ctx.poller(1);
        poller.register(socket, ZMQ.Poller.POLLIN);
        loopThread = new LoopThread("Heartbeat-" + ID.getAndIncrement(), 0, () -> {
            if (poller.poll(RequestLoop.POLL_MILLIS) > 0) {
                byte[] ping = socket.recv();
                if (ping != null) {
                    socket.send(ping);
                }
            }
        });
        loopThread.start();
    }

    @Override
    public void close() {
        if (loopThread != null) {
            loopThread.shutdownAndJoin(RequestLoop.JOIN_MILLIS);
        }
        super.close();
    }

    @Override
    public void joinUntilClose() {
        if (loopThread != null) {
            try {
                loopThread.join();
            } catch (InterruptedException ignored) {
                Thread.currentThread().interrupt();
            }
        }
    }
}

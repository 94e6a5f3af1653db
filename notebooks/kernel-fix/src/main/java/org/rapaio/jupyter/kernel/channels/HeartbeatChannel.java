package org.rapaio.jupyter.kernel.channels;

import java.util.concurrent.atomic.AtomicInteger;
import org.rapaio.jupyter.kernel.core.ConnectionProperties;
import org.rapaio.jupyter.kernel.message.HMACDigest;
import org.rapaio.org.zeromq.SocketType;
import org.rapaio.org.zeromq.ZMQ;

/**
 * The heartbeat socket: echoes every ping; a drop-in replacement for the class of the same name in
 * rapaio-jupyter-kernel 3.0.1, whose {@code close()} closed the socket while its loop thread could still
 * be polling it. Here the loop ends first ({@link ChannelLoop}).
 */
public final class HeartbeatChannel extends AbstractChannel {

    private static final AtomicInteger ID = new AtomicInteger();

    private final ChannelLoop loop = new ChannelLoop();

    public HeartbeatChannel(Channels channels, ZMQ.Context context, HMACDigest hmacGenerator) {
        super(channels, "HeartbeatChannel", context, SocketType.REP, hmacGenerator);
    }

    @Override
    public void bind(ConnectionProperties connProps) {
        loop.echo(this, connProps.formatAddress(connProps.hbPort()), "Heartbeat-" + ID.getAndIncrement());
    }

    @Override
    public void close() {
        loop.stop();
        super.close();
    }

    @Override
    public void joinUntilClose() {
        loop.join();
    }
}

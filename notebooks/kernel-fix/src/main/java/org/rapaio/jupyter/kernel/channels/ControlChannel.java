package org.rapaio.jupyter.kernel.channels;

import java.util.concurrent.atomic.AtomicInteger;
import org.rapaio.jupyter.kernel.core.ConnectionProperties;
import org.rapaio.jupyter.kernel.message.HMACDigest;
import org.rapaio.org.zeromq.SocketType;
import org.rapaio.org.zeromq.ZMQ;

/**
 * The control socket (interrupt and shutdown requests, and the kernel_info requests a server sends to check
 * it); a drop-in replacement for the class of the same name in rapaio-jupyter-kernel 3.0.1. Its requests are
 * served by {@link Channels#serve}, which keeps each request's state apart from the shell socket's (an
 * interrupt is handled while a cell runs) and replies on this socket, on a {@link ChannelLoop}.
 */
public final class ControlChannel extends AbstractChannel {

    private static final AtomicInteger ID = new AtomicInteger();

    private final ChannelLoop loop = new ChannelLoop();

    public ControlChannel(Channels channels, ZMQ.Context context, HMACDigest hmacGenerator) {
        super(channels, "ControlChannel", context, SocketType.ROUTER, hmacGenerator);
    }

    @Override
    public void bind(ConnectionProperties connProps) {
        loop.serveRequests(this, channels, connProps.formatAddress(connProps.controlPort()), "Control-" + ID.getAndIncrement());
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

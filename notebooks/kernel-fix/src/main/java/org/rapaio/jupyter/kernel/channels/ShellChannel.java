package org.rapaio.jupyter.kernel.channels;

import java.util.concurrent.atomic.AtomicInteger;
import org.rapaio.jupyter.kernel.core.ConnectionProperties;
import org.rapaio.jupyter.kernel.message.HMACDigest;
import org.rapaio.org.zeromq.SocketType;
import org.rapaio.org.zeromq.ZMQ;

/**
 * The shell socket (execute, complete, inspect, kernel_info requests); a drop-in replacement for the class
 * of the same name in rapaio-jupyter-kernel 3.0.1. Its requests are served by {@link Channels#serve}, which
 * keeps each request's state apart from the control socket's, on a {@link ChannelLoop}.
 */
public final class ShellChannel extends AbstractChannel {

    private static final AtomicInteger ID = new AtomicInteger();

    private final ChannelLoop loop = new ChannelLoop();

    /** The {@code connection} argument is the same {@link Channels} as {@code channels} (the constructor of 3.0.1). */
    public ShellChannel(Channels channels, ZMQ.Context context, HMACDigest hmacGenerator, Channels connection) {
        super(channels, "ShellChannel", context, SocketType.ROUTER, hmacGenerator);
    }

    @Override
    public void bind(ConnectionProperties connProps) {
        loop.serveRequests(this, channels, connProps.formatAddress(connProps.shellPort()), "Shell-" + ID.getAndIncrement());
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

package org.rapaio.jupyter.kernel.channels;

import org.rapaio.jupyter.kernel.message.Message;
import org.rapaio.org.zeromq.ZMQ;

/** The loop of a request socket (shell, control): waits for a request, reads it, and has {@link Channels} serve it. */
final class RequestLoop {

    /** How long one poll waits: a request is read as soon as it arrives; a shutdown is seen within this time. */
    static final long POLL_MILLIS = 50;
    /** How long closing a channel waits for its loop to finish the request in hand. */
    static final long JOIN_MILLIS = 2_000;

    private RequestLoop() {
    }

    /** Starts the thread that serves the channel's bound socket. */
    static LoopThread start(AbstractChannel channel, Channels channels, String threadName) {
        ZMQ.Poller poller = channel.ctx.poller(1);
        poller.register(channel.socket, ZMQ.Poller.POLLIN);
        LoopThread loop = new LoopThread(threadName, 0, () -> {
            if (poller.poll(POLL_MILLIS) > 0) {
                Message<?> message = channel.readMessage();
                if (message != null) {
                    channels.serve(channel, message);
                }
            }
        });
        loop.start();
        return loop;
    }
}

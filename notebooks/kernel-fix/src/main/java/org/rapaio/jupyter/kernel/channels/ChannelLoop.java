package org.rapaio.jupyter.kernel.channels;

import org.rapaio.jupyter.kernel.message.Message;
import org.rapaio.org.zeromq.ZMQ;

/**
 * The thread that serves one channel's socket (shell, control, heartbeat): started when the socket is
 * bound, ended before the socket is closed (3.0.1 closed a socket while its loop could still be polling
 * it). Its poll waits with a timeout instead of sleeping between polls, so a message is handled as soon as
 * it arrives.
 */
final class ChannelLoop {

    /** How long one poll waits; a shutdown is seen within this time. */
    static final long POLL_MILLIS = 50;
    /** How long closing a channel waits for its loop to finish the message in hand. */
    static final long JOIN_MILLIS = 2_000;

    private volatile LoopThread thread;

    /** Binds the channel's socket and serves the requests read from it ({@link Channels#serve}). */
    void serveRequests(AbstractChannel channel, Channels channels, String address, String threadName) {
        start(channel, address, threadName, () -> {
            Message<?> message = channel.readMessage();
            if (message != null) {
                channels.serve(channel, message);
            }
        });
    }

    /** Binds the channel's socket and echoes every message (the heartbeat). */
    void echo(AbstractChannel channel, String address, String threadName) {
        start(channel, address, threadName, () -> {
            byte[] ping = channel.socket.recv();
            if (ping != null) {
                channel.socket.send(ping);
            }
        });
    }

    private void start(AbstractChannel channel, String address, String threadName, Runnable onMessage) {
        if (thread != null) {
            throw new IllegalStateException("Channel already bound.");
        }
        channel.socket.bind(address);
        ZMQ.Poller poller = channel.ctx.poller(1);
        poller.register(channel.socket, ZMQ.Poller.POLLIN);
        thread = new LoopThread(threadName, 0, () -> {
            if (poller.poll(POLL_MILLIS) > 0) {
                onMessage.run();
            }
        });
        thread.start();
    }

    /** Ends the loop (waiting for the message in hand), unless called from the loop itself. */
    void stop() {
        LoopThread t = thread;
        if (t != null) {
            t.shutdownAndJoin(JOIN_MILLIS);
        }
    }

    /** Waits until the loop has ended. */
    void join() {
        LoopThread t = thread;
        if (t != null) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}

package io.github.jettyuwsgi.uwsgi.internal;

import io.github.jettyuwsgi.uwsgi.UwsgiRequest;

/**
 * The {@link ReusableChannel}s of one connection factory that no request is using: at most one per thread, kept by the
 * thread that completed its last request.
 *
 * <p>Per thread, because the thread that completes a uwsgi request is nearly always the one that read it and is about to
 * read the next connection's packet: taking and giving back then touch no shared state and need no lock, and the
 * channels kept are bounded by the server's threads. A channel given back on a thread that already keeps one is left
 * to the garbage collector; a virtual thread, which serves one request and ends, makes a channel for it, as before.</p>
 */
public final class ChannelPool
{
    private final ThreadLocal<ReusableChannel> idle = new ThreadLocal<>();

    /**
     * @param connection the connection whose request the channel is for
     * @param request that request, or null when the packet's vars describe none
     * @return a channel no request uses, bound to {@code connection}: this thread's, or a new one
     */
    ReusableChannel acquire(UwsgiConnection connection, UwsgiRequest request)
    {
        ReusableChannel channel = idle.get();
        if (channel == null || !channel.fits(connection))
            return new ReusableChannel(connection, request);
        idle.set(null);
        channel.bind(connection, request);
        return channel;
    }

    /**
     * @param channel a channel whose request is complete, recycled, and beyond reach of its connection's events
     */
    void release(ReusableChannel channel)
    {
        channel.unbind();
        if (idle.get() == null)
            idle.set(channel);
    }
}

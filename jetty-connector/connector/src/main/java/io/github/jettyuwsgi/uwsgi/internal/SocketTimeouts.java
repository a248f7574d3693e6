package io.github.jettyuwsgi.uwsgi.internal;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The record of the connections one {@code UwsgiConnectionFactory} closed because their request stalled for
 * {@code socket-timeout}: a count for the stats document, and a log line at most once a second, so that a crowd of idle
 * connections (a slowloris attack, a frontend that leaks connections) cannot flood the log. Every close is logged at
 * DEBUG; the INFO line names the latest one and how many were closed since the previous line.
 */
public final class SocketTimeouts
{
    private static final Logger LOG = LoggerFactory.getLogger(UwsgiConnection.class);
    private static final long LINE_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final LongAdder count = new LongAdder();
    private final AtomicLong nextLineNanos = new AtomicLong(System.nanoTime());
    private final AtomicLong unlogged = new AtomicLong();

    /**
     * @return the connections closed so far
     */
    public long getCount()
    {
        return count.sum();
    }

    /**
     * Counts one connection closed by the timeout and logs it, unless a line was logged less than a second ago.
     *
     * @param frontend the frontend's end of the socket
     * @param stalled what the connection was waiting for: "nothing received", "a partial packet (VARS)", ...
     * @param timeoutMillis the timeout that expired
     */
    void closed(String frontend, String stalled, long timeoutMillis)
    {
        count.increment();
        if (LOG.isDebugEnabled())
            LOG.debug("uwsgi: socket-timeout ({} ms) on {}: {}; closing", timeoutMillis, frontend, stalled);
        long others = takeLine(System.nanoTime());
        if (others >= 0)
            LOG.info("uwsgi: socket-timeout ({} ms) on {}: {}; closing{}", timeoutMillis, frontend, stalled,
                others == 0 ? "" : " (and " + others + " more since the previous line)");
    }

    /**
     * @param nowNanos the time of the close
     * @return how many closes went unlogged since the previous line, or -1 if this close is not to be logged
     */
    long takeLine(long nowNanos)
    {
        long next = nextLineNanos.get();
        if (nowNanos - next >= 0 && nextLineNanos.compareAndSet(next, nowNanos + LINE_INTERVAL_NANOS))
            return unlogged.getAndSet(0);
        unlogged.incrementAndGet();
        return -1;
    }
}

package io.github.jettyuwsgi.uwsgi.internal;

import java.util.concurrent.atomic.LongAdder;

import io.github.jettyuwsgi.uwsgi.trust.RateLimitedLog;
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

    private final LongAdder count = new LongAdder();
    private final RateLimitedLog infoLog = new RateLimitedLog(1);

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
        if (LOG.isInfoEnabled())
            infoLog.log(suppressed -> LOG.info("uwsgi: socket-timeout ({} ms) on {}: {}; closing{}", timeoutMillis, frontend, stalled, suppressed));
    }
}

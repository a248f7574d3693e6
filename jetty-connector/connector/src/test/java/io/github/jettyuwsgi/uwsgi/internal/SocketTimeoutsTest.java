package io.github.jettyuwsgi.uwsgi.internal;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@link SocketTimeouts} counts every close, however many its rate-limited log line leaves out ({@code RateLimitedLog}
 * has the rate limit's own test).
 */
public class SocketTimeoutsTest
{
    @Test
    public void testEveryCloseIsCounted()
    {
        SocketTimeouts timeouts = new SocketTimeouts();
        for (int i = 0; i < 1000; i++)
            timeouts.closed("unix:/run/app.sock", "nothing received", 4000);
        assertEquals(1000, timeouts.getCount());
    }
}

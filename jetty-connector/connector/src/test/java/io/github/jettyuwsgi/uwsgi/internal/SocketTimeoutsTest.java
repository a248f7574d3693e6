package io.github.jettyuwsgi.uwsgi.internal;

import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The log rate limit of {@link SocketTimeouts}: one line a second at most, and the next line says how many closes
 * went unlogged, so a crowd of idle connections neither floods the log nor disappears from it.
 */
public class SocketTimeoutsTest
{
    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

    @Test
    public void testOneLineASecondCountingTheOthers()
    {
        SocketTimeouts timeouts = new SocketTimeouts();
        long start = System.nanoTime();
        assertEquals(0, timeouts.takeLine(start));
        for (int i = 0; i < 999; i++)
            assertEquals(-1, timeouts.takeLine(start + i * 1000L));
        assertEquals(-1, timeouts.takeLine(start + SECOND - 1));
        assertEquals(1000, timeouts.takeLine(start + SECOND));
        assertEquals(-1, timeouts.takeLine(start + SECOND + 1));
        assertEquals(1, timeouts.takeLine(start + 5 * SECOND));
    }

    @Test
    public void testEveryCloseIsCounted()
    {
        SocketTimeouts timeouts = new SocketTimeouts();
        for (int i = 0; i < 1000; i++)
            timeouts.closed("unix:/run/app.sock", "nothing received", 4000);
        assertEquals(1000, timeouts.getCount());
    }
}

package io.github.jettyuwsgi.uwsgi.trust;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * One line per interval, the next one saying how many were left out; the clock is the test's.
 */
public class RateLimitedLogTest
{
    @Test
    public void testOneLinePerIntervalThenTheCountOfTheOthers()
    {
        AtomicLong now = new AtomicLong(1_000);
        RateLimitedLog log = new RateLimitedLog(10, now::get);
        List<String> lines = new ArrayList<>();

        for (int i = 0; i < 5; i++)
            log.log(lines::add);
        assertEquals(List.of(""), lines);

        now.addAndGet(TimeUnit.SECONDS.toNanos(9));
        log.log(lines::add);
        assertEquals(1, lines.size());

        now.addAndGet(TimeUnit.SECONDS.toNanos(1));
        log.log(lines::add);
        assertEquals(List.of("", " (5 more like it since the previous line, not logged)"), lines);

        now.addAndGet(TimeUnit.SECONDS.toNanos(60));
        log.log(lines::add);
        assertEquals("", lines.get(2));
    }
}

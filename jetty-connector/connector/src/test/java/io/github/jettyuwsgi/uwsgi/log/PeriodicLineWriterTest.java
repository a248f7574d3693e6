package io.github.jettyuwsgi.uwsgi.log;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

public class PeriodicLineWriterTest
{
    private final List<String> written = new CopyOnWriteArrayList<>();

    @Test
    public void linesWaitForTheFlushAndKeepTheirOrder() throws Exception
    {
        // a period no test run reaches: only flush() and stop write
        PeriodicLineWriter writer = new PeriodicLineWriter(written::add, TimeUnit.HOURS.toMillis(1));
        writer.start();
        writer.accept("one");
        writer.accept("two");
        assertEquals(List.of(), written);
        writer.flush();
        assertEquals(List.of("one", "two"), written);
        writer.accept("three");
        writer.stop();
        assertEquals(List.of("one", "two", "three"), written, "stop writes what is left");
    }

    @Test
    public void theFlusherWritesWithinThePeriod() throws Exception
    {
        PeriodicLineWriter writer = new PeriodicLineWriter(written::add, 50);
        writer.start();
        try
        {
            writer.accept("line");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (written.isEmpty() && System.nanoTime() < deadline)
                Thread.sleep(10);
            assertEquals(List.of("line"), written);
        }
        finally
        {
            writer.stop();
        }
    }

    @Test
    public void linesGoThroughAtOnceWhenNotStarted() throws Exception
    {
        PeriodicLineWriter writer = new PeriodicLineWriter(written::add, TimeUnit.HOURS.toMillis(1));
        writer.accept("before start");
        assertEquals(List.of("before start"), written);
        writer.start();
        writer.accept("held");
        writer.stop();
        writer.accept("after stop");
        assertEquals(List.of("before start", "held", "after stop"), written);
    }

    @Test
    public void aPeriodBelowOneMillisecondIsRefused()
    {
        IllegalArgumentException x = assertThrows(IllegalArgumentException.class, () -> new PeriodicLineWriter(written::add, 0));
        assertTrue(x.getMessage().contains("expected: at least 1"), x.getMessage());
    }
}

package io.github.jettyuwsgi.uwsgi.trust;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

import org.eclipse.jetty.util.NanoTime;
import org.slf4j.Logger;

/**
 * One kind of warning logged at most once per interval: the lines in between are counted, and the next line says how
 * many there were. For what an outsider can trigger at will (refused frontends), which must not fill the log.
 */
final class RateLimitedLog
{
    private final LongSupplier clock;
    private final long intervalNanos;
    private final AtomicLong nextNanos;
    private final AtomicLong suppressed = new AtomicLong();

    RateLimitedLog(long intervalSeconds)
    {
        this(intervalSeconds, NanoTime::now);
    }

    /**
     * @param intervalSeconds the least time between two lines
     * @param clock the time in nanoseconds, {@link NanoTime#now()} but in tests
     */
    RateLimitedLog(long intervalSeconds, LongSupplier clock)
    {
        this.clock = clock;
        this.intervalNanos = TimeUnit.SECONDS.toNanos(intervalSeconds);
        this.nextNanos = new AtomicLong(clock.getAsLong());
    }

    /**
     * @param logger the logger the line goes to; nothing is done when its WARN level is off
     * @param line logs the line, given the suffix to append: empty, or how many lines were left out before it
     */
    void warn(Logger logger, Consumer<String> line)
    {
        if (!logger.isWarnEnabled())
            return;
        long now = clock.getAsLong();
        long next = nextNanos.get();
        if (NanoTime.isBefore(now, next) || !nextNanos.compareAndSet(next, now + intervalNanos))
        {
            suppressed.incrementAndGet();
            return;
        }
        long left = suppressed.getAndSet(0);
        line.accept(left == 0 ? "" : " (" + left + " more like it since the previous line, not logged)");
    }
}

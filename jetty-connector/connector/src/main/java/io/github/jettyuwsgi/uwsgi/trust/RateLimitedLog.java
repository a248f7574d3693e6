package io.github.jettyuwsgi.uwsgi.trust;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

import org.eclipse.jetty.util.NanoTime;

/**
 * One kind of server-log line written at most once per interval: the lines in between are counted, and the next line
 * says how many there were. For what an outsider can trigger at will (refused frontends, connections closed by
 * {@code socket-timeout}), which must neither fill the log nor vanish from it.
 */
public final class RateLimitedLog
{
    private final LongSupplier clock;
    private final long intervalNanos;
    private final AtomicLong nextNanos;
    private final AtomicLong suppressed = new AtomicLong();

    /**
     * @param intervalSeconds the least time between two lines
     */
    public RateLimitedLog(long intervalSeconds)
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
     * Writes the line, or counts it when one was written less than an interval ago. The caller checks its logger's
     * level first, so that a line its level drops is not counted either.
     *
     * @param line writes the line, given the suffix to append: empty, or how many lines were left out before it
     */
    public void log(Consumer<String> line)
    {
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

package io.github.jettyuwsgi.uwsgi.log;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.eclipse.jetty.util.component.AbstractLifeCycle;
import org.eclipse.jetty.util.thread.AutoLock;

/**
 * Where {@link UwsgiRequestLog} puts its lines: they are collected in memory and handed to the real writer by one
 * thread at most every period (and at {@link #flush()} and stop), so a request thread never waits for the log's lock
 * or its {@code write(2)}, and many requests share one writer's turn instead of contending for it line by line.
 *
 * <p>Lines keep their order. While not started (a request log used without a server, or a request that ends after the
 * server stopped) every line goes through at once, so no line is ever held back by a writer that nobody will flush.</p>
 */
public class PeriodicLineWriter extends AbstractLifeCycle implements Consumer<String>
{
    private final Consumer<String> target;
    private final long periodNanos;
    private final AutoLock pendingLock = new AutoLock();
    /** Held while writing a batch, so that two batches (the flusher's and a flush() call's) never interleave. */
    private final AutoLock writeLock = new AutoLock();
    private List<String> pending = new ArrayList<>();
    private Thread flusher;

    /**
     * @param target receives each line, on the flushing thread
     * @param periodMillis how long a line may wait at most, in milliseconds
     */
    public PeriodicLineWriter(Consumer<String> target, long periodMillis)
    {
        if (periodMillis <= 0)
            throw new IllegalArgumentException("request log flush period: " + periodMillis + " ms (expected: at least 1)");
        this.target = target;
        this.periodNanos = TimeUnit.MILLISECONDS.toNanos(periodMillis);
    }

    @Override
    public void accept(String line)
    {
        if (isRunning())
        {
            try (AutoLock ignored = pendingLock.lock())
            {
                pending.add(line);
                return;
            }
        }
        try (AutoLock ignored = writeLock.lock())
        {
            writePending();
            target.accept(line);
        }
    }

    /**
     * Hands every collected line to the writer now: before the log file is reopened, and at stop.
     */
    public void flush()
    {
        try (AutoLock ignored = writeLock.lock())
        {
            writePending();
        }
    }

    private void writePending()
    {
        List<String> batch;
        try (AutoLock ignored = pendingLock.lock())
        {
            if (pending.isEmpty())
                return;
            batch = pending;
            pending = new ArrayList<>(batch.size());
        }
        for (String line : batch)
            target.accept(line);
    }

    @Override
    protected void doStart() throws Exception
    {
        super.doStart();
        Thread thread = new Thread(this::flushPeriodically, "uwsgi-request-log");
        thread.setDaemon(true);
        flusher = thread;
        thread.start();
    }

    private void flushPeriodically()
    {
        while (!Thread.currentThread().isInterrupted())
        {
            try
            {
                TimeUnit.NANOSECONDS.sleep(periodNanos);
            }
            catch (InterruptedException stop)
            {
                return;
            }
            flush();
        }
    }

    @Override
    protected void doStop() throws Exception
    {
        Thread thread = flusher;
        flusher = null;
        if (thread != null)
        {
            thread.interrupt();
            thread.join(TimeUnit.NANOSECONDS.toMillis(periodNanos) + 5000);
        }
        flush();
        super.doStop();
    }
}

package io.github.jettyuwsgi.it;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * <p>The load under which a lifecycle test (a reload, a graceful stop) must not fail one request: client threads
 * that each send one request after another until stopped, and the tally of the answers that succeeded and of those
 * that failed, the first of which are kept for the failure message. A subclass sends the requests.</p>
 */
public abstract class LoadClients
{
    /**
     * Enough to see what went wrong, few enough to keep a message of thousands of failures readable.
     */
    private static final int KEPT_FAILURES = 20;

    private final String name;
    private final int clients;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicLong ok = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
    private final List<Thread> threads = new ArrayList<>();

    /**
     * @param name the threads' name prefix
     * @param clients how many threads send requests at once
     */
    protected LoadClients(String name, int clients)
    {
        this.name = name;
        this.clients = clients;
    }

    /**
     * Sends one request on the thread of {@code client} (0 to clients - 1) and counts its outcome with
     * {@link #succeeded()} or {@link #failed(String)}.
     *
     * @throws InterruptedException to end that client
     */
    protected abstract void sendOne(int client) throws InterruptedException;

    protected void succeeded()
    {
        ok.incrementAndGet();
    }

    /**
     * @param what the request and what went wrong, for the failure message
     */
    protected void failed(String what)
    {
        failed.incrementAndGet();
        if (failures.size() < KEPT_FAILURES)
            failures.add(what);
    }

    public void start()
    {
        for (int i = 0; i < clients; i++)
        {
            int client = i;
            Thread thread = new Thread(() -> run(client), name + "-" + i);
            threads.add(thread);
            thread.start();
        }
    }

    private void run(int client)
    {
        try
        {
            while (running.get())
            {
                sendOne(client);
            }
        }
        catch (InterruptedException x)
        {
            // The client ends; stop() does not interrupt, so only a test that is torn down gets here.
        }
    }

    /**
     * Lets every client finish the request it is sending, waiting for each at most {@code timeout}.
     */
    public void stop(Duration timeout) throws InterruptedException
    {
        running.set(false);
        for (Thread thread : threads)
        {
            thread.join(timeout.toMillis());
        }
    }

    public long ok()
    {
        return ok.get();
    }

    /**
     * @return how many requests failed, for a negative control that must see some
     */
    public long failedCount()
    {
        return failed.get();
    }

    /**
     * Asserts that no request failed; the message says how many of how many did, the first of them and
     * {@code logs}.
     */
    public void assertNoneFailed(Supplier<String> logs)
    {
        String kept = String.join("\n", failures);
        assertEquals(0, failed.get(), () -> failed.get() + " failed of " + (ok.get() + failed.get()) + ":\n" + kept + "\n" + logs.get());
    }
}

package io.github.jettyuwsgi.launcher.server;

import org.eclipse.jetty.io.SelectorManager;
import org.eclipse.jetty.server.AbstractConnector;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * Sizes the server's one thread pool for uWSGI's {@code threads}, for {@link ServerAssembler}: uWSGI's threads are
 * request threads, while Jetty's sockets lease their acceptor and selector threads from the same pool
 * ({@code ThreadPoolBudget}), so the pool gets those on top: {@code threads = 4} still runs 4 requests at once.
 */
final class ThreadPoolSizing
{
    /** Below this many request threads the pool keeps no reserved threads (see {@link #fit}). */
    private static final int SMALL_POOL_THREADS = 8;

    private ThreadPoolSizing()
    {
    }

    /**
     * @param threads the request threads ({@code threads})
     * @return the pool, named for the thread dumps; {@link #fit} sizes it once the sockets are known
     */
    static QueuedThreadPool newPool(int threads)
    {
        QueuedThreadPool threadPool = new QueuedThreadPool(threads);
        threadPool.setName("jetty-uwsgi");
        return threadPool;
    }

    /**
     * @param threadPool the server's pool
     * @param server the server, with every socket it will lease threads for
     * @param threads the request threads ({@code threads})
     */
    static void fit(QueuedThreadPool threadPool, Server server, int threads)
    {
        threadPool.setMaxThreads(threads + socketThreads(server));
        // Jetty also budgets its reserved threads (which run requests too) as leased: with a handful of threads they
        // would leave none, so a small pool does without them.
        if (threads < SMALL_POOL_THREADS)
            threadPool.setReservedThreads(0);
    }

    /**
     * @return the threads the sockets will lease from the pool for accepting and selecting
     */
    static int socketThreads(Server server)
    {
        int threads = 0;
        for (AbstractConnector connector : server.getContainedBeans(AbstractConnector.class))
        {
            threads += connector.getAcceptors();
        }
        for (SelectorManager selectors : server.getContainedBeans(SelectorManager.class))
        {
            threads += selectors.getSelectorCount();
        }
        return threads;
    }
}

package io.github.jettyuwsgi.launcher.deploy;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The deployed WARs of a running server, replaceable without touching its connectors: the handler that
 * {@code HandlerChain} puts under the server, and that a reload ({@code Reloader}) gives a new generation of
 * contexts. The listening sockets never close, so a frontend sees no error: requests that entered the old generation
 * finish there, every request after the switch goes to the new one, and the old one is stopped once it is idle.
 */
public final class ReloadableApplications extends Handler.AbstractContainer
{
    private static final Logger LOG = LoggerFactory.getLogger(ReloadableApplications.class);

    /**
     * One set of deployed contexts, with the count of requests inside it: a request counts itself in before it
     * checks that the generation is still current, and the switch marks the old one retired before waiting for its
     * count to reach zero, so no request can enter a generation that is being stopped.
     */
    private static final class Generation
    {
        private final Handler handler;
        private final AtomicInteger inFlight = new AtomicInteger();
        private volatile boolean retired;

        private Generation(Handler handler)
        {
            this.handler = handler;
        }
    }

    private volatile Generation current;

    public ReloadableApplications(Handler applications)
    {
        current = new Generation(applications);
        installBean(applications, true);
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception
    {
        Generation generation;
        while (true)
        {
            generation = current;
            generation.inFlight.incrementAndGet();
            if (!generation.retired)
                break;
            generation.inFlight.decrementAndGet();
        }
        Generation entered = generation;
        boolean handled = false;
        try
        {
            handled = entered.handler.handle(request, response, Callback.from(callback, entered.inFlight::decrementAndGet));
            return handled;
        }
        finally
        {
            if (!handled)
                entered.inFlight.decrementAndGet();
        }
    }

    /**
     * Starts {@code applications}, sends every new request to them, then stops the previous ones once the requests
     * in them have finished (at most {@code drainMillis}).
     *
     * @throws Exception if the new applications do not start; the previous ones then keep serving
     */
    public void replace(Handler applications, long drainMillis) throws Exception
    {
        Server server = getServer();
        applications.setServer(server);
        try
        {
            applications.start();
        }
        catch (Exception x)
        {
            stopQuietly(applications);
            throw x;
        }
        Generation previous = current;
        current = new Generation(applications);
        addBean(applications, true);
        previous.retired = true;
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(drainMillis);
        while (previous.inFlight.get() > 0 && System.nanoTime() < deadline)
        {
            Thread.sleep(10);
        }
        if (previous.inFlight.get() > 0)
            LOG.warn("{} request(s) still running in the previous deployment after {} ms; stopping it anyway", previous.inFlight.get(), drainMillis);
        removeBean(previous.handler);
        stopQuietly(previous.handler);
        previous.handler.destroy();
    }

    private static void stopQuietly(Handler handler)
    {
        try
        {
            handler.stop();
        }
        catch (Exception x)
        {
            LOG.warn("stopping the previous deployment failed", x);
        }
    }

    @Override
    public List<Handler> getHandlers()
    {
        return List.of(current.handler);
    }
}

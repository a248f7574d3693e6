package io.github.jettyuwsgi.launcher.stats;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.handler.StatisticsHandler;
import org.eclipse.jetty.util.NanoTime;
import org.eclipse.jetty.util.annotation.ManagedAttribute;
import org.eclipse.jetty.util.annotation.ManagedObject;

/**
 * Jetty's {@link StatisticsHandler} with the two numbers uWSGI's stats document has and Jetty's lacks: the
 * "exceptions" of a worker or an application, and how long the wrapped handler took to start. {@link StatsServer}
 * puts one around the whole server (the document's worker) and one around each deployed context (its apps).
 *
 * <p>An exception, for uWSGI, is a request whose application raised one. A servlet's exception reaches no handler
 * here: the servlet container turns it into a 500. So a request counts as an exception when its response status is
 * 5xx or when it failed (the handler threw, or the exchange broke off).</p>
 */
@ManagedObject("request statistics, with uWSGI's exceptions count")
public class RequestStatistics extends StatisticsHandler
{
    private final LongAdder exceptions = new LongAdder();
    private volatile long startupNanos;

    public RequestStatistics(Handler handler)
    {
        super(handler);
    }

    @Override
    protected void doStart() throws Exception
    {
        long begin = NanoTime.now();
        super.doStart();
        startupNanos = NanoTime.since(begin);
    }

    @Override
    protected void onComplete(Request request, int status, HttpFields headers, Throwable failure)
    {
        super.onComplete(request, status, headers, failure);
        if (failure != null || status >= 500)
            exceptions.increment();
    }

    @Override
    public void reset()
    {
        super.reset();
        exceptions.reset();
    }

    /**
     * @return requests answered with a 5xx status or that failed, since start
     */
    @ManagedAttribute("requests answered with a 5xx status or that failed")
    public long getExceptions()
    {
        return exceptions.sum();
    }

    /**
     * @return how long the wrapped handler took to start, in whole seconds as uWSGI's {@code startup_time}
     */
    @ManagedAttribute("seconds the wrapped handler took to start")
    public long getStartupSeconds()
    {
        return TimeUnit.NANOSECONDS.toSeconds(startupNanos);
    }
}

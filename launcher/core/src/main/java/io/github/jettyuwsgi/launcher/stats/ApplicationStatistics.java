package io.github.jettyuwsgi.launcher.stats;

import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ContextHandler;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.annotation.ManagedObject;

/**
 * The {@link RequestStatistics} of one deployed context, one of the stats document's apps: put around each context by
 * {@link StatsServer#countPerApplication}. It counts only the requests its context takes: Jetty's
 * {@code ContextHandlerCollection} hands every request to a lone context and lets it refuse those outside its path,
 * which uWSGI would not count as that app's.
 */
@ManagedObject("request statistics of one deployed context")
public class ApplicationStatistics extends RequestStatistics
{
    private volatile ContextHandler context;

    public ApplicationStatistics(Handler handler)
    {
        super(handler);
    }

    @Override
    protected void doStart() throws Exception
    {
        context = getDescendant(ContextHandler.class);
        super.doStart();
    }

    /**
     * @return the context counted, or null if the wrapped handler holds none
     */
    public ContextHandler getContext()
    {
        return context;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception
    {
        // the same two checks ContextHandler.handle makes before it takes a request
        ContextHandler counted = context;
        if (counted != null && (!counted.checkVirtualHost(request) || counted.getContext().getPathInContext(request.getHttpURI().getCanonicalPath()) == null))
            return false;
        return super.handle(request, response, callback);
    }
}

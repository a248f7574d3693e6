package io.github.jettyuwsgi.launcher.deploy;

import java.util.Objects;

import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ContextHandler;
import org.eclipse.jetty.util.Callback;

/**
 * One application of a deployment (the context of a WAR, an {@code --app} or a {@code --jwsgi} class), put around it
 * by {@code HandlerChain} so that its failure to start does not fail the others: the failure is kept, for
 * {@link StartedApplications} to log or to turn into {@code need-app}'s exit, and the requests for the application's
 * context path and virtual hosts are answered 503. Requests outside them are declined, as the context itself would:
 * Jetty's {@code ContextHandlerCollection} hands every request to a lone context and lets it refuse the others.
 */
public final class ApplicationStartGuard extends Handler.Wrapper
{
    private final String what;
    private final ContextHandler context;
    private volatile ApplicationStartException failure;

    /**
     * @param what the application, e.g. "WAR shop.war at /shop"
     * @param application its context, or a wrapper of it
     */
    public ApplicationStartGuard(String what, Handler application)
    {
        super(application);
        this.what = what;
        this.context = Objects.requireNonNull(application instanceof ContextHandler own ? own : getDescendant(ContextHandler.class), "the application's ContextHandler");
    }

    @Override
    protected void doStart() throws Exception
    {
        failure = null;
        try
        {
            super.doStart();
        }
        catch (Exception | LinkageError x)
        {
            // Jetty has logged the exception with its stack; the guard stays started to answer in the context's place
            failure = new ApplicationStartException(what, x);
        }
    }

    /**
     * @return why the application did not start, or null if it started
     */
    ApplicationStartException getFailure()
    {
        return failure;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception
    {
        if (failure == null)
            return super.handle(request, response, callback);
        // the two checks ContextHandler.handle makes before it takes a request, on the context that did not start
        if (!context.checkVirtualHost(request) || context.getContext().getPathInContext(request.getHttpURI().getCanonicalPath()) == null)
            return false;
        Response.writeError(request, response, callback, HttpStatus.SERVICE_UNAVAILABLE_503);
        return true;
    }
}

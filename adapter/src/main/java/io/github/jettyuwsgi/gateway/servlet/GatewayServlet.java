package io.github.jettyuwsgi.gateway.servlet;

import java.io.IOException;
import java.util.concurrent.TimeoutException;

import io.github.jettyuwsgi.gateway.Environ;
import io.github.jettyuwsgi.gateway.GatewayApplication;
import io.github.jettyuwsgi.gateway.GatewayExchange;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * <p>Serves a {@link GatewayApplication} as a servlet, in any Servlet 6 container: request → {@link ServletEnviron}
 * → application → {@link GatewayExchange} → {@link ServletSink} → response. Declared in {@code web.xml} with the
 * application's class name as init-param (see {@link GatewayInitParams} for all of them):</p>
 * <pre>
 * &lt;servlet&gt;
 *   &lt;servlet-name&gt;app&lt;/servlet-name&gt;
 *   &lt;servlet-class&gt;io.github.jettyuwsgi.gateway.servlet.GatewayServlet&lt;/servlet-class&gt;
 *   &lt;init-param&gt;&lt;param-name&gt;application&lt;/param-name&gt;&lt;param-value&gt;com.example.App&lt;/param-value&gt;&lt;/init-param&gt;
 *   &lt;async-supported&gt;true&lt;/async-supported&gt;
 * &lt;/servlet&gt;
 * &lt;servlet-mapping&gt;&lt;servlet-name&gt;app&lt;/servlet-name&gt;&lt;url-pattern&gt;/app/*&lt;/url-pattern&gt;&lt;/servlet-mapping&gt;
 * </pre>
 * <p>Failures: an application error before anything was sent answers 500 with a generic body (the cause goes to the
 * log, never to the client); after the headers went out the servlet throws, so the container aborts the connection
 * and the client sees a truncated response rather than a complete-looking one; a client that goes away is normal and
 * only stops the body, which is closed exactly once on every path.</p>
 * <p>With {@code async=true} (and {@code async-supported}) the application is called on the request thread, then the
 * body is pulled from a {@link WriteListener}: a chunk is asked for only when the container says the connection can
 * take it, and the async timeout is always set explicitly ({@code asyncTimeout}).</p>
 */
public class GatewayServlet extends HttpServlet
{
    private static final long serialVersionUID = 1L;
    /** Carries an async failure after commit to the dispatch that aborts the connection. */
    private static final String ABORT_ATTRIBUTE = GatewayServlet.class.getName() + ".abort";

    private transient GatewayApplication application;
    private transient GatewayInitParams params;

    /**
     * <p>For {@code web.xml} and annotations: the application comes from the {@value GatewayInitParams#APPLICATION}
     * init-param.</p>
     */
    public GatewayServlet()
    {
    }

    /**
     * <p>For programmatic registration and tests: serves this application; init-params other than the class names
     * still apply.</p>
     *
     * @param application the application
     */
    public GatewayServlet(GatewayApplication application)
    {
        this.application = application;
    }

    @Override
    public void init() throws ServletException
    {
        params = GatewayInitParams.from(getServletConfig());
        GatewayApplication app = application != null ? application : ApplicationLoader.load(params, getServletContext().getClassLoader());
        application = Serving.validated(app, params.validate(), getServletContext());
    }

    /**
     * @return the application served, with its middleware and validator
     */
    public GatewayApplication getApplication()
    {
        return application;
    }

    /**
     * <p>Handles every method itself, so HttpServlet answers none of them (not OPTIONS, TRACE or unknown methods).</p>
     */
    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws ServletException, IOException
    {
        if (request.getDispatcherType() == DispatcherType.ASYNC && request.getAttribute(ABORT_ATTRIBUTE) instanceof Throwable failure)
        {
            request.removeAttribute(ABORT_ATTRIBUTE);
            throw new ServletException("gateway application failed after the response was committed; connection aborted", failure);
        }
        Environ environ = ServletEnviron.of(request, params.multiprocess());
        if (params.async() && request.isAsyncSupported())
            serveAsync(request, response, environ);
        else
            serveBlocking(request, response, environ);
    }

    private void serveBlocking(HttpServletRequest request, HttpServletResponse response, Environ environ) throws ServletException
    {
        Serving.serve(application, environ, response, failure -> onFailure(request, failure));
    }

    private void fail(HttpServletRequest request, GatewayExchange exchange, Throwable failure) throws ServletException
    {
        onFailure(request, failure);
        Serving.answerFailure(exchange, failure);
    }

    /**
     * <p>Records an application failure: logs it with the request line. Subclasses may report it elsewhere.</p>
     *
     * @param request the request that failed
     * @param failure what the application threw
     */
    protected void onFailure(HttpServletRequest request, Throwable failure)
    {
        getServletContext().log("gateway application failed: " + request.getMethod() + " " + request.getRequestURI(), failure);
    }

    private void serveAsync(HttpServletRequest request, HttpServletResponse response, Environ environ) throws ServletException, IOException
    {
        GatewayExchange exchange = new GatewayExchange(new ServletSink(response, true));
        try
        {
            exchange.begin(application, environ);
        }
        catch (Exception | Error x)
        {
            exchange.close();
            if (!exchange.isDisconnected())
                fail(request, exchange, x);
            return;
        }
        AsyncContext async = request.startAsync();
        async.setTimeout(params.asyncTimeoutMillis());
        AsyncBody body = new AsyncBody(request, response, exchange, async);
        async.addListener(body);
        response.getOutputStream().setWriteListener(body);
    }

    /**
     * <p>Pulls the body while the connection is ready; the container calls back when it is ready again. Ends in
     * exactly one of: complete (normal end, client gone, 500 or 503 before commit) or abort (failure or timeout after
     * commit).</p>
     * <p>Aborting from a write listener is not portable (Jetty closes the output normally when
     * {@code onWritePossible} throws), so an abort dispatches the request back to this servlet, which then throws
     * from {@code service()} with the response committed: every container aborts the connection in that case.</p>
     */
    private final class AsyncBody implements WriteListener, AsyncListener
    {
        private final HttpServletRequest request;
        private final HttpServletResponse response;
        private final GatewayExchange exchange;
        private final AsyncContext async;
        private final ServletOutputStream out;
        private final long deadline;
        private volatile boolean done;

        private AsyncBody(HttpServletRequest request, HttpServletResponse response, GatewayExchange exchange, AsyncContext async) throws IOException
        {
            this.request = request;
            this.response = response;
            this.exchange = exchange;
            this.async = async;
            this.out = response.getOutputStream();
            long timeout = params.asyncTimeoutMillis();
            // Containers deliver onTimeout only between callbacks; a body that is always ready would never yield, so
            // the loop checks the same deadline itself.
            this.deadline = timeout > 0 ? System.nanoTime() + timeout * 1_000_000 : Long.MAX_VALUE;
        }

        @Override
        public void onWritePossible()
        {
            try
            {
                while (!done && out.isReady())
                {
                    if (System.nanoTime() - deadline > 0)
                    {
                        timeout();
                        return;
                    }
                    if (!exchange.step())
                    {
                        exchange.finish();
                        complete();
                        return;
                    }
                }
            }
            catch (Exception | Error x)
            {
                failed(x);
            }
        }

        private void failed(Throwable failure)
        {
            exchange.close();
            if (exchange.isDisconnected())
            {
                complete();
                return;
            }
            onFailure(request, failure);
            if (exchange.sendInternalError())
                complete();
            else
                abort(failure);
        }

        private void timeout()
        {
            exchange.close();
            getServletContext().log("gateway application: async timeout after " + params.asyncTimeoutMillis() + " ms: " + request.getRequestURI());
            if (response.isCommitted())
            {
                abort(new TimeoutException("async timeout after " + params.asyncTimeoutMillis() + " ms"));
            }
            else
            {
                response.setStatus(HttpServletResponse.SC_SERVICE_UNAVAILABLE);
                complete();
            }
        }

        @Override
        public void onError(Throwable failure)
        {
            // A write failed: the client went away. The body must still be closed once.
            exchange.close();
            complete();
        }

        @Override
        public void onTimeout(AsyncEvent event)
        {
            if (!done)
                timeout();
        }

        @Override
        public void onError(AsyncEvent event)
        {
            onError(event.getThrowable());
        }

        @Override
        public void onComplete(AsyncEvent event)
        {
            exchange.close();
        }

        @Override
        public void onStartAsync(AsyncEvent event)
        {
        }

        private synchronized void complete()
        {
            // complete() twice throws IllegalStateException in some containers (timeouts race with the writer).
            if (done)
                return;
            done = true;
            try
            {
                async.complete();
            }
            catch (IllegalStateException ignored)
            {
                // The container completed it already (an error dispatch).
            }
        }

        private synchronized void abort(Throwable failure)
        {
            if (done)
                return;
            done = true;
            request.setAttribute(ABORT_ATTRIBUTE, failure);
            async.dispatch();
        }
    }
}

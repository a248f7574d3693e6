package io.github.jettyuwsgi.gateway.host;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutionException;

import io.github.jettyuwsgi.gateway.Environ;
import io.github.jettyuwsgi.gateway.GatewayApplication;
import io.github.jettyuwsgi.gateway.GatewayException;
import io.github.jettyuwsgi.gateway.Header;
import io.github.jettyuwsgi.gateway.ResponseBody;
import io.github.jettyuwsgi.gateway.StartResponse;
import io.github.jettyuwsgi.uwsgi.UwsgiConnectionFactory;
import io.github.jettyuwsgi.uwsgi.UwsgiRequest;
import io.github.jettyuwsgi.uwsgi.UwsgiRequestMapping;
import io.github.jettyuwsgi.uwsgi.codec.UwsgiException;
import io.github.jettyuwsgi.uwsgi.codec.UwsgiVars;
import jakarta.servlet.Servlet;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.ee10.webapp.WebAppContext;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpChannel;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.LocalConnector;
import org.eclipse.jetty.server.Server;

/**
 * <p>A servlet, a filter chain or a whole WAR run as a gateway application: each call is one request through a real,
 * in-process Jetty {@link Server}, so sessions, filters, dispatch, JSP, async and error pages behave as they do in a
 * container. This is the environ → servlet half of the bridge; {@code GatewayServlet} in the adapter is the other.</p>
 *
 * <p>How a call travels: the environ's CGI keys become {@link UwsgiVars}, which
 * {@link UwsgiRequestMapping#map(UwsgiVars, java.net.InetSocketAddress)} (the uwsgi connector's one mapping) turns into
 * the request; that request is injected into Jetty through its {@link HttpChannel} with an {@link InProcessExchange} as
 * the {@code HttpStream} and {@code ConnectionMetaData}, the same SPI every Jetty transport implements. This was chosen
 * over a {@code LocalConnector} fed with generated uwsgi packets because it needs no bytes to be encoded and parsed
 * again on either side, and because both directions stream with back pressure: the body is pulled from
 * {@code gateway.input} 16 KiB at a time when the servlet reads, and each response write is handed to the
 * {@code write} callable of {@code start_response} and completes only when the outer server has transmitted it. (A
 * {@code LocalConnector} endpoint buffers its input and output without bound.)</p>
 *
 * <p>The response therefore goes out through {@code write}, which PEP 3333 provides for push-style frameworks, and
 * {@link #call} returns an empty body once Jetty has completed the request (an async servlet completes on another
 * thread; the call waits for it). Status and headers reach {@code start_response} when the servlet response commits;
 * hop-by-hop headers are dropped. Jetty's own {@code Date} and {@code Server} headers are off: the outer server adds
 * its own. A servlet failure after commit makes {@link #call} throw, so the outer server aborts the connection. An
 * environ the mapping rejects gets {@code 400 Bad Request}, as over uwsgi. The hosted request carries the connector's
 * read-only vars attribute, {@value UwsgiConnectionFactory#VARS_ATTRIBUTE}.</p>
 *
 * <p>The mapping reads the raw {@code REQUEST_URI} when present, else {@code SCRIPT_NAME + PATH_INFO}; either way Jetty
 * sees the full path, so a WAR meant to answer under {@code SCRIPT_NAME=/shop} is deployed with context path
 * {@code /shop}.</p>
 */
public final class HostedApplication implements GatewayApplication, AutoCloseable
{
    private final Server server;
    private final LocalConnector connector;
    private final HttpConfiguration httpConfiguration;

    /**
     * @param handler what serves the requests: a {@code WebAppContext}, a {@code ServletContextHandler}, any Jetty
     * {@link Handler}; started by {@link #start()}
     */
    public HostedApplication(Handler handler)
    {
        server = new Server();
        httpConfiguration = new HttpConfiguration();
        httpConfiguration.setSendServerVersion(false);
        httpConfiguration.setSendDateHeader(false);
        // Never connected to: it gives the channel the server's executor, scheduler and buffer pool.
        connector = new LocalConnector(server);
        server.addConnector(connector);
        server.setHandler(Objects.requireNonNull(handler, "handler"));
    }

    /**
     * @param war a WAR file or an exploded web application directory
     * @param contextPath the context path, {@code ""} or e.g. {@code /shop}
     * @return an unstarted host for that web application (ee10, Servlet 6.0)
     */
    public static HostedApplication ofWar(Path war, String contextPath)
    {
        if (!Files.exists(war))
            throw new IllegalArgumentException("war: " + war + " does not exist (expected: a .war file or a web application directory)");
        WebAppContext context = new WebAppContext();
        context.setWar(war.toAbsolutePath().toString());
        context.setContextPath(contextPath);
        context.setThrowUnavailableOnStartupException(true);
        return new HostedApplication(context);
    }

    /**
     * @param servlet the servlet
     * @param pathSpec its mapping, e.g. {@code /*} or {@code /api/*}
     * @return an unstarted host with the servlet in a root context with sessions
     */
    public static HostedApplication ofServlet(Servlet servlet, String pathSpec)
    {
        ServletContextHandler context = new ServletContextHandler(ServletContextHandler.SESSIONS);
        context.setContextPath("/");
        ServletHolder holder = new ServletHolder(servlet);
        holder.setAsyncSupported(true);
        context.addServlet(holder, pathSpec);
        return new HostedApplication(context);
    }

    /**
     * @return this, started
     * @throws Exception when the handler (e.g. the web application) fails to start
     */
    public HostedApplication start() throws Exception
    {
        server.start();
        return this;
    }

    /**
     * @return the Jetty server, to add beans or inspect the handler tree
     */
    public Server getServer()
    {
        return server;
    }

    @Override
    public ResponseBody call(Environ environ, StartResponse startResponse) throws Exception
    {
        if (!server.isStarted())
            throw new IllegalStateException("hosted application: " + server.getState() + " (expected: STARTED; call start() first)");
        UwsgiVars vars = EnvironVars.of(environ);
        UwsgiRequest request;
        try
        {
            request = UwsgiRequestMapping.map(vars, null);
        }
        catch (UwsgiException x)
        {
            environ.errors().write("hosted application: bad request: " + x.getMessage() + "\n");
            startResponse.start("400 Bad Request", new ArrayList<>(List.of(new Header("Content-Type", "text/plain; charset=US-ASCII"))));
            return ResponseBody.of("Bad Request\n".getBytes(StandardCharsets.US_ASCII));
        }

        InProcessExchange exchange = new InProcessExchange(connector, httpConfiguration, request, environ.input(), startResponse);
        Runnable task = request.dispatch(exchange, channel ->
        {
            exchange.attach(channel);
            return exchange;
        });
        task.run();
        try
        {
            exchange.completion().get();
        }
        catch (ExecutionException x)
        {
            Throwable cause = x.getCause();
            if (cause instanceof Exception exception)
                throw exception;
            if (cause instanceof Error error)
                throw error;
            throw new GatewayException("hosted application: " + cause, cause);
        }
        return ResponseBody.empty();
    }

    /**
     * Stops the server and the web application in it.
     */
    @Override
    public void close() throws Exception
    {
        server.stop();
    }
}

package io.github.jettyuwsgi.examples.test;

import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.UnaryOperator;

import org.eclipse.jetty.ee10.webapp.WebAppContext;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.ThreadPool;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * <p>Deploys the exploded WAR of the module under test ({@code src/main/webapp} plus {@code target/classes}) in a
 * real embedded ee10 Jetty on a loopback port, so that an example's unit test talks to its servlets over a real
 * socket exactly as a container would serve the packaged WAR. As a JUnit 5 extension it starts before the test
 * class's first test and stops after its last:</p>
 * <pre>
 * {@literal @}RegisterExtension
 * static final WarServer war = new WarServer("/gw");
 * ...
 * client.send(HttpRequest.newBuilder(URI.create(war.uri() + "/hello")).build(), ...);
 * </pre>
 */
public class WarServer implements BeforeAllCallback, AfterAllCallback
{
    private final String contextPath;
    private ThreadPool threads;
    private Function<Server, ServerConnector> connectors = ServerConnector::new;
    private UnaryOperator<Handler> front = UnaryOperator.identity();
    private Server server;
    private ServerConnector connector;

    /**
     * @param contextPath where the webapp is mounted, such as {@code "/gw"}
     */
    public WarServer(String contextPath)
    {
        this.contextPath = Objects.requireNonNull(contextPath, "contextPath");
    }

    /**
     * @param threads the server's thread pool, for a test that must bound the number of threads
     * @return this
     */
    public WarServer threads(ThreadPool threads)
    {
        this.threads = threads;
        return this;
    }

    /**
     * @param connectors makes the HTTP connector for the server, for a test that needs fewer acceptors or selectors
     * @return this
     */
    public WarServer connector(Function<Server, ServerConnector> connectors)
    {
        this.connectors = connectors;
        return this;
    }

    /**
     * @param front wraps the webapp in a handler of the test's own, to stand in for what a frontend would add
     * @return this
     */
    public WarServer front(UnaryOperator<Handler> front)
    {
        this.front = front;
        return this;
    }

    /**
     * <p>Starts the server with the webapp deployed; the webapp fails to start (rather than answering 503) when a
     * servlet or filter cannot be initialised.</p>
     *
     * @throws Exception if the webapp is missing or the server cannot start
     */
    public void start() throws Exception
    {
        Path webapp = Path.of("src", "main", "webapp").toAbsolutePath();
        Path classes = Path.of("target", "classes").toAbsolutePath();
        if (!Files.isRegularFile(webapp.resolve("WEB-INF/web.xml")))
            throw new IllegalStateException("web.xml: missing (expected: under " + webapp + ")");

        server = threads == null ? new Server() : new Server(threads);
        connector = connectors.apply(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);

        WebAppContext context = new WebAppContext();
        context.setContextPath(contextPath);
        context.setWar(webapp.toString());
        // Load the servlet classes through the webapp's own class loader, as from WEB-INF/classes of the real WAR.
        context.setExtraClasspath(classes.toString());
        context.setThrowUnavailableOnStartupException(true);
        server.setHandler(front.apply(context));
        server.start();
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception
    {
        start();
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception
    {
        stop();
    }

    /**
     * @return the loopback port the server listens on
     */
    public int port()
    {
        return connector.getLocalPort();
    }

    /**
     * @return the webapp's base URI, such as {@code http://127.0.0.1:PORT/gw}, without a trailing slash
     */
    public URI uri()
    {
        return URI.create("http://127.0.0.1:" + port() + contextPath);
    }

    /**
     * <p>Stops the server; does nothing if it never started, as when the webapp was missing.</p>
     *
     * @throws Exception if the server cannot stop
     */
    public void stop() throws Exception
    {
        if (server != null)
            server.stop();
    }

    /**
     * @return a client pinned to HTTP/1.1 (the JDK's default would try an h2c upgrade first) with a short connect timeout
     */
    public static HttpClient newHttpClient()
    {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    }
}

package io.github.jettyuwsgi.launcher.stats;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.github.jettyuwsgi.launcher.deploy.ReloadableApplications;
import io.github.jettyuwsgi.launcher.options.LauncherOptions;
import io.github.jettyuwsgi.launcher.server.HandlerChain;
import io.github.jettyuwsgi.launcher.session.SessionStores;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ContextHandler;
import org.eclipse.jetty.server.handler.ContextHandlerCollection;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.ajax.JSON;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A real Jetty server built as {@code ServerAssembler} builds the launcher's, through its {@code HandlerChain} (graceful handler, harakiri if asked,
 * reloadable applications, contexts counted per application, the stats server attached), with core-Jetty applications instead of
 * WARs, which need the launcher's environments. Its HTTP socket and stats socket are on loopback ports.
 */
final class StatsTestServer implements AutoCloseable
{
    static final int THREADS = 16;
    static final int ACCEPT_QUEUE_SIZE = 7;

    /** Released by the test to let a request waiting at {@code /slow/} finish. */
    final CountDownLatch release = new CountDownLatch(1);
    /** Counted down when a request has entered {@code /slow/}. */
    final CountDownLatch entered = new CountDownLatch(1);

    final Server server;
    final LauncherOptions options;
    final ServerConnector http;

    StatsTestServer(String... statsOptions) throws Exception
    {
        String[] args = new String[4 + statsOptions.length];
        args[0] = "--http-socket";
        args[1] = "127.0.0.1:0";
        args[2] = "--threads";
        args[3] = Integer.toString(THREADS);
        System.arraycopy(statsOptions, 0, args, 4, statsOptions.length);
        options = LauncherOptions.parse(args);
        QueuedThreadPool pool = new QueuedThreadPool(THREADS);
        server = new Server(pool);
        http = new ServerConnector(server);
        http.setHost("127.0.0.1");
        http.setAcceptQueueSize(ACCEPT_QUEUE_SIZE);
        server.addConnector(http);
        server.setHandler(HandlerChain.server(options, SessionStores.of(Map.of(), null, List.of()), new ReloadableApplications(applications("/", "/shop", "/slow"))));
        StatsServer.attach(server, options);
        server.start();
    }

    /**
     * @return a deployment as the assembler makes one: contexts at those paths, each counted per application
     */
    Handler applications(String... contextPaths)
    {
        ContextHandlerCollection contexts = new ContextHandlerCollection();
        for (String contextPath : contextPaths)
        {
            contexts.addHandler(new ContextHandler(new Application(), contextPath));
        }
        HandlerChain.countPerApplication(contexts, options);
        return contexts;
    }

    /**
     * {@code /ok}: 200 with a text body; {@code /fail}: 500; {@code /throw}: the handler throws; {@code /slow/}: waits
     * for {@link #release}.
     */
    private final class Application extends Handler.Abstract
    {
        @Override
        public boolean handle(Request request, Response response, Callback callback) throws Exception
        {
            String path = Request.getPathInContext(request);
            if (path.equals("/throw"))
                throw new IllegalStateException("thrown on purpose by the test");
            if (path.equals("/fail"))
            {
                Response.writeError(request, response, callback, 500);
                return true;
            }
            if (request.getContext().getContextPath().equals("/slow"))
            {
                entered.countDown();
                assertTrue(release.await(30, TimeUnit.SECONDS));
            }
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain");
            response.write(true, StandardCharsets.UTF_8.encode("hello from " + request.getHttpURI().getPath() + "\n"), callback);
            return true;
        }
    }

    /**
     * Sends one HTTP/1.1 request with {@code Connection: close} and reads the response to its end.
     *
     * @return the raw response
     */
    String get(String path) throws IOException
    {
        return exchange(http.getLocalPort(), "GET " + path + " HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\r\n");
    }

    /**
     * @return the port of the stats socket
     */
    int statsPort()
    {
        return server.getContainedBeans(ServerConnector.class).stream()
            .filter(connector -> connector.getConnectionFactory(StatsConnectionFactory.class) != null)
            .findFirst().orElseThrow().getLocalPort();
    }

    /**
     * @return the document read from the raw stats socket, as uwsgitop reads it: connect, read to the end
     */
    @SuppressWarnings("unchecked")
    Map<String, Object> document() throws IOException
    {
        return (Map<String, Object>)new JSON().fromJSON(exchange(statsPort(), ""));
    }

    static String exchange(int port, String request) throws IOException
    {
        try (Socket socket = new Socket("127.0.0.1", port))
        {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream response = new ByteArrayOutputStream();
            in.transferTo(response);
            return response.toString(StandardCharsets.UTF_8);
        }
    }

    /**
     * Waits until no request is running: Jetty counts a request's end (its time, its status) once its response has
     * been sent, possibly after the client has read it all.
     */
    void awaitQuiet() throws InterruptedException
    {
        RequestStatistics requests = (RequestStatistics)server.getHandler();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (requests.getRequestsActive() > 0)
        {
            assertTrue(System.nanoTime() < deadline, "requests still running after 30 s");
            Thread.sleep(10);
        }
    }

    static Map<String, Object> worker(Map<String, Object> document)
    {
        return object(array(document.get("workers"))[0]);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> object(Object value)
    {
        assertTrue(value instanceof Map, () -> "expected a JSON object: " + value);
        return (Map<String, Object>)value;
    }

    static Object[] array(Object value)
    {
        assertTrue(value instanceof Object[], () -> "expected a JSON array: " + value);
        return (Object[])value;
    }

    static long number(Map<String, Object> object, String key)
    {
        Object value = object.get(key);
        assertTrue(value instanceof Long, () -> key + ": expected an integer, got " + value);
        return (Long)value;
    }

    @Override
    public void close() throws Exception
    {
        release.countDown();
        server.stop();
        server.destroy();
    }
}

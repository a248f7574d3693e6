package io.github.jettyuwsgi.uwsgi.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.jettyuwsgi.uwsgi.RawFrontend;
import io.github.jettyuwsgi.uwsgi.UwsgiConfiguration;
import io.github.jettyuwsgi.uwsgi.UwsgiConnectionFactory;
import io.github.jettyuwsgi.uwsgi.UwsgiUnixDomainConnector;
import io.github.jettyuwsgi.uwsgi.codec.UwsgiVars;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpTester;
import org.eclipse.jetty.io.ArrayByteBufferPool;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * uWSGI's {@code socket-timeout} on a real connector: a connection whose request stalls (nothing sent, part of the head,
 * part of the vars, a body that stops coming) is closed after it, counted, and holds no thread and no buffer while it
 * waits; an application that takes longer than it, or a frontend that reads the response slowly, is not cut off by it.
 * The connector's own idle timeout is an hour, so every close seen here is the socket-timeout's.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
public class SocketTimeoutTest
{
    private static final long SOCKET_TIMEOUT = 1000;
    private static final byte[] BODY = UwsgiConnectionTest.pattern(8 * 1024 * 1024);

    private Server server;
    private QueuedThreadPool threads;
    private ArrayByteBufferPool.Tracking bufferPool;
    private UwsgiConfiguration uwsgiConfig;
    private UwsgiConnectionFactory factory;
    private UwsgiUnixDomainConnector connector;
    private Path socketDir;
    private Path socketPath;
    private final AtomicInteger handlersReturned = new AtomicInteger();
    private final AtomicInteger idleTimeoutsSeen = new AtomicInteger();
    private volatile CountDownLatch bodyFailed = new CountDownLatch(1);

    @BeforeEach
    public void start() throws Exception
    {
        bufferPool = new ArrayByteBufferPool.Tracking();
        threads = new QueuedThreadPool();
        threads.setName("server");
        server = new Server(threads, null, bufferPool);
        socketDir = Files.createTempDirectory(Path.of("/tmp"), "uwsgi");
        socketPath = socketDir.resolve("app.sock");
        uwsgiConfig = new UwsgiConfiguration();
        uwsgiConfig.setSocketTimeout(SOCKET_TIMEOUT);
        factory = new UwsgiConnectionFactory(new org.eclipse.jetty.server.HttpConfiguration(), uwsgiConfig);
        connector = new UwsgiUnixDomainConnector(server, factory);
        connector.setUnixDomainPath(socketPath);
        connector.setIdleTimeout(TimeUnit.HOURS.toMillis(1));
        server.addConnector(connector);
        server.setHandler(new Handler.Abstract()
        {
            @Override
            public boolean handle(Request request, Response response, Callback callback) throws Exception
            {
                String path = request.getHttpURI().getPath();
                switch (path)
                {
                    case "/read" -> Content.Source.asString(request, StandardCharsets.ISO_8859_1, new org.eclipse.jetty.util.Promise<>()
                    {
                        @Override
                        public void succeeded(String body)
                        {
                            Content.Sink.write(response, true, "read " + body.length(), callback);
                        }

                        @Override
                        public void failed(Throwable x)
                        {
                            bodyFailed.countDown();
                            callback.failed(x);
                        }
                    });
                    case "/slow" ->
                    {
                        // an application busy for twice the socket-timeout, with no I/O meanwhile
                        request.addIdleTimeoutListener(timeout ->
                        {
                            idleTimeoutsSeen.incrementAndGet();
                            return false;
                        });
                        Thread.sleep(2 * SOCKET_TIMEOUT);
                        Content.Sink.write(response, true, "done", callback);
                    }
                    default ->
                    {
                        String query = request.getHttpURI().getQuery();
                        int size = query == null ? 5 : Integer.parseInt(query.substring("size=".length()));
                        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, size);
                        response.write(true, ByteBuffer.wrap(BODY, 0, size), callback);
                    }
                }
                handlersReturned.incrementAndGet();
                return true;
            }
        });
        server.start();
        // one request first, so that the threads a first request starts are counted in the baseline
        assertServes(5);
    }

    @AfterEach
    public void stop() throws Exception
    {
        BufferLeaks.assertNoneThenStop(bufferPool, server, socketPath, socketDir);
    }

    private static UwsgiVars vars(String uri)
    {
        return UwsgiVars.of("REQUEST_METHOD", "GET", "REQUEST_URI", uri, "SERVER_PROTOCOL", "HTTP/1.1",
            "REMOTE_ADDR", "203.0.113.9", "REMOTE_PORT", "40001", "SERVER_NAME", "test.local", "SERVER_PORT", "8080");
    }

    private void assertServes(int size) throws IOException
    {
        try (RawFrontend client = RawFrontend.unix(socketPath))
        {
            HttpTester.Response response = HttpTester.parseResponse(ByteBuffer.wrap(client.send(RawFrontend.packet(vars("/?size=" + size))).readAll()));
            assertNotNull(response, "no response");
            assertEquals(200, response.getStatus());
            assertArrayEquals(Arrays.copyOf(BODY, size), response.getContentBytes());
        }
    }

    /**
     * Sends {@code bytes}, then waits for the server to close; asserts it did so no sooner than the socket-timeout and
     * without a response, and counted it.
     */
    private void assertClosedBySocketTimeout(byte[] bytes) throws IOException
    {
        long before = factory.getSocketTimeouts();
        long start = System.nanoTime();
        try (RawFrontend client = RawFrontend.unix(socketPath))
        {
            client.send(bytes);
            byte[] answer = client.readAll();
            long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertEquals("", new String(answer, StandardCharsets.ISO_8859_1), "an answer to a stalled request");
            assertTrue(waited >= SOCKET_TIMEOUT, "closed after " + waited + " ms (expected: after the socket-timeout, " + SOCKET_TIMEOUT + " ms)");
        }
        assertEquals(before + 1, factory.getSocketTimeouts(), "socket timeouts counted");
    }

    @Test
    public void testConnectionThatSendsNothingIsClosed() throws Exception
    {
        assertClosedBySocketTimeout(new byte[0]);
    }

    @Test
    public void testHalfAHeadIsClosed() throws Exception
    {
        assertClosedBySocketTimeout(Arrays.copyOf(RawFrontend.packet(vars("/")), 2));
    }

    @Test
    public void testHalfTheVarsIsClosed() throws Exception
    {
        byte[] packet = RawFrontend.packet(vars("/"));
        assertClosedBySocketTimeout(Arrays.copyOf(packet, 4 + (packet.length - 4) / 2));
    }

    @Test
    public void testStalledBodyIsClosedAndTheApplicationsReadFails() throws Exception
    {
        long before = factory.getSocketTimeouts();
        byte[] packet = RawFrontend.packet(vars("/read").add("CONTENT_LENGTH", "100"));
        try (RawFrontend client = RawFrontend.unix(socketPath))
        {
            client.send(packet).send(new byte[10]);
            String answer = new String(client.readAll(), StandardCharsets.ISO_8859_1);
            assertTrue(bodyFailed.await(1, TimeUnit.SECONDS), "the application's read did not fail");
            assertFalse(answer.contains("at java.") || answer.contains("at org."), "a stack trace sent to the frontend: " + answer);
        }
        assertEquals(before + 1, factory.getSocketTimeouts(), "socket timeouts counted");
    }

    @Test
    public void testBodyThatKeepsComingIsNotCutOff() throws Exception
    {
        // each pause is shorter than the socket-timeout, all of them together longer: it bounds a stall, not the body
        byte[] packet = RawFrontend.packet(vars("/read").add("CONTENT_LENGTH", "4"));
        try (RawFrontend client = RawFrontend.unix(socketPath))
        {
            client.send(packet);
            for (int i = 0; i < 4; i++)
            {
                Thread.sleep(SOCKET_TIMEOUT / 3);
                client.send(new byte[]{'x'});
            }
            HttpTester.Response response = HttpTester.parseResponse(ByteBuffer.wrap(client.readAll()));
            assertNotNull(response, "no response");
            assertEquals(200, response.getStatus());
            assertEquals("read 4", response.getContent());
        }
        assertEquals(0, factory.getSocketTimeouts());
    }

    @Test
    public void testApplicationSlowerThanTheSocketTimeoutIsNotCutOff() throws Exception
    {
        try (RawFrontend client = RawFrontend.unix(socketPath))
        {
            HttpTester.Response response = HttpTester.parseResponse(ByteBuffer.wrap(client.send(RawFrontend.packet(vars("/slow"))).readAll()));
            assertNotNull(response, "no response");
            assertEquals(200, response.getStatus());
            assertEquals("done", response.getContent());
        }
        assertEquals(0, idleTimeoutsSeen.get(), "idle timeouts reported to the running request");
        assertEquals(0, factory.getSocketTimeouts());
    }

    @Test
    public void testIdleConnectionsHoldNoThreadAndAreAllClosed() throws Exception
    {
        // long enough for the thread count to be looked at while they are all open, even on a loaded machine
        uwsgiConfig.setSocketTimeout(5 * SOCKET_TIMEOUT);
        int baseline = threads.getBusyThreads();
        byte[] halfHead = Arrays.copyOf(RawFrontend.packet(vars("/")), 2);
        List<RawFrontend> idle = new ArrayList<>();
        try
        {
            for (int i = 0; i < 300; i++)
            {
                RawFrontend client = RawFrontend.unix(socketPath);
                idle.add(client);
                if (i % 2 == 0)
                    client.send(halfHead);
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (connector.getConnectedEndPoints().size() < 300 && System.nanoTime() < deadline)
                Thread.sleep(20);
            awaitBusyThreadsAtMost(baseline, "with 300 idle connections open");
            assertEquals(300, connector.getConnectedEndPoints().size(), "idle connections still open when the threads were counted");
            // meanwhile the connector serves others
            assertServes(5);
            for (RawFrontend client : idle)
                assertEquals(0, client.readAll().length, "an idle connection got an answer");
        }
        finally
        {
            for (RawFrontend client : idle)
                client.close();
        }
        assertEquals(300, factory.getSocketTimeouts());
        assertServes(5);
    }

    @Test
    public void testSlowReadersHoldNoThread() throws Exception
    {
        // the readers are slow, not stalled: only the connector's idle timeout could cut them off, and it is an hour
        uwsgiConfig.setSocketTimeout(30_000);
        int baseline = threads.getBusyThreads();
        int size = BODY.length;
        List<RawFrontend> slow = new ArrayList<>();
        try
        {
            for (int i = 0; i < 20; i++)
                slow.add(RawFrontend.unix(socketPath).send(RawFrontend.packet(vars("/?size=" + size))));
            // every handler has returned: each response waits in Jetty's async write for a reader that does not read
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (handlersReturned.get() < 21 && System.nanoTime() < deadline)
                Thread.sleep(20);
            assertEquals(21, handlersReturned.get(), "handlers returned");
            awaitBusyThreadsAtMost(baseline, "with 20 responses waiting for their readers");
            for (RawFrontend client : slow)
            {
                HttpTester.Response response = HttpTester.parseResponse(ByteBuffer.wrap(client.readAll()));
                assertNotNull(response, "no whole response");
                assertEquals(200, response.getStatus());
                assertEquals(size, response.getContentBytes().length);
            }
        }
        finally
        {
            for (RawFrontend client : slow)
                client.close();
        }
        assertEquals(0, factory.getSocketTimeouts());
    }

    /**
     * Waits until the pool has no more busy threads than before the connections opened: a connection that held a
     * thread while waiting would keep it busy for as long as it waits.
     */
    private void awaitBusyThreadsAtMost(int baseline, String when) throws InterruptedException
    {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (threads.getBusyThreads() > baseline && System.nanoTime() < deadline)
            Thread.sleep(20);
        assertTrue(threads.getBusyThreads() <= baseline, "busy threads " + when + ": " + threads.getBusyThreads() + " (expected: at most " + baseline + ", as before)");
    }
}

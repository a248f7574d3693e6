package io.github.jettyuwsgi.uwsgi.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import io.github.jettyuwsgi.uwsgi.RawFrontend;
import io.github.jettyuwsgi.uwsgi.UwsgiConnectionFactory;
import io.github.jettyuwsgi.uwsgi.UwsgiUnixDomainConnector;
import io.github.jettyuwsgi.uwsgi.codec.UwsgiVars;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpTester;
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

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An acceptor serves the connection it accepted while another acceptor waits ({@link AcceptorThreads}): what that must
 * not break. Applications that block cannot take the last acceptor, a stop does not interrupt a request an acceptor
 * serves, and an interrupt the application leaves behind does not close the listening socket.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
public class AcceptorThreadsTest
{
    private static final int TRIES = 50;

    private Server server;
    private Path socketDir;
    private Path socketPath;
    /** The names of the threads the handler ran on, one per request. */
    private final Queue<String> handledOn = new ConcurrentLinkedQueue<>();
    private final CountDownLatch release = new CountDownLatch(1);
    private final AtomicBoolean interrupted = new AtomicBoolean();

    @BeforeEach
    public void start() throws Exception
    {
        QueuedThreadPool threads = new QueuedThreadPool();
        threads.setName("server");
        server = new Server(threads);
        server.setStopTimeout(10_000);
        socketDir = Files.createTempDirectory(Path.of("/tmp"), "uwsgi");
        socketPath = socketDir.resolve("app.sock");
        UwsgiUnixDomainConnector connector = new UwsgiUnixDomainConnector(server, 2, 1, new UwsgiConnectionFactory());
        connector.setUnixDomainPath(socketPath);
        server.addConnector(connector);
        server.setHandler(new Handler.Abstract()
        {
            @Override
            public boolean handle(Request request, Response response, Callback callback)
            {
                handledOn.add(Thread.currentThread().getName());
                String body = "ok";
                try
                {
                    switch (request.getHttpURI().getPath())
                    {
                        case "/block" -> release.await();
                        case "/interrupt" -> Thread.currentThread().interrupt();
                        case "/slow" ->
                        {
                            // slow only where a stop's interrupt could reach it; elsewhere the test tries again
                            if (isAcceptor(Thread.currentThread().getName()))
                                Thread.sleep(1000);
                            else
                                body = "elsewhere";
                        }
                        default -> { }
                    }
                }
                catch (InterruptedException x)
                {
                    interrupted.set(true);
                    body = "interrupted";
                }
                response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length());
                response.write(true, ByteBuffer.wrap(body.getBytes(StandardCharsets.US_ASCII)), callback);
                return true;
            }
        });
        server.start();
    }

    @AfterEach
    public void stop() throws Exception
    {
        release.countDown();
        server.stop();
        Files.deleteIfExists(socketPath);
        Files.deleteIfExists(socketDir);
    }

    private String get(String path) throws IOException
    {
        try (RawFrontend client = RawFrontend.unix(socketPath))
        {
            byte[] packet = RawFrontend.packet(UwsgiVars.of("REQUEST_METHOD", "GET", "REQUEST_URI", path, "SERVER_PROTOCOL", "HTTP/1.1",
                "REMOTE_ADDR", "203.0.113.9", "REMOTE_PORT", "40001", "SERVER_NAME", "test.local", "SERVER_PORT", "8080"));
            HttpTester.Response response = HttpTester.parseResponse(ByteBuffer.wrap(client.send(packet).readAll()));
            if (response == null || response.getStatus() != 200)
                throw new IOException(path + ": " + (response == null ? "no response" : response.getStatus()) + " (expected: 200)");
            return response.getContent();
        }
    }

    private CompletableFuture<String> getLater(String path)
    {
        return CompletableFuture.supplyAsync(() ->
        {
            try
            {
                return get(path);
            }
            catch (IOException x)
            {
                throw new RuntimeException(x);
            }
        });
    }

    private void awaitHandled(int requests) throws InterruptedException
    {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (handledOn.size() < requests && System.nanoTime() < deadline)
            Thread.sleep(5);
        assertEquals(requests, handledOn.size(), "requests in the handler: " + handledOn);
    }

    private static boolean isAcceptor(String threadName)
    {
        return threadName != null && threadName.contains("-acceptor-");
    }

    @Test
    public void anIdleConnectorServesOnTheAcceptor() throws Exception
    {
        for (int i = 0; i < TRIES; i++)
        {
            handledOn.clear();
            assertEquals("ok", get("/"));
            if (isAcceptor(handledOn.peek()))
                return;
        }
        throw new AssertionError("requests served on an acceptor thread: none of " + TRIES);
    }

    @Test
    public void blockedRequestsTakeAllAcceptorsButOne() throws Exception
    {
        List<CompletableFuture<String>> blocked = new ArrayList<>();
        for (int i = 0; i < 3; i++)
            blocked.add(getLater("/block"));
        awaitHandled(3);
        assertTrue(handledOn.stream().filter(AcceptorThreadsTest::isAcceptor).count() <= 1,
            "blocked requests on acceptors: " + handledOn + " (expected: at most one of the two)");

        // with both acceptors blocked, this one would wait in the socket's queue until the test times out
        assertEquals("ok", get("/"));

        release.countDown();
        for (CompletableFuture<String> response : blocked)
            assertEquals("ok", response.get(20, TimeUnit.SECONDS));
    }

    @Test
    public void aGracefulStopDoesNotInterruptTheRequestAnAcceptorServes() throws Exception
    {
        CompletableFuture<String> slow = null;
        for (int i = 0; i < TRIES && slow == null; i++)
        {
            handledOn.clear();
            slow = getLater("/slow");
            awaitHandled(1);
            if (!isAcceptor(handledOn.peek()))
            {
                assertEquals("elsewhere", slow.get(20, TimeUnit.SECONDS));
                slow = null;
            }
        }
        assertTrue(slow != null, "slow requests served on an acceptor thread: none of " + TRIES);

        server.stop();

        assertEquals("ok", slow.get(20, TimeUnit.SECONDS));
        assertFalse(interrupted.get(), "the request was interrupted by the stop");
    }

    @Test
    public void anInterruptTheApplicationLeavesDoesNotCloseTheSocket() throws Exception
    {
        boolean onAcceptor = false;
        for (int i = 0; i < TRIES && !onAcceptor; i++)
        {
            handledOn.clear();
            assertEquals("ok", get("/interrupt"));
            onAcceptor = isAcceptor(handledOn.peek());
        }
        assertTrue(onAcceptor, "requests served on an acceptor thread: none of " + TRIES);
        for (int i = 0; i < 10; i++)
            assertEquals("ok", get("/"), "request " + i + " after the interrupt");
    }
}

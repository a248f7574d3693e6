package io.github.jettyuwsgi.uwsgi.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.SelectableChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import io.github.jettyuwsgi.uwsgi.RawFrontend;
import io.github.jettyuwsgi.uwsgi.UwsgiConnectionFactory;
import io.github.jettyuwsgi.uwsgi.UwsgiUnixDomainConnector;
import io.github.jettyuwsgi.uwsgi.codec.UwsgiVars;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpTester;
import org.eclipse.jetty.io.ArrayByteBufferPool;
import org.eclipse.jetty.io.SelectorManager;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.util.thread.ScheduledExecutorScheduler;
import org.eclipse.jetty.util.thread.Scheduler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The corner cases of serving an accepted connection before it is registered with a selector ({@link AcceptedEndPoint}:
 * read on the thread the acceptor hands it to, the selector only when a read would block or a write is incomplete), on
 * the connector as the launcher builds it.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
public class UwsgiFastPathTest
{
    private static final long IDLE_TIMEOUT = 2000;
    /** Made once: made per request, it could take longer than the idle timeout on a loaded machine. */
    private static final byte[] BODY = UwsgiConnectionTest.pattern(64 * 1024 * 1024);

    private Server server;
    private ArrayByteBufferPool.Tracking bufferPool;
    private UwsgiUnixDomainConnector connector;
    private Path socketDir;
    private Path socketPath;
    private final AtomicReference<Throwable> writeFailure = new AtomicReference<>();
    /** An accept listener among the connector's beans, as Jetty's selector manager would tell it of each socket. */
    private final AtomicInteger accepted = new AtomicInteger();
    private final SelectorManager.AcceptListener acceptCounter = new SelectorManager.AcceptListener()
    {
        @Override
        public void onAccepted(SelectableChannel channel)
        {
            accepted.incrementAndGet();
        }
    };
    /** Whether the last request's end point had joined a selector by the time the handler ran. */
    private final AtomicReference<Boolean> registeredWhenHandled = new AtomicReference<>();
    private final CountDownLatch writeFailed = new CountDownLatch(1);
    /** Requests whose end point had joined a selector when the handler ran: the opening read missed their packet. */
    private final AtomicInteger registeredRequests = new AtomicInteger();
    /** Every task scheduled on the server's scheduler: the idle timeouts of end points among them. */
    private final AtomicInteger scheduled = new AtomicInteger();

    @BeforeEach
    public void start() throws Exception
    {
        bufferPool = new ArrayByteBufferPool.Tracking();
        QueuedThreadPool threads = new QueuedThreadPool();
        threads.setName("server");
        Scheduler scheduler = new ScheduledExecutorScheduler("scheduler", false)
        {
            @Override
            public Task schedule(Runnable task, long delay, TimeUnit unit)
            {
                scheduled.incrementAndGet();
                return super.schedule(task, delay, unit);
            }
        };
        server = new Server(threads, scheduler, bufferPool);
        socketDir = Files.createTempDirectory(Path.of("/tmp"), "uwsgi");
        socketPath = socketDir.resolve("app.sock");
        connector = new UwsgiUnixDomainConnector(server, UwsgiConnectionTest.ACCEPTORS, -1, new UwsgiConnectionFactory());
        connector.setUnixDomainPath(socketPath);
        connector.setIdleTimeout(IDLE_TIMEOUT);
        connector.addBean(acceptCounter);
        server.addConnector(connector);
        server.setHandler(new Handler.Abstract()
        {
            @Override
            public boolean handle(Request request, Response response, Callback callback)
            {
                registeredWhenHandled.set(request.getConnectionMetaData().getConnection().getEndPoint() instanceof AcceptedEndPoint endPoint
                    ? endPoint.isRegistered() : null);
                if (Boolean.TRUE.equals(registeredWhenHandled.get()))
                    registeredRequests.incrementAndGet();
                String query = request.getHttpURI().getQuery();
                // an async request that neither reads nor writes: only the idle timeout ends it, through its failure
                if ("hang".equals(query))
                {
                    request.addFailureListener(callback::failed);
                    return true;
                }
                // a handler that works longer than the idle timeout on its own thread, without reading or writing
                if ("slow".equals(query))
                {
                    try
                    {
                        Thread.sleep(IDLE_TIMEOUT + 1000);
                    }
                    catch (InterruptedException x)
                    {
                        callback.failed(x);
                        return true;
                    }
                    query = null;
                }
                int size = query == null ? 5 : Integer.parseInt(query.substring("size=".length()));
                response.getHeaders().put(HttpHeader.CONTENT_LENGTH, size);
                response.write(true, ByteBuffer.wrap(BODY, 0, size), Callback.from(callback::succeeded, x ->
                {
                    writeFailure.set(x);
                    writeFailed.countDown();
                    callback.failed(x);
                }));
                return true;
            }
        });
        server.start();
    }

    @AfterEach
    public void stop() throws Exception
    {
        BufferLeaks.assertNoneThenStop(bufferPool, server, socketPath, socketDir);
    }

    private static byte[] packet(String uri)
    {
        return RawFrontend.packet(UwsgiVars.of("REQUEST_METHOD", "GET", "REQUEST_URI", uri, "SERVER_PROTOCOL", "HTTP/1.1",
            "REMOTE_ADDR", "203.0.113.9", "REMOTE_PORT", "40001", "SERVER_NAME", "test.local", "SERVER_PORT", "8080"));
    }

    private void assertServes(int size) throws IOException
    {
        assertServes("size=" + size, size);
    }

    private void assertServes(String query, int size) throws IOException
    {
        try (RawFrontend client = RawFrontend.unix(socketPath))
        {
            HttpTester.Response response = HttpTester.parseResponse(ByteBuffer.wrap(client.send(packet("/?" + query)).readAll()));
            assertNotNull(response, "no response");
            assertEquals(200, response.getStatus());
            assertArrayEquals(Arrays.copyOf(BODY, size), response.getContentBytes());
        }
    }

    @Test
    public void testPacketSentAtOnceIsServedWithoutTheSelector() throws Exception
    {
        try (RawFrontend client = RawFrontend.unix(socketPath))
        {
            // written before the acceptor runs, as a frontend does right after connect: the opening read finds it
            HttpTester.Response response = HttpTester.parseResponse(ByteBuffer.wrap(client.send(packet("/?size=5")).readAll()));
            assertNotNull(response, "no response");
            assertEquals(200, response.getStatus());
        }
        // the opening thread may still have lost the race with the packet on a loaded machine: then it registered
        for (int i = 0; i < 20 && !Boolean.FALSE.equals(registeredWhenHandled.get()); i++)
            assertServes(5);
        assertEquals(Boolean.FALSE, registeredWhenHandled.get(), "every request went through the selector");
        assertTrue(accepted.get() >= 1, "the connector's accept listener was told of no socket");
    }

    @Test
    public void testPacketInSeveralPiecesAfterAcceptIsServed() throws Exception
    {
        byte[] packet = packet("/?size=5");
        try (RawFrontend client = RawFrontend.unix(socketPath))
        {
            // the opening read finds nothing; each later piece arrives through the selector
            Thread.sleep(100);
            client.send(Arrays.copyOfRange(packet, 0, 1));
            Thread.sleep(100);
            client.send(Arrays.copyOfRange(packet, 1, 4));
            Thread.sleep(100);
            client.send(Arrays.copyOfRange(packet, 4, 20));
            Thread.sleep(100);
            client.send(Arrays.copyOfRange(packet, 20, packet.length));
            HttpTester.Response response = HttpTester.parseResponse(ByteBuffer.wrap(client.readAll()));
            assertNotNull(response, "no response");
            assertEquals(200, response.getStatus());
            assertEquals(Boolean.TRUE, registeredWhenHandled.get(), "the end point never joined the selector");
            assertArrayEquals(Arrays.copyOf(BODY, 5), response.getContentBytes());
        }
    }

    @Test
    public void testResponseBiggerThanTheSocketBufferIsWrittenWhole() throws Exception
    {
        int size = 4 * 1024 * 1024;
        try (RawFrontend client = RawFrontend.unix(socketPath))
        {
            client.send(packet("/?size=" + size));
            // the first write cannot finish: the rest goes out through the selector as the client reads
            Thread.sleep(300);
            byte[] raw = client.readAll();
            HttpTester.Response response = HttpTester.parseResponse(ByteBuffer.wrap(raw));
            assertNotNull(response, "no whole response in " + raw.length + " bytes: " + new String(raw, 0, Math.min(200, raw.length), java.nio.charset.StandardCharsets.ISO_8859_1));
            assertEquals(200, response.getStatus());
            assertArrayEquals(Arrays.copyOf(BODY, size), response.getContentBytes());
        }
    }

    @Test
    public void testClientThatNeverReadsIsCutOffByTheIdleTimeout() throws Exception
    {
        try (RawFrontend client = RawFrontend.unix(socketPath))
        {
            client.send(packet("/?size=" + 64 * 1024 * 1024));
            assertTrue(writeFailed.await(30, TimeUnit.SECONDS), "the stalled write never failed");
            assertNotNull(writeFailure.get());
            // meanwhile, and after, the connector serves others
            assertServes(5);
            InputStream in = client.input();
            byte[] buffer = new byte[65536];
            long total = 0;
            for (int n; (n = in.read(buffer)) >= 0; )
                total += n;
            assertTrue(total < 64L * 1024 * 1024, "the whole body arrived: " + total);
        }
    }

    @Test
    public void testConnectionsThatSendNothingAreClosedAndDoNotStarveService() throws Exception
    {
        List<RawFrontend> idle = new ArrayList<>();
        try
        {
            for (int i = 0; i < 200; i++)
                idle.add(RawFrontend.unix(socketPath));
            assertServes(5);
            for (RawFrontend client : idle)
                assertEquals(0, client.readAll().length, "an idle connection got an answer");
        }
        finally
        {
            for (RawFrontend client : idle)
                client.close();
        }
        assertServes(5);
    }

    @Test
    public void testRequestServedByItsOpeningThreadSchedulesNoIdleTimeout() throws Exception
    {
        assertServes(5);
        int before = scheduled.get();
        int registeredBefore = registeredRequests.get();
        int requests = 20;
        for (int i = 0; i < requests; i++)
            assertServes(5);
        int timers = scheduled.get() - before;
        int misses = registeredRequests.get() - registeredBefore;
        // a request whose packet the opening read missed waits in the selector, and its idle timeout runs: a timer as it
        // starts to wait, and one more as the request's idle timeout replaces the (longer) socket timeout
        assertTrue(timers <= 2 * misses, timers + " timers scheduled for " + requests + " requests, " + misses + " of them through the selector");
        assertTrue(misses < requests, "every request went through the selector");
    }

    @Test
    public void testRequestThatNeitherReadsNorWritesIsEndedByTheIdleTimeout() throws Exception
    {
        try (RawFrontend client = RawFrontend.unix(socketPath))
        {
            long start = System.nanoTime();
            byte[] raw = client.send(packet("/?hang")).readAll();
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertTrue(millis >= IDLE_TIMEOUT - 100, "ended after " + millis + " ms (expected: the idle timeout, " + IDLE_TIMEOUT + " ms)");
            HttpTester.Response response = HttpTester.parseResponse(ByteBuffer.wrap(raw));
            if (response != null)
                assertEquals(500, response.getStatus());
        }
        assertServes(5);
    }

    @Test
    public void testHandlerThatWorksLongerThanTheIdleTimeoutWithoutIoIsNotCut() throws Exception
    {
        // the idle timeout measures waiting for the frontend, not the application's own time (harakiri's)
        assertServes("slow", 5);
    }
}

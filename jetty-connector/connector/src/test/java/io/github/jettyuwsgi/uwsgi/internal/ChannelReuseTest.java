package io.github.jettyuwsgi.uwsgi.internal;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import io.github.jettyuwsgi.uwsgi.RawFrontend;
import io.github.jettyuwsgi.uwsgi.UwsgiConnectionFactory;
import io.github.jettyuwsgi.uwsgi.UwsgiUnixDomainConnector;
import io.github.jettyuwsgi.uwsgi.codec.UwsgiVars;
import org.eclipse.jetty.http.HttpTester;
import org.eclipse.jetty.io.ArrayByteBufferPool;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Components;
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
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A channel serves the requests of many connections one after another ({@link ChannelPool}): fewer channels than
 * requests, and nothing of one request (headers, attributes, status, the client's address) in the next.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
public class ChannelReuseTest
{
    private static final int REQUESTS = 40;

    private Server server;
    private ArrayByteBufferPool.Tracking bufferPool;
    private Path socketDir;
    private Path socketPath;
    private final Set<Components> channels = Collections.synchronizedSet(Collections.newSetFromMap(new IdentityHashMap<>()));
    private final Set<Thread> threads = ConcurrentHashMap.newKeySet();
    private final List<String> leaks = new CopyOnWriteArrayList<>();

    @BeforeEach
    public void start() throws Exception
    {
        bufferPool = new ArrayByteBufferPool.Tracking();
        server = new Server(new QueuedThreadPool(), null, bufferPool);
        socketDir = Files.createTempDirectory(Path.of("/tmp"), "uwsgi");
        socketPath = socketDir.resolve("app.sock");
        UwsgiUnixDomainConnector connector = new UwsgiUnixDomainConnector(server, UwsgiConnectionTest.ACCEPTORS, -1, new UwsgiConnectionFactory());
        connector.setUnixDomainPath(socketPath);
        server.addConnector(connector);
        server.setHandler(new Handler.Abstract()
        {
            @Override
            public boolean handle(Request request, Response response, Callback callback)
            {
                channels.add(request.getComponents());
                threads.add(Thread.currentThread());
                if (request.getAttribute("marked") != null)
                    leaks.add("attribute of an earlier request");
                request.setAttribute("marked", Boolean.TRUE);
                String query = request.getHttpURI().getQuery();
                InetSocketAddress remote = (InetSocketAddress)request.getConnectionMetaData().getRemoteSocketAddress();
                response.getHeaders().put("X-Remote-Port", String.valueOf(remote.getPort()));
                switch (query)
                {
                    case "header" ->
                    {
                        response.getHeaders().put("X-Only-Here", "yes");
                        Content.Sink.write(response, true, "header", callback);
                    }
                    case "fail" -> callback.failed(new IllegalStateException("failed on purpose"));
                    case "async" -> new Thread(() -> Content.Sink.write(response, true, "async", callback)).start();
                    // no Content-Length: the body ends with the connection
                    case "pieces" -> Content.Sink.write(response, false, "first ", Callback.from(() -> Content.Sink.write(response, true, "second", callback), callback::failed));
                    default -> Content.Sink.write(response, true, "plain", callback);
                }
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

    private HttpTester.Response get(String query, int remotePort) throws IOException
    {
        try (RawFrontend client = RawFrontend.unix(socketPath))
        {
            byte[] packet = RawFrontend.packet(UwsgiVars.of("REQUEST_METHOD", "GET", "REQUEST_URI", "/?" + query, "QUERY_STRING", query,
                "SERVER_PROTOCOL", "HTTP/1.1", "REMOTE_ADDR", "203.0.113.9", "REMOTE_PORT", String.valueOf(remotePort),
                "SERVER_NAME", "test.local", "SERVER_PORT", "8080"));
            HttpTester.Response response = HttpTester.parseResponse(ByteBuffer.wrap(client.send(packet).readAll()));
            assertNotNull(response, "no response to ?" + query);
            // an error response has lost the handler's headers
            if (response.getStatus() == 200)
                assertEquals(String.valueOf(remotePort), response.get("X-Remote-Port"), "the client address of another request");
            return response;
        }
    }

    @Test
    public void testRequestsOneAfterAnotherShareFewChannels() throws Exception
    {
        for (int i = 0; i < REQUESTS; i++)
            assertEquals(200, get("plain", 40000 + i).getStatus());
        // A channel is kept by the thread that completed its request, so no more channels than serving threads; a
        // channel per request would make one for each.
        assertTrue(channels.size() <= threads.size(), channels.size() + " channels for " + threads.size() + " threads");
        assertTrue(channels.size() < REQUESTS / 2, channels.size() + " channels for " + REQUESTS + " requests");
        assertTrue(leaks.isEmpty(), leaks.toString());
    }

    @Test
    public void testNothingOfARequestReachesTheNextOnItsChannel() throws Exception
    {
        for (int i = 0; i < REQUESTS; i++)
        {
            switch (i % 5)
            {
                case 4 ->
                {
                    HttpTester.Response response = get("pieces", 41000 + i);
                    assertEquals(200, response.getStatus());
                    assertEquals("first second", response.getContent());
                    assertNull(response.get("Content-Length"));
                }
                case 0 ->
                {
                    HttpTester.Response response = get("header", 41000 + i);
                    assertEquals(200, response.getStatus());
                    assertEquals("yes", response.get("X-Only-Here"));
                }
                case 1 ->
                {
                    HttpTester.Response response = get("fail", 41000 + i);
                    assertEquals(500, response.getStatus());
                    assertNull(response.get("X-Only-Here"));
                }
                case 2 ->
                {
                    HttpTester.Response response = get("async", 41000 + i);
                    assertEquals(200, response.getStatus());
                    assertEquals("async", response.getContent());
                    assertNull(response.get("X-Only-Here"));
                }
                default ->
                {
                    HttpTester.Response response = get("plain", 41000 + i);
                    assertEquals(200, response.getStatus());
                    assertEquals("plain", response.getContent());
                    assertNull(response.get("X-Only-Here"), "a header of an earlier request");
                }
            }
        }
        assertTrue(channels.size() < REQUESTS, channels.size() + " channels for " + REQUESTS + " requests");
        assertTrue(leaks.isEmpty(), leaks.toString());
    }
}

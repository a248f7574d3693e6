package io.github.jettyuwsgi.uwsgi.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.jettyuwsgi.captures.Captures;
import io.github.jettyuwsgi.uwsgi.RawFrontend;
import io.github.jettyuwsgi.uwsgi.UwsgiConfiguration;
import io.github.jettyuwsgi.uwsgi.UwsgiConnectionFactory;
import io.github.jettyuwsgi.uwsgi.UwsgiServerConnector;
import io.github.jettyuwsgi.uwsgi.UwsgiUnixDomainConnector;
import io.github.jettyuwsgi.uwsgi.codec.UwsgiVars;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpTester;
import org.eclipse.jetty.io.ArrayByteBufferPool;
import org.eclipse.jetty.io.ConnectionStatistics;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The connector over real sockets (TCP and Unix) in a real Jetty, with a leak-tracking buffer pool checked after every
 * test. The client plays the frontend by sending raw packets, so every edge a frontend (or an attacker) can produce is
 * reachable.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
public class UwsgiConnectionTest
{
    static final int ACCEPTORS = 2;

    private final AtomicInteger handled = new AtomicInteger();
    private Server server;
    private ArrayByteBufferPool.Tracking bufferPool;
    private ServerConnector connector;
    private UwsgiUnixDomainConnector unixConnector;
    private Path socketDir;
    private Path socketPath;

    @BeforeEach
    public void start() throws Exception
    {
        bufferPool = new ArrayByteBufferPool.Tracking();
        QueuedThreadPool threads = new QueuedThreadPool();
        threads.setName("server");
        server = new Server(threads, null, bufferPool);
        HttpConfiguration httpConfig = new HttpConfiguration();
        UwsgiConfiguration uwsgiConfig = new UwsgiConfiguration();
        // Two acceptors, whatever the CPUs: an idle connector's acceptor serves what it accepts, so every case below runs
        // on that path (the hand-off to the pool is AcceptorThreadsTest's)
        connector = new UwsgiServerConnector(server, ACCEPTORS, 1, new UwsgiConnectionFactory(httpConfig, uwsgiConfig));
        connector.setHost("127.0.0.1");
        connector.setIdleTimeout(1500);
        server.addConnector(connector);
        // Unix socket paths are limited to 107 bytes: keep them short.
        socketDir = Files.createTempDirectory(Path.of("/tmp"), "uwsgi");
        socketPath = socketDir.resolve("app.sock");
        unixConnector = new UwsgiUnixDomainConnector(server, ACCEPTORS, 1, new UwsgiConnectionFactory(httpConfig, uwsgiConfig));
        unixConnector.setUnixDomainPath(socketPath);
        unixConnector.setSocketMode("660");
        server.addConnector(unixConnector);
        server.setHandler(new TestHandler());
        server.start();
    }

    @AfterEach
    public void stop() throws Exception
    {
        BufferLeaks.assertNoneThenStop(bufferPool, server, socketPath, socketDir);
    }

    private static UwsgiVars get(String uri)
    {
        return UwsgiVars.of("REQUEST_METHOD", "GET", "REQUEST_URI", uri, "SERVER_PROTOCOL", "HTTP/1.1",
            "REMOTE_ADDR", "203.0.113.9", "REMOTE_PORT", "40001", "SERVER_NAME", "test.local", "SERVER_PORT", "8080",
            "HTTP_HOST", "test.local:8080");
    }

    private static UwsgiVars post(String uri, long length)
    {
        return get(uri).add("CONTENT_LENGTH", Long.toString(length)).add("CONTENT_TYPE", "application/octet-stream");
    }

    private byte[] exchange(byte[] packet) throws IOException
    {
        try (RawFrontend client = RawFrontend.tcp(connector.getLocalPort()))
        {
            return client.send(packet).readAll();
        }
    }

    private static Map<String, String> echo(HttpTester.Response response)
    {
        assertEquals(200, response.getStatus(), response.toString() + response.getContent());
        java.util.LinkedHashMap<String, String> map = new java.util.LinkedHashMap<>();
        for (String line : response.getContent().split("\n"))
        {
            int eq = line.indexOf('=');
            map.put(line.substring(0, eq), line.substring(eq + 1));
        }
        return map;
    }

    @Test
    public void testNginxCaptureIsServedAsTheClientsRequest() throws Exception
    {
        byte[] raw = exchange(Captures.read("nginx-get.bin"));
        String text = new String(raw, StandardCharsets.ISO_8859_1);
        assertTrue(text.startsWith("HTTP/1.1 200 OK\r\n"), text);
        HttpTester.Response response = HttpTester.parseResponse(ByteBuffer.wrap(raw));
        Map<String, String> echo = echo(response);
        assertEquals("GET", echo.get("method"));
        // the client sent "Host: test.local" to nginx listening on 8080: the request is the one it named
        assertEquals("http://test.local/hello/w%C3%B6rld%20x?a=1&b=two%20x", echo.get("uri"));
        assertEquals("/hello/wörld x", echo.get("decodedPath"));
        assertEquals("127.0.0.1:36798", echo.get("remote"));
        assertEquals("HTTP/1.1", echo.get("protocol"));
        assertEquals("false", echo.get("secure"));
        assertEquals("[one, two]", echo.get("header.x-multi"));
        assertEquals("[a=1, b=2]", echo.get("header.cookie"));
        assertEquals("0", echo.get("bodyLength"));
        // the vars are one read-only attribute, never attributes by their own names
        assertEquals("[" + UwsgiConnectionFactory.VARS_ATTRIBUTE + "]", echo.get("attributes"));
        assertEquals("20", echo.get("vars"));
        assertEquals(1, handled.get());
    }

    @Test
    public void testBytesInAndOutReachConnectionStatistics() throws Exception
    {
        // added to a started connector, a bean is not started for us
        ConnectionStatistics statistics = new ConnectionStatistics();
        statistics.start();
        connector.addBean(statistics);
        byte[] packet = Captures.read("nginx-get.bin");

        byte[] response = exchange(packet);

        // the connection reports its bytes when it closes, which may come just after the client has read the response;
        // ConnectionStatistics counts the close before it adds the bytes, so wait for the bytes themselves
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while ((statistics.getReceivedBytes() < packet.length || statistics.getSentBytes() < response.length) && System.nanoTime() < deadline)
            Thread.sleep(10);
        assertEquals(1, statistics.getConnectionsTotal());
        assertEquals(packet.length, statistics.getReceivedBytes());
        assertEquals(response.length, statistics.getSentBytes());
    }

    @Test
    public void testEveryRequestHasItsOwnId() throws Exception
    {
        // Jetty's request id is the stream's, and a Servlet request id is the connection's id and the request's
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 20; i++)
        {
            Map<String, String> echo = echo(HttpTester.parseResponse(ByteBuffer.wrap(exchange(Captures.read("nginx-get.bin")))));
            String id = echo.get("id");
            assertTrue(id.matches("[A-Za-z0-9]{16}#[0-9]+"), id);
            ids.add(id.substring(id.indexOf('#') + 1));
        }
        assertEquals(20, ids.size(), ids.toString());
    }

    @Test
    public void testGhostcatVarsDoNotBecomeAttributes() throws Exception
    {
        UwsgiVars vars = get("/x").add("jakarta.servlet.include.request_uri", "/WEB-INF/web.xml").add("UWSGI_FILE", "exec://id");
        Map<String, String> echo = echo(HttpTester.parseResponse(ByteBuffer.wrap(exchange(RawFrontend.packet(vars)))));
        assertEquals("[" + UwsgiConnectionFactory.VARS_ATTRIBUTE + "]", echo.get("attributes"));
    }

    @Test
    public void testFormPostCaptureBodyReachesTheHandler() throws Exception
    {
        Map<String, String> echo = echo(HttpTester.parseResponse(ByteBuffer.wrap(exchange(Captures.read("nginx-post-form.bin")))));
        assertEquals("POST", echo.get("method"));
        assertEquals("17", echo.get("bodyLength"));
        assertEquals("name=value&x=%26y", echo.get("body"));
        assertEquals("[application/x-www-form-urlencoded]", echo.get("header.content-type"));
        assertEquals("[17]", echo.get("header.content-length"));
    }

    @Test
    public void testApacheCaptureIsSecureFromUwsgiScheme() throws Exception
    {
        Map<String, String> echo = echo(HttpTester.parseResponse(ByteBuffer.wrap(exchange(Captures.read("apache-get.bin")))));
        assertEquals("true", echo.get("secure"));
        assertTrue(echo.get("uri").startsWith("https://"), echo.get("uri"));
    }

    @Test
    public void testRouterChunkedBodyIsDecoded() throws Exception
    {
        Map<String, String> echo = echo(HttpTester.parseResponse(ByteBuffer.wrap(exchange(Captures.read("uwsgi-http-router-post-chunked-raw.bin")))));
        assertEquals("PART1-AAAPART2-END", echo.get("body"));
    }

    @Test
    public void testExpectContinueIsNeverAnswered() throws Exception
    {
        byte[] raw = exchange(Captures.read("nginx-post-expect-100.bin"));
        String text = new String(raw, StandardCharsets.ISO_8859_1);
        assertTrue(text.startsWith("HTTP/1.1 200 OK\r\n"), text);
        assertFalse(text.contains("100 Continue"), text);
        assertEquals("11", echo(HttpTester.parseResponse(ByteBuffer.wrap(raw))).get("bodyLength"));
    }

    @Test
    public void testPingIsAnsweredWithPong() throws Exception
    {
        assertArrayEquals(Captures.read("uwsgi-ping-response.bin"), exchange(Captures.read("uwsgi-ping-request.bin")));
        assertEquals(0, handled.get());
    }

    @Test
    public void testUnsupportedModifierIsClosedWithoutAnswer() throws Exception
    {
        assertEquals(0, exchange(Captures.read("uwsgi-subscribe.bin")).length);
        assertEquals(0, handled.get());
    }

    @Test
    public void testJvmModifierIsServed() throws Exception
    {
        assertEquals(200, HttpTester.parseResponse(ByteBuffer.wrap(exchange(Captures.read("nginx-get-modifier1-8.bin")))).getStatus());
    }

    @Test
    public void testPlainHttpToTheUwsgiPortIsClosedNotHung() throws Exception
    {
        assertEquals(0, exchange("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII)).length);
        assertEquals(0, handled.get());
    }

    @Test
    public void testTooLargeVarsBlockIsClosed() throws Exception
    {
        server.stop();
        ((UwsgiConnectionFactory)connector.getConnectionFactory(UwsgiConnectionFactory.PROTOCOL)).getUwsgiConfiguration().setMaxVarsSize(4096);
        server.start();
        // the 30 KB header capture exceeds uWSGI's default, and ours when set like uWSGI's
        assertEquals(0, exchange(Captures.read("nginx-get-30k-headers.bin")).length);
    }

    @Test
    public void testThirtyKilobyteHeadersPassWithTheDefaultLimit() throws Exception
    {
        Map<String, String> echo = echo(HttpTester.parseResponse(ByteBuffer.wrap(exchange(Captures.read("nginx-get-30k-headers.bin")))));
        assertEquals(15000, echo.get("header.x-a").length() - 2);
    }

    @Test
    public void testNoParamsCaptureGetsA400WithoutStackTrace() throws Exception
    {
        HttpTester.Response response = HttpTester.parseResponse(ByteBuffer.wrap(exchange(Captures.read("nginx-get-no-params.bin"))));
        assertEquals(400, response.getStatus());
        assertFalse(response.getContent().contains("at io."), response.getContent());
        assertFalse(response.getContent().contains("Exception"), response.getContent());
        assertEquals(0, handled.get());
    }

    @Test
    public void testBadContentLengthGetsA400() throws Exception
    {
        byte[] packet = RawFrontend.packet(get("/").add("CONTENT_LENGTH", "1e3"));
        assertEquals(400, HttpTester.parseResponse(ByteBuffer.wrap(exchange(packet))).getStatus());
    }

    @Test
    public void testTruncatedVarsAreClosedWithoutAnswer() throws Exception
    {
        byte[] packet = RawFrontend.packet(get("/"));
        try (RawFrontend client = RawFrontend.tcp(connector.getLocalPort()))
        {
            client.send(java.util.Arrays.copyOf(packet, packet.length / 2)).shutdownOutput();
            assertEquals(0, client.readAll().length);
        }
        assertEquals(0, handled.get());
    }

    @Test
    public void testIdleHalfOpenPacketIsClosedByTheIdleTimeout() throws Exception
    {
        long start = System.nanoTime();
        try (RawFrontend client = RawFrontend.tcp(connector.getLocalPort()))
        {
            client.send(new byte[]{0, 0x10});
            assertEquals(0, client.readAll().length);
        }
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertTrue(millis >= 1000 && millis < 10000, "closed after " + millis + " ms");
    }

    @Test
    public void testBodyShorterThanContentLengthFailsTheRequestAndCloses() throws Exception
    {
        try (RawFrontend client = RawFrontend.tcp(connector.getLocalPort()))
        {
            client.send(RawFrontend.packet(post("/echo", 100))).send("only-ten!!".getBytes(StandardCharsets.US_ASCII)).shutdownOutput();
            byte[] raw = client.readAll();
            // the handler saw an early end of the body; whatever status it gets, the connection ends and nothing leaks
            if (raw.length > 0)
            {
                HttpTester.Response response = HttpTester.parseResponse(ByteBuffer.wrap(raw));
                assertTrue(response.getStatus() >= 400, response.toString());
            }
        }
    }

    @Test
    public void testOnlyOnePacketPerConnection() throws Exception
    {
        byte[] first = RawFrontend.packet(get("/echo/first"));
        byte[] second = RawFrontend.packet(get("/echo/second"));
        byte[] both = new byte[first.length + second.length];
        System.arraycopy(first, 0, both, 0, first.length);
        System.arraycopy(second, 0, both, first.length, second.length);
        String text = new String(exchange(both), StandardCharsets.ISO_8859_1);
        assertTrue(text.contains("/echo/first"), text);
        assertFalse(text.contains("/echo/second"), text);
        assertEquals(1, handled.get());
    }

    @Test
    public void testStreamedResponseIsNeverChunkedAndEndsWithTheClose() throws Exception
    {
        int size = 3 * 1024 * 1024 + 17;
        byte[] raw = exchange(RawFrontend.packet(get("/stream?size=" + size)));
        int headEnd = indexOf(raw, "\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        String head = new String(raw, 0, headEnd, StandardCharsets.ISO_8859_1);
        assertTrue(head.startsWith("HTTP/1.1 200 OK"), head);
        assertFalse(head.toLowerCase().contains("transfer-encoding"), head);
        assertFalse(head.toLowerCase().contains("content-length"), head);
        assertEquals(size, raw.length - headEnd - 4);
        assertArrayEquals(pattern(size), java.util.Arrays.copyOfRange(raw, headEnd + 4, raw.length));
    }

    @Test
    public void testApplicationTransferEncodingHeaderIsNotSent() throws Exception
    {
        byte[] raw = exchange(RawFrontend.packet(get("/stream?size=100&te=chunked")));
        String text = new String(raw, StandardCharsets.ISO_8859_1);
        assertFalse(text.toLowerCase().contains("transfer-encoding"), text);
        assertTrue(text.endsWith(new String(pattern(100), StandardCharsets.ISO_8859_1)));
    }

    @Test
    public void testKnownLengthIsSent() throws Exception
    {
        HttpTester.Response response = HttpTester.parseResponse(ByteBuffer.wrap(exchange(RawFrontend.packet(get("/length?size=5000")))));
        assertEquals("5000", response.get(HttpHeader.CONTENT_LENGTH));
        assertArrayEquals(pattern(5000), response.getContentBytes());
    }

    @Test
    public void testHeadHasNoBody() throws Exception
    {
        UwsgiVars vars = UwsgiVars.of("REQUEST_METHOD", "HEAD", "REQUEST_URI", "/length?size=5000", "HTTP_HOST", "h");
        byte[] raw = exchange(RawFrontend.packet(vars));
        String text = new String(raw, StandardCharsets.ISO_8859_1);
        assertTrue(text.endsWith("\r\n\r\n"), text);
        assertTrue(text.contains("Content-Length: 5000"), text);
    }

    @Test
    public void testLargeUploadAndDownloadStream() throws Exception
    {
        long size = 64L * 1024 * 1024;
        MessageDigest sent = MessageDigest.getInstance("SHA-256");
        try (RawFrontend client = RawFrontend.tcp(connector.getLocalPort()))
        {
            CompletableFuture<byte[]> response = CompletableFuture.supplyAsync(() ->
            {
                try
                {
                    return client.readAll();
                }
                catch (IOException x)
                {
                    throw new java.io.UncheckedIOException(x);
                }
            });
            client.send(RawFrontend.packet(post("/echo", size)));
            byte[] block = new byte[64 * 1024];
            for (long written = 0; written < size; written += block.length)
            {
                java.util.Arrays.fill(block, (byte)(written >>> 16));
                sent.update(block);
                client.output().write(block);
            }
            client.output().flush();
            Map<String, String> echo = echo(HttpTester.parseResponse(ByteBuffer.wrap(response.get(30, TimeUnit.SECONDS))));
            assertEquals(Long.toString(size), echo.get("bodyLength"));
            assertEquals(HexFormat.of().formatHex(sent.digest()), echo.get("bodySha256"));
        }
        int downloadSize = 64 * 1024 * 1024;
        try (RawFrontend client = RawFrontend.tcp(connector.getLocalPort()))
        {
            client.send(RawFrontend.packet(get("/stream?size=" + downloadSize)));
            InputStream in = client.input();
            // read the head, then count the body without keeping it
            int matched = 0;
            while (matched < 4)
            {
                int b = in.read();
                matched = (b == (matched % 2 == 0 ? '\r' : '\n')) ? matched + 1 : 0;
            }
            long total = 0;
            byte[] buffer = new byte[65536];
            for (int n; (n = in.read(buffer)) >= 0; )
                total += n;
            assertEquals(downloadSize, total);
        }
    }

    @Test
    public void testAsyncCompletionFromAnotherThread() throws Exception
    {
        HttpTester.Response response = HttpTester.parseResponse(ByteBuffer.wrap(exchange(RawFrontend.packet(get("/later")))));
        assertEquals(200, response.getStatus());
        assertEquals("later", response.getContent());
    }

    @Test
    public void testFailureBeforeCommitIsA500WithoutStackTrace() throws Exception
    {
        HttpTester.Response response = HttpTester.parseResponse(ByteBuffer.wrap(exchange(RawFrontend.packet(get("/throw")))));
        assertEquals(500, response.getStatus());
        assertFalse(response.getContent().contains("at io."), response.getContent());
    }

    @Test
    public void testUnixSocketServesWithVarsAddressAndMode() throws Exception
    {
        assertEquals("rw-rw----", PosixFilePermissions.toString(Files.getPosixFilePermissions(socketPath)));
        try (RawFrontend client = RawFrontend.unix(socketPath))
        {
            Map<String, String> echo = echo(HttpTester.parseResponse(ByteBuffer.wrap(client.send(RawFrontend.packet(get("/unix"))).readAll())));
            assertEquals("203.0.113.9:40001", echo.get("remote"));
            assertEquals("http://test.local:8080/unix", echo.get("uri"));
        }
    }

    @Test
    public void testStaleSocketFileDoesNotBlockStart() throws Exception
    {
        Path stale = socketDir.resolve("stale.sock");
        // what a kill -9 leaves behind: a socket file nobody listens on
        try (ServerSocketChannel crashed = ServerSocketChannel.open(StandardProtocolFamily.UNIX))
        {
            crashed.bind(UnixDomainSocketAddress.of(stale));
        }
        assertTrue(Files.exists(stale));
        UwsgiUnixDomainConnector restarted = new UwsgiUnixDomainConnector(server, 1, 1, new UwsgiConnectionFactory());
        restarted.setUnixDomainPath(stale);
        server.addConnector(restarted);
        try
        {
            restarted.start();
            try (RawFrontend client = RawFrontend.unix(stale))
            {
                assertEquals(200, HttpTester.parseResponse(ByteBuffer.wrap(client.send(RawFrontend.packet(get("/"))).readAll())).getStatus());
            }
        }
        finally
        {
            restarted.stop();
            server.removeConnector(restarted);
        }
    }

    @Test
    public void testLiveSocketOfAnotherServerIsNotTakenOver() throws Exception
    {
        UwsgiUnixDomainConnector second = new UwsgiUnixDomainConnector(server, 1, 1, new UwsgiConnectionFactory());
        second.setUnixDomainPath(socketPath);
        IOException x = assertThrows(IOException.class, second::start);
        assertEquals("unix socket path: " + socketPath + " is in use by another process (expected: a free path or a stale socket)", x.getMessage());
        second.stop();
    }

    @Test
    public void testBadSocketModeIsRefused()
    {
        IllegalArgumentException x = assertThrows(IllegalArgumentException.class, () -> unixConnector.setSocketMode("66"));
        assertEquals("socket mode: '66' (expected: three octal digits, e.g. 660)", x.getMessage());
    }

    @Test
    public void testSocketOwnerIsAppliedAfterBind() throws Exception
    {
        // chown to another user needs root, which CI and this project's test machines are; elsewhere there is nothing to test
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "chown needs root");
        Path path = socketDir.resolve("owned.sock");
        UwsgiUnixDomainConnector owned = new UwsgiUnixDomainConnector(server, 1, 1, new UwsgiConnectionFactory());
        owned.setUnixDomainPath(path);
        owned.setSocketOwner("nobody:nogroup");
        server.addConnector(owned);
        try
        {
            owned.start();
            PosixFileAttributes attributes = Files.readAttributes(path, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            assertEquals("nobody", attributes.owner().getName());
            assertEquals("nogroup", attributes.group().getName());
        }
        finally
        {
            owned.stop();
            server.removeConnector(owned);
            Files.deleteIfExists(path);
        }
    }

    @Test
    public void testUnknownSocketOwnerFailsTheStart() throws Exception
    {
        Path path = socketDir.resolve("unowned.sock");
        UwsgiUnixDomainConnector owned = new UwsgiUnixDomainConnector(server, 1, 1, new UwsgiConnectionFactory());
        owned.setUnixDomainPath(path);
        owned.setSocketOwner(":no-such-group-here");
        server.addConnector(owned);
        try
        {
            IOException x = assertThrows(IOException.class, owned::start);
            assertEquals("socket owner: no such group 'no-such-group-here' for " + path + " (expected: a name or id known to this system)", x.getMessage());
        }
        finally
        {
            owned.stop();
            server.removeConnector(owned);
            Files.deleteIfExists(path);
        }
        assertThrows(IllegalArgumentException.class, () -> owned.setSocketOwner("a:b:c"));
    }

    private static int indexOf(byte[] haystack, byte[] needle)
    {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++)
        {
            for (int j = 0; j < needle.length; j++)
            {
                if (haystack[i + j] != needle[j])
                    continue outer;
            }
            return i;
        }
        return -1;
    }

    static byte[] pattern(int size)
    {
        byte[] bytes = new byte[size];
        for (int i = 0; i < size; i++)
            bytes[i] = (byte)(i * 31 + 7);
        return bytes;
    }

    /**
     * A core Jetty handler that reports what it saw, one "key=value" per line, or produces the response the test asks
     * for through the path.
     */
    private class TestHandler extends Handler.Abstract
    {
        @Override
        public boolean handle(Request request, Response response, Callback callback) throws Exception
        {
            handled.incrementAndGet();
            String path = request.getHttpURI().getPath();
            Fields query = Request.extractQueryParameters(request);
            switch (path)
            {
                case "/stream" ->
                {
                    int size = query.get("size").getValueAsInt();
                    if (query.get("te") != null)
                        response.getHeaders().put(HttpHeader.TRANSFER_ENCODING, "chunked");
                    try (OutputStream out = Content.Sink.asOutputStream(response))
                    {
                        byte[] all = pattern(size);
                        for (int offset = 0; offset < size; offset += 8192)
                            out.write(all, offset, Math.min(8192, size - offset));
                    }
                    callback.succeeded();
                }
                case "/length" ->
                {
                    int size = query.get("size").getValueAsInt();
                    response.getHeaders().put(HttpHeader.CONTENT_LENGTH, size);
                    response.write(true, ByteBuffer.wrap(pattern(size)), callback);
                }
                case "/later" -> CompletableFuture.runAsync(() -> Content.Sink.write(response, true, "later", callback),
                    CompletableFuture.delayedExecutor(200, TimeUnit.MILLISECONDS));
                case "/throw" -> throw new IllegalStateException("application bug with a secret in its message");
                default -> echo(request, response, callback);
            }
            return true;
        }

        private void echo(Request request, Response response, Callback callback) throws Exception
        {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            long length = 0;
            java.io.ByteArrayOutputStream small = new java.io.ByteArrayOutputStream();
            try (InputStream in = Content.Source.asInputStream(request))
            {
                byte[] buffer = new byte[16384];
                for (int n; (n = in.read(buffer)) >= 0; )
                {
                    digest.update(buffer, 0, n);
                    if (length < 1024)
                        small.write(buffer, 0, Math.min(n, 1024));
                    length += n;
                }
            }
            StringBuilder out = new StringBuilder();
            out.append("method=").append(request.getMethod()).append('\n');
            out.append("uri=").append(request.getHttpURI()).append('\n');
            out.append("decodedPath=").append(request.getHttpURI().getDecodedPath()).append('\n');
            out.append("remote=").append(Request.getRemoteAddr(request)).append(':').append(Request.getRemotePort(request)).append('\n');
            out.append("protocol=").append(request.getConnectionMetaData().getProtocol()).append('\n');
            out.append("id=").append(request.getConnectionMetaData().getId()).append('#').append(request.getId()).append('\n');
            out.append("secure=").append(request.isSecure()).append('\n');
            for (HttpField field : request.getHeaders())
            {
                String key = "header." + field.getLowerCaseName();
                if (out.indexOf(key + "=") < 0)
                    out.append(key).append('=').append(request.getHeaders().getValuesList(field.getName())).append('\n');
            }
            Object vars = request.getAttribute(UwsgiConnectionFactory.VARS_ATTRIBUTE);
            out.append("vars=").append(vars == null ? "null" : ((Map<?, ?>)vars).values().stream().mapToInt(v -> ((List<?>)v).size()).sum()).append('\n');
            out.append("attributes=").append(new TreeSet<>(request.getAttributeNameSet().stream().filter(n -> !n.startsWith("org.eclipse.jetty.")).toList())).append('\n');
            out.append("bodyLength=").append(length).append('\n');
            out.append("bodySha256=").append(HexFormat.of().formatHex(digest.digest())).append('\n');
            out.append("body=").append(small.toString(StandardCharsets.ISO_8859_1));
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain; charset=UTF-8");
            Content.Sink.write(response, true, out.toString(), callback);
        }
    }

}

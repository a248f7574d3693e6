package io.github.jettyuwsgi.gateway.servlet;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.stream.Stream;

import io.github.jettyuwsgi.gateway.Environ;
import io.github.jettyuwsgi.gateway.GatewayApplication;
import io.github.jettyuwsgi.gateway.ResponseBody;
import io.github.jettyuwsgi.gateway.StartResponse;
import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * <p>What {@link GatewayServlet} must do in any Servlet 6 container, run against a real one over a real socket by
 * each subclass. Every application here runs under the strict {@code GatewayValidator} ({@code validate=strict}),
 * so a bridge that broke the contract would fail these tests with a validator message.</p>
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class GatewayServletContract
{
    private static final Map<String, String> STRICT = Map.of(GatewayInitParams.VALIDATE, "strict");
    private static final Map<String, String> STRICT_ASYNC = Map.of(GatewayInitParams.VALIDATE, "strict", GatewayInitParams.ASYNC, "true");

    private ServletContainer container;
    private int port;
    private final List<Throwable> failures = new CopyOnWriteArrayList<>();
    private final AtomicInteger closes = new AtomicInteger();
    private final AtomicInteger pulled = new AtomicInteger();
    private final Semaphore release = new Semaphore(0);

    protected abstract ServletContainer newContainer();

    private final class RecordingServlet extends GatewayServlet
    {
        private static final long serialVersionUID = 1L;

        private RecordingServlet(GatewayApplication application)
        {
            super(application);
        }

        @Override
        protected void onFailure(HttpServletRequest request, Throwable failure)
        {
            failures.add(failure);
            super.onFailure(request, failure);
        }
    }

    @BeforeAll
    void start() throws Exception
    {
        container = newContainer();
        for (String context : List.of("", "/ctx"))
        {
            container.addServlet(context, "dump", new RecordingServlet(new TestApps.Dump()), STRICT, "/gw/*", "/exact", "*.gw", "/", "");
        }
        container.addServlet("/t", "stream", new RecordingServlet(this::stream), STRICT, "/stream");
        container.addServlet("/t", "astream", new RecordingServlet(this::stream), STRICT_ASYNC, "/astream");
        container.addServlet("/t", "failBefore", new RecordingServlet((environ, sr) ->
        {
            throw new IllegalStateException("secret: jdbc:postgresql://db/prod?password=hunter2");
        }), STRICT, "/fail-before");
        container.addServlet("/t", "failAfter", new RecordingServlet(this::failAfter), STRICT, "/fail-after");
        container.addServlet("/t", "afailAfter", new RecordingServlet(this::failAfter), STRICT_ASYNC, "/afail-after");
        container.addServlet("/t", "endless", new RecordingServlet(this::endless), STRICT, "/endless");
        container.addServlet("/t", "aendless", new RecordingServlet(this::endless), STRICT_ASYNC, "/aendless");
        container.addServlet("/t", "slow", new RecordingServlet(this::slow),
            Map.of(GatewayInitParams.VALIDATE, "strict", GatewayInitParams.ASYNC, "true", GatewayInitParams.ASYNC_TIMEOUT, "300"), "/slow");
        container.addServlet("/t", "declared", new GatewayServlet(), Map.of(GatewayInitParams.APPLICATION, TestApps.Hello.class.getName(),
            GatewayInitParams.MIDDLEWARE, TestApps.Trace.class.getName() + ", " + TestApps.Upper.class.getName(), GatewayInitParams.VALIDATE, "strict"), "/declared/*");
        container.addServlet("/t", "jwsgi", new GatewayServlet(), Map.of(GatewayInitParams.JWSGI, "io.github.jettyuwsgi.gateway.jwsgi.JwsgiApps$Hello:application"), "/jwsgi/*");
        container.addServlet("/t", "tls", new RecordingServlet(new TestApps.Dump()), STRICT, "/tls/*");
        container.addFilter("/t", "fakeTls", fakeTls(), Map.of(), "/tls/*");
        FilterDeployments.deploy(container);
        port = container.start();
    }

    @AfterAll
    void stop() throws Exception
    {
        container.close();
    }

    @BeforeEach
    void reset()
    {
        failures.clear();
        closes.set(0);
        pulled.set(0);
        release.drainPermits();
    }

    private ResponseBody counted(Iterator<byte[]> chunks)
    {
        return ResponseBody.of(() -> new Iterator<>()
        {
            @Override
            public boolean hasNext()
            {
                return chunks.hasNext();
            }

            @Override
            public byte[] next()
            {
                pulled.incrementAndGet();
                return chunks.next();
            }
        }, closes::incrementAndGet);
    }

    /** Yields "one", then waits for the test to have received it, then yields "two". */
    private ResponseBody stream(Environ environ, StartResponse startResponse)
    {
        startResponse.start("200 OK", TestApps.TEXT);
        return counted(List.<Supplier<byte[]>>of(() -> TestApps.latin1("one"), () ->
        {
            try
            {
                return TestApps.latin1(release.tryAcquire(5, TimeUnit.SECONDS) ? "two" : "chunk one was not flushed");
            }
            catch (InterruptedException x)
            {
                throw new IllegalStateException(x);
            }
        }).stream().map(Supplier::get).iterator());
    }

    private ResponseBody failAfter(Environ environ, StartResponse startResponse)
    {
        startResponse.start("200 OK", TestApps.TEXT);
        return counted(Stream.<Supplier<byte[]>>of(() -> TestApps.latin1("partial"), () ->
        {
            throw new IllegalStateException("failed mid-body");
        }).map(Supplier::get).iterator());
    }

    private ResponseBody endless(Environ environ, StartResponse startResponse)
    {
        startResponse.start("200 OK", TestApps.TEXT);
        byte[] block = TestApps.latin1("x".repeat(8192));
        return counted(Stream.generate(() -> block).iterator());
    }

    private ResponseBody slow(Environ environ, StartResponse startResponse)
    {
        startResponse.start("200 OK", TestApps.TEXT);
        return counted(Stream.iterate(0, i -> i + 1).map(i ->
        {
            if (i == 1)
                sleep(2000);
            return TestApps.latin1("chunk" + i);
        }).iterator());
    }

    private static void sleep(long millis)
    {
        try
        {
            Thread.sleep(millis);
        }
        catch (InterruptedException x)
        {
            Thread.currentThread().interrupt();
        }
    }

    private static Filter fakeTls()
    {
        // What a TLS connector gives a servlet: isSecure(), the https scheme and the standard TLS attributes.
        return (request, response, chain) ->
        {
            request.setAttribute("jakarta.servlet.request.cipher_suite", "TLS_AES_128_GCM_SHA256");
            request.setAttribute("jakarta.servlet.request.key_size", 128);
            request.setAttribute("jakarta.servlet.request.ssl_session_id", "5e55104");
            chain.doFilter(new HttpServletRequestWrapper((HttpServletRequest)request)
            {
                @Override
                public boolean isSecure()
                {
                    return true;
                }

                @Override
                public String getScheme()
                {
                    return "https";
                }
            }, response);
        };
    }

    private Map<String, String> dump(String request) throws IOException
    {
        try (HttpConnection connection = new HttpConnection(port))
        {
            connection.send(request).readHead();
            assertEquals(200, connection.status, () -> "status for " + request);
            Map<String, String> values = new TreeMap<>();
            String body = connection.readBody();
            int bodyAt = body.indexOf("body=");
            for (String line : body.substring(0, bodyAt).split("\n"))
            {
                int equals = line.indexOf('=');
                if (equals > 0)
                    values.put(line.substring(0, equals), line.substring(equals + 1));
            }
            values.put("body", body.substring(bodyAt + 5));
            return values;
        }
    }

    private void awaitCloses(int expected) throws InterruptedException
    {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(8);
        while (closes.get() < expected && System.nanoTime() < deadline)
        {
            Thread.sleep(10);
        }
        Thread.sleep(50);
        assertEquals(expected, closes.get(), "body close() calls");
    }

    @Test
    void environIsBuiltFromTheRequest() throws IOException
    {
        Map<String, String> env = dump("POST /ctx/gw/a%20b/caf%C3%A9;v=1?x=1&y=%41 HTTP/1.1\r\n" +
            "Host: example.test:8080\r\nCookie: a=1\r\nCookie: b=2\r\nX-Multi: 1\r\nX-Multi: 2\r\nProxy: http://evil\r\n" +
            "X_Spoof: 1\r\nContent-Type: text/plain\r\nContent-Length: 5\r\nConnection: close\r\n\r\nhello");
        assertEquals("POST", env.get("REQUEST_METHOD"));
        assertEquals("/ctx/gw", env.get("SCRIPT_NAME"));
        // as nginx passes PATH_INFO to uWSGI: decoded, parameters kept
        assertEquals("/a b/caf\u00c3\u00a9;v=1", env.get("PATH_INFO"));
        assertEquals("x=1&y=%41", env.get("QUERY_STRING"));
        assertEquals("/ctx/gw/a%20b/caf%C3%A9;v=1?x=1&y=%41", env.get("REQUEST_URI"));
        assertEquals("text/plain", env.get("CONTENT_TYPE"));
        assertEquals("5", env.get("CONTENT_LENGTH"));
        assertEquals("a=1; b=2", env.get("HTTP_COOKIE"));
        assertEquals("1, 2", env.get("HTTP_X_MULTI"));
        assertEquals("example.test", env.get("SERVER_NAME"));
        assertEquals("8080", env.get("SERVER_PORT"));
        assertEquals("HTTP/1.1", env.get("SERVER_PROTOCOL"));
        assertEquals("CGI/1.1", env.get("GATEWAY_INTERFACE"));
        assertEquals("127.0.0.1", env.get("REMOTE_ADDR"));
        assertTrue(Integer.parseInt(env.get("REMOTE_PORT")) > 0);
        assertEquals("http", env.get("gateway.url_scheme"));
        assertEquals("true", env.get("gateway.input_terminated"));
        assertEquals("true", env.get("gateway.multithread"));
        assertEquals("false", env.get("gateway.multiprocess"));
        assertEquals("false", env.get("gateway.run_once"));
        assertEquals("hello", env.get("body"));
        for (String absent : List.of("HTTP_PROXY", "HTTP_X_SPOOF", "HTTP_CONTENT_TYPE", "HTTP_CONTENT_LENGTH", "HTTPS", "REMOTE_USER"))
        {
            assertNull(env.get(absent), absent);
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "/ctx/gw/x/y      | /ctx/gw        | /x/y",
        "/ctx/gw          | /ctx/gw        | ''",
        "/ctx/exact       | /ctx/exact     | ''",
        "/ctx/dir/f.gw    | /ctx/dir/f.gw  | ''",
        "/ctx/other/z     | /ctx           | /other/z",
        "/ctx/            | /ctx           | /",
        "/ctx/gw/%C3%A9/x | /ctx/gw        | /\u00c3\u00a9/x",
        "/ctx/gw/a/../b/./c | /ctx/gw      | /b/c",
        "/ctx/gw/x/..     | /ctx/gw        | /",
        "/gw/x            | /gw            | /x",
        "/exact           | /exact         | ''",
        "/other           | ''             | /other",
        "/                | ''             | /"})
    void scriptNameAndPathInfoFollowTheServletMapping(String target, String scriptName, String pathInfo) throws IOException
    {
        Map<String, String> env = dump(HttpConnection.get(target));
        assertEquals(scriptName, env.get("SCRIPT_NAME"), "SCRIPT_NAME");
        assertEquals(pathInfo, env.get("PATH_INFO"), "PATH_INFO");
    }

    @Test
    void tlsVariablesComeFromTheRequest() throws IOException
    {
        Map<String, String> env = dump(HttpConnection.get("/t/tls/x"));
        assertEquals("on", env.get("HTTPS"));
        assertEquals("https", env.get("gateway.url_scheme"));
        assertEquals("TLS_AES_128_GCM_SHA256", env.get("SSL_CIPHER"));
        assertEquals("128", env.get("SSL_CIPHER_USEKEYSIZE"));
        assertEquals("5e55104", env.get("SSL_SESSION_ID"));
    }

    @Test
    void chunkedUploadIsReadToItsEnd() throws IOException
    {
        Map<String, String> env = dump("POST /ctx/gw/up HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n" +
            "3\r\nabc\r\n4\r\ndefg\r\n0\r\n\r\n");
        assertEquals("abcdefg", env.get("body"));
        assertNull(env.get("CONTENT_LENGTH"));
    }

    @Test
    void headHasHeadersButNoBody() throws IOException
    {
        try (HttpConnection connection = new HttpConnection(port))
        {
            connection.send("HEAD /ctx/gw/x HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n").readHead();
            assertEquals(200, connection.status);
            assertTrue(connection.header("content-type").startsWith("text/plain"));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"/t/stream", "/t/astream"})
    void eachChunkIsFlushedBeforeTheNextIsPulled(String target) throws Exception
    {
        try (HttpConnection connection = new HttpConnection(port))
        {
            connection.send(HttpConnection.get(target)).readHead();
            assertEquals(200, connection.status);
            assertEquals("one", new String(connection.readChunk(), StandardCharsets.ISO_8859_1));
            assertEquals(1, pulled.get(), "the second chunk must not be pulled before the first was sent");
            release.release();
            assertEquals("two", connection.readBody());
        }
        awaitCloses(1);
        assertEquals(List.of(), failures);
    }

    @Test
    void failureBeforeCommitGivesAGeneric500() throws IOException
    {
        try (HttpConnection connection = new HttpConnection(port))
        {
            connection.send(HttpConnection.get("/t/fail-before")).readHead();
            assertEquals(500, connection.status);
            String body = connection.readBody();
            assertEquals("Internal Server Error\n", body);
        }
        assertEquals(1, failures.size());
        assertEquals("secret: jdbc:postgresql://db/prod?password=hunter2", failures.get(0).getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"/t/fail-after", "/t/afail-after"})
    void failureAfterCommitAbortsTheConnection(String target) throws Exception
    {
        try (HttpConnection connection = new HttpConnection(port))
        {
            // Keep-alive, so the body is chunked: a body delimited by the connection's end could not show the cut.
            connection.send(HttpConnection.keepAlive(target)).readHead();
            assertEquals(200, connection.status);
            assertEquals("partial", new String(connection.readChunk(), StandardCharsets.ISO_8859_1));
            assertThrows(IOException.class, connection::readBody, "the body must end cut off, not complete");
        }
        awaitCloses(1);
        assertEquals(1, failures.size());
        assertEquals("failed mid-body", failures.get(0).getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"/t/endless", "/t/aendless"})
    void clientDisconnectClosesTheBodyOnceAndIsNotAFailure(String target) throws Exception
    {
        try (HttpConnection connection = new HttpConnection(port))
        {
            connection.send(HttpConnection.get(target)).readHead();
            assertEquals(200, connection.status);
            connection.readChunk();
        }
        awaitCloses(1);
        assertEquals(List.of(), failures);
    }

    @Test
    void asyncTimeoutClosesTheBodyOnceAndEndsTheResponse() throws Exception
    {
        try (HttpConnection connection = new HttpConnection(port))
        {
            connection.send(HttpConnection.keepAlive("/t/slow")).readHead();
            assertEquals(200, connection.status);
            assertThrows(IOException.class, connection::readBody, "a timed-out body must end cut off, not complete");
        }
        awaitCloses(1);
        assertEquals(2, pulled.get(), "chunks pulled: the one before the timeout, and the slow one that overran it");
    }

    @Test
    void middlewareFilterRewritesEnvironStatusHeadersAndBody() throws IOException
    {
        try (HttpConnection connection = new HttpConnection(port))
        {
            connection.send("POST /f/down/x?q=original HTTP/1.1\r\nHost: localhost\r\nContent-Length: 4\r\nConnection: close\r\n\r\ndata").readHead();
            assertEquals(203, connection.status);
            assertEquals("seen 200 OK", connection.header("x-middleware"));
            assertEquals("1", connection.header("x-down"));
            assertEquals("up=1, down=2", connection.header("set-cookie"), "the upstream filter's cookie, then the servlet's");
            assertTrue(connection.header("content-type").startsWith("text/plain"));
            assertEquals("METHOD=POST ADDED=BY MIDDLEWARE PATH=/X Q=REWRITTEN BODY=DATA", connection.readBody());
        }
    }

    @Test
    void middlewareFilterSeesSendErrorAsAResponse() throws IOException
    {
        try (HttpConnection connection = new HttpConnection(port))
        {
            connection.send(HttpConnection.get("/f/down/missing")).readHead();
            assertEquals(404, connection.status);
            assertEquals("seen 404 Not Found", connection.header("x-middleware"));
            assertEquals("NOT FOUND\n", connection.readBody());
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "/f/app/hit        | 200 | from app /f/app /hit",
        "/f/app/miss       | 200 | from chain /app /miss",
        "/f/app/pass       | 200 | from chain /app /pass",
        "/f/chain/hit      | 200 | from chain /chain /hit",
        "/f/chain/gone     | 200 | from app /f/chain /gone",
        "/f/chain/nomethod | 200 | from app /f/chain /nomethod"})
    void cascadeModesKeepUpstreamHeaders(String target, int status, String body) throws IOException
    {
        try (HttpConnection connection = new HttpConnection(port))
        {
            connection.send(HttpConnection.get(target)).readHead();
            assertEquals(status, connection.status);
            assertEquals(body, connection.readBody());
            assertEquals("kept", connection.header("x-upstream"), "a header set upstream must survive the cascade");
            assertTrue(String.valueOf(connection.header("set-cookie")).contains("up=1"), "a cookie set upstream must survive: " + connection.headers);
        }
    }

    @Test
    void jwsgiApplicationDeclaredLikeUwsgi() throws IOException
    {
        try (HttpConnection connection = new HttpConnection(port))
        {
            connection.send("POST /t/jwsgi/caf%C3%A9 HTTP/1.1\r\nHost: localhost\r\nContent-Length: 2\r\nConnection: close\r\n\r\nhi").readHead();
            assertEquals(200, connection.status);
            assertEquals("uWSGI, Unbit", connection.header("server"));
            assertEquals("Hello /caf\u00c3\u00a9 POST hi", connection.readBody(), "UTF-8 bytes of the reply, read as latin-1");
        }
    }

    @Test
    void applicationAndMiddlewareDeclaredByClassName() throws IOException
    {
        try (HttpConnection connection = new HttpConnection(port))
        {
            connection.send(HttpConnection.get("/t/declared/x")).readHead();
            assertEquals(200, connection.status);
            assertEquals("trace", connection.header("x-trace"));
            assertEquals("HELLO FROM /X", connection.readBody());
        }
    }
}

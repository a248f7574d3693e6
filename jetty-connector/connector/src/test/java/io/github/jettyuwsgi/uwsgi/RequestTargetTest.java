package io.github.jettyuwsgi.uwsgi;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import io.github.jettyuwsgi.uwsgi.codec.UwsgiException;
import io.github.jettyuwsgi.uwsgi.codec.UwsgiVars;
import org.eclipse.jetty.http.HttpTester;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The request target of {@link UwsgiRequestMapping} is judged as Jetty's HTTP connector judges a request line's: the
 * same targets sent to one Jetty over HTTP and over uwsgi get the same status, and a refusal is a 400 without a stack
 * trace, closed at once.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
public class RequestTargetTest
{
    private static final InetSocketAddress PEER = new InetSocketAddress("127.0.0.1", 40000);

    private Server server;
    private ServerConnector http;
    private ServerConnector uwsgi;
    // one configuration, so one UriCompliance, for both connectors
    private final HttpConfiguration config = new HttpConfiguration();

    @BeforeEach
    public void start() throws Exception
    {
        server = new Server();
        http = new ServerConnector(server, 1, 1, new HttpConnectionFactory(config));
        http.setHost("127.0.0.1");
        uwsgi = new ServerConnector(server, 1, 1, new UwsgiConnectionFactory(config, new UwsgiConfiguration()));
        uwsgi.setHost("127.0.0.1");
        // A response must end with the close, as a frontend reads until then: one that waited for the idle timeout
        // instead would make the test time out rather than pass late.
        uwsgi.setIdleTimeout(TimeUnit.MINUTES.toMillis(10));
        server.addConnector(http);
        server.addConnector(uwsgi);
        server.setHandler(new Handler.Abstract()
        {
            @Override
            public boolean handle(Request request, Response response, Callback callback)
            {
                response.setStatus(200);
                response.write(true, ByteBuffer.wrap(request.getHttpURI().getPathQuery().getBytes(StandardCharsets.UTF_8)), callback);
                return true;
            }
        });
        server.start();
    }

    @AfterEach
    public void stop() throws Exception
    {
        server.stop();
    }

    private static UwsgiRequest map(String... namesAndValues)
    {
        return UwsgiRequestMapping.map(UwsgiVars.of(namesAndValues), PEER);
    }

    /**
     * Targets a client can put in a request line that nginx passes on as {@code REQUEST_URI} unchanged; the raw target
     * is written here as ISO-8859-1 bytes ({@code "\u00c3\u00a4"} is a UTF-8 {@code ä}).
     */
    @ParameterizedTest
    @ValueSource(strings = {"/plain?q=1", "/a\\b", "/a]b", "/a[b", "/a#frag", "/a?q#frag", "/h\\&]\\E]]]#1&x", "/a%2Fb",
        "/a/%2e%2e/b", "/a/../b", "//a", "/a;b", "/\u00c3\u00a4", "/a?\u00c3\u00a4", "/\u00ed\u00a0\u0080", "/a%zz", "/a{b}|^`",
        "/a\"<>", "http://x.example/a", "http://user@x.example/a", "http://x.example/a#f", "http://x.example", "*", "a/b",
        "/a?b\\c]d"})
    public void testUwsgiAnswersAsHttpDoes(String target) throws Exception
    {
        byte[] raw = target.getBytes(StandardCharsets.ISO_8859_1);
        HttpTester.Response overHttp = exchange(http, concat("GET ".getBytes(StandardCharsets.US_ASCII), raw,
            " HTTP/1.1\r\nHost: x.example\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII)));
        HttpTester.Response overUwsgi = exchange(uwsgi, RawFrontend.packet(UwsgiVars.of("REQUEST_METHOD", "GET",
            "REQUEST_URI", target, "SERVER_PROTOCOL", "HTTP/1.1", "HTTP_HOST", "x.example")));
        assertEquals(overHttp.getStatus(), overUwsgi.getStatus(), target + ": over HTTP " + overHttp + overHttp.getContent() + "\nover uwsgi " + overUwsgi + overUwsgi.getContent());
        if (overUwsgi.getStatus() == 200)
            assertEquals(overHttp.getContent(), overUwsgi.getContent(), target);
        assertFalse(overUwsgi.getContent().contains("Exception"), overUwsgi.getContent());
        assertFalse(overUwsgi.getContent().contains("\tat "), overUwsgi.getContent());
    }

    @Test
    public void testTheConnectorsUriComplianceJudgesTheTarget() throws Exception
    {
        server.stop();
        config.setUriCompliance(UriCompliance.LEGACY);
        server.start();
        HttpTester.Response overUwsgi = exchange(uwsgi, RawFrontend.packet(UwsgiVars.of("REQUEST_METHOD", "GET",
            "REQUEST_URI", "/a#frag", "HTTP_HOST", "x.example")));
        assertEquals(200, overUwsgi.getStatus(), overUwsgi.toString());
        assertEquals("/a", overUwsgi.getContent());
    }

    @Test
    public void testTwoHostsAreABadRequestAsOverHttp() throws Exception
    {
        HttpTester.Response overHttp = exchange(http, "GET / HTTP/1.1\r\nHost: a.example\r\nHost: b.example\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        HttpTester.Response overUwsgi = exchange(uwsgi, RawFrontend.packet(UwsgiVars.of("REQUEST_METHOD", "GET",
            "REQUEST_URI", "/", "HTTP_HOST", "a.example", "HTTP_HOST", "b.example")));
        assertEquals(400, overHttp.getStatus(), overHttp.toString());
        assertEquals(400, overUwsgi.getStatus(), overUwsgi.toString() + overUwsgi.getContent());
    }

    @Test
    public void testViolationsOfAnAbsoluteFormTargetStay()
    {
        HttpURI uri = map("REQUEST_METHOD", "GET", "REQUEST_URI", "http://user@evil.example/p?q#f", "HTTP_HOST", "good.example").metaData().getHttpURI();
        assertEquals("good.example", uri.getHost());
        assertNull(uri.getUser());
        assertEquals("/p?q", uri.getPathQuery());
        assertEquals(Set.of(UriCompliance.Violation.USER_INFO, UriCompliance.Violation.FRAGMENT), uri.getViolations());
    }

    @Test
    public void testAbsoluteFormWithoutAnyHostKeepsNoneOfTheTargets()
    {
        HttpURI uri = map("REQUEST_METHOD", "GET", "REQUEST_URI", "http://evil.example").metaData().getHttpURI();
        assertNull(uri.getHost());
        assertEquals("/", uri.getPath());
    }

    @Test
    public void testInvalidUtf8IsDecodedAsJettysParserDoes()
    {
        // an encoded surrogate: three bytes, three replacement characters in Jetty's decoder (Java's gives one)
        HttpURI uri = map("REQUEST_METHOD", "GET", "REQUEST_URI", "/\u00ed\u00a0\u0080").metaData().getHttpURI();
        assertEquals("/\ufffd\ufffd\ufffd", uri.getPath());
    }

    @Test
    public void testConnectIsABadRequest()
    {
        UwsgiException x = assertThrows(UwsgiException.class, () -> map("REQUEST_METHOD", "CONNECT", "REQUEST_URI", "x.example:443"));
        assertTrue(x.getMessage().startsWith("REQUEST_METHOD: CONNECT"), x.getMessage());
    }

    @Test
    public void testRelativeTargetIsABadRequest()
    {
        UwsgiException x = assertThrows(UwsgiException.class, () -> map("REQUEST_METHOD", "GET", "REQUEST_URI", "a/b"));
        assertTrue(x.getMessage().contains("(expected: an origin-form or absolute-form request target"), x.getMessage());
    }

    private static HttpTester.Response exchange(ServerConnector connector, byte[] request) throws IOException
    {
        try (RawFrontend client = RawFrontend.tcp(connector.getLocalPort()))
        {
            return HttpTester.parseResponse(ByteBuffer.wrap(client.send(request).readAll()));
        }
    }

    private static byte[] concat(byte[]... parts)
    {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (byte[] part : parts)
        {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }
}

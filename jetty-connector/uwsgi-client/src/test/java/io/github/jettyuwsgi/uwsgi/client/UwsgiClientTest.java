package io.github.jettyuwsgi.uwsgi.client;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import io.github.jettyuwsgi.captures.Captures;
import io.github.jettyuwsgi.uwsgi.codec.UwsgiVars;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpTester;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The client against a real Jetty with our connector, over TCP and a Unix socket, and its packet against one nginx built.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
public class UwsgiClientTest
{
    private Backend backend;

    @BeforeEach
    public void start() throws Exception
    {
        backend = new Backend();
    }

    @AfterEach
    public void stop() throws Exception
    {
        backend.close();
    }

    private static HttpFields.Mutable headers()
    {
        return HttpFields.build().add(HttpHeader.HOST, "test.local").add(HttpHeader.USER_AGENT, "curl-test").add(HttpHeader.ACCEPT, "*/*");
    }

    private static HttpTester.Response exchange(UwsgiClient client, String method, String uri, HttpFields headers, byte[] body) throws IOException
    {
        ByteArrayOutputStream raw = new ByteArrayOutputStream();
        client.request(method, uri, headers, 0, body == null ? null : new ByteArrayInputStream(body), raw);
        return HttpTester.parseResponse(ByteBuffer.wrap(raw.toByteArray()));
    }

    private static List<String> lines(HttpTester.Response response)
    {
        return List.of(response.getContent().split("\n"));
    }

    @Test
    public void getOverTcpSendsNginxVars() throws Exception
    {
        HttpTester.Response response = exchange(UwsgiClient.tcp("127.0.0.1", backend.port()), "GET", "/a%20b/c?x=1&y=%41", headers(), null);

        assertEquals(200, response.getStatus());
        assertEquals("yes", response.get("X-Echo"));
        List<String> lines = lines(response);
        assertEquals("method=GET", lines.get(0));
        assertEquals("uri=/a%20b/c?x=1&y=%41", lines.get(1));
        List<String> vars = lines.subList(2, lines.size() - 2);
        assertEquals(List.of("var QUERY_STRING=x=1&y=%41", "var REQUEST_METHOD=GET", "var CONTENT_TYPE=", "var CONTENT_LENGTH=",
            "var REQUEST_URI=/a%20b/c?x=1&y=%41", "var PATH_INFO=/a b/c", "var SERVER_PROTOCOL=HTTP/1.1", "var REQUEST_SCHEME=http",
            "var REMOTE_ADDR=127.0.0.1"), vars.subList(0, 9));
        assertTrue(vars.get(9).matches("var REMOTE_PORT=[1-9][0-9]*"), vars.get(9));
        assertEquals(List.of("var SERVER_PORT=80", "var SERVER_NAME=test.local", "var HTTP_HOST=test.local",
            "var HTTP_USER_AGENT=curl-test", "var HTTP_ACCEPT=*/*"), vars.subList(10, vars.size()));
        assertEquals("body-length=0", lines.get(lines.size() - 2));
    }

    @Test
    public void postStreamsTheBodyOverUnixSocket() throws Exception
    {
        byte[] body = new byte[3 * 1024 * 1024 + 17];
        new Random(42).nextBytes(body);
        HttpFields.Mutable headers = headers().add(HttpHeader.CONTENT_LENGTH, Integer.toString(body.length))
            .add(HttpHeader.CONTENT_TYPE, "application/octet-stream").add("X-Request-Id", "r-1").add("X-Request-Id", "r-2");

        HttpTester.Response response = exchange(UwsgiClient.unix(backend.socket()), "POST", "/upload", headers, body);

        assertEquals(200, response.getStatus());
        List<String> lines = lines(response);
        assertTrue(lines.contains("method=POST"), lines.toString());
        assertTrue(lines.contains("var CONTENT_LENGTH=" + body.length), lines.toString());
        assertTrue(lines.contains("var CONTENT_TYPE=application/octet-stream"), lines.toString());
        // one var per header line, as nginx 1.22 sends a repeated header
        assertTrue(lines.contains("var HTTP_X_REQUEST_ID=r-1") && lines.contains("var HTTP_X_REQUEST_ID=r-2"), lines.toString());
        assertTrue(lines.contains("var REMOTE_ADDR=127.0.0.1") && lines.contains("var REMOTE_PORT=0"), lines.toString());
        assertEquals("body-length=" + body.length, lines.get(lines.size() - 2));
        assertEquals("body-sha256=" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body)), lines.get(lines.size() - 1));
    }

    @Test
    public void bodyShorterThanContentLengthIsAnError()
    {
        HttpFields.Mutable headers = headers().add(HttpHeader.CONTENT_LENGTH, "10");
        UwsgiClient client = UwsgiClient.tcp("127.0.0.1", backend.port());
        IOException failure = assertThrows(IOException.class,
            () -> client.request("POST", "/", headers, 0, new ByteArrayInputStream(new byte[4]), new ByteArrayOutputStream()));
        assertEquals("request body: ended after 4 bytes (expected: 10, the Content-Length)", failure.getMessage());
    }

    @Test
    public void pingOverTcpAndUnix() throws Exception
    {
        Duration tcp = UwsgiClient.tcp("127.0.0.1", backend.port()).ping();
        Duration unix = UwsgiClient.unix(backend.socket()).ping();
        assertTrue(tcp.toNanos() > 0 && tcp.toSeconds() < 10, tcp.toString());
        assertTrue(unix.toNanos() > 0 && unix.toSeconds() < 10, unix.toString());
    }

    @Test
    public void pingOfSomethingElseSaysWhatCameBack() throws Exception
    {
        try (ServerSocket notUwsgi = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress()))
        {
            Thread answer = new Thread(() ->
            {
                try (var socket = notUwsgi.accept())
                {
                    socket.getInputStream().readNBytes(4);
                    socket.getOutputStream().write("HTTP/1.1 400".getBytes(StandardCharsets.US_ASCII));
                }
                catch (IOException ignored)
                {
                    // the assertion below reports what the client saw
                }
            });
            answer.start();
            IOException failure = assertThrows(IOException.class, () -> UwsgiClient.tcp("127.0.0.1", notUwsgi.getLocalPort()).ping());
            assertEquals("ping answer: 48 54 54 50 (expected: the pong 64 00 00 01)", failure.getMessage());
            answer.join();
        }
    }

    @Test
    public void silentBackendTimesOut() throws Exception
    {
        try (ServerSocket silent = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress()))
        {
            UwsgiClient client = UwsgiClient.tcp("127.0.0.1", silent.getLocalPort());
            client.setTimeout(Duration.ofMillis(300));
            IOException failure = assertThrows(IOException.class, client::ping);
            assertEquals("read: no progress in 300 ms (expected: a backend that answers)", failure.getMessage());
        }
    }

    /**
     * The packet for the request nginx 1.22 turned into the captured {@code nginx-post-form.bin} is that packet, but for
     * the vars that depend on nginx's own set-up: DOCUMENT_ROOT, its listen port and the client's port.
     */
    @Test
    public void packetMatchesWhatNginxSent() throws Exception
    {
        UwsgiVars captured = parse(Captures.read("nginx-post-form.bin"));
        // the header lines in the order the capturing client sent them
        HttpFields.Mutable headers = HttpFields.build().add(HttpHeader.HOST, "test.local").add(HttpHeader.ACCEPT, "*/*").add(HttpHeader.USER_AGENT, "curl-test")
            .add(HttpHeader.CONTENT_LENGTH, "17").add(HttpHeader.CONTENT_TYPE, "application/x-www-form-urlencoded");
        UwsgiVars ours = UwsgiClient.nginxVars("POST", "/post/form?x=1", headers, new InetSocketAddress("127.0.0.1", 38962));

        assertEquals(withoutSetUp(captured), withoutSetUp(ours));
    }

    private static UwsgiVars parse(byte[] packet)
    {
        // read here rather than with UwsgiParser so that this test does not depend on the code it compares against
        ByteBuffer buffer = ByteBuffer.wrap(packet).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        buffer.get();
        int end = 4 + Short.toUnsignedInt(buffer.getShort());
        buffer.get();
        UwsgiVars vars = new UwsgiVars();
        while (buffer.position() < end)
            vars.add(string(buffer), string(buffer));
        return vars;
    }

    private static String string(ByteBuffer buffer)
    {
        byte[] bytes = new byte[Short.toUnsignedInt(buffer.getShort())];
        buffer.get(bytes);
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }

    private static List<String> withoutSetUp(UwsgiVars vars)
    {
        List<String> kept = new ArrayList<>();
        for (int i = 0; i < vars.size(); i++)
        {
            if (!List.of("DOCUMENT_ROOT", "SERVER_PORT").contains(vars.name(i)))
                kept.add(vars.name(i) + "=" + vars.value(i));
        }
        return kept;
    }
}

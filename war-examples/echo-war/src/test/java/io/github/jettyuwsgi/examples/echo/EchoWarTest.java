package io.github.jettyuwsgi.examples.echo;

import java.io.ByteArrayOutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import io.github.jettyuwsgi.examples.test.WarServer;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Deploys the exploded echo WAR ({@code src/main/webapp} plus the compiled classes) in a real ee10 Jetty on a
 * loopback port and checks the JSON contract over real HTTP.
 */
public class EchoWarTest
{
    private static final String CONTEXT_PATH = "/echo";
    /**
     * The uwsgi connector is not part of this module, so a tiny handler in front of the webapp stands in for it:
     * when a request carries this header it sets the vars attribute the way the connector does, which lets the
     * test check how the dump renders it.
     */
    private static final String FAKE_UWSGI_HEADER = "X-Test-Fake-Uwsgi-Vars";
    private static final String EMPTY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    @RegisterExtension
    static final WarServer war = new WarServer(CONTEXT_PATH).front(FakeUwsgiVars::new);
    private static final HttpClient client = WarServer.newHttpClient();

    @Test
    public void testGetWithQueryDumpsRequestLine() throws Exception
    {
        HttpResponse<String> response = send(request("/some/path;p=1?a=1&a=2&b=%C3%A9&empty=").GET());

        assertEquals(200, response.statusCode());
        assertEquals("application/json;charset=utf-8", response.headers().firstValue("Content-Type").orElseThrow().toLowerCase().replace(" ", ""));
        assertEquals(response.body().getBytes(StandardCharsets.UTF_8).length, Integer.parseInt(response.headers().firstValue("Content-Length").orElseThrow()));

        Map<String, Object> echo = JsonParser.parseObject(response.body());
        assertEquals(List.of("method", "requestURI", "requestURL", "contextPath", "servletPath", "pathInfo", "queryString", "protocol",
            "scheme", "secure", "serverName", "serverPort", "remoteAddr", "remotePort", "localAddr", "localPort", "characterEncoding",
            "contentType", "contentLength", "headers", "cookies", "parameters", "parts", "body", "uwsgiVars", "attributeNames"),
            List.copyOf(echo.keySet()));
        assertEquals("GET", echo.get("method"));
        assertEquals("/echo/some/path;p=1", echo.get("requestURI"));
        assertEquals("http://127.0.0.1:" + war.port() + "/echo/some/path;p=1", echo.get("requestURL"));
        assertEquals(CONTEXT_PATH, echo.get("contextPath"));
        assertEquals("", echo.get("servletPath"));
        assertEquals("/some/path", echo.get("pathInfo"));
        assertEquals("a=1&a=2&b=%C3%A9&empty=", echo.get("queryString"));
        assertEquals("HTTP/1.1", echo.get("protocol"));
        assertEquals("http", echo.get("scheme"));
        assertEquals(false, echo.get("secure"));
        assertEquals("127.0.0.1", echo.get("serverName"));
        assertEquals((long)war.port(), echo.get("serverPort"));
        assertEquals("127.0.0.1", echo.get("remoteAddr"));
        assertTrue((Long)echo.get("remotePort") > 0, "remotePort: " + echo.get("remotePort") + " (expected: the client's port)");
        assertEquals("127.0.0.1", echo.get("localAddr"));
        assertEquals((long)war.port(), echo.get("localPort"));
        assertNull(echo.get("contentType"));
        assertEquals(Map.of("a", List.of("1", "2"), "b", List.of("\u00e9"), "empty", List.of("")), echo.get("parameters"));
        assertEquals(List.of("a", "b", "empty"), List.copyOf(((Map<?, ?>)echo.get("parameters")).keySet()));
        assertEquals(List.of(), echo.get("cookies"));
        assertEquals(List.of(), echo.get("parts"));
        // Not a form, so the (empty) raw body is digested.
        assertEquals(Map.of("length", 0L, "sha256", EMPTY_SHA256), echo.get("body"));
        assertNull(echo.get("uwsgiVars"));
        assertEquals(List.of(), echo.get("attributeNames"));
    }

    @Test
    public void testRepeatedHeadersKeepArrivalOrderOnePairPerValue() throws Exception
    {
        // A raw socket, because the JDK client sorts the headers it sends by name.
        String response = exchange("GET /echo/ HTTP/1.1\r\n" +
            "Host: localhost\r\n" +
            "X-Repeated: one\r\n" +
            "X-Middle: m\r\n" +
            "x-repeated: two, three\r\n" +
            "X-REPEATED: four\r\n" +
            "A-Last: z\r\n" +
            "Connection: close\r\n" +
            "\r\n");

        Map<String, Object> echo = JsonParser.parseObject(bodyOf(response));
        assertEquals(List.of(List.of("host", "localhost"), List.of("x-repeated", "one"), List.of("x-repeated", "two, three"),
            List.of("x-repeated", "four"), List.of("x-middle", "m"), List.of("a-last", "z"), List.of("connection", "close")), echo.get("headers"));
        // Without a Content-Length or Transfer-Encoding the request has no body, and the servlet is told "unknown".
        assertEquals(-1L, echo.get("contentLength"));
        assertEquals("localhost", echo.get("serverName"));
        assertEquals(80L, echo.get("serverPort"));
    }

    @Test
    public void testCookiesInOrder() throws Exception
    {
        HttpResponse<String> response = send(request("/").GET().header("Cookie", "b=2; a=one; c=\"quoted\""));

        List<?> cookies = (List<?>)JsonParser.parseObject(response.body()).get("cookies");
        assertEquals(List.of(Map.of("name", "b", "value", "2"), Map.of("name", "a", "value", "one"), Map.of("name", "c", "value", "quoted")), cookies);
    }

    @Test
    public void testFormPostBecomesParametersNotBody() throws Exception
    {
        HttpResponse<String> response = send(request("/form?q=0").header("Content-Type", "application/x-www-form-urlencoded")
            .POST(BodyPublishers.ofString("x=1&y=%C3%A9+%26&x=3")));

        Map<String, Object> echo = JsonParser.parseObject(response.body());
        assertEquals("POST", echo.get("method"));
        assertEquals("application/x-www-form-urlencoded", echo.get("contentType"));
        assertEquals(20L, echo.get("contentLength"));
        assertEquals(Map.of("q", List.of("0"), "x", List.of("1", "3"), "y", List.of("\u00e9 &")), echo.get("parameters"));
        assertNull(echo.get("body"));
        assertEquals(List.of(), echo.get("parts"));
    }

    @Test
    public void testMultipartBecomesPartsWithDigests() throws Exception
    {
        byte[] file = randomBytes(3 * 1024 * 1024 + 17, 1);
        String boundary = "----echo-boundary-7MA4YWxkTrZu0gW";
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(("--" + boundary + "\r\n" +
            "Content-Disposition: form-data; name=\"field\"\r\n\r\n" +
            "field value\r\n" +
            "--" + boundary + "\r\n" +
            "Content-Disposition: form-data; name=\"upload\"; filename=\"data.bin\"\r\n" +
            "Content-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        body.writeBytes(file);
        body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));

        HttpResponse<String> response = send(request("/upload").header("Content-Type", "multipart/form-data; boundary=" + boundary)
            .POST(BodyPublishers.ofByteArray(body.toByteArray())));

        assertEquals(200, response.statusCode(), response.body());
        Map<String, Object> echo = JsonParser.parseObject(response.body());
        assertEquals(List.of(
            Map.of("name", "field", "size", 11L, "sha256", sha256("field value".getBytes(StandardCharsets.UTF_8))),
            Map.of("name", "upload", "filename", "data.bin", "contentType", "application/octet-stream", "size", (long)file.length, "sha256", sha256(file))),
            ((List<?>)echo.get("parts")).stream().map(EchoWarTest::withoutNulls).toList());
        Map<?, ?> field = (Map<?, ?>)((List<?>)echo.get("parts")).get(0);
        assertTrue(field.containsKey("filename") && field.get("filename") == null, "field part: " + field + " (expected: filename null)");
        assertTrue(field.containsKey("contentType") && field.get("contentType") == null, "field part: " + field + " (expected: contentType null)");
        assertEquals(List.of("field value"), ((Map<?, ?>)echo.get("parameters")).get("field"));
        assertNull(echo.get("body"));
        assertEquals((long)body.size(), echo.get("contentLength"));
    }

    @Test
    public void testJsonBodyIsDigested() throws Exception
    {
        byte[] json = ("{\"items\":\"" + "y".repeat(200_000) + "\"}").getBytes(StandardCharsets.UTF_8);

        HttpResponse<String> response = send(request("/api").header("Content-Type", "application/json")
            .PUT(BodyPublishers.ofByteArray(json)));

        Map<String, Object> echo = JsonParser.parseObject(response.body());
        assertEquals("PUT", echo.get("method"));
        assertEquals(Map.of("length", (long)json.length, "sha256", sha256(json)), echo.get("body"));
        assertEquals(Map.of(), echo.get("parameters"));
    }

    @Test
    public void testBodyWithoutContentTypeIsDigested() throws Exception
    {
        byte[] bytes = randomBytes(100_000, 2);

        HttpResponse<String> response = send(request("/raw").method("DELETE", BodyPublishers.ofByteArray(bytes)));

        Map<String, Object> echo = JsonParser.parseObject(response.body());
        assertEquals("DELETE", echo.get("method"));
        assertNull(echo.get("contentType"));
        assertEquals(Map.of("length", (long)bytes.length, "sha256", sha256(bytes)), echo.get("body"));
    }

    @Test
    public void testEveryMethodIsEchoed() throws Exception
    {
        for (String method : List.of("PATCH", "OPTIONS", "PROPFIND", "DELETE"))
        {
            HttpResponse<String> response = send(request("/m").method(method, BodyPublishers.noBody()));

            assertEquals(200, response.statusCode(), method);
            assertEquals(method, JsonParser.parseObject(response.body()).get("method"));
        }
    }

    @Test
    public void testHeadHasLengthOfGetButNoBody() throws Exception
    {
        HttpResponse<String> get = send(request("/head").GET());
        HttpResponse<String> head = send(request("/head").method("HEAD", BodyPublishers.noBody()));

        assertEquals(200, head.statusCode());
        assertEquals("", head.body());
        // The two dumps differ only in "GET" versus "HEAD" and in the client's port, so lengths differ by at most 5.
        long getLength = Long.parseLong(get.headers().firstValue("Content-Length").orElseThrow());
        long headLength = Long.parseLong(head.headers().firstValue("Content-Length").orElseThrow());
        assertTrue(Math.abs(headLength - getLength) <= 5, "HEAD Content-Length: " + headLength + " (expected: about " + getLength + ")");
    }

    @Test
    public void testStatusSetHeaderAndPadControls() throws Exception
    {
        HttpResponse<String> response = send(request("/c?status=418&setHeader=X-Added:%20one&setHeader=X-Added:two:2&setHeader=Cache-Control:no-store&pad=1000").GET());

        assertEquals(418, response.statusCode());
        assertEquals(List.of("one", "two:2"), response.headers().allValues("X-Added"));
        assertEquals(List.of("no-store"), response.headers().allValues("Cache-Control"));
        Map<String, Object> echo = JsonParser.parseObject(response.body());
        assertEquals("pad", List.copyOf(echo.keySet()).get(echo.size() - 1));
        assertEquals("x".repeat(1000), echo.get("pad"));
        assertEquals(List.of("418"), ((Map<?, ?>)echo.get("parameters")).get("status"));
        assertEquals(response.body().length(), Integer.parseInt(response.headers().firstValue("Content-Length").orElseThrow()));
    }

    @Test
    public void testNoContentStatusHasNoBody() throws Exception
    {
        HttpResponse<String> response = send(request("/c?status=204&setHeader=X-Seen:yes").GET());

        assertEquals(204, response.statusCode());
        assertEquals("", response.body());
        assertEquals(List.of("yes"), response.headers().allValues("X-Seen"));
    }

    @Test
    public void testMalformedControlsAreRejected() throws Exception
    {
        for (String query : List.of("status=abc", "status=101", "status=600", "pad=-1", "pad=99999999999", "setHeader=NoColon", "setHeader=:v"))
        {
            HttpResponse<String> response = send(request("/c?" + query).GET());

            assertEquals(400, response.statusCode(), query);
            String name = query.substring(0, query.indexOf('='));
            assertTrue(response.body().startsWith(name + ": ") && response.body().contains("(expected: "),
                query + " answered: " + response.body());
        }
    }

    @Test
    public void testControlCharactersRoundTrip() throws Exception
    {
        HttpResponse<String> response = send(request("/?text=line1%0Aline2%09tab%00nul%22quote%5Cbackslash").GET());

        assertTrue(response.body().contains("line1\\u000aline2\\u0009tab\\u0000nul\\\"quote\\\\backslash"), response.body());
        assertEquals(List.of("line1\nline2\ttab\0nul\"quote\\backslash"), ((Map<?, ?>)JsonParser.parseObject(response.body()).get("parameters")).get("text"));
    }

    @Test
    public void testUwsgiVarsAttributeIsDumpedInOrder() throws Exception
    {
        HttpResponse<String> response = send(request("/vars").GET().header(FAKE_UWSGI_HEADER, "yes"));

        Map<String, Object> echo = JsonParser.parseObject(response.body());
        Map<?, ?> vars = (Map<?, ?>)echo.get("uwsgiVars");
        assertEquals(FakeUwsgiVars.VARS, vars);
        assertEquals(List.copyOf(FakeUwsgiVars.VARS.keySet()), List.copyOf(vars.keySet()));
        assertEquals(List.of("a.custom.attribute", RequestDump.UWSGI_VARS_ATTRIBUTE), echo.get("attributeNames"));
    }

    private static HttpRequest.Builder request(String pathAndQuery)
    {
        return HttpRequest.newBuilder(URI.create(war.uri() + pathAndQuery)).timeout(Duration.ofSeconds(10));
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) throws Exception
    {
        return client.send(request.build(), BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    /**
     * Sends {@code request} as is on a new connection and returns everything the server answers until it closes.
     */
    private static String exchange(String request) throws Exception
    {
        try (Socket socket = new Socket("127.0.0.1", war.port()))
        {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static String bodyOf(String response)
    {
        assertTrue(response.startsWith("HTTP/1.1 200 "), "response: " + response + " (expected: 200)");
        return response.substring(response.indexOf("\r\n\r\n") + 4);
    }

    private static byte[] randomBytes(int length, long seed)
    {
        byte[] bytes = new byte[length];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    private static String sha256(byte[] bytes) throws Exception
    {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    private static Map<?, ?> withoutNulls(Object part)
    {
        Map<Object, Object> copy = new LinkedHashMap<>((Map<?, ?>)part);
        copy.values().removeIf(value -> value == null);
        return copy;
    }

    /**
     * Sets the uwsgi vars attribute (and an unrelated attribute, to check the sorting of attributeNames) on requests
     * marked with {@link #FAKE_UWSGI_HEADER}, standing in for the connector that does this for real.
     */
    private static class FakeUwsgiVars extends Handler.Wrapper
    {
        static final Map<String, List<String>> VARS = vars();

        FakeUwsgiVars(Handler handler)
        {
            super(handler);
        }

        @Override
        public boolean handle(Request request, Response response, Callback callback) throws Exception
        {
            if (request.getHeaders().contains(FAKE_UWSGI_HEADER))
            {
                request.setAttribute(RequestDump.UWSGI_VARS_ATTRIBUTE, VARS);
                request.setAttribute("a.custom.attribute", "value");
                request.setAttribute("org.eclipse.jetty.hidden", "value");
            }
            return super.handle(request, response, callback);
        }

        private static Map<String, List<String>> vars()
        {
            Map<String, List<String>> vars = new LinkedHashMap<>();
            vars.put("REQUEST_METHOD", List.of("GET"));
            vars.put("SERVER_PROTOCOL", List.of("HTTP/1.1"));
            vars.put("HTTP_X_REPEATED", List.of("1", "2"));
            vars.put("CONTENT_LENGTH", List.of(""));
            vars.put("DOCUMENT_ROOT", List.of("/srv/\"quoted\"\n"));
            return Collections.unmodifiableMap(vars);
        }
    }
}

package io.github.jettyuwsgi.uwsgi;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import io.github.jettyuwsgi.captures.Captures;
import io.github.jettyuwsgi.uwsgi.codec.BodyFraming;
import io.github.jettyuwsgi.uwsgi.codec.UwsgiException;
import io.github.jettyuwsgi.uwsgi.codec.UwsgiParser;
import io.github.jettyuwsgi.uwsgi.codec.UwsgiVars;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.http.HttpVersion;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One test per mapping rule; each would fail if its rule were broken.
 */
public class UwsgiRequestMappingTest
{
    private static final InetSocketAddress PEER = new InetSocketAddress("127.0.0.1", 40000);

    private static UwsgiRequest map(String... namesAndValues)
    {
        return UwsgiRequestMapping.map(UwsgiVars.of(namesAndValues), PEER);
    }

    private static UwsgiRequest mapCapture(String name)
    {
        byte[] packet = Captures.read(name);
        UwsgiVars[] vars = new UwsgiVars[1];
        new UwsgiParser(new UwsgiParser.Listener()
        {
            @Override
            public boolean onVars(UwsgiVars parsed, BodyFraming framing)
            {
                vars[0] = parsed;
                return true;
            }
        }, 65535).parse(ByteBuffer.wrap(packet));
        return UwsgiRequestMapping.map(vars[0], PEER);
    }

    @Test
    public void testNginxGetCapture()
    {
        UwsgiRequest request = mapCapture("nginx-get.bin");
        HttpURI uri = request.metaData().getHttpURI();
        assertEquals("GET", request.metaData().getMethod());
        assertEquals("/hello/w%C3%B6rld%20x", uri.getPath());
        assertEquals("/hello/wörld x", uri.getDecodedPath());
        assertEquals("a=1&b=two%20x", uri.getQuery());
        assertEquals("http", uri.getScheme());
        assertEquals("test.local", uri.getHost());
        // the Host as the client sent it, without a port: SERVER_PORT (8080, where nginx listens) is not the client's
        assertEquals(-1, uri.getPort());
        assertEquals("test.local", request.metaData().getHttpFields().get(HttpHeader.HOST));
        assertEquals("HTTP/1.1", request.protocol());
        assertFalse(request.secure());
        assertEquals(new InetSocketAddress("127.0.0.1", 36798).getPort(), request.remoteAddress().getPort());
        assertEquals("127.0.0.1", request.remoteAddress().getHostString());
        HttpFields fields = request.metaData().getHttpFields();
        assertEquals(List.of("one", "two"), fields.getValuesList("X-Multi"));
        assertEquals(List.of("a=1", "b=2"), fields.getValuesList(HttpHeader.COOKIE));
        assertEquals("curl-test", fields.get(HttpHeader.USER_AGENT));
        // empty CONTENT_TYPE/CONTENT_LENGTH on GET are absent, not empty headers
        assertNull(fields.get(HttpHeader.CONTENT_TYPE));
        assertNull(fields.get(HttpHeader.CONTENT_LENGTH));
        assertEquals(0, request.metaData().getContentLength());
    }

    @Test
    public void testApacheCaptureSchemeFromUwsgiSchemeAndScriptName()
    {
        UwsgiRequest request = mapCapture("apache-get.bin");
        assertTrue(request.secure(), "SetEnv UWSGI_SCHEME https");
        assertEquals("https", request.metaData().getHttpURI().getScheme());
        assertEquals("/app/hello/w%C3%B6rld%20x", request.metaData().getHttpURI().getPath());
        assertEquals("one, two", request.metaData().getHttpFields().get("X-Multi"));
        // Apache joined the two Cookie lines with ", ", which RFC 6265 parsers do not split on
        assertEquals("a=1; b=2", request.metaData().getHttpFields().get(HttpHeader.COOKIE));
        assertEquals("127.0.0.1", request.localAddress().getHostString(), "SERVER_ADDR");
    }

    @Test
    public void testNoParamsCaptureIsABadRequestWithAHint()
    {
        UwsgiException x = assertThrows(UwsgiException.class, () -> mapCapture("nginx-get-no-params.bin"));
        assertEquals("REQUEST_METHOD: missing (expected: the HTTP method; does the frontend config include uwsgi_params?)", x.getMessage());
    }

    @Test
    public void testUriIsRebuiltAndReencodedWithoutRequestUri()
    {
        String pathInfo = new String("/x y/ö".getBytes(java.nio.charset.StandardCharsets.UTF_8), java.nio.charset.StandardCharsets.ISO_8859_1);
        UwsgiRequest request = map("REQUEST_METHOD", "GET", "SCRIPT_NAME", "/app", "PATH_INFO", pathInfo, "QUERY_STRING", "q=1");
        assertEquals("/app/x%20y/%C3%B6?q=1", request.metaData().getHttpURI().getPathQuery());
    }

    @Test
    public void testRawRequestUriKeepsEncodedSlash()
    {
        UwsgiRequest request = map("REQUEST_METHOD", "GET", "REQUEST_URI", "/a%2Fb?x=%2F", "PATH_INFO", "/a/b");
        assertEquals("/a%2Fb", request.metaData().getHttpURI().getPath());
        assertEquals("x=%2F", request.metaData().getHttpURI().getQuery());
    }

    @Test
    public void testAbsoluteFormRequestUriKeepsPathAndQuery()
    {
        UwsgiRequest request = map("REQUEST_METHOD", "GET", "REQUEST_URI", "http://evil.example/p?q", "HTTP_HOST", "good.example");
        assertEquals("/p?q", request.metaData().getHttpURI().getPathQuery());
        assertEquals("good.example", request.metaData().getHttpURI().getHost());
    }

    @ParameterizedTest
    @CsvSource({
        "HTTPS, on, true",
        "HTTPS, ON, true",
        "HTTPS, 1, true",
        "HTTPS, true, true",
        "HTTPS, off, false",
        "HTTPS, 0, false",
        "HTTPS, '', false",
        "UWSGI_SCHEME, https, true",
        "UWSGI_SCHEME, http, false",
        "wsgi.url_scheme, https, true",
        "REQUEST_SCHEME, https, true",
        "REQUEST_SCHEME, http, false",
        "HTTP_X_FORWARDED_PROTO, https, false",
    })
    public void testSecureRule(String var, String value, boolean secure)
    {
        UwsgiRequest request = map("REQUEST_METHOD", "GET", "REQUEST_URI", "/", var, value);
        assertEquals(secure, request.secure(), var + "=" + value);
        assertEquals(secure ? "https" : "http", request.metaData().getHttpURI().getScheme());
    }

    @Test
    public void testExplicitSchemeWinsOverHttpsVar()
    {
        assertFalse(map("REQUEST_METHOD", "GET", "REQUEST_URI", "/", "HTTPS", "on", "UWSGI_SCHEME", "http").secure());
        assertTrue(map("REQUEST_METHOD", "GET", "REQUEST_URI", "/", "HTTPS", "on", "REQUEST_SCHEME", "http").secure());
    }

    @ParameterizedTest
    @CsvSource({
        "example.com:8443, 443, example.com, 8443",
        "example.com, 8080, example.com, -1",
        "example.com:80, 8080, example.com, 80",
        "example.com, '', example.com, -1",
        "example.com, 80, example.com, -1",
        "[::1]:81, 80, [::1], 81",
    })
    public void testAuthorityIsTheHostAsSent(String host, String serverPort, String expectedHost, int expectedPort)
    {
        UwsgiRequest request = map("REQUEST_METHOD", "GET", "REQUEST_URI", "/", "HTTP_HOST", host, "SERVER_PORT", serverPort);
        assertEquals(expectedHost, request.metaData().getHttpURI().getHost());
        assertEquals(expectedPort, request.metaData().getHttpURI().getPort());
        assertEquals(host, request.metaData().getHttpFields().get(HttpHeader.HOST));
    }

    @Test
    public void testAuthorityFromServerNameWithoutHost()
    {
        UwsgiRequest request = map("REQUEST_METHOD", "GET", "REQUEST_URI", "/", "SERVER_NAME", "vm", "SERVER_PORT", "8082");
        assertEquals("vm", request.metaData().getHttpURI().getHost());
        assertEquals(8082, request.metaData().getHttpURI().getPort());
        assertNull(request.metaData().getHttpFields().get(HttpHeader.HOST));
    }

    @Test
    public void testBadHostIsABadRequest()
    {
        UwsgiException x = assertThrows(UwsgiException.class, () -> map("REQUEST_METHOD", "GET", "REQUEST_URI", "/", "HTTP_HOST", "a b:x"));
        assertTrue(x.getMessage().startsWith("HTTP_HOST: 'a b:x'"), x.getMessage());
    }

    @Test
    public void testRemoteAddressFromVarsElseThePeer()
    {
        UwsgiRequest fromVars = map("REQUEST_METHOD", "GET", "REQUEST_URI", "/", "REMOTE_ADDR", "203.0.113.7", "REMOTE_PORT", "51515");
        assertEquals("203.0.113.7", fromVars.remoteAddress().getHostString());
        assertEquals(51515, fromVars.remoteAddress().getPort());
        assertTrue(fromVars.remoteAddress().isUnresolved(), "never a DNS lookup");
        assertEquals(PEER, map("REQUEST_METHOD", "GET", "REQUEST_URI", "/").remoteAddress());
    }

    @Test
    public void testProtocolKeepsTheClientsVersionButTheHopIsHttp11()
    {
        UwsgiRequest request = map("REQUEST_METHOD", "GET", "REQUEST_URI", "/", "SERVER_PROTOCOL", "HTTP/2.0");
        assertEquals("HTTP/2.0", request.protocol());
        assertEquals(HttpVersion.HTTP_1_1, request.metaData().getHttpVersion());
        UwsgiRequest http10 = map("REQUEST_METHOD", "GET", "REQUEST_URI", "/", "SERVER_PROTOCOL", "HTTP/1.0");
        assertEquals(HttpVersion.HTTP_1_0, http10.metaData().getHttpVersion());
        assertEquals("HTTP/1.0", map("REQUEST_METHOD", "GET", "REQUEST_URI", "/").protocol(), "uWSGI's default");
    }

    @Test
    public void testHeaderNamesFromVars()
    {
        assertEquals("X-Request-Id", UwsgiRequestMapping.headerName("HTTP_X_REQUEST_ID"));
        assertEquals("Accept", UwsgiRequestMapping.headerName("HTTP_ACCEPT"));
        UwsgiRequest request = map("REQUEST_METHOD", "GET", "REQUEST_URI", "/", "HTTP_ACCEPT_ENCODING", "gzip", "HTTP_X_CUSTOM_THING", "v");
        HttpFields fields = request.metaData().getHttpFields();
        assertEquals(HttpHeader.ACCEPT_ENCODING, fields.getField("Accept-Encoding").getHeader());
        assertEquals("v", fields.get("X-Custom-Thing"));
    }

    @Test
    public void testContentVarsWinOverTheirHttpTwins()
    {
        UwsgiRequest request = map("REQUEST_METHOD", "POST", "REQUEST_URI", "/",
            "CONTENT_TYPE", "text/plain", "CONTENT_LENGTH", "5",
            "HTTP_CONTENT_TYPE", "application/evil", "HTTP_CONTENT_LENGTH", "500");
        HttpFields fields = request.metaData().getHttpFields();
        assertEquals(List.of("text/plain"), fields.getValuesList(HttpHeader.CONTENT_TYPE));
        assertEquals(List.of("5"), fields.getValuesList(HttpHeader.CONTENT_LENGTH));
        assertEquals(5, request.metaData().getContentLength());
    }

    @Test
    public void testWellKnownFieldsAreJettysCachedFields()
    {
        UwsgiRequest request = map("REQUEST_METHOD", "POST", "REQUEST_URI", "/", "CONTENT_LENGTH", "2",
            "CONTENT_TYPE", "application/json; charset=UTF-8", "HTTP_ACCEPT", "*/*");
        HttpFields fields = request.metaData().getHttpFields();
        // the very objects Jetty's HTTP parser would hand the application for the same header lines
        assertTrue(fields.getField(HttpHeader.CONTENT_TYPE) == org.eclipse.jetty.http.HttpParser.CACHE.get("Content-Type: application/json; charset=utf-8"));
        assertTrue(fields.getField(HttpHeader.ACCEPT) == org.eclipse.jetty.http.HttpParser.CACHE.get("Accept: */*"));
    }

    @Test
    public void testHttpContentTypeIsUsedWhenTheCgiVarIsAbsent()
    {
        UwsgiRequest request = map("REQUEST_METHOD", "POST", "REQUEST_URI", "/", "CONTENT_LENGTH", "3", "HTTP_CONTENT_TYPE", "text/csv");
        assertEquals("text/csv", request.metaData().getHttpFields().get(HttpHeader.CONTENT_TYPE));
    }

    @Test
    public void testEmptyContentLengthMeansNoBody()
    {
        UwsgiRequest request = map("REQUEST_METHOD", "POST", "REQUEST_URI", "/", "CONTENT_LENGTH", "");
        assertEquals(BodyFraming.NONE, request.framing());
        assertNull(request.metaData().getHttpFields().get(HttpHeader.CONTENT_LENGTH));
    }

    @Test
    public void testContentLengthWinsOverForwardedChunked()
    {
        UwsgiRequest request = mapCapture("nginx-post-chunked.bin");
        assertEquals(30, request.metaData().getContentLength());
        assertNull(request.metaData().getHttpFields().get(HttpHeader.TRANSFER_ENCODING), "the body the app reads is not chunked");
    }

    @Test
    public void testChunkedOnlyWithoutContentLength()
    {
        UwsgiRequest request = mapCapture("uwsgi-http-router-post-chunked-raw.bin");
        assertEquals(BodyFraming.CHUNKED, request.framing());
        assertEquals(-1, request.metaData().getContentLength());
        assertEquals("chunked", request.metaData().getHttpFields().get(HttpHeader.TRANSFER_ENCODING));
        assertNull(request.metaData().getHttpFields().get(HttpHeader.CONTENT_LENGTH));
    }

    @Test
    public void testChunkedTwiceOrNotLastIsABadRequest()
    {
        // the fuzzer's transfer-encoding-chunked-twice and transfer-encoding-not-a-token: two vars are one list,
        // "chunked, chunked", which Jetty's parser refuses, as it refuses a coding that is no token
        for (String[] codings : new String[][]{{"chunked", "chunked"}, {"chunked, chunked"}, {"chunked", "gzip"}, {"chunked, gzip"},
            {"chq\"ked", "chunked"}, {"gzip;q=1, chunked"}})
        {
            List<String> vars = new ArrayList<>(List.of("REQUEST_METHOD", "POST", "REQUEST_URI", "/"));
            for (String coding : codings)
                vars.addAll(List.of("HTTP_TRANSFER_ENCODING", coding));
            UwsgiException x = assertThrows(UwsgiException.class, () -> map(vars.toArray(String[]::new)), List.of(codings).toString());
            assertTrue(x.getMessage().endsWith("(expected: chunked once, as the last coding)"), x.getMessage());
        }
        assertEquals(BodyFraming.CHUNKED, map("REQUEST_METHOD", "POST", "REQUEST_URI", "/", "HTTP_TRANSFER_ENCODING", ", chunked").framing());
        UwsgiRequest request = map("REQUEST_METHOD", "POST", "REQUEST_URI", "/", "HTTP_TRANSFER_ENCODING", "gzip", "HTTP_TRANSFER_ENCODING", "chunked");
        assertEquals(BodyFraming.CHUNKED, request.framing());
        assertEquals(List.of("gzip", "chunked"), request.metaData().getHttpFields().getValuesList(HttpHeader.TRANSFER_ENCODING));
    }

    @Test
    public void testHttpoxyAndExpectAreDropped()
    {
        UwsgiRequest request = map("REQUEST_METHOD", "POST", "REQUEST_URI", "/", "CONTENT_LENGTH", "1",
            "HTTP_PROXY", "http://attacker:3128", "HTTP_EXPECT", "100-continue");
        assertNull(request.metaData().getHttpFields().get("Proxy"));
        assertNull(request.metaData().getHttpFields().get(HttpHeader.EXPECT));
    }

    @Test
    public void testHeaderVarsInAnotherCaseAreTheSameHeaders()
    {
        // no frontend sends these; a forged packet could, and must not get past httpoxy or the body framing rules
        UwsgiRequest request = map("REQUEST_METHOD", "POST", "REQUEST_URI", "/", "CONTENT_LENGTH", "1",
            "HTTP_Proxy", "http://attacker:3128", "HTTP_TRANSFEr_ENCODING", "chunked", "HTTP_expect", "100-continue");
        assertNull(request.metaData().getHttpFields().get("Proxy"));
        assertNull(request.metaData().getHttpFields().get(HttpHeader.TRANSFER_ENCODING));
        assertNull(request.metaData().getHttpFields().get(HttpHeader.EXPECT));
        assertEquals(1, request.metaData().getContentLength());
    }

    @Test
    public void testHeaderVarsWithAHyphenAreTheSameHeaders()
    {
        // the fuzzer's content-length-var-with-hyphen: HTTP_CONTENT-LENGTH names Content-Length as HTTP_CONTENT_LENGTH does,
        // and must not add a second, different length beside CONTENT_LENGTH's (nor a second Transfer-Encoding or Host)
        UwsgiRequest request = map("REQUEST_METHOD", "POST", "REQUEST_URI", "/", "CONTENT_LENGTH", "5", "HTTP_HOST", "a.example",
            "HTTP_CONTENT-LENGTH", "11", "HTTP_TRANSFER-ENCODING", "chunked", "HTTP_content-TYPE", "text/evil", "HTTP_X-Custom", "v");
        HttpFields fields = request.metaData().getHttpFields();
        assertEquals(List.of("5"), fields.getValuesList(HttpHeader.CONTENT_LENGTH));
        assertNull(fields.get(HttpHeader.TRANSFER_ENCODING));
        assertEquals(List.of("text/evil"), fields.getValuesList(HttpHeader.CONTENT_TYPE));
        assertEquals("v", fields.get("X-Custom"));
        assertEquals(5, request.metaData().getContentLength());
    }

    @Test
    public void testUwsgiMagicVarsAndContainerAttributeNamesHaveNoEffect()
    {
        UwsgiRequest request = map("REQUEST_METHOD", "GET", "REQUEST_URI", "/index.jsp",
            "UWSGI_FILE", "exec://touch /tmp/pwned", "UWSGI_SCRIPT", "evil", "UWSGI_SETENV", "PATH=/x", "UWSGI_CHDIR", "/",
            "jakarta.servlet.include.request_uri", "/WEB-INF/web.xml",
            "jakarta.servlet.include.servlet_path", "/WEB-INF/web.xml");
        // They are neither headers nor anything else the request exposes, only entries of the read-only vars map.
        assertEquals(0, request.metaData().getHttpFields().size());
        assertEquals("/index.jsp", request.metaData().getHttpURI().getPath());
        assertEquals(List.of("/WEB-INF/web.xml"), request.vars().toMap().get("jakarta.servlet.include.request_uri"));
        assertThrows(UnsupportedOperationException.class, () -> request.vars().toMap().put("x", List.of()));
        // the lazy view the connection exposes holds the same, in the same order, and is read-only too
        assertEquals(request.vars().toMap(), request.vars().asMap());
        assertEquals(List.copyOf(request.vars().toMap().keySet()), List.copyOf(request.vars().asMap().keySet()));
        assertThrows(UnsupportedOperationException.class, () -> request.vars().asMap().put("x", List.of()));
        assertThrows(UnsupportedOperationException.class, () -> request.vars().asMap().entrySet().clear());
    }

    @Test
    public void testBadMethodIsABadRequest()
    {
        UwsgiException x = assertThrows(UwsgiException.class, () -> map("REQUEST_METHOD", "GE T", "REQUEST_URI", "/"));
        assertEquals("REQUEST_METHOD: 'GE T' (expected: an HTTP token)", x.getMessage());
    }

    @Test
    public void testNoTargetIsABadRequest()
    {
        UwsgiException x = assertThrows(UwsgiException.class, () -> map("REQUEST_METHOD", "GET"));
        assertEquals("REQUEST_URI: missing, and no SCRIPT_NAME or PATH_INFO (expected: the request target)", x.getMessage());
    }

    @Test
    public void testConflictingRepeatedRequestUriIsABadRequest()
    {
        assertThrows(UwsgiException.class, () -> map("REQUEST_METHOD", "GET", "REQUEST_URI", "/a", "REQUEST_URI", "/b"));
    }
}

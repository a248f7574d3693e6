package io.github.jettyuwsgi.it;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import io.github.jettyuwsgi.it.NginxLauncherRig.Route;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import static io.github.jettyuwsgi.it.FrontendEcho.assertBody;
import static io.github.jettyuwsgi.it.FrontendEcho.cookies;
import static io.github.jettyuwsgi.it.FrontendEcho.differences;
import static io.github.jettyuwsgi.it.FrontendEcho.header;
import static io.github.jettyuwsgi.it.FrontendEcho.headerNames;
import static io.github.jettyuwsgi.it.FrontendEcho.parameter;
import static io.github.jettyuwsgi.it.FrontendEcho.sha256;
import static io.github.jettyuwsgi.it.FrontendEcho.uwsgiVars;
import static io.github.jettyuwsgi.it.FrontendEcho.withoutMembers;
import static io.github.jettyuwsgi.it.RequestSpec.request;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * <p>Differential end-to-end test of the uwsgi connector behind a real nginx: every request goes to the echo WAR
 * three ways — nginx → uwsgi over TCP, nginx → uwsgi over a Unix socket, and straight to the launcher's HTTP
 * socket — and what the servlet saw, and what the client got back, must be the same on all three, except for the
 * differences listed in {@link FrontendEcho#ROUTE_DEPENDENT_ECHO_MEMBERS} and at each case that has its own.</p>
 * <p>The direct HTTP route is the reference: Jetty's own HTTP/1.1 parser. A difference means the uwsgi connector
 * maps a var differently from how Jetty reads the same request from HTTP.</p>
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EchoDifferentialIT
{
    private static final List<Route> ROUTES = List.of(Route.NGINX_UWSGI_TCP, Route.NGINX_UWSGI_UNIX, Route.LAUNCHER_HTTP);
    private static final Route REFERENCE = Route.LAUNCHER_HTTP;
    private static final long HUNDRED_MB = 100L * 1024 * 1024;
    private static final Duration BIG_BODY_TIMEOUT = Duration.ofMinutes(3);

    /**
     * Vars that differ between the nginx routes: REMOTE_PORT (each route is its own client connection) and
     * SERVER_PORT (each route is its own nginx server with its own port).
     */
    private static final Set<String> UWSGI_ROUTE_DEPENDENT_VARS = Set.of("REMOTE_PORT", "SERVER_PORT");

    private NginxLauncherRig rig;
    private HttpClient client;
    /**
     * nginx 1.23.0 and later join repeated request headers into one uwsgi var (", ", and "; " for Cookie);
     * 1.22 (Debian 12) sends one var per header line. With a joining nginx the values of each name are compared
     * joined on every route, so the order of values still counts.
     */
    private static boolean nginxJoinsRepeatedHeaders;

    @BeforeAll
    void start()
    {
        int[] nginxVersion = NginxProcess.version();
        nginxJoinsRepeatedHeaders = nginxVersion[0] > 1 || nginxVersion[1] >= 23;
        rig = NginxLauncherRig.start(ItSettings.fromSystemProperties(), "echo-differential");
        client = HttpTransfers.http11Client();
    }

    @AfterAll
    void stop()
    {
        if (rig != null)
            rig.close();
    }

    static Stream<RequestSpec> echoRequests()
    {
        byte[] fileContent = RequestSpec.deterministicBytes(200 * 1024, 1);
        RequestSpec.Multipart multipart = new RequestSpec.Multipart()
            .field("title", "Grüße aus Köln")
            .file("upload", "data.bin", "application/octet-stream", fileContent)
            .field("title", "second value");
        byte[] json = "{\"name\":\"jetty-uwsgi\",\"list\":[1,2,3],\"text\":\"ö ü ß € 😀\"}".getBytes(StandardCharsets.UTF_8);
        byte[] putBody = RequestSpec.deterministicBytes(64 * 1024, 2);
        String largeHeader = "x".repeat(30_000);

        return Stream.of(
            request("GET", "GET", "/echo/plain/path?a=1")
                .expect(echo -> assertEquals(List.of("1"), parameter(echo, "a"))),
            request("GET context root", "GET", "/echo/"),
            request("GET UTF-8 path", "GET", "/echo/w%C3%B6rld/caf%C3%A9")
                .expect(echo -> assertEquals("/wörld/café", echo.get("pathInfo"))),
            request("GET query escapes", "GET", "/echo/q?slash=a%2Fb&pct=100%25&utf8=%C3%B6&plus=a+b&space=a%20b&empty=&flag&dup=1&dup=2")
                .expect(echo ->
                {
                    assertEquals(List.of("a/b"), parameter(echo, "slash"));
                    assertEquals(List.of("100%"), parameter(echo, "pct"));
                    assertEquals(List.of("ö"), parameter(echo, "utf8"));
                    assertEquals(List.of("a b"), parameter(echo, "plus"));
                    assertEquals(List.of("a b"), parameter(echo, "space"));
                    assertEquals(List.of(""), parameter(echo, "empty"));
                    assertEquals(List.of("1", "2"), parameter(echo, "dup"));
                }),
            request("POST form", "POST", "/echo/form?a=query")
                .body("application/x-www-form-urlencoded", "a=body&b=%C3%B6&b=x+y&c=".getBytes(StandardCharsets.US_ASCII))
                .expect(echo ->
                {
                    assertEquals(List.of("query", "body"), parameter(echo, "a"));
                    assertEquals(List.of("ö", "x y"), parameter(echo, "b"));
                    assertNull(echo.get("body"), "a form body is parsed into parameters, not dumped");
                }),
            request("POST multipart", "POST", "/echo/upload")
                .body(multipart.contentType(), multipart.toBytes())
                .expect(echo ->
                {
                    List<?> parts = (List<?>)echo.get("parts");
                    assertEquals(3, parts.size(), "parts: " + parts);
                    Map<?, ?> file = (Map<?, ?>)parts.get(1);
                    assertEquals("data.bin", file.get("filename"));
                    assertEquals((long)fileContent.length, file.get("size"));
                    assertEquals(sha256(fileContent), file.get("sha256"));
                    assertEquals(List.of("Grüße aus Köln", "second value"), parameter(echo, "title"));
                }),
            request("POST JSON", "POST", "/echo/api/items")
                .body("application/json; charset=UTF-8", json)
                .expect(echo -> assertBody(echo, json)),
            request("PUT", "PUT", "/echo/items/42")
                .body("application/octet-stream", putBody)
                .expect(echo -> assertBody(echo, putBody)),
            request("DELETE", "DELETE", "/echo/items/42?force=true"),
            request("PATCH", "PATCH", "/echo/items/42")
                .body("text/plain; charset=UTF-8", "patch".getBytes(StandardCharsets.UTF_8)),
            request("OPTIONS", "OPTIONS", "/echo/items"),
            // Raw: the JDK client would join the two Cookie lines into one.
            request("repeated headers and cookies", "GET", "/echo/headers")
                .raw()
                .header("X-Multi", "one")
                .header("X-Multi", "two")
                .header("Cookie", "a=1")
                .header("Cookie", "b=2; c=3")
                .header("Accept-Language", "de-DE, en;q=0.5")
                .expect(echo ->
                {
                    assertEquals(List.of("one", "two"), header(echo, "x-multi"));
                    assertEquals(List.of("a=1", "b=2; c=3"), header(echo, "cookie"));
                    assertEquals(List.of("a=1", "b=2", "c=3"), cookies(echo));
                }),
            request("large header (30 KB)", "GET", "/echo/large")
                .header("X-Large", largeHeader)
                .expect(echo -> assertEquals(List.of(largeHeader), header(echo, "x-large"))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("echoRequests")
    void servletSeesTheSameRequestOnEveryRoute(RequestSpec spec)
    {
        Map<Route, Exchange> exchanges = sendOverEveryRoute(spec);
        assertSameResponses(exchanges, false);
        assertEquals(200, exchanges.get(REFERENCE).status(), () -> exchanges.get(REFERENCE) + "\n" + exchanges.get(REFERENCE).abbreviated());
        assertSameEcho(spec, exchanges, Set.of());
    }

    @Test
    void headAnswersWithHeadersOnly()
    {
        RequestSpec spec = request("HEAD", "HEAD", "/echo/head?a=1");
        Map<Route, Exchange> exchanges = sendOverEveryRoute(spec);
        assertSameResponses(exchanges, true);
        for (Exchange exchange : exchanges.values())
        {
            assertEquals(200, exchange.status(), exchange::toString);
            assertEquals(0, exchange.body().length, () -> exchange + ": HEAD response with a body");
            String contentType = String.valueOf(exchange.headers().get("content-type"));
            assertTrue(contentType.toLowerCase(Locale.ROOT).startsWith("[application/json"), () -> exchange + " content-type " + contentType);
        }
    }

    static Stream<RequestSpec> responseControls()
    {
        return Stream.of(
            request("status 418 and headers", "GET", "/echo/controls?status=418&setHeader=X-One:1&setHeader=X-Two:two%20words&setHeader=X-Two:again"),
            request("status 404", "GET", "/echo/controls?status=404"),
            request("status 500", "POST", "/echo/controls?status=500")
                .body("text/plain; charset=UTF-8", "failing".getBytes(StandardCharsets.UTF_8)),
            request("status 204 without body", "GET", "/echo/controls?status=204&setHeader=X-One:1"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("responseControls")
    void clientGetsTheSameResponseOnEveryRoute(RequestSpec spec)
    {
        Map<Route, Exchange> exchanges = sendOverEveryRoute(spec);
        assertSameResponses(exchanges, false);
        Exchange reference = exchanges.get(REFERENCE);
        String status = spec.query().replaceAll(".*status=(\\d+).*", "$1");
        assertEquals(Integer.parseInt(status), reference.status(), reference::toString);
        if (spec.query().contains("X-Two"))
            assertEquals(List.of("two words", "again"), reference.headers().get("x-two"), () -> reference + " headers " + reference.headers());
        if (reference.status() == 204)
        {
            for (Exchange exchange : exchanges.values())
            {
                assertEquals(0, exchange.body().length, () -> exchange + ": 204 with a body");
            }
        }
        else
        {
            assertSameEcho(spec, exchanges, Set.of());
        }
    }

    /**
     * nginx with {@code uwsgi_param HTTPS on;} stands for an nginx that terminated TLS: the servlet must see a
     * secure https request, although nginx's REQUEST_SCHEME var still says http.
     */
    @Test
    void httpsVarMakesTheRequestSecure()
    {
        RequestSpec spec = request("HTTPS var", "GET", "/echo/secure?a=1");
        Exchange https = send(Route.NGINX_UWSGI_HTTPS_VAR, spec);
        Exchange plain = send(Route.NGINX_UWSGI_TCP, spec);
        assertEquals(200, https.status(), https::toString);
        Map<String, Object> echo = https.echo();
        assertEquals(true, echo.get("secure"), "secure");
        assertEquals("https", echo.get("scheme"), "scheme");
        assertEquals("https://" + RequestSpec.HOST + "/echo/secure", echo.get("requestURL"), "requestURL");
        assertEquals(8080L, echo.get("serverPort"), "serverPort (from the Host header)");
        assertEquals(List.of("on"), uwsgiVars(echo).get("HTTPS"), "HTTPS var");

        Map<String, Object> plainEcho = plain.echo();
        assertEquals(false, plainEcho.get("secure"), "secure without the HTTPS var");
        assertEquals("http", plainEcho.get("scheme"), "scheme without the HTTPS var");
        // Apart from the members the HTTPS var changes, the request is the one the plain uwsgi route delivers.
        Set<String> changedByHttps = Set.of("secure", "scheme", "requestURL");
        assertEquals(withoutMembers(comparable(plain, plainEcho), changedByHttps), withoutMembers(comparable(https, echo), changedByHttps),
            "HTTPS route against plain uwsgi route");
    }

    /**
     * Without a Host override the servlet's server port is the port the client dialled: nginx's port over uwsgi
     * (the client's Host header, forwarded as HTTP_HOST), the launcher's port directly.
     */
    @Test
    void serverPortIsThePortTheClientDialled()
    {
        RequestSpec spec = request("JDK client's own Host", "GET", "/echo/host").host(null);
        for (Route route : ROUTES)
        {
            Exchange exchange = send(route, spec);
            Map<String, Object> echo = exchange.echo();
            int port = rig.port(route);
            assertEquals("127.0.0.1", echo.get("serverName"), () -> route + " serverName");
            assertEquals((long)port, echo.get("serverPort"), () -> route + " serverPort");
            assertEquals("http://127.0.0.1:" + port + "/echo/host", echo.get("requestURL"), () -> route + " requestURL");
            assertEquals(List.of("127.0.0.1:" + port), header(echo, "host"), () -> route + " host header");
        }
    }

    /**
     * A path with an encoded slash and an encoded percent is ambiguous; whatever Jetty's URI compliance answers to
     * it directly (400, or the decoded path), it must answer the same over uwsgi, where nginx also sends the
     * decoded PATH_INFO: the connector must take the path from REQUEST_URI and let Jetty judge it.
     */
    @Test
    void ambiguousPathIsJudgedAlikeOnEveryRoute()
    {
        RequestSpec spec = request("ambiguous path", "GET", "/echo/a%2Fb/100%25");
        Map<Route, Exchange> exchanges = sendOverEveryRoute(spec);
        assertSameResponses(exchanges, false);
        if (exchanges.get(REFERENCE).status() == 200)
            assertSameEcho(spec, exchanges, Set.of());
    }

    /**
     * nginx reads a chunked request body whole and passes it on with a CONTENT_LENGTH (and still forwards
     * HTTP_TRANSFER_ENCODING); Jetty's HTTP parser sees the chunks. So the servlet sees a known length over uwsgi
     * and -1 directly, and a Content-Length header instead of Transfer-Encoding: the allowed differences here. The
     * body itself must arrive unchanged, and never with both headers.
     */
    @Test
    void chunkedRequestBodyArrivesWhole()
    {
        byte[] content = RequestSpec.deterministicBytes(300 * 1024, 3);
        Map<Route, Exchange> exchanges = new EnumMap<>(Route.class);
        for (Route route : ROUTES)
        {
            HttpRequest request = HttpRequest.newBuilder(rig.baseUri(route).resolve("/echo/chunked"))
                .header("Host", RequestSpec.HOST)
                .header("Content-Type", "application/octet-stream")
                // An InputStream of unknown length makes the JDK client send Transfer-Encoding: chunked.
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(content)))
                .timeout(Duration.ofSeconds(60))
                .build();
            exchanges.put(route, send(route, "POST", request));
        }
        assertSameResponses(exchanges, false);
        for (Exchange exchange : exchanges.values())
        {
            Map<String, Object> echo = exchange.echo();
            assertBody(echo, content);
            List<String> names = headerNames(echo);
            assertFalse(names.contains("content-length") && names.contains("transfer-encoding"),
                () -> exchange + ": both Content-Length and Transfer-Encoding reached the servlet: " + echo.get("headers"));
        }
        assertEquals(-1L, exchanges.get(REFERENCE).echo().get("contentLength"), "contentLength directly");
        assertEquals((long)content.length, exchanges.get(Route.NGINX_UWSGI_TCP).echo().get("contentLength"), "contentLength over uwsgi");
        assertSameEcho(request("chunked", "POST", "/echo/chunked"), exchanges, Set.of("contentLength", "headers"));
    }

    /**
     * nginx answers {@code Expect: 100-continue} itself and forwards the header as HTTP_EXPECT; the connector
     * must not let Jetty answer it again (a 1xx breaks nginx), so over uwsgi the servlet does not see the header,
     * while directly it does: the one allowed difference.
     */
    @Test
    void expectContinueIsAnsweredByNginx()
    {
        byte[] content = "expect continue".getBytes(StandardCharsets.UTF_8);
        Map<Route, Exchange> exchanges = new EnumMap<>(Route.class);
        for (Route route : ROUTES)
        {
            HttpRequest request = HttpRequest.newBuilder(rig.baseUri(route).resolve("/echo/expect"))
                .header("Host", RequestSpec.HOST)
                .header("Content-Type", "text/plain; charset=UTF-8")
                .expectContinue(true)
                .POST(HttpRequest.BodyPublishers.ofByteArray(content))
                .timeout(Duration.ofSeconds(30))
                .build();
            exchanges.put(route, send(route, "POST", request));
        }
        assertSameResponses(exchanges, false);
        for (Exchange exchange : exchanges.values())
        {
            assertEquals(200, exchange.status(), exchange::toString);
            assertBody(exchange.echo(), content);
        }
        List<String> expect = header(exchanges.get(REFERENCE).echo(), "expect");
        assertTrue(expect.size() == 1 && expect.get(0).equalsIgnoreCase("100-continue"), () -> "expect header directly: " + expect);
        assertSameEcho(request("expect", "POST", "/echo/expect"), exchanges, Set.of("headers"));
        Map<String, List<String>> referenceHeaders = headersByName(exchanges.get(REFERENCE).echo());
        referenceHeaders.remove("expect");
        for (Route route : List.of(Route.NGINX_UWSGI_TCP, Route.NGINX_UWSGI_UNIX))
        {
            assertEquals(referenceHeaders, headersByName(exchanges.get(route).echo()), () -> route + " headers, apart from Expect");
        }
    }

    /**
     * nginx drops request headers whose names hold an underscore ({@code underscores_in_headers off}, the default:
     * {@code X_Forwarded_User} and {@code X-Forwarded-User} would both become HTTP_X_FORWARDED_USER, so one could
     * spoof the other). Jetty accepts them. That header is the one allowed difference.
     */
    @Test
    void headerWithUnderscoreIsDroppedByNginx()
    {
        RequestSpec spec = request("underscore header", "GET", "/echo/underscore")
            .header("X_Under", "dropped by nginx")
            .header("X-Dash", "kept");
        Map<Route, Exchange> exchanges = sendOverEveryRoute(spec);
        assertSameResponses(exchanges, false);
        assertEquals(List.of("dropped by nginx"), header(exchanges.get(REFERENCE).echo(), "x_under"), "x_under directly");
        Map<String, List<String>> referenceHeaders = headersByName(exchanges.get(REFERENCE).echo());
        referenceHeaders.remove("x_under");
        for (Route route : List.of(Route.NGINX_UWSGI_TCP, Route.NGINX_UWSGI_UNIX))
        {
            assertEquals(referenceHeaders, headersByName(exchanges.get(route).echo()), () -> route + " headers, apart from X_Under");
        }
        assertSameEcho(spec, exchanges, Set.of("headers"));
    }

    /**
     * 100 MB up through every route to the streaming WAR, which reads it in 8 KiB pieces and answers its length and
     * digest. nginx buffers the whole body to a temp file first, then sends it on; the launcher (heap
     * {@value LauncherProcess#MAX_HEAP}, exits on OutOfMemoryError) must stream it to the servlet.
     */
    @Test
    void hundredMegabyteUploadReachesTheServletWhole()
    {
        String expectedSha256 = StreamingPattern.sha256(HUNDRED_MB);
        for (Route route : ROUTES)
        {
            HttpRequest request = HttpRequest.newBuilder(rig.baseUri(route).resolve(NginxLauncherRig.STREAM + "/upload"))
                .header("Host", RequestSpec.HOST)
                .header("Content-Type", "application/octet-stream")
                .POST(HttpTransfers.patternBody(HUNDRED_MB))
                .timeout(BIG_BODY_TIMEOUT)
                .build();
            Exchange exchange = send(route, "POST", request);
            assertEquals(200, exchange.status(), () -> exchange + "\n" + exchange.abbreviated() + "\n" + rig.describeLogs());
            Map<String, Object> digest = exchange.echo();
            assertEquals(HUNDRED_MB, digest.get("length"), () -> route + " length seen by the servlet");
            assertEquals(expectedSha256, digest.get("sha256"), () -> route + " sha256 seen by the servlet");
            rig.launcher().assertAlive();
        }
        assertFalse(rig.launcher().logContains("OutOfMemoryError"), () -> "launcher ran out of memory\n" + rig.launcher().describeLog());
    }

    /**
     * 100 MB down from the streaming WAR on every route, with and without a Content-Length: without one, the
     * launcher must end the uwsgi response by closing (never chunk it, which nginx would pass on as body bytes).
     */
    @ParameterizedTest(name = "length={0}")
    @ValueSource(booleans = {false, true})
    void hundredMegabyteDownloadArrivesWhole(boolean withLength)
    {
        String expectedSha256 = StreamingPattern.sha256(HUNDRED_MB);
        Map<String, List<String>> referenceHeaders = null;
        for (Route route : List.of(REFERENCE, Route.NGINX_UWSGI_TCP, Route.NGINX_UWSGI_UNIX))
        {
            HttpRequest request = HttpRequest.newBuilder(rig.baseUri(route).resolve(NginxLauncherRig.STREAM + "/download?size=" + HUNDRED_MB + (withLength ? "&length=true" : "")))
                .header("Host", RequestSpec.HOST)
                .timeout(BIG_BODY_TIMEOUT)
                .build();
            HttpTransfers.Download download = HttpTransfers.download(client, request, route + " download", rig::describeLogs);
            HttpResponse<?> response = download.response();
            assertEquals(200, response.statusCode(), () -> route + " status");
            assertEquals(HUNDRED_MB, download.length(), () -> route + " bytes received");
            assertEquals(expectedSha256, download.sha256(), () -> route + " sha256 of the download");
            Exchange headersOnly = new Exchange(route, "GET", response.statusCode(), response.headers().map(), new byte[0]);
            if (withLength)
                assertEquals(List.of(String.valueOf(HUNDRED_MB)), headersOnly.headers().get("content-length"), () -> route + " Content-Length");
            Map<String, List<String>> headers = endToEndHeaders(headersOnly);
            if (referenceHeaders == null)
                referenceHeaders = headers;
            else
                assertEquals(referenceHeaders, headers, () -> route + " response headers against " + REFERENCE);
        }
        rig.launcher().assertAlive();
    }

    // ---- sending ----

    private Map<Route, Exchange> sendOverEveryRoute(RequestSpec spec)
    {
        Map<Route, Exchange> exchanges = new EnumMap<>(Route.class);
        for (Route route : ROUTES)
        {
            exchanges.put(route, send(route, spec));
        }
        return exchanges;
    }

    private Exchange send(Route route, RequestSpec spec)
    {
        if (!spec.isRaw())
            return send(route, spec.method(), spec.toHttpRequest(rig.baseUri(route), Duration.ofSeconds(60)));
        try
        {
            return RawHttpClient.send(route, rig.port(route), spec.method(), spec.target(), spec.headers(), spec.body(), 60_000);
        }
        catch (IOException x)
        {
            throw new AssertionError(route + " " + spec + " failed: " + x + "\n" + rig.describeLogs(), x);
        }
    }

    private Exchange send(Route route, String method, HttpRequest request)
    {
        HttpResponse<byte[]> response = HttpTransfers.send(client, request, HttpResponse.BodyHandlers.ofByteArray(), route + " " + method + " " + request.uri(), rig::describeLogs);
        return new Exchange(route, method, response.statusCode(), response.headers().map(), response.body());
    }

    // ---- comparing ----

    /**
     * Same status and the same headers, apart from {@link #HOP_BY_HOP_RESPONSE_HEADERS}, on every route; a body
     * as long as its Content-Length says; with {@code compareBodies}, the same body bytes.
     */
    private void assertSameResponses(Map<Route, Exchange> exchanges, boolean compareBodies)
    {
        Exchange reference = exchanges.get(REFERENCE);
        for (Exchange exchange : exchanges.values())
        {
            List<String> contentLength = exchange.headers().get("content-length");
            if (contentLength != null && !"HEAD".equals(exchange.method()))
                assertEquals(List.of(String.valueOf(exchange.body().length)), contentLength, () -> exchange + ": Content-Length against the body received");
            if (exchange == reference)
                continue;
            assertEquals(reference.status(), exchange.status(), () -> "status: " + exchange + " against " + reference + "\n" +
                exchange.abbreviated() + "\n" + rig.describeLogs());
            assertEquals(endToEndHeaders(reference), endToEndHeaders(exchange), () -> "response headers: " + exchange + " against " + reference);
            if (compareBodies)
                assertEquals(sha256(reference.body()), sha256(exchange.body()), () -> "body: " + exchange + " against " + reference);
        }
    }

    private static Map<String, List<String>> endToEndHeaders(Exchange exchange)
    {
        return FrontendEcho.endToEndHeaders(exchange.headers());
    }

    /**
     * The servlet saw the same request on every route, apart from the route-dependent members and
     * {@code alsoAllowed}; and what it saw is what {@code spec} sent.
     */
    private void assertSameEcho(RequestSpec spec, Map<Route, Exchange> exchanges, Set<String> alsoAllowed)
    {
        Map<Route, Map<String, Object>> echoes = new EnumMap<>(Route.class);
        exchanges.forEach((route, exchange) -> echoes.put(route, exchange.echo()));

        Map<String, Object> reference = withoutMembers(comparable(exchanges.get(REFERENCE), echoes.get(REFERENCE)), alsoAllowed);
        for (Route route : ROUTES)
        {
            Map<String, Object> echo = echoes.get(route);
            assertEquals(spec.method(), echo.get("method"), () -> route + " method");
            assertEquals(spec.path(), echo.get("requestURI"), () -> route + " requestURI");
            assertEquals(spec.query(), echo.get("queryString"), () -> route + " queryString");
            assertEquals("127.0.0.1", echo.get("remoteAddr"), () -> route + " remoteAddr");
            if (route == REFERENCE)
            {
                // On the reference only: the other routes must equal it, so they meet the expectations too.
                spec.checkExpectations(echo);
                continue;
            }
            Map<String, Object> actual = withoutMembers(comparable(exchanges.get(route), echo), alsoAllowed);
            String differences = differences(reference, actual);
            if (!differences.isEmpty())
                fail("the servlet saw a different request over " + route + " than over " + REFERENCE + " (" + spec + "):\n" + differences);
        }

        Map<String, List<String>> tcpVars = new LinkedHashMap<>(uwsgiVars(echoes.get(Route.NGINX_UWSGI_TCP)));
        Map<String, List<String>> unixVars = new LinkedHashMap<>(uwsgiVars(echoes.get(Route.NGINX_UWSGI_UNIX)));
        tcpVars.keySet().removeAll(UWSGI_ROUTE_DEPENDENT_VARS);
        unixVars.keySet().removeAll(UWSGI_ROUTE_DEPENDENT_VARS);
        assertEquals(List.copyOf(tcpVars.entrySet()), List.copyOf(unixVars.entrySet()), "uwsgi vars over TCP against the Unix socket");
    }

    /**
     * The echo without the members that differ by route ({@link FrontendEcho#ROUTE_DEPENDENT_ECHO_MEMBERS}), after
     * checking that the route-dependent parts are what the route implies.
     */
    private static Map<String, Object> comparable(Exchange exchange, Map<String, Object> echo)
    {
        return FrontendEcho.comparable(exchange, exchange.route().isUwsgi(), echo, EchoDifferentialIT::headersByName);
    }

    /**
     * The request headers by name ({@link FrontendEcho#headersByName}), joined as a joining nginx sends them.
     */
    private static Map<String, List<String>> headersByName(Map<String, Object> echo)
    {
        Map<String, List<String>> byName = FrontendEcho.headersByName(echo);
        return nginxJoinsRepeatedHeaders ? FrontendEcho.joinRepeated(byName, ", ", "; ") : byName;
    }
}

package io.github.jettyuwsgi.it;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import io.github.jettyuwsgi.it.FrontendRig.Route;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import static io.github.jettyuwsgi.it.FrontendEcho.assertBody;
import static io.github.jettyuwsgi.it.FrontendEcho.cookies;
import static io.github.jettyuwsgi.it.FrontendEcho.endToEndHeaders;
import static io.github.jettyuwsgi.it.FrontendEcho.header;
import static io.github.jettyuwsgi.it.FrontendEcho.parameter;
import static io.github.jettyuwsgi.it.FrontendEcho.uwsgiVars;
import static io.github.jettyuwsgi.it.RequestSpec.request;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * <p>The differential echo cases every frontend of the matrix runs through ({@code ApacheFrontendIT},
 * {@code UwsgiRouterFrontendIT}, {@code FastRouterFrontendIT}, {@code LighttpdFrontendIT}): each request goes to the
 * echo WAR through every route of the frontend and straight to the launcher's HTTP socket (Jetty's own HTTP parser,
 * the reference), and the servlet must see the same request, except for the differences the frontend is documented
 * to make (docs/frontends.md). A subclass asserts those in {@link #reconcile} and takes them out; whatever else
 * differs fails the case.</p>
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class FrontendDifferentialCases
{
    protected static final long TEN_MB = 10L * 1024 * 1024;
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    protected FrontendRig rig;
    private HttpClient client;

    /**
     * Starts the launcher and the frontend, with one route per way the frontend reaches the launcher.
     */
    protected abstract FrontendRig startRig(ItSettings settings);

    /**
     * Asserts the frontend's documented differences for {@code spec} on what the servlet saw over {@code route},
     * and removes them from {@code expected} (the reference's observations) or {@code actual}, so that what is left
     * must be equal.
     *
     * @param vars the uwsgi vars the frontend sent
     */
    protected abstract void reconcile(Route route, RequestSpec spec, Map<String, Object> expected, Map<String, Object> actual, Map<String, List<String>> vars);

    /**
     * Asserts what the frontend makes of a chunked request body ({@code content}, sent to {@code /echo/chunked}):
     * {@code reference} is the launcher's answer to the same chunked request.
     */
    protected abstract void assertChunkedUpload(Route route, Exchange reference, Exchange actual, byte[] content);

    /**
     * Asserts the response headers the frontend adds or changes on its own, and removes them from {@code actual}
     * (end-to-end headers of the route's response, mutable); by default there are none.
     */
    protected void reconcileResponseHeaders(Route route, String method, Map<String, List<String>> actual)
    {
    }

    @BeforeAll
    void start()
    {
        rig = startRig(ItSettings.fromSystemProperties());
        client = HttpTransfers.http11Client();
    }

    @AfterAll
    void stop()
    {
        if (rig != null)
            rig.close();
    }

    static Stream<RequestSpec> matrixRequests()
    {
        return Stream.of(
            request("GET with query", "GET", "/echo/plain/path?a=1&b=two%20words&dup=1&dup=2")
                .expect(echo ->
                {
                    assertEquals(List.of("1"), parameter(echo, "a"));
                    assertEquals(List.of("two words"), parameter(echo, "b"));
                    assertEquals(List.of("1", "2"), parameter(echo, "dup"));
                }),
            request("GET UTF-8 path", "GET", "/echo/w%C3%B6rld/caf%C3%A9?q=%C3%B6")
                .expect(echo ->
                {
                    assertEquals("/wörld/café", echo.get("pathInfo"));
                    assertEquals(List.of("ö"), parameter(echo, "q"));
                }),
            request("POST form", "POST", "/echo/form?a=query")
                .body("application/x-www-form-urlencoded", "a=body&b=%C3%B6&b=x+y&c=".getBytes(StandardCharsets.US_ASCII))
                .expect(echo ->
                {
                    assertEquals(List.of("query", "body"), parameter(echo, "a"));
                    assertEquals(List.of("ö", "x y"), parameter(echo, "b"));
                }),
            request("PUT binary", "PUT", "/echo/items/42")
                .body("application/octet-stream", RequestSpec.deterministicBytes(64 * 1024, 2)),
            // Raw: the JDK client would join the two Cookie lines into one.
            request("repeated headers and cookies", "GET", "/echo/headers")
                .raw()
                .header("X-Multi", "one")
                .header("X-Multi", "two")
                .header("Cookie", "a=1")
                .header("Cookie", "b=2; c=3")
                .expect(echo ->
                {
                    assertEquals(List.of("one", "two"), header(echo, "x-multi"));
                    assertEquals(List.of("a=1", "b=2; c=3"), header(echo, "cookie"));
                    assertEquals(List.of("a=1", "b=2", "c=3"), cookies(echo));
                }));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("matrixRequests")
    void servletSeesTheSameRequestThroughTheFrontend(RequestSpec spec)
    {
        Exchange reference = send(rig.reference(), spec);
        assertEquals(200, reference.status(), () -> "reference: " + reference.status() + "\n" + reference.abbreviated());
        Map<String, Object> referenceEcho = reference.echo();
        spec.checkExpectations(referenceEcho);
        Map<String, Object> referenceComparable = FrontendEcho.comparable(rig.reference(), false, referenceEcho, FrontendEcho::headersByName);

        for (Route route : rig.frontendRoutes())
        {
            Exchange exchange = send(route, spec);
            assertSameResponse(route, reference, exchange);
            Map<String, Object> echo = echo(route, exchange);
            assertEquals(spec.method(), echo.get("method"), () -> route + " method");
            assertEquals(spec.path(), echo.get("requestURI"), () -> route + " requestURI");
            assertEquals(spec.query(), echo.get("queryString"), () -> route + " queryString");
            assertEquals("127.0.0.1", echo.get("remoteAddr"), () -> route + " remoteAddr");

            Map<String, Object> expected = new LinkedHashMap<>(referenceComparable);
            Map<String, Object> actual = FrontendEcho.comparable(route, true, echo, FrontendEcho::headersByName);
            reconcile(route, spec, expected, actual, uwsgiVars(echo));
            String differences = FrontendEcho.differences(expected, actual);
            if (!differences.isEmpty())
                fail("the servlet saw a different request over " + route + " than over " + rig.reference() + " (" + spec +
                    "), apart from the documented differences:\n" + differences);
        }
    }

    /**
     * 10 MB up to the streaming WAR, with a Content-Length, on every route: the servlet must get every byte.
     */
    @Test
    void tenMegabyteUploadReachesTheServletWhole()
    {
        String expectedSha256 = StreamingPattern.sha256(TEN_MB);
        for (Route route : routesWithReference())
        {
            HttpRequest request = HttpRequest.newBuilder(route.baseUri().resolve(FrontendRig.STREAM + "/upload"))
                .header("Host", RequestSpec.HOST)
                .header("Content-Type", "application/octet-stream")
                .POST(HttpTransfers.patternBody(TEN_MB))
                .timeout(TIMEOUT)
                .build();
            Exchange exchange = send(route, "POST", request);
            assertEquals(200, exchange.status(), () -> route + " status\n" + exchange.abbreviated() + "\n" + rig.describeLogs());
            Map<String, Object> digest = echo(route, exchange);
            assertEquals(TEN_MB, digest.get("length"), () -> route + " length seen by the servlet");
            assertEquals(expectedSha256, digest.get("sha256"), () -> route + " sha256 seen by the servlet");
        }
        rig.assertAlive();
    }

    /**
     * 10 MB down from the streaming WAR on every route, with and without a Content-Length (without one, the
     * launcher ends the response by closing, which every frontend must take as the end of the body).
     */
    @ParameterizedTest(name = "length={0}")
    @ValueSource(booleans = {false, true})
    void tenMegabyteDownloadArrivesWhole(boolean withLength)
    {
        String expectedSha256 = StreamingPattern.sha256(TEN_MB);
        Map<String, List<String>> referenceHeaders = null;
        for (Route route : routesWithReference())
        {
            HttpRequest request = HttpRequest.newBuilder(route.baseUri().resolve(FrontendRig.STREAM + "/download?size=" + TEN_MB + (withLength ? "&length=true" : "")))
                .header("Host", RequestSpec.HOST)
                .timeout(TIMEOUT)
                .build();
            HttpTransfers.Download download = HttpTransfers.download(client, request, route + " download", rig::describeLogs);
            HttpResponse<?> response = download.response();
            assertEquals(200, response.statusCode(), () -> route + " status");
            assertEquals(TEN_MB, download.length(), () -> route + " bytes received");
            assertEquals(expectedSha256, download.sha256(), () -> route + " sha256 of the download");
            Exchange headersOnly = new Exchange(null, "GET", response.statusCode(), response.headers().map(), new byte[0]);
            if (withLength)
                assertEquals(List.of(String.valueOf(TEN_MB)), headersOnly.headers().get("content-length"), () -> route + " Content-Length");
            Map<String, List<String>> headers = endToEndHeaders(headersOnly.headers());
            if (route.uwsgi())
                reconcileResponseHeaders(route, "GET", headers);
            if (referenceHeaders == null)
                referenceHeaders = headers;
            else
                assertEquals(referenceHeaders, headers, () -> route + " response headers against " + rig.reference());
        }
        rig.assertAlive();
    }

    /**
     * A chunked request body (the JDK client chunks a body of unknown length): what each frontend does with it
     * differs most of all, so each subclass asserts its own outcome; the launcher must survive all of them.
     */
    @Test
    void chunkedUploadIsHandledAsDocumented()
    {
        byte[] content = RequestSpec.deterministicBytes(2 * 1024 * 1024 + 17, 3);
        Exchange reference = sendChunked(rig.reference(), content);
        assertEquals(200, reference.status(), () -> "reference: " + reference.status() + "\n" + reference.abbreviated());
        Map<String, Object> referenceEcho = reference.echo();
        assertBody(referenceEcho, content);
        assertEquals(-1L, referenceEcho.get("contentLength"), "contentLength of a chunked body, directly");
        for (Route route : rig.frontendRoutes())
        {
            Exchange exchange = sendChunked(route, content);
            assertChunkedUpload(route, reference, exchange, content);
            if (exchange.status() == 200)
            {
                List<String> names = FrontendEcho.headerNames(echo(route, exchange));
                assertFalse(names.contains("content-length") && names.contains("transfer-encoding"),
                    () -> route + ": both Content-Length and Transfer-Encoding reached the servlet: " + names);
            }
        }
        rig.assertAlive();
    }

    // ---- for subclasses ----

    /**
     * Asserts that the frontend joined the repeated header lines of {@code spec} with {@code separator} (and the
     * Cookie lines with {@code cookieSeparator}), then joins the reference's alike.
     */
    protected static void assertJoinedHeaders(Route route, Map<String, Object> expected, Map<String, Object> actual, String separator, String cookieSeparator)
    {
        @SuppressWarnings("unchecked")
        Map<String, List<String>> referenceHeaders = (Map<String, List<String>>)expected.get("headers");
        Map<String, List<String>> joined = FrontendEcho.joinRepeated(referenceHeaders, separator, cookieSeparator);
        assertEquals(joined, actual.get("headers"), () -> route + " headers: repeated lines joined with '" + separator + "' (Cookie '" + cookieSeparator + "')");
        expected.put("headers", joined);
    }

    /**
     * @return whether the client's request had a Content-Length header, as the reference saw it (the JDK client
     * sends {@code Content-Length: 0} for a GET built with {@code method("GET", noBody())}, a raw request does not)
     */
    @SuppressWarnings("unchecked")
    protected static boolean clientSentContentLength(Map<String, Object> expected)
    {
        return ((Map<String, List<String>>)expected.get("headers")).containsKey("content-length");
    }

    protected static boolean hasRepeatedCookieLines(RequestSpec spec)
    {
        return spec.headers().stream().filter(header -> header[0].equalsIgnoreCase("Cookie")).count() > 1;
    }

    protected Exchange sendChunked(Route route, byte[] content)
    {
        HttpRequest request = HttpRequest.newBuilder(route.baseUri().resolve(FrontendRig.ECHO + "/chunked"))
            .header("Host", RequestSpec.HOST)
            .header("Content-Type", "application/octet-stream")
            // An InputStream of unknown length makes the JDK client send Transfer-Encoding: chunked.
            .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(content)))
            .timeout(TIMEOUT)
            .build();
        return send(route, "POST", request);
    }

    protected static Map<String, Object> echo(Route route, Exchange exchange)
    {
        try
        {
            return exchange.echo();
        }
        catch (AssertionError x)
        {
            throw new AssertionError(route + ": " + x.getMessage(), x);
        }
    }

    // ---- sending and comparing ----

    private List<Route> routesWithReference()
    {
        return Stream.concat(Stream.of(rig.reference()), rig.frontendRoutes().stream()).toList();
    }

    protected Exchange send(Route route, RequestSpec spec)
    {
        if (!spec.isRaw())
            return send(route, spec.method(), spec.toHttpRequest(route.baseUri(), TIMEOUT));
        try
        {
            return RawHttpClient.send(null, route.port(), spec.method(), spec.target(), spec.headers(), spec.body(), (int)TIMEOUT.toMillis());
        }
        catch (IOException x)
        {
            throw new AssertionError(route + " " + spec + " failed: " + x + "\n" + rig.describeLogs(), x);
        }
    }

    protected Exchange send(Route route, String method, HttpRequest request)
    {
        HttpResponse<byte[]> response = HttpTransfers.send(client, request, HttpResponse.BodyHandlers.ofByteArray(), route + " " + method + " " + request.uri(), rig::describeLogs);
        return new Exchange(null, method, response.statusCode(), response.headers().map(), response.body());
    }

    /**
     * Same status and end-to-end headers as the reference; a body as long as its Content-Length says.
     */
    private void assertSameResponse(Route route, Exchange reference, Exchange exchange)
    {
        List<String> contentLength = exchange.headers().get("content-length");
        if (contentLength != null)
            assertEquals(List.of(String.valueOf(exchange.body().length)), contentLength, () -> route + ": Content-Length against the body received");
        assertEquals(reference.status(), exchange.status(), () -> route + " status against " + rig.reference() + "\n" + exchange.abbreviated() + "\n" + rig.describeLogs());
        Map<String, List<String>> headers = endToEndHeaders(exchange.headers());
        reconcileResponseHeaders(route, exchange.method(), headers);
        assertEquals(endToEndHeaders(reference.headers()), headers, () -> route + " response headers against " + rig.reference());
    }
}

package io.github.jettyuwsgi.uwsgi.jmh;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

import io.github.jettyuwsgi.uwsgi.UwsgiRequest;
import org.eclipse.jetty.http.HostPortHttpField;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.http.MetaData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;

/**
 * The comparison is only worth its numbers if both benchmarks turn a capture into the same request; this runs each
 * benchmark method once (no JMH) and compares what they produce.
 */
public class BenchmarkEquivalenceTest
{
    @ParameterizedTest
    @ValueSource(strings = {"nginx-get.bin", "nginx-get-debian-params.bin", "apache-get.bin", "nginx-post-form.bin"})
    public void uwsgiAndHttpSidesBuildTheSameRequest(String capture)
    {
        for (String buffer : List.of("heap", "direct"))
        {
            UwsgiParseBenchmark uwsgi = new UwsgiParseBenchmark();
            uwsgi.capture = capture;
            uwsgi.buffer = buffer;
            uwsgi.setup();
            HttpParseBenchmark http = new HttpParseBenchmark();
            http.capture = capture;
            http.buffer = buffer;
            http.setup();

            assertEquals(CapturedPacket.load(capture).vars().size(), uwsgi.parse().size());
            MetaData.Request fromUwsgi = uwsgi.parseAndMap().metaData();
            MetaData.Request reused = http.parseReusedParser();
            MetaData.Request fresh = http.parseNewParser();
            assertNotNull(reused);
            assertNotSame(reused, fresh, "each operation builds its own request");

            for (MetaData.Request fromHttp : List.of(reused, fresh))
            {
                assertEquals(fromUwsgi.getMethod(), fromHttp.getMethod());
                assertEquals(fromUwsgi.getHttpURI().getPathQuery(), fromHttp.getHttpURI().getPathQuery());
                assertEquals(fromUwsgi.getHttpURI().getHost(), fromHttp.getHttpURI().getHost());
                assertEquals(HttpVersion.HTTP_1_1, fromHttp.getHttpVersion());
                assertEquals(fromUwsgi.getHttpVersion(), fromHttp.getHttpVersion());
                // Jetty's HTTP/1.1 connection says -1 for a request without Content-Length; the uwsgi mapping says 0.
                assertEquals(fromUwsgi.getContentLength(), Math.max(0, fromHttp.getContentLength()));
                assertEquals(sortedFieldsButHost(fromUwsgi), sortedFieldsButHost(fromHttp));
                // The mapping completes a port-less HTTP_HOST with SERVER_PORT (nginx's $host drops it), so only the
                // host name must match the client's Host header.
                assertEquals(hostName(fromHttp), hostName(fromUwsgi));
            }
        }
    }

    @Test
    public void nginxGetBecomesTheRequestCurlSent()
    {
        String head = new String(EquivalentHttpRequest.head(CapturedPacket.load("nginx-get.bin").vars()), StandardCharsets.ISO_8859_1);
        assertEquals("""
            GET /hello/w%C3%B6rld%20x?a=1&b=two%20x HTTP/1.1\r
            Host: test.local\r
            User-Agent: curl-test\r
            Accept: */*\r
            X-Multi: one\r
            X-Multi: two\r
            Cookie: a=1\r
            Cookie: b=2\r
            \r
            """, head);
    }

    @Test
    public void postFormTakesContentTypeAndLengthFromTheCgiVars()
    {
        String head = new String(EquivalentHttpRequest.head(CapturedPacket.load("nginx-post-form.bin").vars()), StandardCharsets.ISO_8859_1);
        assertEquals("""
            POST /post/form?x=1 HTTP/1.1\r
            Host: test.local\r
            Accept: */*\r
            User-Agent: curl-test\r
            Content-Type: application/x-www-form-urlencoded\r
            Content-Length: 17\r
            \r
            """, head);
    }

    @Test
    public void cgiHeaderNamesTurnBackIntoHttpSpelling()
    {
        assertEquals("X-Request-Id", EquivalentHttpRequest.headerName("HTTP_X_REQUEST_ID"));
        assertEquals("Authorization", EquivalentHttpRequest.headerName("HTTP_AUTHORIZATION"));
    }

    @Test
    public void uwsgiParseStopsAtTheVarsOfTheCapture()
    {
        UwsgiParseBenchmark uwsgi = new UwsgiParseBenchmark();
        uwsgi.capture = "apache-get.bin";
        uwsgi.buffer = "heap";
        uwsgi.setup();
        UwsgiRequest request = uwsgi.parseAndMap();
        assertEquals("Basic dXNlcjpwYXNz", request.metaData().getHttpFields().get("Authorization"));
        assertEquals("https", request.metaData().getHttpURI().getScheme(), "Apache's UWSGI_SCHEME=https");
    }

    private static List<String> sortedFieldsButHost(MetaData.Request request)
    {
        return request.getHttpFields().stream()
            .filter(field -> field.getHeader() != HttpHeader.HOST)
            .map(field -> field.getName().toLowerCase(Locale.ENGLISH) + ": " + field.getValue())
            .sorted()
            .toList();
    }

    private static String hostName(MetaData.Request request)
    {
        HttpField host = request.getHttpFields().getField(HttpHeader.HOST);
        assertNotNull(host, "Host header");
        return new HostPortHttpField(host.getValue()).getHost();
    }
}

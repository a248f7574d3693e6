package io.github.jettyuwsgi.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.github.jettyuwsgi.it.FrontendRig.Route;
import org.junit.jupiter.api.Test;

import static io.github.jettyuwsgi.it.FrontendEcho.assertBody;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * <p>The echo differential through uWSGI's HTTP router ({@code --http} with {@code --http-to} the launcher's uwsgi
 * socket and {@code --http-chunked-input}; Debian {@code uwsgi-core}, template {@value #TEMPLATE}). Its documented
 * differences, asserted here: the fixed var set (SCRIPT_NAME empty, SERVER_NAME the machine's hostname rather than
 * the Host header, UWSGI_ROUTER=http, no CONTENT_LENGTH without a body), repeated header lines joined with
 * {@code ", "}, Cookie too (which the connector rejoins with "; " so the cookies parse as over HTTP), and
 * a chunked request body forwarded as raw chunks, which the connector decodes.</p>
 */
class UwsgiRouterFrontendIT extends FrontendDifferentialCases
{
    static final String TEMPLATE = "/uwsgi/http-router.ini.template";

    @Override
    protected FrontendRig startRig(ItSettings settings)
    {
        return FrontendRig.start(settings, "uwsgi-router-frontend", rig ->
        {
            int port = FreePorts.allocate(1)[0];
            FrontendProcess router = rig.add(FrontendProcess.builder("uwsgi-http-router", rig.workDir().resolve("uwsgi-http-router"))
                .template("http-router.ini", TEMPLATE)
                .command(FrontendProcess.findExecutable("uwsgi", "uwsgi-core"), "--ini", "{{ROOT}}/conf/http-router.ini")
                .set("LAUNCHER_UWSGI_PORT", rig.launcher().uwsgiPort())
                .listen("UWSGI_HTTP_PORT", port)
                .start());
            rig.route("UWSGI_HTTP_ROUTER", router.port("UWSGI_HTTP_PORT"));
        });
    }

    @Override
    protected void reconcile(Route route, RequestSpec spec, Map<String, Object> expected, Map<String, Object> actual, Map<String, List<String>> vars)
    {
        assertEquals(List.of(""), vars.get("SCRIPT_NAME"), () -> route + " SCRIPT_NAME");
        assertEquals(List.of(hostname()), vars.get("SERVER_NAME"), () -> route + " SERVER_NAME: the router's hostname, not the Host header");
        assertEquals(List.of("http"), vars.get("UWSGI_ROUTER"), () -> route + " UWSGI_ROUTER");
        assertEquals(List.of(spec.target()), vars.get("REQUEST_URI"), () -> route + " REQUEST_URI");
        assertFalse(vars.containsKey("REQUEST_SCHEME"), () -> route + " REQUEST_SCHEME: the router sends none");
        assertFalse(vars.containsKey("HTTP_CONTENT_LENGTH"), () -> route + " HTTP_CONTENT_LENGTH: the router sends CONTENT_LENGTH only");
        if (!clientSentContentLength(expected))
            assertFalse(vars.containsKey("CONTENT_LENGTH"), () -> route + " CONTENT_LENGTH when the client sent none: " + vars.get("CONTENT_LENGTH"));

        // Cookie lines arrive joined with ", "; the connector turns that into "; " so the cookies parse as over HTTP.
        assertJoinedHeaders(route, expected, actual, ", ", "; ");
    }

    /**
     * With {@code http-chunked-input} the router forwards the chunks as they came, with HTTP_TRANSFER_ENCODING and
     * no CONTENT_LENGTH; the connector decodes them, so the servlet sees exactly what Jetty alone sees.
     */
    @Override
    protected void assertChunkedUpload(Route route, Exchange reference, Exchange actual, byte[] content)
    {
        assertEquals(200, actual.status(), () -> route + " status of a chunked upload\n" + actual.abbreviated() + "\n" + rig.describeLogs());
        Map<String, Object> echo = echo(route, actual);
        assertBody(echo, content);
        Map<String, List<String>> vars = FrontendEcho.uwsgiVars(echo);
        assertEquals(List.of("chunked"), vars.get("HTTP_TRANSFER_ENCODING"), () -> route + " HTTP_TRANSFER_ENCODING");
        assertFalse(vars.containsKey("CONTENT_LENGTH"), () -> route + " CONTENT_LENGTH with raw chunks: " + vars.get("CONTENT_LENGTH"));
        Map<String, Object> expected = FrontendEcho.comparable(rig.reference(), false, echo(rig.reference(), reference), FrontendEcho::headersByName);
        Map<String, Object> observed = FrontendEcho.comparable(route, true, echo, FrontendEcho::headersByName);
        String differences = FrontendEcho.differences(expected, observed);
        assertEquals("", differences, () -> route + ": the servlet saw a different chunked request than over " + rig.reference());
    }

    /**
     * 10 MB of raw chunks through the router to the streaming WAR, which reads them in 8 KiB pieces: the connector
     * decodes the chunks as they come (the launcher's heap is {@value LauncherProcess#MAX_HEAP}).
     */
    @Test
    void tenMegabyteChunkedUploadIsDecodedByTheConnector()
    {
        Route route = rig.route("UWSGI_HTTP_ROUTER");
        HttpRequest request = HttpRequest.newBuilder(route.baseUri().resolve(FrontendRig.STREAM + "/upload"))
            .header("Host", RequestSpec.HOST)
            .header("Content-Type", "application/octet-stream")
            // An InputStream of unknown length makes the JDK client send Transfer-Encoding: chunked.
            .POST(HttpRequest.BodyPublishers.ofInputStream(() -> StreamingPattern.stream(TEN_MB)))
            .timeout(Duration.ofSeconds(60))
            .build();
        Exchange exchange = send(route, "POST", request);
        assertEquals(200, exchange.status(), () -> route + " status\n" + exchange.abbreviated() + "\n" + rig.describeLogs());
        Map<String, Object> digest = echo(route, exchange);
        assertEquals(TEN_MB, digest.get("length"), () -> route + " length seen by the servlet");
        assertEquals(StreamingPattern.sha256(TEN_MB), digest.get("sha256"), () -> route + " sha256 seen by the servlet");
        rig.assertAlive();
    }

    /**
     * @return the name uWSGI puts in SERVER_NAME: gethostname(), which Linux exposes here
     */
    private static String hostname()
    {
        try
        {
            return Files.readString(Path.of("/proc/sys/kernel/hostname")).strip();
        }
        catch (IOException x)
        {
            throw new UncheckedIOException("cannot read the hostname (expected: Linux /proc/sys/kernel/hostname)", x);
        }
    }
}

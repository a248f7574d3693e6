package io.github.jettyuwsgi.it;

import java.util.List;
import java.util.Map;

import io.github.jettyuwsgi.it.FrontendRig.Route;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * <p>The echo differential through Apache httpd's {@code mod_proxy_uwsgi} (Debian {@code apache2}), over TCP and
 * over the launcher's Unix socket (template {@value #TEMPLATE}). Apache's documented differences, asserted here:
 * the request headers arrive as a CGI environment with repeated lines joined by {@code ", "} (Cookie too, which
 * the connector rejoins with "; " so that the cookies parse as over HTTP), SCRIPT_NAME is the ProxyPass prefix,
 * there is no CONTENT_LENGTH without a body, and a chunked request body is refused with 411 before the launcher
 * sees a byte.</p>
 */
class ApacheFrontendIT extends FrontendDifferentialCases
{
    static final String TEMPLATE = "/apache/httpd.conf.template";

    @Override
    protected FrontendRig startRig(ItSettings settings)
    {
        return FrontendRig.start(settings, "apache-frontend", rig -> rig.addTcpAndUnixFrontend("APACHE",
            FrontendProcess.builder("apache2", rig.workDir().resolve("apache"))
                .template("httpd.conf", TEMPLATE)
                // -X: one process in the foreground, which is the whole server: a test that kills it leaves nothing.
                .command(FrontendProcess.findExecutable("apache2", "apache2"), "-X", "-f", "{{ROOT}}/conf/httpd.conf")));
    }

    @Override
    protected void reconcile(Route route, RequestSpec spec, Map<String, Object> expected, Map<String, Object> actual, Map<String, List<String>> vars)
    {
        String mount = spec.path().startsWith(FrontendRig.STREAM) ? FrontendRig.STREAM : FrontendRig.ECHO;
        assertEquals(List.of(mount), vars.get("SCRIPT_NAME"), () -> route + " SCRIPT_NAME: the ProxyPass prefix");
        assertEquals(List.of(spec.target()), vars.get("REQUEST_URI"), () -> route + " REQUEST_URI: the client's, prefix included");
        assertEquals(List.of("CGI/1.1"), vars.get("GATEWAY_INTERFACE"), () -> route + " GATEWAY_INTERFACE");
        assertEquals(List.of(RequestSpec.HOST.substring(0, RequestSpec.HOST.indexOf(':'))), vars.get("SERVER_NAME"), () -> route + " SERVER_NAME: the request's host");
        if (!clientSentContentLength(expected))
            assertFalse(vars.containsKey("CONTENT_LENGTH"), () -> route + " CONTENT_LENGTH when the client sent none: " + vars.get("CONTENT_LENGTH"));
        assertFalse(vars.containsKey("HTTP_CONTENT_LENGTH"), () -> route + " HTTP_CONTENT_LENGTH: Apache sends CONTENT_LENGTH only");

        // Cookie lines arrive joined with ", "; the connector turns that into "; " so the cookies parse as over HTTP.
        assertJoinedHeaders(route, expected, actual, ", ", "; ");
    }

    /**
     * Apache refuses a chunked request body with 411 Length Required ({@code REQUEST_CHUNKED_ERROR}); it has
     * already connected to the launcher by then and closes that connection without a byte, which the launcher must
     * take in its stride.
     */
    @Override
    protected void assertChunkedUpload(Route route, Exchange reference, Exchange actual, byte[] content)
    {
        assertEquals(411, actual.status(), () -> route + " status of a chunked upload (expected: Apache's 411)\n" + actual.abbreviated());
    }
}

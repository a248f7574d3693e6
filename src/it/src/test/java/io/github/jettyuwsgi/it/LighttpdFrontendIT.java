package io.github.jettyuwsgi.it;

import java.util.List;
import java.util.Map;

import io.github.jettyuwsgi.it.FrontendRig.Route;

import static io.github.jettyuwsgi.it.FrontendEcho.assertBody;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * <p>The echo differential through lighttpd's {@code mod_scgi} with {@code scgi.protocol = "uwsgi"} (Debian
 * {@code lighttpd}), over TCP and over the launcher's Unix socket (template {@value #TEMPLATE}). lighttpd's
 * documented differences, asserted here: repeated header lines joined with {@code ", "} and Cookie lines with
 * {@code "; "}, {@code CONTENT_LENGTH "0"} on a request without a body (so the servlet sees a Content-Length of 0
 * where Jetty alone sees none), SCRIPT_NAME is the scgi.server prefix, and a chunked request body is de-chunked
 * and sent with its length.</p>
 */
class LighttpdFrontendIT extends FrontendDifferentialCases
{
    static final String TEMPLATE = "/lighttpd/lighttpd.conf.template";

    @Override
    protected FrontendRig startRig(ItSettings settings)
    {
        return FrontendRig.start(settings, "lighttpd-frontend", rig -> rig.addTcpAndUnixFrontend("LIGHTTPD",
            FrontendProcess.builder("lighttpd", rig.workDir().resolve("lighttpd"))
                .template("lighttpd.conf", TEMPLATE)
                // -D: stay in the foreground, so this process is the whole server.
                .command(FrontendProcess.findExecutable("lighttpd", "lighttpd"), "-D", "-f", "{{ROOT}}/conf/lighttpd.conf")));
    }

    @Override
    protected void reconcile(Route route, RequestSpec spec, Map<String, Object> expected, Map<String, Object> actual, Map<String, List<String>> vars)
    {
        String mount = spec.path().startsWith(FrontendRig.STREAM) ? FrontendRig.STREAM : FrontendRig.ECHO;
        assertEquals(List.of(mount), vars.get("SCRIPT_NAME"), () -> route + " SCRIPT_NAME: the scgi.server prefix");
        assertEquals(List.of(spec.target()), vars.get("REQUEST_URI"), () -> route + " REQUEST_URI");
        assertEquals(List.of("200"), vars.get("REDIRECT_STATUS"), () -> route + " REDIRECT_STATUS");
        assertEquals(List.of(RequestSpec.HOST.substring(0, RequestSpec.HOST.indexOf(':'))), vars.get("SERVER_NAME"), () -> route + " SERVER_NAME: the request's host");
        if (!clientSentContentLength(expected))
        {
            assertEquals(List.of("0"), vars.get("CONTENT_LENGTH"), () -> route + " CONTENT_LENGTH when the client sent none");
            // So the servlet sees a Content-Length: 0 header and a length of 0, where Jetty alone sees neither.
            assertEquals(0L, actual.get("contentLength"), () -> route + " contentLength");
            assertEquals(-1L, expected.get("contentLength"), () -> "reference contentLength");
            actual.put("contentLength", -1L);
            @SuppressWarnings("unchecked")
            Map<String, List<String>> headers = (Map<String, List<String>>)actual.get("headers");
            assertEquals(List.of("0"), headers.remove("content-length"), () -> route + " Content-Length header");
        }
        else
        {
            assertEquals(vars.get("CONTENT_LENGTH"), vars.get("HTTP_CONTENT_LENGTH"), () -> route + " HTTP_CONTENT_LENGTH: lighttpd sends both");
        }
        assertJoinedHeaders(route, expected, actual, ", ", "; ");
    }

    /**
     * lighttpd adds {@code Accept-Ranges: bytes} to every GET response (the servlet set none).
     */
    @Override
    protected void reconcileResponseHeaders(Route route, String method, Map<String, List<String>> actual)
    {
        if ("GET".equals(method))
            assertEquals(List.of("bytes"), actual.remove("accept-ranges"), () -> route + " Accept-Ranges added by lighttpd");
    }

    /**
     * lighttpd reads a chunked request body whole (into server.upload-dirs) and sends it with a CONTENT_LENGTH and
     * without HTTP_TRANSFER_ENCODING: the servlet sees a Content-Length where Jetty alone sees chunks.
     */
    @Override
    protected void assertChunkedUpload(Route route, Exchange reference, Exchange actual, byte[] content)
    {
        assertEquals(200, actual.status(), () -> route + " status of a chunked upload\n" + actual.abbreviated());
        Map<String, Object> echo = echo(route, actual);
        assertBody(echo, content);
        assertEquals((long)content.length, echo.get("contentLength"), () -> route + " contentLength of a de-chunked body");
        Map<String, List<String>> vars = FrontendEcho.uwsgiVars(echo);
        assertEquals(List.of(String.valueOf(content.length)), vars.get("CONTENT_LENGTH"), () -> route + " CONTENT_LENGTH");
        assertEquals(null, vars.get("HTTP_TRANSFER_ENCODING"), () -> route + " HTTP_TRANSFER_ENCODING");
    }
}

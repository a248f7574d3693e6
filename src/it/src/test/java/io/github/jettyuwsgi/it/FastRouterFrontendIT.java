package io.github.jettyuwsgi.it;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.github.jettyuwsgi.it.FrontendRig.Route;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static io.github.jettyuwsgi.it.FrontendEcho.assertBody;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * <p>The echo differential through uWSGI's FastRouter with a static route ({@code fastrouter-to} the launcher's uwsgi
 * socket; Debian {@code uwsgi-core}, template {@value #TEMPLATE}), with nginx in front of it (template
 * {@value #NGINX_TEMPLATE}): client → nginx → uwsgi → FastRouter → uwsgi → launcher. The FastRouter forwards the
 * packet unchanged, so the documented differences are nginx's own: the servlet sees what it sees behind nginx, and
 * the vars equal those of nginx talking to the launcher directly, apart from the client port and nginx's port.</p>
 */
class FastRouterFrontendIT extends FrontendDifferentialCases
{
    static final String TEMPLATE = "/uwsgi/fastrouter.ini.template";
    static final String NGINX_TEMPLATE = "/uwsgi/fastrouter-nginx.conf.template";
    private static final String NGINX_DIRECT = "NGINX_DIRECT_PORT";
    /**
     * Vars that differ between nginx → FastRouter and nginx → launcher: each is a server of its own with its own
     * port, and each request another client connection.
     */
    private static final Set<String> ROUTE_DEPENDENT_VARS = Set.of("REMOTE_PORT", "SERVER_PORT");

    private NginxProcess nginx;
    /**
     * nginx 1.23.0 and later join repeated header lines into one var (", ", Cookie "; "); 1.22 sends one var each.
     */
    private boolean nginxJoinsRepeatedHeaders;

    @Override
    protected FrontendRig startRig(ItSettings settings)
    {
        int[] nginxVersion = NginxProcess.version();
        nginxJoinsRepeatedHeaders = nginxVersion[0] > 1 || nginxVersion[1] >= 23;
        return FrontendRig.start(settings, "fastrouter-frontend", rig ->
        {
            int[] ports = FreePorts.allocate(3);
            FrontendProcess fastRouter = rig.add(FrontendProcess.builder("uwsgi-fastrouter", rig.workDir().resolve("uwsgi-fastrouter"))
                .template("fastrouter.ini", TEMPLATE)
                .command(FrontendProcess.findExecutable("uwsgi", "uwsgi-core"), "--ini", "{{ROOT}}/conf/fastrouter.ini")
                .set("LAUNCHER_UWSGI_PORT", rig.launcher().uwsgiPort())
                .listen("FASTROUTER_PORT", ports[0])
                .start());
            nginx = rig.add(NginxProcess.builder(rig.workDir().resolve("nginx"))
                .template(NGINX_TEMPLATE)
                .include("uwsgi_params", "/nginx/uwsgi_params")
                .set("FASTROUTER_PORT", fastRouter.port("FASTROUTER_PORT"))
                .set("LAUNCHER_UWSGI_PORT", rig.launcher().uwsgiPort())
                .listen("NGINX_FASTROUTER_PORT", ports[1])
                .listen(NGINX_DIRECT, ports[2])
                .start());
            rig.route("NGINX_FASTROUTER", nginx.port("NGINX_FASTROUTER_PORT"));
        });
    }

    @Override
    protected void reconcile(Route route, RequestSpec spec, Map<String, Object> expected, Map<String, Object> actual, Map<String, List<String>> vars)
    {
        if (nginxJoinsRepeatedHeaders)
            assertJoinedHeaders(route, expected, actual, ", ", "; ");
    }

    /**
     * nginx de-chunks the body and sends a CONTENT_LENGTH, still with HTTP_TRANSFER_ENCODING; the FastRouter passes
     * that on, and the servlet sees the length.
     */
    @Override
    protected void assertChunkedUpload(Route route, Exchange reference, Exchange actual, byte[] content)
    {
        assertEquals(200, actual.status(), () -> route + " status of a chunked upload\n" + actual.abbreviated());
        Map<String, Object> echo = echo(route, actual);
        assertBody(echo, content);
        assertEquals((long)content.length, echo.get("contentLength"), () -> route + " contentLength of the body nginx de-chunked");
    }

    /**
     * The vars that reach the launcher through the FastRouter are the ones nginx sends the launcher directly, in
     * the same order: the FastRouter forwards the packet unchanged.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("matrixRequests")
    void fastRouterForwardsNginxVarsUnchanged(RequestSpec spec)
    {
        Route throughFastRouter = rig.route("NGINX_FASTROUTER");
        Route direct = new Route("NGINX_DIRECT", nginx.port(NGINX_DIRECT), true);
        Map<String, List<String>> routed = new LinkedHashMap<>(FrontendEcho.uwsgiVars(echo(throughFastRouter, send(throughFastRouter, spec))));
        Map<String, List<String>> straight = new LinkedHashMap<>(FrontendEcho.uwsgiVars(echo(direct, send(direct, spec))));
        routed.keySet().removeAll(ROUTE_DEPENDENT_VARS);
        straight.keySet().removeAll(ROUTE_DEPENDENT_VARS);
        assertEquals(List.copyOf(straight.entrySet()), List.copyOf(routed.entrySet()), "vars through the FastRouter against nginx → launcher");
    }
}

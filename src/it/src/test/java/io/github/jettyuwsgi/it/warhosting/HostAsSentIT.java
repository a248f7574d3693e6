package io.github.jettyuwsgi.it.warhosting;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import io.github.jettyuwsgi.it.Exchange;
import io.github.jettyuwsgi.it.FreePorts;
import io.github.jettyuwsgi.it.ItSettings;
import io.github.jettyuwsgi.it.NginxLauncherRig;
import io.github.jettyuwsgi.it.NginxLauncherRig.Route;
import io.github.jettyuwsgi.it.RawHttpClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static io.github.jettyuwsgi.it.FrontendEcho.header;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * <p>The client's Host through a real nginx listening on a port the client did not name (a port mapping, a load
 * balancer): the echo WAR behind nginx must see the Host, server name, server port and request URL that the same
 * request gets straight from the launcher's HTTP socket, although nginx sends its own port as {@code SERVER_PORT}.
 * The same for a client that talks uwsgi itself the way {@code uwsgi_curl} does ({@code SERVER_PORT} = the
 * backend's port).</p>
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HostAsSentIT
{
    private static final int TIMEOUT_MILLIS = 30_000;
    private static final List<Route> ROUTES = List.of(Route.NGINX_UWSGI_TCP, Route.NGINX_UWSGI_UNIX, Route.LAUNCHER_HTTP);

    private NginxLauncherRig rig;

    @BeforeAll
    void start()
    {
        rig = NginxLauncherRig.start(ItSettings.fromSystemProperties(), "host-as-sent");
    }

    @AfterAll
    void stop()
    {
        if (rig != null)
            rig.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"app.example", "app.example:8443", "app.example:80", "[2001:db8::1]:9000"})
    void servletSeesTheHostAsSent(String host) throws IOException
    {
        Map<String, Object> reference = null;
        for (Route route : ROUTES)
        {
            Exchange exchange = get(route, "/echo/where?x=1", host);
            assertEquals(200, exchange.status(), () -> exchange + "\n" + exchange.abbreviated() + "\n" + rig.describeLogs());
            Map<String, Object> echo = exchange.echo();
            assertEquals(List.of(host), header(echo, "host"), () -> route + " Host header");
            Map<String, Object> seen = Map.of("serverName", echo.get("serverName"), "serverPort", echo.get("serverPort"),
                "requestURL", echo.get("requestURL"));
            if (reference == null)
                reference = seen;
            assertEquals(reference, seen, () -> route + " against " + ROUTES.get(0));
        }
        int colon = host.lastIndexOf(':');
        long expectedPort = colon > host.lastIndexOf(']') ? Long.parseLong(host.substring(colon + 1)) : 80L;
        assertEquals(expectedPort, reference.get("serverPort"), "serverPort (from the Host, as over HTTP)");
        String authority = expectedPort == 80 ? host.replace(":80", "") : host;
        assertEquals("http://" + authority + "/echo/where", reference.get("requestURL"));
    }

    /**
     * Jetty answers a context root without its slash with a redirect: its Location must be the same behind nginx as
     * over HTTP.
     */
    @Test
    void redirectAsOverHttp() throws IOException
    {
        for (String host : List.of("app.example", "app.example:8443"))
        {
            Exchange overHttp = get(Route.LAUNCHER_HTTP, "/echo?x=1", host);
            assertEquals(3, overHttp.status() / 100, overHttp::toString);
            for (Route route : List.of(Route.NGINX_UWSGI_TCP, Route.NGINX_UWSGI_UNIX))
            {
                Exchange overUwsgi = get(route, "/echo?x=1", host);
                assertEquals(overHttp.status(), overUwsgi.status(), overUwsgi::toString);
                assertEquals(overHttp.headers().get("location"), overUwsgi.headers().get("location"), () -> route + " Location for Host " + host);
            }
        }
    }

    /**
     * {@code uwsgi_curl} (andreif/uwsgi-tools) puts the backend's own host and port in SERVER_NAME and SERVER_PORT
     * and the client's Host in HTTP_HOST; the servlet must see the Host.
     */
    @Test
    void uwsgiCurlSeesTheHostItSent() throws IOException
    {
        int port = rig.launcher().uwsgiPort();
        byte[] packet = packet("REQUEST_METHOD", "GET", "REQUEST_URI", "/echo/curl", "PATH_INFO", "/echo/curl", "QUERY_STRING", "",
            "SERVER_NAME", FreePorts.LOOPBACK, "SERVER_PORT", Integer.toString(port), "SERVER_PROTOCOL", "HTTP/1.1",
            "HTTP_HOST", "app.example");
        String response;
        try (Socket socket = new Socket())
        {
            socket.connect(new InetSocketAddress(FreePorts.LOOPBACK, port), TIMEOUT_MILLIS);
            socket.setSoTimeout(TIMEOUT_MILLIS);
            socket.getOutputStream().write(packet);
            socket.getOutputStream().flush();
            response = readAll(socket.getInputStream());
        }
        assertTrue(response.startsWith("HTTP/1.1 200"), response);
        assertTrue(response.contains("\"serverName\":\"app.example\""), response);
        assertTrue(response.contains("\"serverPort\":80,"), response);
        assertTrue(response.contains("\"requestURL\":\"http://app.example/echo/curl\""), response);
    }

    private Exchange get(Route route, String target, String host) throws IOException
    {
        return RawHttpClient.send(route, rig.port(route), "GET", target, List.<String[]>of(new String[]{"Host", host}), null, TIMEOUT_MILLIS);
    }

    private static byte[] packet(String... namesAndValues)
    {
        ByteArrayOutputStream vars = new ByteArrayOutputStream();
        for (String item : namesAndValues)
        {
            byte[] bytes = item.getBytes(StandardCharsets.ISO_8859_1);
            vars.write(bytes.length & 0xFF);
            vars.write(bytes.length >>> 8);
            vars.writeBytes(bytes);
        }
        ByteArrayOutputStream packet = new ByteArrayOutputStream();
        packet.write(0);
        packet.write(vars.size() & 0xFF);
        packet.write(vars.size() >>> 8);
        packet.write(0);
        packet.writeBytes(vars.toByteArray());
        return packet.toByteArray();
    }

    private static String readAll(InputStream in) throws IOException
    {
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
}

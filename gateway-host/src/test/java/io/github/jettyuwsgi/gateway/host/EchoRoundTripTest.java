package io.github.jettyuwsgi.gateway.host;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import io.github.jettyuwsgi.gateway.GatewayApplication;
import io.github.jettyuwsgi.gateway.GatewayValidator;
import io.github.jettyuwsgi.gateway.servlet.GatewayServlet;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.ee10.webapp.WebAppContext;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.ajax.JSON;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Servlet → gateway application → servlet: the echo WAR served directly by Jetty, and the same WAR hosted by
 * {@link HostedApplication} behind {@code GatewayServlet}, must observe the same request and answer the same response,
 * with the strict validator checking both sides of the gateway boundary.
 */
public class EchoRoundTripTest
{
    /** Members that name the transport, not the request: ports of the test's sockets, and the connector's vars. */
    private static final List<String> TRANSPORT_MEMBERS = List.of("remotePort", "localAddr", "localPort", "uwsgiVars");

    private static Server direct;
    private static Server bridged;
    private static HostedApplication hosted;
    private static final List<String> warnings = new CopyOnWriteArrayList<>();

    @BeforeAll
    public static void start() throws Exception
    {
        Path war = Path.of(System.getProperty("gateway.echo.war", "target/wars/echo.war"));
        WebAppContext webApp = new WebAppContext();
        webApp.setWar(war.toAbsolutePath().toString());
        webApp.setContextPath("/");
        direct = serve(webApp);

        hosted = HostedApplication.ofWar(war, "/").start();
        GatewayApplication validated = new GatewayValidator(GatewayValidator.Profile.STRICT, warnings::add).wrap(hosted);
        ServletContextHandler context = new ServletContextHandler();
        context.setContextPath("/");
        ServletHolder holder = new ServletHolder(new GatewayServlet(validated));
        holder.setInitParameter("validate", "strict");
        context.addServlet(holder, "/*");
        bridged = serve(context);
    }

    private static Server serve(Handler handler) throws Exception
    {
        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        server.addConnector(connector);
        server.setHandler(handler);
        server.start();
        return server;
    }

    @AfterAll
    public static void stop() throws Exception
    {
        bridged.stop();
        hosted.close();
        direct.stop();
    }

    @AfterEach
    public void noWarnings()
    {
        assertEquals(List.of(), warnings, "validator warnings");
    }

    @Test
    public void getWithEncodedPathQueryAndCookies() throws Exception
    {
        assertSameObservations("""
            GET /a/b%20c/caf%C3%A9/d?x=1&y=%C3%A9&x=2 HTTP/1.1\r
            Host: app.example:8080\r
            X-Request-Id: abc-123\r
            Accept: text/plain, application/json\r
            Cookie: a=1; b=two\r
            Connection: close\r
            \r
            """, null);
    }

    @Test
    public void formPostBecomesParameters() throws Exception
    {
        byte[] body = "name=J%C3%BCrgen&list=1&list=2".getBytes(StandardCharsets.US_ASCII);
        assertSameObservations("POST /form?list=0 HTTP/1.1\r\nHost: app.example\r\nContent-Type: application/x-www-form-urlencoded\r\n" +
            "Content-Length: " + body.length + "\r\nConnection: close\r\n\r\n", body);
    }

    @Test
    public void chunkedUploadHasNoLength() throws Exception
    {
        byte[] body = "5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        assertSameObservations("PUT /upload HTTP/1.1\r\nHost: app.example\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n", body);
    }

    @Test
    public void multipartPartsAreParsedByTheHostedContainer() throws Exception
    {
        String boundary = "XyZ";
        byte[] body = ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"field\"\r\n\r\nvalue\r\n" +
            "--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.txt\"\r\nContent-Type: text/plain\r\n\r\nfile content\r\n" +
            "--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII);
        assertSameObservations("POST /parts HTTP/1.1\r\nHost: app.example\r\nContent-Type: multipart/form-data; boundary=" + boundary +
            "\r\nContent-Length: " + body.length + "\r\nConnection: close\r\n\r\n", body);
    }

    @Test
    public void statusAndHeadersChosenByTheServletComeBack() throws Exception
    {
        assertSameObservations("GET /missing?status=404&setHeader=X-Answer:42&setHeader=Cache-Control:no-store HTTP/1.1\r\nHost: app.example\r\nConnection: close\r\n\r\n", null);
    }

    @Test
    public void headRequestHasNoBody() throws Exception
    {
        RawHttp.Response response = RawHttp.exchange(port(bridged), "HEAD /head HTTP/1.1\r\nHost: app.example\r\nConnection: close\r\n\r\n", null);
        assertEquals(200, response.status());
        assertEquals(0, response.body().length);
        // The hosted echo also dumps the vars, so its length is compared with its own GET, not with the direct one; the
        // method name is echoed twice (as "method" and as the REQUEST_METHOD var), one char longer each time.
        RawHttp.Response get = RawHttp.exchange(port(bridged), "GET /head HTTP/1.1\r\nHost: app.example\r\nConnection: close\r\n\r\n", null);
        assertEquals(String.valueOf(get.body().length + 2), response.header("Content-Length"));
    }

    private static void assertSameObservations(String head, byte[] body) throws Exception
    {
        RawHttp.Response expected = RawHttp.exchange(port(direct), head, body);
        RawHttp.Response actual = RawHttp.exchange(port(bridged), head, body);
        assertEquals(expected.status(), actual.status(), "status");
        assertEquals(headers(expected), headers(actual), "response headers");
        Map<String, Object> expectedEcho = echo(expected);
        Map<String, Object> actualEcho = echo(actual);
        assertEquals(expectedEcho, actualEcho, "echo of " + head.lines().findFirst().orElseThrow());
    }

    /** The response headers both sides control; Date is the clock's, and the length follows the echoed body. */
    private static List<String> headers(RawHttp.Response response)
    {
        List<String> headers = new ArrayList<>();
        for (String[] header : response.headers())
        {
            String name = header[0].toLowerCase();
            if (!name.equals("date") && !name.equals("content-length"))
                headers.add(name + ": " + header[1]);
        }
        headers.sort(null);
        return headers;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> echo(RawHttp.Response response)
    {
        assertTrue(response.text().startsWith("{"), "an echo object: " + response.text());
        Map<String, Object> echo = new HashMap<>((Map<String, Object>)lists(new JSON().fromJSON(response.text())));
        TRANSPORT_MEMBERS.forEach(echo::remove);
        // The hosted request carries the connector's vars attribute; nothing else may differ.
        // An environ is a map: CGI has no header order, so headers compare as a sorted list.
        List<Object> headers = new ArrayList<>((List<?>)echo.remove("headers"));
        headers.sort(Comparator.comparing(Object::toString));
        echo.put("headers", headers);
        List<Object> names = new ArrayList<>((List<?>)echo.remove("attributeNames"));
        names.remove("io.github.jettyuwsgi.uwsgi.vars");
        echo.put("attributeNames", names);
        return echo;
    }

    /** JSON arrays arrive as Object[], which compare by identity; lists compare by content. */
    @SuppressWarnings("unchecked")
    private static Object lists(Object json)
    {
        if (json instanceof Object[] array)
            return Arrays.stream(array).map(EchoRoundTripTest::lists).toList();
        if (json instanceof Map<?, ?> map)
        {
            Map<String, Object> copy = new HashMap<>();
            ((Map<String, Object>)map).forEach((k, v) -> copy.put(k, lists(v)));
            return copy;
        }
        return json;
    }

    private static int port(Server server)
    {
        return ((ServerConnector)server.getConnectors()[0]).getLocalPort();
    }
}

package io.github.jettyuwsgi.it.listeners;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import io.github.jettyuwsgi.it.Exchange;
import io.github.jettyuwsgi.it.FreePorts;
import io.github.jettyuwsgi.it.FrontendEcho;
import io.github.jettyuwsgi.it.LauncherProcess;
import io.github.jettyuwsgi.it.LoopbackAlias;
import io.github.jettyuwsgi.it.NginxProcess;
import org.eclipse.jetty.util.ajax.JSON;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * <p>The listeners a uWSGI operator configures besides {@code socket}, on one launcher serving the echo WAR:
 * {@code http} (uWSGI's router key), {@code https-socket} with a certificate and key OpenSSL makes for the test, and
 * {@code fastcgi-socket} over TCP and a Unix socket behind real nginx {@code fastcgi_pass} with
 * {@code fastcgi_keep_conn on} and an upstream keepalive pool. The echo WAR must see the same request on each as on
 * {@code http-socket}, apart from what the route implies (scheme and port; over FastCGI, Jetty's {@code fcgi/1.0}
 * protocol and the params as request attributes), with the frontend's client address over FastCGI as over uwsgi; nginx
 * must reuse its FastCGI connections, and the stats document must list every listener.</p>
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ListenersIT
{
    private static final String HOST = "test.local:8080";
    /** What differs by listener whatever the request: the connection's ends, and what the scheme and port imply. */
    private static final Set<String> ROUTE_MEMBERS = Set.of("scheme", "secure", "requestURL", "serverPort", "serverName");

    private Path workDir;
    private Path socketDirectory;
    private LauncherProcess launcher;
    private NginxProcess nginx;
    private int httpSocket;
    private int httpKey;
    private int https;
    private int fastcgiPort;
    private int statsPort;
    private HttpClient plain;
    private HttpClient tls;

    @BeforeAll
    void start() throws Exception
    {
        workDir = Path.of(System.getProperty("it.work.dir")).resolve("listeners");
        Files.createDirectories(workDir);
        openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "key.pem", "-out", "cert.pem", "-days", "2",
            "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1");
        socketDirectory = Files.createTempDirectory(Path.of("/tmp"), "listeners-it");
        Path fastcgiSocket = socketDirectory.resolve("fcgi.sock");
        int[] ports = FreePorts.allocate(7);
        httpSocket = ports[0];
        httpKey = ports[1];
        https = ports[2];
        fastcgiPort = ports[3];
        statsPort = ports[6];
        launcher = LauncherProcess.builder(Path.of(System.getProperty("it.launcher.jar")))
            .httpSocket(httpSocket)
            .option("--http", FreePorts.LOOPBACK + ":" + httpKey)
            .option("--https-socket", FreePorts.LOOPBACK + ":" + https + "," + workDir.resolve("cert.pem") + "," + workDir.resolve("key.pem"))
            .option("--fastcgi-socket", FreePorts.LOOPBACK + ":" + ports[3])
            .option("--fastcgi-socket", fastcgiSocket.toString())
            .option("--stats", FreePorts.LOOPBACK + ":" + ports[6])
            .mount("/echo", Path.of(System.getProperty("it.echo.war")))
            .logFile(workDir.resolve("launcher.log"))
            .start();
        nginx = NginxProcess.builder(workDir.resolve("nginx"))
            .template("/listeners/nginx-fastcgi.conf.template")
            .include("fastcgi_params", "/listeners/fastcgi_params")
            .set("LAUNCHER_FASTCGI_PORT", ports[3])
            .set("LAUNCHER_FASTCGI_UNIX_SOCKET", fastcgiSocket)
            .listen("NGINX_FASTCGI_TCP_PORT", ports[4])
            .listen("NGINX_FASTCGI_UNIX_PORT", ports[5])
            .start();
        plain = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(30)).build();
        tls = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(30)).sslContext(trusting(workDir.resolve("cert.pem"))).build();
    }

    @AfterAll
    void stop() throws IOException
    {
        try
        {
            if (nginx != null)
                nginx.close();
        }
        finally
        {
            if (launcher != null)
                launcher.close();
            if (socketDirectory != null)
            {
                Files.deleteIfExists(socketDirectory.resolve("fcgi.sock"));
                Files.deleteIfExists(socketDirectory);
            }
        }
    }

    private void openssl(String... arguments) throws Exception
    {
        List<String> command = new ArrayList<>(List.of("openssl"));
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, process.waitFor(), () -> String.join(" ", command) + "\n" + output);
    }

    private static SSLContext trusting(Path certificate) throws Exception
    {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(certificate))
        {
            trust.setCertificateEntry("test", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, factory.getTrustManagers(), null);
        return context;
    }

    private Map<String, Object> echo(HttpClient client, String base, String method, String target, String formBody) throws Exception
    {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + target))
            .header("Host", HOST)
            .header("X-Custom", "one")
            .timeout(Duration.ofSeconds(30));
        if (formBody != null)
            request.header("Content-Type", "application/x-www-form-urlencoded").method(method, HttpRequest.BodyPublishers.ofString(formBody));
        else
            request.method(method, HttpRequest.BodyPublishers.noBody());
        HttpResponse<byte[]> response = client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        Exchange exchange = new Exchange(null, method, response.statusCode(), response.headers().map(), response.body());
        assertEquals(200, response.statusCode(), () -> base + target + ": " + exchange.abbreviated() + "\n" + launcher.describeLog() + "\n" + nginx.describeLog());
        return exchange.echo();
    }

    private static Map<String, Object> comparable(String route, Map<String, Object> echo)
    {
        Map<String, Object> comparable = new LinkedHashMap<>(FrontendEcho.comparable(route, false, echo, FrontendEcho::headersByName));
        comparable.keySet().removeAll(ROUTE_MEMBERS);
        return comparable;
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"GET", "POST"})
    void everyListenerServesTheSameRequestAsTheHttpSocket(String method) throws Exception
    {
        String target = "/echo/hello/world?x=1&y=two";
        String form = "POST".equals(method) ? "a=1&b=caf%C3%A9" : null;
        Map<String, Object> reference = echo(plain, "http://127.0.0.1:" + httpSocket, method, target, form);
        Map<String, Object> expected = comparable("http-socket", reference);

        Map<String, Object> overHttpKey = echo(plain, "http://127.0.0.1:" + httpKey, method, target, form);
        assertEquals("", FrontendEcho.differences(expected, comparable("http", overHttpKey)), "http = ADDR against http-socket");

        Map<String, Object> overHttps = echo(tls, "https://127.0.0.1:" + https, method, target, form);
        assertEquals("", FrontendEcho.differences(expected, comparable("https-socket", overHttps)), "https-socket against http-socket");
        assertEquals(true, overHttps.get("secure"), "https-socket: isSecure");
        assertEquals("https", overHttps.get("scheme"), "https-socket: scheme");

        for (String name : List.of("NGINX_FASTCGI_TCP_PORT", "NGINX_FASTCGI_UNIX_PORT"))
        {
            Map<String, Object> overFastcgi = echo(plain, "http://127.0.0.1:" + nginx.port(name), method, target, form);
            Map<String, Object> actual = comparable(name, overFastcgi);
            assertEquals(false, overFastcgi.get("secure"), name + ": isSecure");
            // Jetty's FastCGI server, as documented in docs/frontends.md#listeners: the servlet's protocol is the
            // connection's, and every param is also a request attribute (as the uwsgi vars are one attribute).
            assertEquals("fcgi/1.0", actual.remove("protocol"), name + ": getProtocol()");
            // The client address is the frontend's REMOTE_ADDR, over a Unix socket too (FastCgiClientAddress):
            // compared with http-socket's as every other member; fastcgiSeesTheClientAddress tells it from nginx's.
            List<?> attributes = (List<?>)actual.remove("attributeNames");
            assertTrue(attributes.containsAll(List.of("REQUEST_METHOD", "DOCUMENT_URI", "QUERY_STRING", "REMOTE_ADDR")), name + ": params as attributes " + attributes);
            // nginx passes the client's headers as HTTP_* params, from which Jetty's FastCGI server rebuilds them;
            // Connection is hop-by-hop and reaches no backend the same way.
            Map<String, Object> expectedHeaders = new LinkedHashMap<>(expected);
            expectedHeaders.remove("protocol");
            expectedHeaders.remove("attributeNames");
            expectedHeaders.put("headers", withoutConnection(expected.get("headers")));
            actual.put("headers", withoutConnection(actual.get("headers")));
            assertEquals("", FrontendEcho.differences(expectedHeaders, actual), name + " (nginx fastcgi_pass) against http-socket");
        }
    }

    @SuppressWarnings("unchecked")
    private static Object withoutConnection(Object headers)
    {
        Map<String, List<String>> copy = new LinkedHashMap<>((Map<String, List<String>>)headers);
        copy.remove("connection");
        return copy;
    }

    /**
     * With {@code fastcgi_keep_conn on} and an upstream keepalive pool, nginx sends one request after the other over
     * the same FastCGI connection, and Jetty's FastCGI server keeps it open: the stats document's count of connections
     * the FastCGI socket accepted grows by at most one for five requests.
     */
    @Test
    void nginxKeepsItsFastcgiConnectionOpen() throws Exception
    {
        String name = "NGINX_FASTCGI_TCP_PORT";
        long before = (Long)stats().get("fastcgi 127.0.0.1:" + fastcgiPort).get("connections");
        for (int i = 1; i <= 5; i++)
            echo(plain, "http://127.0.0.1:" + nginx.port(name), "GET", "/echo/keep?n=" + i, null);
        long accepted = (Long)stats().get("fastcgi 127.0.0.1:" + fastcgiPort).get("connections") - before;
        assertTrue(accepted <= 1, name + ": " + accepted + " FastCGI connections for 5 requests (expected: at most 1, kept open)");
        nginx.assertAlive();
        launcher.assertAlive();
    }

    /**
     * Over {@code fastcgi-socket} the application sees the frontend's client, as over uwsgi: a client that connects
     * to nginx from 127.0.0.2 (Linux routes all of 127/8 to loopback) is 127.0.0.2 and its own port to the servlet,
     * while nginx itself reaches the launcher from 127.0.0.1, or over a Unix socket.
     */
    @Test
    void fastcgiSeesTheClientAddress() throws Exception
    {
        for (String name : List.of("NGINX_FASTCGI_TCP_PORT", "NGINX_FASTCGI_UNIX_PORT"))
        {
            LoopbackAlias.Reply reply = LoopbackAlias.exchange("127.0.0.2", nginx.port(name), "GET /echo/client HTTP/1.0\r\nHost: test.local\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            String response = reply.utf8();
            assertTrue(response.startsWith("HTTP/1.1 200"), response);
            assertFalse(response.contains("at java.") || response.contains("at org."), response);
            Map<?, ?> echo = (Map<?, ?>)new JSON().fromJSON(response.substring(response.indexOf("\r\n\r\n") + 4));
            assertEquals("127.0.0.2", echo.get("remoteAddr"), name + ": " + echo);
            assertEquals((long)reply.clientPort(), echo.get("remotePort"), name + ": " + echo);
        }
    }

    /**
     * The stats document lists every listener with uWSGI's protocol name and its address.
     */
    @Test
    void statsListEveryListener() throws Exception
    {
        Map<String, Map<String, Object>> sockets = stats();
        for (String socket : List.of("http 127.0.0.1:" + httpSocket, "http 127.0.0.1:" + httpKey, "https 127.0.0.1:" + https,
            "fastcgi 127.0.0.1:" + fastcgiPort, "fastcgi " + socketDirectory.resolve("fcgi.sock")))
        {
            assertTrue(sockets.containsKey(socket), socket + " in " + sockets.keySet());
            assertTrue(sockets.get(socket).get("connections") instanceof Long, sockets.get(socket)::toString);
        }
        assertEquals(5, sockets.size(), sockets::toString);
    }

    /**
     * @return the launcher's stats document's sockets, by "PROTO NAME"
     */
    @SuppressWarnings("unchecked")
    private Map<String, Map<String, Object>> stats() throws IOException
    {
        try (Socket socket = new Socket(FreePorts.LOOPBACK, statsPort))
        {
            socket.setSoTimeout(30_000);
            Map<String, Object> document = (Map<String, Object>)new JSON().fromJSON(new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
            Map<String, Map<String, Object>> sockets = new LinkedHashMap<>();
            for (Object entry : (Object[])document.get("sockets"))
            {
                Map<String, Object> listener = (Map<String, Object>)entry;
                sockets.put(listener.get("proto") + " " + listener.get("name"), listener);
            }
            return sockets;
        }
    }
}

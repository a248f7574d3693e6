package io.github.jettyuwsgi.it.listeners;

import java.io.IOException;
import java.io.InputStream;
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
import io.github.jettyuwsgi.it.NginxProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * <p>The listeners a uWSGI operator configures besides {@code socket}, on one launcher serving the echo WAR:
 * {@code http} (uWSGI's router key), {@code https-socket} with a certificate and key OpenSSL makes for the test, and
 * {@code fastcgi-socket} over TCP and a Unix socket behind real nginx {@code fastcgi_pass} with
 * {@code fastcgi_keep_conn on} and an upstream keepalive pool. The echo WAR must see the same request on each as on
 * {@code http-socket}, apart from what the route implies (scheme and port; over FastCGI, Jetty's {@code fcgi/1.0}
 * protocol and the params as request attributes), and nginx must reuse its FastCGI connections.</p>
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
        launcher = LauncherProcess.builder(Path.of(System.getProperty("it.launcher.jar")))
            .httpSocket(httpSocket)
            .option("--http", FreePorts.LOOPBACK + ":" + httpKey)
            .option("--https-socket", FreePorts.LOOPBACK + ":" + https + "," + workDir.resolve("cert.pem") + "," + workDir.resolve("key.pem"))
            .option("--fastcgi-socket", FreePorts.LOOPBACK + ":" + ports[3])
            .option("--fastcgi-socket", fastcgiSocket.toString())
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
            // The client address is the socket's: nginx's over TCP (loopback here too), none over a Unix socket.
            if (name.contains("UNIX"))
            {
                assertEquals("", actual.remove("remoteAddr"), name + ": getRemoteAddr() over a Unix socket");
                actual.put("remoteAddr", expected.get("remoteAddr"));
            }
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
     * the same FastCGI connection, and Jetty's FastCGI server keeps it open: the servlet sees the same remote port.
     */
    @Test
    void nginxKeepsItsFastcgiConnectionOpen() throws Exception
    {
        for (String name : List.of("NGINX_FASTCGI_TCP_PORT"))
        {
            Object first = echo(plain, "http://127.0.0.1:" + nginx.port(name), "GET", "/echo/keep?n=1", null).get("remotePort");
            for (int i = 2; i <= 5; i++)
            {
                Object next = echo(plain, "http://127.0.0.1:" + nginx.port(name), "GET", "/echo/keep?n=" + i, null).get("remotePort");
                assertEquals(first, next, name + ": request " + i + " came over another FastCGI connection");
            }
        }
        nginx.assertAlive();
        launcher.assertAlive();
    }
}

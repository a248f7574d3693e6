package io.github.jettyuwsgi.it.trust;

import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.github.jettyuwsgi.it.FreePorts;
import io.github.jettyuwsgi.it.LauncherProcess;
import io.github.jettyuwsgi.it.LoopbackAlias;
import io.github.jettyuwsgi.it.NginxProcess;
import io.github.jettyuwsgi.uwsgi.codec.UwsgiGenerator;
import io.github.jettyuwsgi.uwsgi.codec.UwsgiVars;
import org.eclipse.jetty.util.ajax.JSON;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Frontend trust end to end (docs/reliability.md#frontend-trust): a launcher with {@code --frontend-secret} and
 * {@code --allow-frontend 127.0.0.1/32} behind real nginx that sends the secret with {@code uwsgi_param}. Requests
 * through nginx pass and never show the secret; a raw uwsgi client without it (or with a wrong one) and a connection
 * from 127.0.0.2 (Linux routes all of 127/8 to loopback) have no effect on the session counter WAR; the stats document
 * counts them. A launcher asked to bind a uwsgi socket to all interfaces with none of the three options refuses to
 * start with exit status 2 and the reason.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class FrontendTrustIT
{
    private static final String NAME = "UWSGI_FRONTEND_SECRET";
    private static final String FORBIDDEN = "HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";

    private final String value = HexFormat.of().formatHex(new SecureRandom().generateSeed(16));
    private Path workDir;
    private LauncherProcess launcher;
    private NginxProcess nginx;
    private int uwsgiPort;
    private int statsPort;
    private HttpClient client;
    private final List<String> bodies = new ArrayList<>();

    @BeforeAll
    void start() throws Exception
    {
        workDir = Files.createDirectories(Path.of(System.getProperty("it.work.dir")).resolve("frontend-trust"));
        int[] ports = FreePorts.allocate(4);
        uwsgiPort = ports[0];
        statsPort = ports[1];
        launcher = LauncherProcess.builder(Path.of(System.getProperty("it.launcher.jar")))
            .uwsgiSocket(uwsgiPort)
            .option("--frontend-secret", NAME + "=" + value)
            .option("--allow-frontend", "127.0.0.1/32")
            .option("--stats", FreePorts.LOOPBACK + ":" + statsPort)
            .mount("/echo", Path.of(System.getProperty("it.echo.war")))
            .mount("/counter", Path.of(System.getProperty("it.session-counter.war")))
            .logFile(workDir.resolve("launcher.log"))
            .start();
        nginx = NginxProcess.builder(workDir.resolve("nginx"))
            .template("/trust/nginx-secret.conf.template")
            .include("uwsgi_params", "/nginx/uwsgi_params")
            .set("LAUNCHER_UWSGI_PORT", uwsgiPort)
            .set("SECRET_NAME", NAME)
            .set("SECRET_VALUE", value)
            .listen("NGINX_PORT", ports[2])
            .listen("NGINX_NO_SECRET_PORT", ports[3])
            .start();
        client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(30)).build();
    }

    @AfterAll
    void stop()
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
        }
        for (String body : bodies)
        {
            assertFalse(body.contains("at java.") || body.contains("at org."), () -> "a stack trace in a response: " + body);
        }
    }

    private HttpResponse<String> throughNginx(String portName, String method, String target, String cookie) throws Exception
    {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + nginx.port(portName) + target))
            .timeout(Duration.ofSeconds(30)).method(method, HttpRequest.BodyPublishers.noBody());
        if (cookie != null)
            request.header("Cookie", cookie);
        HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        bodies.add(response.body());
        return response;
    }

    private static byte[] countPacket(String cookie, String... extra)
    {
        UwsgiVars vars = UwsgiVars.of("REQUEST_METHOD", "POST", "REQUEST_URI", "/counter/count", "PATH_INFO", "/counter/count",
            "SERVER_PROTOCOL", "HTTP/1.1", "REMOTE_ADDR", "203.0.113.9", "REMOTE_PORT", "40001", "SERVER_NAME", "test.local",
            "SERVER_PORT", "80", "HTTP_HOST", "test.local", "HTTP_COOKIE", cookie, "CONTENT_LENGTH", "0");
        for (int i = 0; i < extra.length; i += 2)
            vars.add(extra[i], extra[i + 1]);
        ByteBuffer buffer = UwsgiGenerator.generateRequest(0, 0, vars);
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        return bytes;
    }

    /**
     * @return everything the launcher sent back before it closed; a reset counts as closed
     */
    private String raw(String sourceHost, byte[] packet) throws IOException
    {
        String text = LoopbackAlias.exchange(sourceHost, uwsgiPort, packet).text();
        bodies.add(text);
        return text;
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> uwsgiSocketStats() throws IOException
    {
        try (Socket socket = new Socket(FreePorts.LOOPBACK, statsPort))
        {
            socket.setSoTimeout(30_000);
            Map<String, Object> document = (Map<String, Object>)new JSON().fromJSON(new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
            for (Object entry : (Object[])document.get("sockets"))
            {
                Map<String, Object> socketStats = (Map<String, Object>)entry;
                if (("127.0.0.1:" + uwsgiPort).equals(socketStats.get("name")))
                    return socketStats;
            }
            throw new AssertionError("no socket 127.0.0.1:" + uwsgiPort + " in " + document);
        }
    }

    @Test
    void onlyNginxWithTheSecretHasAnEffect() throws Exception
    {
        HttpResponse<String> first = throughNginx("NGINX_PORT", "POST", "/counter/count", null);
        assertEquals(200, first.statusCode(), () -> first.body() + launcher.describeLog() + nginx.describeLog());
        assertEquals("count=1 user=-", first.body().trim());
        String cookie = first.headers().firstValue("Set-Cookie").orElseThrow().split(";")[0];
        Map<String, Object> before = uwsgiSocketStats();

        // a raw uwsgi client that can reach the port, but has no secret, a wrong one, or a second copy
        assertEquals(FORBIDDEN, raw("127.0.0.1", countPacket(cookie)));
        assertEquals(FORBIDDEN, raw("127.0.0.1", countPacket(cookie, NAME, value.substring(1) + "0")));
        assertEquals(FORBIDDEN, raw("127.0.0.1", countPacket(cookie, NAME, value, NAME, "forged")));
        // the right secret from an address outside the allow list: closed before anything is read
        assertEquals("", raw("127.0.0.2", countPacket(cookie, NAME, value)));
        // nginx without the uwsgi_param: the 403 reaches the client, the application is not called
        HttpResponse<String> misconfigured = throughNginx("NGINX_NO_SECRET_PORT", "POST", "/counter/count", cookie);
        assertEquals(403, misconfigured.statusCode(), misconfigured::body);

        HttpResponse<String> after = throughNginx("NGINX_PORT", "GET", "/counter/show", cookie);
        assertEquals(200, after.statusCode(), after::body);
        assertEquals("count=1 user=-", after.body().trim(), "the refused requests must not have counted");
        // and the one that is allowed does count
        assertEquals("count=2 user=-", throughNginx("NGINX_PORT", "POST", "/counter/count", cookie).body().trim());

        Map<String, Object> stats = uwsgiSocketStats();
        assertEquals(4L, (Long)stats.get("refused_packets") - (Long)before.get("refused_packets"), stats::toString);
        assertEquals(1L, (Long)stats.get("refused_frontends") - (Long)before.get("refused_frontends"), stats::toString);
        String log = launcher.readLog();
        assertTrue(log.contains("uwsgi: refused connection from 127.0.0.2:"), launcher::describeLog);
        assertTrue(log.contains("uwsgi: refused packet from 127.0.0.1:"), launcher::describeLog);
    }

    @Test
    void theApplicationNeverSeesTheSecret() throws Exception
    {
        HttpResponse<String> echo = throughNginx("NGINX_PORT", "GET", "/echo/show?x=1", null);
        assertEquals(200, echo.statusCode(), echo::body);
        // the echo WAR dumps headers, attributes and the uwsgi vars attribute
        assertTrue(echo.body().contains("REQUEST_METHOD"), echo::body);
        assertFalse(echo.body().contains(NAME) || echo.body().contains(value), echo::body);
        assertFalse(launcher.readLog().contains(value), "the secret's value in the launcher's log");
    }

    @Test
    void aNonLoopbackSocketWithoutTrustRefusesToStart() throws Exception
    {
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", System.getProperty("it.launcher.jar"),
            "--socket", ":" + FreePorts.allocate(1)[0], "--war", System.getProperty("it.echo.war"));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS));
        assertEquals(2, process.exitValue(), output);
        assertTrue(output.contains("listens on all interfaces without frontend trust"), output);
        for (String fix : List.of("--frontend-secret NAME=VALUE", "--allow-frontend CIDR", "--insecure-frontend"))
            assertTrue(output.contains(fix), output);
        assertFalse(output.contains("at java.") || output.contains("at org."), output);
    }
}

package io.github.jettyuwsgi.launcher.dist;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.eclipse.jetty.util.ajax.JSON;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The stats server of the real launcher jar: {@code --stats 127.0.0.1:0} as uwsgitop reads it (connect, read to the
 * end), the same after a SIGHUP reload, and {@code --stats-http} as an HTTP client (the Prometheus exporter) reads it.
 */
class StatsServerIT
{
    @TempDir
    Path work;

    @Test
    void testRawStatsFollowRequestsAndReloads() throws Exception
    {
        try (LauncherRun launcher = LauncherRun.start(work, "--socket", "127.0.0.1:0", "--http-socket", "127.0.0.1:0", "--stats", "127.0.0.1:0",
            "--threads", "12", "--mount", "/legacy=" + LauncherRun.war(FeaturesWarChecks.LEGACY_WAR)))
        {
            int stats = launcher.boundPort("stats");
            int uwsgi = launcher.boundPort("uwsgi");
            int http = launcher.boundPort("http");
            for (int i = 0; i < 3; i++)
            {
                assertEquals(200, UwsgiPacket.get("/legacy/hello").sendTo(uwsgi).getStatus());
            }
            HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
            assertEquals(404, client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http + "/nowhere")).build(), HttpResponse.BodyHandlers.ofString()).statusCode());

            Map<String, Object> document = readRaw(stats);
            assertEquals(launcher.pid(), number(document, "pid"));
            assertEquals(work.toRealPath().toString(), document.get("cwd"));
            List<String> sockets = new ArrayList<>();
            for (Object socket : array(document.get("sockets")))
            {
                sockets.add(object(socket).get("proto") + " " + object(socket).get("name"));
            }
            assertEquals(List.of("uwsgi 127.0.0.1:" + uwsgi, "http 127.0.0.1:" + http), sockets);

            Map<String, Object> worker = object(array(document.get("workers"))[0]);
            assertEquals(launcher.pid(), number(worker, "pid"));
            // the uwsgi requests are counted once each closes; the HTTP one may still be open (keep-alive)
            assertTrue(number(worker, "requests") >= 4, worker::toString);
            assertTrue(number(worker, "avg_rt") > 0, worker::toString);
            assertTrue(number(worker, "tx") > 0, worker::toString);
            assertTrue(number(worker, "rss") > 0, worker::toString);
            assertEquals(12, array(worker.get("cores")).length);
            Map<String, Object> app = object(array(worker.get("apps"))[0]);
            assertEquals("/legacy", app.get("mountpoint"));
            assertEquals(3, number(app, "requests"));

            launcher.signal("HUP");
            launcher.awaitLog("graceful reload (SIGHUP) done");
            assertEquals(200, UwsgiPacket.get("/legacy/hello").sendTo(uwsgi).getStatus());

            Map<String, Object> afterReload = object(array(readRaw(stats).get("workers"))[0]);
            Map<String, Object> reloadedApp = object(array(afterReload.get("apps"))[0]);
            assertEquals("/legacy", reloadedApp.get("mountpoint"));
            assertEquals(1, number(reloadedApp, "requests"), "the new deployment counts from zero");
            assertTrue(number(afterReload, "requests") >= 5, "the worker counts on across a reload");
        }
    }

    @Test
    void testStatsHttp() throws Exception
    {
        try (LauncherRun launcher = LauncherRun.start(work, "--socket", "127.0.0.1:0", "--stats", "127.0.0.1:0", "--stats-http",
            "--mount", "/legacy=" + LauncherRun.war(FeaturesWarChecks.LEGACY_WAR)))
        {
            assertTrue(launcher.log().contains("stats socket bound: 127.0.0.1:" + launcher.boundPort("stats") + " (HTTP)"), launcher::describe);
            HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
            HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + launcher.boundPort("stats") + "/")).build(),
                HttpResponse.BodyHandlers.ofString());

            assertEquals(200, response.statusCode());
            assertEquals("application/json", response.headers().firstValue("Content-Type").orElse(null));
            Map<String, Object> document = object(new JSON().fromJSON(response.body()));
            assertEquals(launcher.pid(), number(document, "pid"));
            assertEquals("/legacy", object(array(object(array(document.get("workers"))[0]).get("apps"))[0]).get("mountpoint"));
        }
    }

    /**
     * @return the document as uwsgitop reads it: connect, send nothing, read until the server closes
     */
    static Map<String, Object> readRaw(int port) throws IOException
    {
        try (Socket socket = new Socket("127.0.0.1", port))
        {
            socket.setSoTimeout(30_000);
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream document = new ByteArrayOutputStream();
            in.transferTo(document);
            return object(new JSON().fromJSON(document.toString(StandardCharsets.UTF_8)));
        }
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> object(Object value)
    {
        assertTrue(value instanceof Map, () -> "expected a JSON object: " + value);
        return (Map<String, Object>)value;
    }

    static Object[] array(Object value)
    {
        assertTrue(value instanceof Object[], () -> "expected a JSON array: " + value);
        return (Object[])value;
    }

    static long number(Map<String, Object> object, String key)
    {
        Object value = object.get(key);
        assertTrue(value instanceof Long, () -> key + ": expected an integer, got " + value);
        return (Long)value;
    }
}

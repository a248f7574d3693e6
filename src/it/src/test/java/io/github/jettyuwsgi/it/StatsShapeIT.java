package io.github.jettyuwsgi.it;

import java.io.ByteArrayOutputStream;
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
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.eclipse.jetty.util.ajax.JSON;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The launcher's stats document against real uWSGI 2.0.21's (Debian {@code uwsgi-core}): every key of uWSGI's
 * document is in ours, at the same place, with the same JSON type, and ours has no key uWSGI's lacks. uWSGI runs
 * without an application (there is no Python here), so its {@code apps} list is empty; the shape of an app comes from
 * {@value #CAPTURED}, the document of uWSGI 2.0.21 serving a Python application (2 workers, 2 threads each).
 *
 * <p>The documented exceptions ({@code docs/configuration.md}, section Stats): {@code locks} is empty in ours,
 * since its entries are uWSGI's own shared-memory locks, which Jetty does not have; each socket has counters of ours
 * beside uWSGI's keys ({@link #EXTRA_IN_OURS}).</p>
 */
class StatsShapeIT
{
    static final String CAPTURED = "/uwsgi/stats-2.0.21-python-app.json";
    /** Lists that may be empty in ours where uWSGI's has elements, and why. */
    private static final Map<String, String> EMPTY_IN_OURS = Map.of("locks", "uWSGI's shared-memory locks; Jetty has none");
    /** Keys of ours beside uWSGI's (its readers ignore keys they do not know), and why. */
    private static final Map<String, String> EXTRA_IN_OURS = Map.of(
        "sockets[].connections", "connections the listener accepted",
        "sockets[].open_connections", "connections the listener has open",
        "sockets[].refused_frontends", "connections closed by allow-frontend",
        "sockets[].refused_packets", "packets answered 403 by frontend-secret",
        "sockets[].socket_timeouts", "connections closed by socket-timeout, which uWSGI does not count");

    @Test
    void testSameKeysAndTypesAsUwsgi() throws Exception
    {
        ItSettings settings = ItSettings.fromSystemProperties();
        Path workDir = Files.createDirectories(settings.workDir().resolve("stats-shape"));
        int[] ports = FreePorts.allocate(6);
        List<String> uwsgiCommand = List.of(FrontendProcess.findExecutable("uwsgi", "uwsgi-core").toString(),
            "--master", "--die-on-term", "--workers", "1", "--threads", "2",
            "--http-socket", FreePorts.LOOPBACK + ":" + ports[0], "--socket", FreePorts.LOOPBACK + ":" + ports[1],
            "--stats", FreePorts.LOOPBACK + ":" + ports[2]);
        try (ManagedProcess uwsgi = new ManagedProcess("uwsgi-stats", uwsgiCommand, workDir, workDir.resolve("uwsgi.log"));
             LauncherProcess launcher = LauncherProcess.builder(settings.launcherJar())
                 .uwsgiSocket(ports[3])
                 .httpSocket(ports[5])
                 .mount(NginxLauncherRig.ECHO, settings.echoWar())
                 .option("--threads", "8")
                 .option("--stats", FreePorts.LOOPBACK + ":" + ports[4])
                 .logFile(workDir.resolve("launcher.log"))
                 .start())
        {
            uwsgi.awaitReady("stats socket accepting", () -> FreePorts.accepts(ports[2]), Duration.ofSeconds(30));
            HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
            HttpResponse<String> echo = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + launcher.httpPort() + NginxLauncherRig.ECHO + "/x")).build(),
                HttpResponse.BodyHandlers.ofString());
            assertEquals(200, echo.statusCode(), echo::body);

            Object live = read(ports[2]);
            Object ours = read(ports[4]);
            Object captured;
            try (InputStream in = StatsShapeIT.class.getResourceAsStream(CAPTURED))
            {
                captured = new JSON().fromJSON(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }

            List<String> problems = new ArrayList<>();
            compare("", live, ours, problems);
            compare("", captured, ours, problems);
            assertEquals(List.of(), problems, () -> "uWSGI: " + live + "\nours: " + ours + "\n" + uwsgi.describeLog());
            // the comparison above saw apps and cores on both sides
            assertTrue(((Object[])((Map<?, ?>)((Object[])((Map<?, ?>)ours).get("workers"))[0]).get("apps")).length > 0);
        }
    }

    private static Object read(int port) throws IOException
    {
        try (Socket socket = new Socket(FreePorts.LOOPBACK, port))
        {
            socket.setSoTimeout(30_000);
            ByteArrayOutputStream document = new ByteArrayOutputStream();
            socket.getInputStream().transferTo(document);
            return new JSON().fromJSON(document.toString(StandardCharsets.UTF_8));
        }
    }

    /**
     * Compares the shape of uWSGI's value with ours: same JSON type; for objects, the same keys; for lists, each of our
     * elements against uWSGI's first one.
     */
    static void compare(String path, Object uwsgi, Object ours, List<String> problems)
    {
        String expected = typeOf(uwsgi);
        String actual = typeOf(ours);
        if (!expected.equals(actual))
        {
            problems.add(path + ": " + actual + " " + ours + " (expected: " + expected + " as uWSGI's " + uwsgi + ")");
            return;
        }
        if (uwsgi instanceof Map<?, ?> uwsgiObject)
        {
            Map<?, ?> ourObject = (Map<?, ?>)ours;
            for (Map.Entry<?, ?> entry : uwsgiObject.entrySet())
            {
                String key = path.isEmpty() ? String.valueOf(entry.getKey()) : path + "." + entry.getKey();
                if (!ourObject.containsKey(entry.getKey()))
                    problems.add(key + ": missing (expected: a " + typeOf(entry.getValue()) + ")");
                else
                    compare(key, entry.getValue(), ourObject.get(entry.getKey()), problems);
            }
            for (Object key : ourObject.keySet())
            {
                if (!uwsgiObject.containsKey(key) && !EXTRA_IN_OURS.containsKey((path.isEmpty() ? "" : path + ".") + key))
                    problems.add((path.isEmpty() ? "" : path + ".") + key + ": not in uWSGI's document");
            }
        }
        else if (uwsgi instanceof Object[] uwsgiList && uwsgiList.length > 0)
        {
            Object[] ourList = (Object[])ours;
            if (ourList.length == 0 && !EMPTY_IN_OURS.containsKey(path))
                problems.add(path + ": empty (expected: elements like " + uwsgiList[0] + ")");
            if (!EMPTY_IN_OURS.containsKey(path))
            {
                for (Object element : ourList)
                {
                    compare(path + "[]", uwsgiList[0], element, problems);
                }
            }
        }
    }

    private static String typeOf(Object value)
    {
        if (value instanceof Map)
            return "object";
        if (value instanceof Object[])
            return "array";
        if (value instanceof String)
            return "string";
        if (value instanceof Long)
            return "integer";
        if (value instanceof Number)
            return "fraction";
        if (value instanceof Boolean)
            return "boolean";
        return value == null ? "null" : value.getClass().getSimpleName();
    }
}

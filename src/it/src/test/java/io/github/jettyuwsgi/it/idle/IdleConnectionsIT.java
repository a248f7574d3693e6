package io.github.jettyuwsgi.it.idle;

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
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import io.github.jettyuwsgi.it.FreePorts;
import io.github.jettyuwsgi.it.ItSettings;
import io.github.jettyuwsgi.it.NginxLauncherRig;
import io.github.jettyuwsgi.it.NginxLauncherRig.Route;
import org.eclipse.jetty.util.ajax.JSON;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A crowd of idle connections against one launcher behind real nginx: {@value #IDLE} connections opened straight to
 * its uwsgi TCP socket, most sending nothing and some half a packet head, while clients keep requesting the echo WAR
 * through nginx over the uwsgi Unix socket. With {@code socket-timeout = 1}, the server closes every idle connection
 * after it, the stats document counts them on their socket, and nginx's requests are all served, during and after.
 */
class IdleConnectionsIT
{
    private static final int IDLE = 1000;
    private static final int HALF_HEAD_EVERY = 10;
    /** What the test process and the launcher need open beside the idle connections: jars, nginx's connections, logs. */
    private static final int FD_MARGIN = 500;
    private static final int LOAD_CLIENTS = 4;

    @Test
    void testIdleConnectionsAreClosedAfterTheSocketTimeoutWhileServiceContinues() throws Exception
    {
        assertFdLimitAtLeast("self", IDLE + FD_MARGIN);
        ItSettings settings = ItSettings.fromSystemProperties();
        Path workDir = Files.createDirectories(settings.workDir().resolve("idle-connections"));
        int statsPort = FreePorts.allocate(1)[0];
        try (NginxLauncherRig rig = NginxLauncherRig.start(settings, "idle-connections", launcher -> launcher
            .option("--socket-timeout", "1")
            .option("--stats", FreePorts.LOOPBACK + ":" + statsPort)
            // deploying two WARs takes minutes on a machine shared by many builds
            .startTimeout(Duration.ofMinutes(5))))
        {
            // the JVM raises its soft limit to the hard one at start (HotSpot's MaxFDLimit): nothing to raise by hand
            assertFdLimitAtLeast(String.valueOf(rig.launcher().pid()), IDLE + FD_MARGIN);
            Load load = new Load(rig.baseUri(Route.NGINX_UWSGI_UNIX).resolve(NginxLauncherRig.ECHO + "/idle"));
            load.start();
            List<Socket> idle = new ArrayList<>();
            try
            {
                long servedBefore = load.awaitServed(50);
                for (int i = 0; i < IDLE; i++)
                {
                    Socket socket = new Socket(FreePorts.LOOPBACK, rig.launcher().uwsgiPort());
                    socket.setSoTimeout(60_000);
                    idle.add(socket);
                    if (i % HALF_HEAD_EVERY == 0)
                        socket.getOutputStream().write(new byte[]{0, 100});
                }
                // while the crowd is open, and after it is gone, nginx's requests keep being served
                load.awaitServed(servedBefore + 50);
                for (Socket socket : idle)
                {
                    InputStream in = socket.getInputStream();
                    assertEquals(-1, in.read(), "an idle connection got an answer");
                }
                long servedAfter = load.awaitServed(load.served() + 50);
                assertTrue(servedAfter > servedBefore, "service continued");
            }
            finally
            {
                for (Socket socket : idle)
                    socket.close();
                load.stop();
            }
            load.assertNoneFailed(rig::describeLogs);

            Map<String, Long> timeouts = socketTimeouts(statsPort);
            assertEquals((long)IDLE, timeouts.get(FreePorts.LOOPBACK + ":" + rig.launcher().uwsgiPort()), () -> timeouts + "\n" + rig.describeLogs());
            long all = timeouts.values().stream().mapToLong(Long::longValue).sum();
            assertEquals((long)IDLE, all, () -> "nginx's connections timed out too: " + timeouts);
            // the log says so, without one line per connection
            String log = rig.launcher().readLog();
            long lines = log.lines().filter(line -> line.contains("socket-timeout (1000 ms)")).count();
            assertTrue(lines > 0 && lines < IDLE / 10, lines + " socket-timeout log lines for " + IDLE + " connections");
            rig.assertAlive();
        }
    }

    /**
     * @return name of each uwsgi socket to its {@code socket_timeouts}, from the stats document
     */
    private static Map<String, Long> socketTimeouts(int statsPort) throws IOException
    {
        String json;
        try (Socket socket = new Socket(FreePorts.LOOPBACK, statsPort))
        {
            socket.setSoTimeout(30_000);
            json = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
        Map<?, ?> document = (Map<?, ?>)new JSON().fromJSON(json);
        Map<String, Long> timeouts = new java.util.TreeMap<>();
        for (Object element : (Object[])document.get("sockets"))
        {
            Map<?, ?> socket = (Map<?, ?>)element;
            if ("uwsgi".equals(socket.get("proto")))
                timeouts.put((String)socket.get("name"), (Long)socket.get("socket_timeouts"));
        }
        return timeouts;
    }

    private static void assertFdLimitAtLeast(String pid, int needed) throws IOException
    {
        Path limits = Path.of("/proc", pid, "limits");
        for (String line : Files.readAllLines(limits))
        {
            if (line.startsWith("Max open files"))
            {
                long soft = Long.parseLong(line.substring("Max open files".length()).trim().split("\\s+")[0]);
                assertTrue(soft >= needed, pid + ": open files limit " + soft + " (expected: at least " + needed + "; raise the hard limit, ulimit -Hn)");
                return;
            }
        }
    }

    /**
     * Clients that request through nginx one after another until stopped, each answer checked.
     */
    private static final class Load
    {
        private final URI uri;
        private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final AtomicLong served = new AtomicLong();
        private final AtomicLong failed = new AtomicLong();
        private final ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        private final List<Thread> threads = new ArrayList<>();

        Load(URI uri)
        {
            this.uri = uri;
        }

        void start()
        {
            for (int i = 0; i < LOAD_CLIENTS; i++)
            {
                Thread thread = new Thread(this::run, "idle-load-" + i);
                threads.add(thread);
                thread.start();
            }
        }

        private void run()
        {
            HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).build();
            while (running.get())
            {
                try
                {
                    HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
                    boolean stackTrace = response.body().contains("at java.") || response.body().contains("at org.");
                    if (response.statusCode() == 200 && !stackTrace)
                        served.incrementAndGet();
                    else
                        fail(response.statusCode() + ": " + response.body());
                }
                catch (IOException x)
                {
                    fail(x.toString());
                }
                catch (InterruptedException x)
                {
                    return;
                }
            }
        }

        private void fail(String what)
        {
            failed.incrementAndGet();
            if (failures.size() < 20)
                failures.add(what);
        }

        long served()
        {
            return served.get();
        }

        /**
         * @return the count of answers, once it has reached {@code count}
         */
        long awaitServed(long count) throws InterruptedException
        {
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (served.get() < count && System.nanoTime() < deadline)
                Thread.sleep(10);
            assertTrue(served.get() >= count, "served " + served.get() + " (expected: " + count + "), failed " + failed.get() + ": " + failures);
            return served.get();
        }

        void stop() throws InterruptedException
        {
            running.set(false);
            for (Thread thread : threads)
                thread.join(30_000);
        }

        void assertNoneFailed(java.util.function.Supplier<String> logs)
        {
            assertEquals(0, failed.get(), () -> failed.get() + " failed of " + (served.get() + failed.get()) + ": " + failures + "\n" + logs.get());
        }
    }
}

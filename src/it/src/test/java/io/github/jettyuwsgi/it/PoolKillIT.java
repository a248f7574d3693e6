package io.github.jettyuwsgi.it;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

import io.github.jettyuwsgi.it.soak.MixedLoad;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * <p>{@code kill -9} of one launcher of a pool of two behind real nginx ({@code uwsgi_next_upstream error timeout},
 * Unix sockets), under load: only the requests in flight on the killed launcher may fail, none that starts after the
 * kill (plus {@value #GRACE_MILLIS} ms); the count of failed requests is reported (docs/reliability.md).</p>
 */
public class PoolKillIT
{
    private static final int CLIENTS = 8;
    /** How long after the kill a request may still have started before it: the kill is not instantaneous. */
    private static final long GRACE_MILLIS = 200;
    private static final int REQUESTS_BEFORE_THE_KILL = 200;

    /** One request: when it started and ended (ms since the load began), and how it ended. */
    record Outcome(long startMillis, long endMillis, int status, String failure)
    {
        boolean failed()
        {
            return status != 200 || failure != null;
        }
    }

    @Test
    public void testOnlyRequestsInFlightOnTheKilledLauncherMayFail() throws Exception
    {
        ItSettings settings = ItSettings.fromSystemProperties();
        Path workDir = settings.workDir().resolve("pool-kill");
        SocketDirectory socketA = SocketDirectory.create(workDir.resolve("a"));
        SocketDirectory socketB = SocketDirectory.create(workDir.resolve("b"));
        try (LauncherProcess a = launcher(settings, socketA, workDir.resolve("a/launcher.log"));
             LauncherProcess b = launcher(settings, socketB, workDir.resolve("b/launcher.log"));
             NginxProcess nginx = NginxProcess.builder(workDir.resolve("nginx"))
                 .template("/nginx/pool.conf.template")
                 .include("uwsgi_params", "/nginx/uwsgi_params")
                 .set("SOCKET_A", socketA.socket())
                 .set("SOCKET_B", socketB.socket())
                 .listen("NGINX_PORT", FreePorts.allocate(1)[0])
                 .start())
        {
            URI uri = URI.create("http://" + FreePorts.LOOPBACK + ":" + nginx.port("NGINX_PORT") + NginxLauncherRig.ECHO + "/pool?pad=2048");
            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();
            ConcurrentLinkedQueue<Outcome> outcomes = new ConcurrentLinkedQueue<>();
            long begin = System.nanoTime();
            List<Thread> clients = new ArrayList<>();
            AtomicLong stopAt = new AtomicLong(Long.MAX_VALUE);
            for (int i = 0; i < CLIENTS; i++)
            {
                Thread thread = new Thread(() ->
                {
                    while (millisSince(begin) < stopAt.get())
                    {
                        long start = millisSince(begin);
                        try
                        {
                            HttpResponse<String> response = client.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
                            String failure = MixedLoad.hasStackTrace(response.body()) ? "a stack trace in the body" : null;
                            outcomes.add(new Outcome(start, millisSince(begin), response.statusCode(), failure));
                        }
                        catch (Exception x)
                        {
                            outcomes.add(new Outcome(start, millisSince(begin), -1, x.toString()));
                        }
                    }
                }, "pool-client-" + i);
                thread.setDaemon(true);
                clients.add(thread);
                thread.start();
            }
            // the load under way on both launchers (round-robin) before the kill; the first requests are slow (JIT)
            long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
            while (outcomes.size() < REQUESTS_BEFORE_THE_KILL && System.nanoTime() < deadline)
            {
                Thread.sleep(50);
            }
            long killedAt = millisSince(begin);
            ProcessHandle.of(b.pid()).ifPresent(ProcessHandle::destroyForcibly);
            assertTrue(b.waitFor(Duration.ofSeconds(30)), "b still alive after SIGKILL");
            long killed = millisSince(begin);
            // long enough for nginx to try b again after its fail_timeout and be refused again
            stopAt.set(killed + 15_000);
            for (Thread thread : clients)
            {
                thread.join(60_000);
            }
            a.assertAlive();

            List<Outcome> failed = outcomes.stream().filter(Outcome::failed).toList();
            List<Outcome> after = failed.stream().filter(outcome -> outcome.startMillis() > killed + GRACE_MILLIS).toList();
            long before = outcomes.stream().filter(outcome -> outcome.startMillis() < killedAt).count();
            System.out.printf("PoolKillIT: %d requests (%d before the kill at %d ms, SIGKILL done at %d ms), %d failed, %d of them started after the kill: %s%n",
                outcomes.size(), before, killedAt, killed, failed.size(), after.size(), failed);
            assertTrue(before >= REQUESTS_BEFORE_THE_KILL, "requests before the kill: " + before);
            assertTrue(outcomes.size() - before > 20, "requests after the kill: " + (outcomes.size() - before));
            assertEquals(List.of(), after, "failed requests that started after the kill\n" + nginx.describeLog());
            assertTrue(failed.stream().allMatch(outcome -> outcome.startMillis() <= killed + GRACE_MILLIS && outcome.endMillis() >= killedAt),
                "a failure that was not in flight at the kill: " + failed);
        }
        finally
        {
            socketA.delete();
            socketB.delete();
        }
    }

    private static LauncherProcess launcher(ItSettings settings, SocketDirectory socket, Path log)
    {
        return LauncherProcess.builder(settings.launcherJar())
            .uwsgiUnixSocket(socket.socket())
            .mount(NginxLauncherRig.ECHO, settings.echoWar())
            .startTimeout(Duration.ofSeconds(180))
            .logFile(log)
            .start();
    }

    private static long millisSince(long begin)
    {
        return (System.nanoTime() - begin) / 1_000_000;
    }
}

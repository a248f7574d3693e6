package io.github.jettyuwsgi.it;

import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Graceful reload under steady load through a real nginx: five SIGHUPs and one {@code touch-reload}, each redeploying
 * the WAR while the listening sockets stay open, and not one request failing, as seen by the client behind nginx; and
 * a graceful stop (SIGTERM) that lets the requests in flight through nginx finish.
 */
class LifecycleReloadIT
{
    private static final int CLIENTS = 4;
    private static final Duration RELOAD_TIMEOUT = Duration.ofSeconds(90);

    @Test
    void testReloadsUnderLoadFailNoRequest() throws Exception
    {
        ItSettings settings = ItSettings.fromSystemProperties();
        Path workDir = Files.createDirectories(settings.workDir().resolve("lifecycle-reload"));
        Path touchFile = Files.writeString(workDir.resolve("reload.touch"), "");
        try (NginxLauncherRig rig = NginxLauncherRig.start(settings, "lifecycle-reload", launcher -> launcher.option("--touch-reload", touchFile.toString())))
        {
            LauncherProcess launcher = rig.launcher();
            Load load = new Load(List.of(
                URI.create(rig.baseUri(NginxLauncherRig.Route.NGINX_UWSGI_TCP) + NginxLauncherRig.ECHO + "/reload"),
                URI.create(rig.baseUri(NginxLauncherRig.Route.NGINX_UWSGI_UNIX) + NginxLauncherRig.ECHO + "/reload")));
            load.start();
            try
            {
                Thread.sleep(1000);
                for (int reload = 1; reload <= 5; reload++)
                {
                    Process kill = new ProcessBuilder("kill", "-HUP", Long.toString(launcher.pid())).inheritIO().start();
                    assertEquals(0, kill.waitFor(), "kill -HUP");
                    awaitReloads(launcher, "SIGHUP", reload);
                    launcher.assertAlive();
                }
                // a modification time that surely differs from the one the launcher recorded at start
                Files.setLastModifiedTime(touchFile, FileTime.fromMillis(System.currentTimeMillis() + 5000));
                awaitReloads(launcher, "touch-reload " + touchFile, 1);
                Thread.sleep(500);
            }
            finally
            {
                load.stop(Duration.ofSeconds(60));
            }

            load.assertNoneFailed(rig::describeLogs);
            assertTrue(load.ok() >= 200, () -> "too little load to mean anything: " + load.ok() + " requests\n" + launcher.describeLog());
            System.out.println("LifecycleReloadIT: " + load.ok() + " requests through nginx, 6 reloads, 0 failed");
        }
    }

    @Test
    void testSigtermLetsRequestsInFlightThroughNginxFinish() throws Exception
    {
        ItSettings settings = ItSettings.fromSystemProperties();
        int statsPort = FreePorts.allocate(1)[0];
        try (NginxLauncherRig rig = NginxLauncherRig.start(settings, "lifecycle-sigterm", launcher -> launcher.option("--stats", FreePorts.LOOPBACK + ":" + statsPort)))
        {
            // async requests that answer 2 s after they arrive: in flight, without a thread, when SIGTERM comes
            HttpClient http = HttpTransfers.http11Client();
            List<CompletableFuture<HttpResponse<String>>> inFlight = new ArrayList<>();
            LauncherProcess launcher = rig.launcher();
            for (NginxLauncherRig.Route route : List.of(NginxLauncherRig.Route.NGINX_UWSGI_TCP, NginxLauncherRig.Route.NGINX_UWSGI_UNIX, NginxLauncherRig.Route.NGINX_UWSGI_TCP, NginxLauncherRig.Route.NGINX_UWSGI_UNIX))
            {
                URI uri = URI.create(rig.baseUri(route) + NginxLauncherRig.STREAM + "/async?delay=2000");
                inFlight.add(http.sendAsync(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString()));
            }
            launcher.awaitReady("4 requests in flight at the launcher", () -> requestsInFlight(statsPort) == 4, Duration.ofSeconds(10));

            Process kill = new ProcessBuilder("kill", "-TERM", Long.toString(launcher.pid())).inheritIO().start();
            assertEquals(0, kill.waitFor(), "kill -TERM");

            for (CompletableFuture<HttpResponse<String>> request : inFlight)
            {
                HttpResponse<String> response = request.get(30, TimeUnit.SECONDS);
                assertEquals(200, response.statusCode(), () -> response.body() + launcher.describeLog());
                assertEquals("async ok after 2000 ms", response.body().strip());
            }
            assertTrue(launcher.waitFor(Duration.ofSeconds(20)), () -> "launcher still running after SIGTERM\n" + launcher.describeLog());
        }
    }

    /**
     * @return how many requests the launcher is in now, from its stats document (uWSGI's cores in a request)
     */
    private static int requestsInFlight(int statsPort)
    {
        try (Socket socket = new Socket(FreePorts.LOOPBACK, statsPort))
        {
            String document = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            Matcher busy = Pattern.compile("\"in_request\":1\\b").matcher(document);
            int count = 0;
            while (busy.find())
                count++;
            return count;
        }
        catch (IOException x)
        {
            return -1;
        }
    }

    private static void awaitReloads(LauncherProcess launcher, String why, int count)
    {
        Pattern done = Pattern.compile("graceful reload \\(" + Pattern.quote(why) + "\\) done");
        launcher.awaitReady(count + " reload(s) by " + why, () ->
        {
            Matcher matcher = done.matcher(launcher.readLog());
            int found = 0;
            while (matcher.find())
                found++;
            return found >= count;
        }, RELOAD_TIMEOUT);
    }

    /**
     * Clients that each send one request after another, round robin over the URIs, and count every answer that is
     * not a 200 with the echo's body, and every exception, as a failure.
     */
    private static final class Load extends LoadClients
    {
        private final List<URI> uris;
        private final List<HttpClient> clients = Stream.generate(HttpTransfers::http11Client).limit(CLIENTS).toList();
        /** Per client, each element used by its own thread only. */
        private final long[] sent = new long[CLIENTS];

        private Load(List<URI> uris)
        {
            super("load", CLIENTS);
            this.uris = uris;
        }

        @Override
        protected void sendOne(int client) throws InterruptedException
        {
            URI uri = uris.get((int)(sent[client]++ % uris.size()));
            try
            {
                HttpResponse<String> response = clients.get(client).send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200)
                    succeeded();
                else
                    failed(uri + " -> " + response.statusCode() + " " + response.body().lines().findFirst().orElse(""));
            }
            catch (IOException x)
            {
                failed(uri + " -> " + x);
            }
        }
    }
}

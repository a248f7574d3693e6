package io.github.jettyuwsgi.it;

import java.io.IOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import io.github.jettyuwsgi.it.postgres.PostgresCluster;
import io.github.jettyuwsgi.it.postgres.PostgresExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * <p>Three launchers that subscribe ({@code --subscribe-to}) to a real uWSGI HTTP router (template
 * {@value SubscriptionIT#ROUTER_TEMPLATE}), which picks an instance for every request and never sticks a client to
 * one, and the session-counter WAR: one client counts 1..30 across all three instances with its session in a real
 * PostgreSQL ({@link PostgresCluster}), and again with its session in files of one directory the three share. The
 * negative control runs the same fleet with sessions in memory and sees counts lost.</p>
 */
public class UwsgiRouterFleetIT
{
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final List<String> INSTANCES = List.of("a", "b", "c");
    private static final String COUNTER = "/counter";

    @RegisterExtension
    static final PostgresExtension POSTGRES = new PostgresExtension();

    private static Path file(String property)
    {
        Path path = Path.of(System.getProperty(property, "")).toAbsolutePath();
        if (!Files.isRegularFile(path))
            throw new IllegalStateException(property + " is not a file: " + path + " (expected: copied to src/it/target/it-wars by 'mvn verify' in src/it)");
        return path;
    }

    @Test
    public void aJdbcStoreCountsOneToThirtyOverThreeSubscribedInstances() throws Exception
    {
        List<String> store = List.of("--session-store", POSTGRES.cluster().jdbcUrl(), "--session-driver-classpath", file("it.postgresql.jar").toString(),
            "--session-table", "router_sessions");
        try (RouterFleet fleet = RouterFleet.start("router-fleet-jdbc", store))
        {
            assertCountsOneToThirtyOnEveryInstance(fleet);
        }
    }

    @Test
    public void aFileStoreOnASharedDirectoryCountsOneToThirtyOverThreeSubscribedInstances() throws Exception
    {
        Path workDir = ItSettings.fromSystemProperties().workDir().resolve("router-fleet-file");
        // no session files of an earlier run
        NginxProcess.deleteRecursively(workDir);
        Path shared = Files.createDirectories(workDir.resolve("sessions"));
        try (RouterFleet fleet = RouterFleet.start("router-fleet-file", List.of("--session-store", "file:" + shared)))
        {
            assertCountsOneToThirtyOnEveryInstance(fleet);
            try (var files = Files.list(shared))
            {
                assertEquals(1, files.filter(path -> !path.getFileName().toString().startsWith(".")).count(), "one file for the one session");
            }
        }
    }

    /**
     * The control: the router sends the client to instances that do not know its session, and the count starts again.
     */
    @Test
    public void withoutASharedStoreCountsAreLost() throws Exception
    {
        try (RouterFleet fleet = RouterFleet.start("router-fleet-memory", List.of()))
        {
            User user = new User(fleet.counterUri());
            List<Integer> counts = new ArrayList<>();
            for (int i = 1; i <= 30; i++)
            {
                Answer answer = user.count();
                assertEquals(200, answer.status(), answer.toString());
                counts.add(answer.count());
            }
            assertNotEquals(30, counts.get(29), "counts with sessions in memory: " + counts);
        }
    }

    private static void assertCountsOneToThirtyOnEveryInstance(RouterFleet fleet) throws Exception
    {
        User user = new User(fleet.counterUri());
        Set<String> instances = new HashSet<>();
        for (int expected = 1; expected <= 30; expected++)
        {
            Answer answer = user.count();
            assertEquals(200, answer.status(), answer + "\n" + fleet.describeLogs());
            assertEquals(expected, answer.count(), answer + "\n" + fleet.describeLogs());
            instances.add(answer.instance());
        }
        assertEquals(Set.copyOf(INSTANCES), instances, "instances that served the client");
    }

    /**
     * One answer of the counter: status, the session's count and the instance that served it.
     */
    record Answer(int status, int count, String instance, String body)
    {
    }

    /**
     * One user: a client that keeps its session cookie, as a browser does.
     */
    static final class User
    {
        private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).cookieHandler(new CookieManager())
            .connectTimeout(Duration.ofSeconds(5)).build();
        private final URI counter;

        User(URI counter)
        {
            this.counter = counter;
        }

        Answer count() throws IOException, InterruptedException
        {
            HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create(counter + "/count")).timeout(TIMEOUT)
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            return new Answer(response.statusCode(), Integer.parseInt(response.headers().firstValue("X-Count").orElse("-1")),
                response.headers().firstValue("X-Instance").orElse("-"), response.body());
        }
    }

    /**
     * The router and three launchers subscribed to it for the key {@code 127.0.0.1:PORT}, the Host header a client of
     * the router's port sends; each launcher is named by its {@code INSTANCE_NAME}.
     */
    private static final class RouterFleet implements AutoCloseable
    {
        private final FrontendProcess router;
        private final Map<String, LauncherProcess> launchers = new LinkedHashMap<>();

        private RouterFleet(FrontendProcess router)
        {
            this.router = router;
        }

        static RouterFleet start(String name, List<String> options) throws IOException
        {
            ItSettings settings = ItSettings.fromSystemProperties();
            Path workDir = Files.createDirectories(settings.workDir().resolve(name));
            int[] ports = FreePorts.allocate(2 + INSTANCES.size());
            FrontendProcess router = FrontendProcess.builder("uwsgi-router-" + name, workDir.resolve("router"))
                .template("subscription-router.ini", SubscriptionIT.ROUTER_TEMPLATE)
                .command(FrontendProcess.findExecutable("uwsgi", "uwsgi-core"), "--ini", "{{ROOT}}/conf/subscription-router.ini")
                .listen("ROUTER_HTTP_PORT", ports[0])
                .set("SUBSCRIPTION_PORT", ports[1])
                .start();
            RouterFleet fleet = new RouterFleet(router);
            try
            {
                String key = FreePorts.LOOPBACK + ":" + router.port("ROUTER_HTTP_PORT");
                Map<String, CompletableFuture<LauncherProcess>> starting = new LinkedHashMap<>();
                for (int i = 0; i < INSTANCES.size(); i++)
                {
                    String instance = INSTANCES.get(i);
                    LauncherProcess.Builder builder = LauncherProcess.builder(settings.launcherJar())
                        .uwsgiSocket(ports[2 + i])
                        .mount(COUNTER, file("it.session-counter.war"))
                        .option("--env", "INSTANCE_NAME=" + instance)
                        .option("--subscribe-to", FreePorts.LOOPBACK + ":" + ports[1] + ":" + key)
                        .logFile(workDir.resolve(instance + ".log"))
                        // three JVMs start at once on a machine that may be busy with other builds
                        .startTimeout(Duration.ofSeconds(180));
                    for (int o = 0; o < options.size(); o += 2)
                    {
                        builder.option(options.get(o), options.get(o + 1));
                    }
                    starting.put(instance, CompletableFuture.supplyAsync(builder::start));
                }
                RuntimeException failure = null;
                for (Map.Entry<String, CompletableFuture<LauncherProcess>> each : starting.entrySet())
                {
                    try
                    {
                        fleet.launchers.put(each.getKey(), each.getValue().join());
                    }
                    catch (RuntimeException x)
                    {
                        failure = failure == null ? x : failure;
                    }
                }
                if (failure != null)
                    throw failure;
                for (LauncherProcess launcher : fleet.launchers.values())
                {
                    String line = key + " => new node: " + FreePorts.LOOPBACK + ":" + launcher.uwsgiPort();
                    router.awaitReady("'" + line + "' in the router's log", () -> router.logContains(line), TIMEOUT);
                }
                return fleet;
            }
            catch (RuntimeException x)
            {
                fleet.close();
                throw x;
            }
        }

        URI counterUri()
        {
            return URI.create("http://" + FreePorts.LOOPBACK + ":" + router.port("ROUTER_HTTP_PORT") + COUNTER);
        }

        String describeLogs()
        {
            StringBuilder logs = new StringBuilder();
            launchers.values().forEach(launcher -> logs.append(launcher.describeLog()).append('\n'));
            return logs.append(router.describeLog()).toString();
        }

        @Override
        public void close()
        {
            try
            {
                launchers.values().forEach(LauncherProcess::close);
            }
            finally
            {
                router.close();
            }
        }
    }
}

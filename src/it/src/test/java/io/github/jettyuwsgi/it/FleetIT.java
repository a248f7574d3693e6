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
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicIntegerArray;

import io.github.jettyuwsgi.it.postgres.PostgresCluster;
import io.github.jettyuwsgi.it.postgres.PostgresExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * <p>Three launchers with {@code --session-store jdbc:...} on one real PostgreSQL ({@link PostgresCluster}), behind a
 * real nginx that sends each request round-robin to any of them ({@link Fleet}), and the session-counter WAR: one
 * client's session is the same on every instance, through a crash, a rolling restart and a database outage. The
 * negative control runs the same fleet with sessions in memory and sees counts lost.</p>
 */
public class FleetIT
{
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @RegisterExtension
    static final PostgresExtension POSTGRES = new PostgresExtension();

    private static Path file(String property)
    {
        Path path = Path.of(System.getProperty(property, "")).toAbsolutePath();
        if (!Files.isRegularFile(path))
            throw new IllegalStateException(property + " is not a file: " + path + " (expected: copied to src/it/target/it-wars by 'mvn verify' in src/it)");
        return path;
    }

    private static Fleet startFleet(String name, boolean sharedSessions)
    {
        List<String> options = sharedSessions ? List.of("--session-store", POSTGRES.cluster().jdbcUrl(), "--session-driver-classpath", file("it.postgresql.jar").toString(),
            "--session-table", "fleet_sessions") : List.of();
        return Fleet.start(ItSettings.fromSystemProperties(), file("it.session-counter.war"), name, options);
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

        User(Fleet fleet)
        {
            counter = fleet.counterUri();
        }

        Answer post(String path) throws IOException, InterruptedException
        {
            HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create(counter + path)).timeout(TIMEOUT)
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            return new Answer(response.statusCode(), Integer.parseInt(response.headers().firstValue("X-Count").orElse("-1")),
                response.headers().firstValue("X-Instance").orElse("-"), response.body());
        }

        Answer count() throws IOException, InterruptedException
        {
            return post("/count");
        }

        /**
         * @return the session as it is, unchanged
         */
        Answer show() throws IOException, InterruptedException
        {
            HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create(counter + "/show")).timeout(TIMEOUT).GET().build(),
                HttpResponse.BodyHandlers.ofString());
            return new Answer(response.statusCode(), Integer.parseInt(response.headers().firstValue("X-Count").orElse("-1")),
                response.headers().firstValue("X-Instance").orElse("-"), response.body());
        }
    }

    @Test
    public void oneClientCountsOneToThirtyOnAllThreeInstances() throws Exception
    {
        try (Fleet fleet = startFleet("fleet-count", true))
        {
            User user = new User(fleet);
            assertEquals("alice", user.post("/login?user=alice").body().trim().split("user=")[1]);
            Set<String> instances = new HashSet<>();
            for (int expected = 1; expected <= 30; expected++)
            {
                Answer answer = user.count();
                assertEquals(200, answer.status(), answer + "\n" + fleet.describeLogs());
                assertEquals(expected, answer.count(), answer + "\n" + fleet.describeLogs());
                assertTrue(answer.body().endsWith("user=alice\n"), answer.toString());
                instances.add(answer.instance());
            }
            assertEquals(Set.copyOf(Fleet.INSTANCES), instances, "instances that served the client");
        }
    }

    /**
     * The control: the same fleet with every instance's sessions in its own memory. Round-robin sends the client to
     * an instance that does not know its session, and the count starts again: the test above can fail.
     */
    @Test
    public void withoutASharedStoreCountsAreLost() throws Exception
    {
        try (Fleet fleet = startFleet("fleet-memory", false))
        {
            User user = new User(fleet);
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

    @Test
    public void aKilledInstanceLeavesNoGapAndServesTheSameSessionsAfterItsRestart() throws Exception
    {
        try (Fleet fleet = startFleet("fleet-kill", true))
        {
            User user = new User(fleet);
            List<Answer> answers = new ArrayList<>();
            int expected = 0;
            for (int round = 0; round < 3; round++)
            {
                if (round == 1)
                    fleet.kill(Fleet.B);
                if (round == 2)
                    fleet.start(Fleet.B);
                // enough requests for nginx to come back to b after its fail_timeout
                long until = System.nanoTime() + Duration.ofSeconds(3).toNanos();
                while (System.nanoTime() < until || answers.size() < 15 * (round + 1))
                {
                    Answer answer = user.count();
                    answers.add(answer);
                    assertEquals(200, answer.status(), answer + "\n" + fleet.describeLogs());
                    assertEquals(++expected, answer.count(), answer + "\n" + fleet.describeLogs());
                    if (round == 1)
                        assertNotEquals(Fleet.B, answer.instance(), "served by the killed instance: " + answer);
                }
                if (round == 2)
                    assertTrue(answers.stream().skip(answers.size() - 10).anyMatch(answer -> answer.instance().equals(Fleet.B)),
                        "the restarted instance serves the session again: " + answers.subList(answers.size() - 10, answers.size()));
            }
        }
    }

    @Test
    public void aRollingRestartUnderLoadFailsNoRequestAndLosesNoIncrement() throws Exception
    {
        try (Fleet fleet = startFleet("fleet-rolling", true))
        {
            Counting load = new Counting(fleet, 4);
            load.start();
            long restart;
            try
            {
                fleet.launcher(Fleet.A).awaitReady("some requests before the restart", () -> load.ok() >= 100, TIMEOUT);
                long begin = System.nanoTime();
                for (String instance : Fleet.INSTANCES)
                {
                    fleet.stop(instance);
                    fleet.start(instance);
                }
                restart = Duration.ofNanos(System.nanoTime() - begin).toMillis();
                long target = load.ok() + 100;
                fleet.launcher(Fleet.A).awaitReady("some requests after the restart", () -> load.ok() >= target, TIMEOUT);
            }
            finally
            {
                load.stop(TIMEOUT);
            }
            load.assertNoneFailed(fleet::describeLogs);
            for (int client = 0; client < load.users.size(); client++)
            {
                Answer shown = load.users.get(client).show();
                assertEquals(load.counted.get(client), shown.count(), "client " + client + ": increments answered 200 vs the count in its session");
            }
            System.out.println("FleetIT: rolling restart of 3 instances (SIGTERM, start, ready; one after the other) took " + restart + " ms under 4 clients; " +
                load.ok() + " requests, 0 failed, 0 increments lost");
        }
    }

    @Test
    public void aDatabaseDownForFiveSecondsGives503sAndLosesNoSession() throws Exception
    {
        try (Fleet fleet = startFleet("fleet-outage", true))
        {
            User user = new User(fleet);
            int expected = 0;
            for (int i = 0; i < 10; i++)
            {
                assertEquals(++expected, user.count().count());
            }
            POSTGRES.cluster().stop();
            List<Answer> during = new ArrayList<>();
            try
            {
                long until = System.nanoTime() + Duration.ofSeconds(5).toNanos();
                while (System.nanoTime() < until)
                {
                    during.add(user.count());
                    Thread.sleep(50);
                }
            }
            finally
            {
                POSTGRES.cluster().start();
            }
            assertFalse(during.isEmpty());
            for (Answer answer : during)
            {
                assertEquals(503, answer.status(), answer + "\n" + fleet.describeLogs());
                assertFalse(answer.body().contains("Exception"), answer.body());
            }
            // service comes back by itself, with the session as it was before the outage
            for (int i = 0; i < 10; i++)
            {
                Answer answer = user.count();
                assertEquals(200, answer.status(), answer + "\n" + fleet.describeLogs());
                assertEquals(++expected, answer.count(), answer.toString());
            }
            assertTrue(Fleet.INSTANCES.stream().anyMatch(instance -> fleet.launcher(instance).logContains("SessionStoreGuard")), fleet::describeLogs);
        }
    }

    /**
     * Clients that each count in a session of their own and check every answer: a failed request, or a count that
     * is not the previous one + 1, is a failure.
     */
    private static final class Counting extends LoadClients
    {
        private final List<User> users = new ArrayList<>();
        private final AtomicIntegerArray counted;

        Counting(Fleet fleet, int clients)
        {
            super("fleet-client", clients);
            counted = new AtomicIntegerArray(clients);
            for (int i = 0; i < clients; i++)
            {
                users.add(new User(fleet));
            }
        }

        @Override
        protected void sendOne(int client) throws InterruptedException
        {
            int expected = counted.get(client) + 1;
            try
            {
                Answer answer = users.get(client).count();
                if (answer.status() == 200 && answer.count() == expected)
                {
                    counted.incrementAndGet(client);
                    succeeded();
                }
                else
                {
                    failed("client " + client + ": expected count " + expected + ", got " + answer);
                    if (answer.status() == 200)
                        counted.set(client, answer.count());
                }
            }
            catch (IOException x)
            {
                failed("client " + client + ": " + x);
            }
        }
    }
}

package io.github.jettyuwsgi.launcher.stats;

import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.github.jettyuwsgi.launcher.deploy.ReloadableApplications;
import io.github.jettyuwsgi.uwsgi.UwsgiConfiguration;
import io.github.jettyuwsgi.uwsgi.UwsgiConnectionFactory;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.ajax.JSON;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static io.github.jettyuwsgi.launcher.stats.StatsTestServer.array;
import static io.github.jettyuwsgi.launcher.stats.StatsTestServer.number;
import static io.github.jettyuwsgi.launcher.stats.StatsTestServer.object;
import static io.github.jettyuwsgi.launcher.stats.StatsTestServer.worker;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The stats document of a real Jetty server serving real requests, read from its real stats socket.
 */
public class StatsServerTest
{
    @Test
    public void testCountsFollowTheRequests() throws Exception
    {
        try (StatsTestServer test = new StatsTestServer("--stats", "127.0.0.1:0"))
        {
            Map<String, Object> before = worker(test.document());
            assertEquals(0, number(before, "requests"));
            assertEquals(0, number(before, "tx"));
            assertEquals(0, number(before, "avg_rt"));

            for (int i = 0; i < 3; i++)
            {
                assertTrue(test.get("/ok").startsWith("HTTP/1.1 200 "));
            }
            assertTrue(test.get("/shop/ok").startsWith("HTTP/1.1 200 "));
            assertTrue(test.get("/shop/fail").startsWith("HTTP/1.1 500 "));
            assertTrue(test.get("/throw").startsWith("HTTP/1.1 500 "));
            test.awaitQuiet();

            Map<String, Object> document = test.document();
            Map<String, Object> worker = worker(document);
            assertEquals(6, number(worker, "requests"));
            assertEquals(6, number(worker, "delta_requests"));
            assertEquals(2, number(worker, "exceptions"));
            assertEquals("idle", worker.get("status"));
            assertTrue(number(worker, "avg_rt") > 0, worker::toString);
            assertTrue(number(worker, "running_time") >= number(worker, "avg_rt"), worker::toString);
            // the response bodies: four written by the application, and two error pages
            long bodies = "hello from /ok\n".length() * 3 + "hello from /shop/ok\n".length();
            assertTrue(number(worker, "tx") > bodies, worker::toString);
            assertEquals(1, number(worker, "accepting"));
            assertEquals(ProcessHandle.current().pid(), number(worker, "pid"));
            assertEquals(ProcessHandle.current().pid(), number(document, "pid"));

            List<String> apps = new ArrayList<>();
            for (Object element : array(worker.get("apps")))
            {
                Map<String, Object> app = object(element);
                apps.add(app.get("mountpoint") + " " + number(app, "requests") + " " + number(app, "exceptions"));
            }
            // "/throw" is in the root context; "/" is uWSGI's default app, whose mountpoint is empty
            assertEquals(List.of(" 4 1", "/shop 2 1", "/slow 0 0"), apps);
        }
    }

    @Test
    public void testBusyWhileARequestRuns() throws Exception
    {
        try (StatsTestServer test = new StatsTestServer("--stats", "127.0.0.1:0"))
        {
            Thread client = new Thread(() ->
            {
                try
                {
                    test.get("/slow/");
                }
                catch (Exception x)
                {
                    throw new IllegalStateException(x);
                }
            });
            client.start();
            assertTrue(test.entered.await(30, TimeUnit.SECONDS));

            Map<String, Object> worker = worker(test.document());
            assertEquals("busy", worker.get("status"));
            Object[] cores = array(worker.get("cores"));
            assertEquals(StatsTestServer.THREADS, cores.length);
            long inRequest = Arrays.stream(cores).mapToLong(core -> number(object(core), "in_request")).sum();
            assertEquals(1, inRequest);

            test.release.countDown();
            client.join(30_000);
            test.awaitQuiet();
            assertEquals("idle", worker(test.document()).get("status"));
        }
    }

    @Test
    public void testHarakiriCount() throws Exception
    {
        try (StatsTestServer test = new StatsTestServer("--stats", "127.0.0.1:0", "--harakiri", "1"))
        {
            assertEquals(0, number(worker(test.document()), "harakiri_count"));

            // the request waits for a release that never comes: harakiri interrupts it after 1 s
            assertTrue(test.get("/slow/").startsWith("HTTP/1.1 504 "));
            test.awaitQuiet();

            Map<String, Object> worker = worker(test.document());
            assertEquals(1, number(worker, "harakiri_count"));
            assertEquals(1, number(worker, "exceptions"), "a 504 is a 5xx");
        }
    }

    @Test
    public void testProcessAndSockets() throws Exception
    {
        try (StatsTestServer test = new StatsTestServer("--stats", "127.0.0.1:0"))
        {
            Map<String, Object> document = test.document();
            assertEquals(Path.of("").toAbsolutePath().toString(), document.get("cwd"));
            assertTrue(((String)document.get("version")).startsWith("jetty-uwsgi"), document::toString);
            Map<String, Object> worker = worker(document);
            if (Files.exists(ProcessMemory.STATUS))
            {
                assertTrue(number(worker, "rss") > 0, worker::toString);
                assertTrue(number(worker, "vsz") >= number(worker, "rss"), worker::toString);
            }

            Object[] sockets = array(document.get("sockets"));
            assertEquals(1, sockets.length, "the stats socket is not one of the server's sockets");
            Map<String, Object> socket = object(sockets[0]);
            assertEquals("127.0.0.1:" + test.http.getLocalPort(), socket.get("name"));
            assertEquals("http", socket.get("proto"));
            assertEquals(0, number(socket, "queue"));
            assertEquals(StatsTestServer.ACCEPT_QUEUE_SIZE, number(socket, "max_queue"), socket::toString);
        }
    }

    @Test
    public void testSocketTimeoutsPerUwsgiSocket() throws Exception
    {
        try (StatsTestServer test = new StatsTestServer("--stats", "127.0.0.1:0"))
        {
            UwsgiConfiguration configuration = new UwsgiConfiguration();
            configuration.setSocketTimeout(200);
            ServerConnector uwsgi = new ServerConnector(test.server, new UwsgiConnectionFactory(new HttpConfiguration(), configuration));
            uwsgi.setHost("127.0.0.1");
            test.server.addConnector(uwsgi);
            uwsgi.start();
            for (int i = 0; i < 3; i++)
            {
                // connects, sends nothing, and waits for the server to close
                try (SocketChannel idle = SocketChannel.open(new InetSocketAddress("127.0.0.1", uwsgi.getLocalPort())))
                {
                    assertEquals(-1, idle.read(ByteBuffer.allocate(1)));
                }
            }

            Map<String, Object> uwsgiSocket = null;
            for (Object socket : array(test.document().get("sockets")))
            {
                Map<String, Object> entry = object(socket);
                if ("uwsgi".equals(entry.get("proto")))
                    uwsgiSocket = entry;
                else
                    assertFalse(entry.containsKey("socket_timeouts"), "socket_timeouts on a socket that does not count them: " + entry);
            }
            assertNotNull(uwsgiSocket, "no uwsgi socket in the document");
            assertEquals(3, number(uwsgiSocket, "socket_timeouts"), uwsgiSocket::toString);
        }
    }

    @Test
    public void testReloadShowsTheNewApplications() throws Exception
    {
        try (StatsTestServer test = new StatsTestServer("--stats", "127.0.0.1:0"))
        {
            int port = test.statsPort();
            test.get("/shop/ok");
            // a lone context: Jetty's collection hands it every request, and it refuses those outside its path
            Handler next = test.applications("/admin");
            test.server.getDescendant(ReloadableApplications.class).replace(next, 5_000);
            test.get("/admin/ok");
            assertTrue(test.get("/nowhere").startsWith("HTTP/1.1 404 "));
            test.awaitQuiet();

            assertEquals(port, test.statsPort(), "the stats socket stays open across a reload");
            Map<String, Object> worker = worker(test.document());
            List<String> apps = new ArrayList<>();
            for (Object element : array(worker.get("apps")))
            {
                apps.add(object(element).get("mountpoint") + " " + number(object(element), "requests"));
            }
            assertEquals(List.of("/admin 1"), apps, "only the current deployment, counting only its own requests");
            assertEquals(3, number(worker, "requests"), "the worker's counts go on across a reload");
        }
    }

    @Test
    public void testStatsHttp() throws Exception
    {
        try (StatsTestServer test = new StatsTestServer("--stats", "127.0.0.1:0", "--stats-http"))
        {
            String response = StatsTestServer.exchange(test.statsPort(), "GET /anything HTTP/1.1\r\nHost: localhost\r\nAccept: */*\r\n\r\n");
            int end = response.indexOf("\r\n\r\n");
            String head = response.substring(0, end);
            String body = response.substring(end + 4);
            assertTrue(head.startsWith("HTTP/1.0 200 OK\r\n"), head);
            assertTrue(head.contains("\r\nContent-Type: application/json\r\n"), head);
            assertTrue(head.contains("\r\nContent-Length: " + body.getBytes(StandardCharsets.UTF_8).length + "\r\n"), head);
            assertTrue(head.contains("\r\nConnection: close"), head);
            assertTrue(object(new JSON().fromJSON(body)).containsKey("workers"), body);

            String headOnly = StatsTestServer.exchange(test.statsPort(), "HEAD / HTTP/1.1\r\nHost: localhost\r\n\r\n");
            assertTrue(headOnly.startsWith("HTTP/1.0 200 OK\r\n") && headOnly.endsWith("\r\n\r\n"), headOnly);

            String post = StatsTestServer.exchange(test.statsPort(), "POST / HTTP/1.1\r\nHost: localhost\r\nContent-Length: 0\r\n\r\n");
            assertTrue(post.startsWith("HTTP/1.0 405 Method Not Allowed\r\n") && post.contains("\r\nAllow: GET, HEAD\r\n"), post);

            String garbage = StatsTestServer.exchange(test.statsPort(), "\u0001\u0002 not http at all\r\n\r\n");
            assertTrue(garbage.startsWith("HTTP/1.0 400 "), garbage);

            String huge = StatsTestServer.exchange(test.statsPort(), "GET / HTTP/1.1\r\nX-Big: " + "a".repeat(HttpStatsConnection.MAX_HEAD_BYTES) + "\r\n\r\n");
            assertTrue(huge.startsWith("HTTP/1.0 431 "), huge);
        }
    }

    @Test
    public void testUnixStatsSocket(@TempDir Path dir) throws Exception
    {
        Path socket = dir.resolve("stats.sock");
        try (StatsTestServer test = new StatsTestServer("--stats", socket.toString(), "--chmod-socket", "600"))
        {
            assertTrue(Files.exists(socket));
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(socket)), "chmod-socket applies, as in uWSGI");
            ByteArrayOutputStream document = new ByteArrayOutputStream();
            try (SocketChannel channel = SocketChannel.open(UnixDomainSocketAddress.of(socket)))
            {
                Channels.newInputStream(channel).transferTo(document);
            }
            Map<String, Object> worker = worker(object(new JSON().fromJSON(document.toString(StandardCharsets.UTF_8))));
            assertEquals(ProcessHandle.current().pid(), number(worker, "pid"));
        }
        assertFalse(Files.exists(socket), "the stats socket file is removed at stop");
    }

    @Test
    public void testNoStatsSocketWithoutTheOption() throws Exception
    {
        try (StatsTestServer test = new StatsTestServer())
        {
            assertTrue(test.server.getContainedBeans(ServerConnector.class).stream()
                .noneMatch(connector -> connector.getConnectionFactory(StatsConnectionFactory.class) != null));
            assertFalse(test.server.getHandler() instanceof RequestStatistics);
            assertTrue(test.server.getDescendants(RequestStatistics.class).isEmpty());
        }
    }
}

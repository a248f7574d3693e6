package io.github.jettyuwsgi.launcher.subscribe;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.github.jettyuwsgi.launcher.options.LauncherOptions;
import io.github.jettyuwsgi.launcher.options.UsageException;
import io.github.jettyuwsgi.launcher.testing.CapturedLog;
import io.github.jettyuwsgi.uwsgi.UwsgiConfiguration;
import io.github.jettyuwsgi.uwsgi.UwsgiConnectionFactory;
import io.github.jettyuwsgi.uwsgi.UwsgiUnixDomainConnector;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The client on a real Jetty server with real sockets, and a UDP socket of the test as the router: what is sent at
 * start, again, and at stop, and in which order with the server's own stop.
 */
public class SubscriptionClientTest
{
    @TempDir
    Path dir;
    private DatagramSocket router;
    private Server server;
    private ServerConnector uwsgi;
    private ServerConnector http;
    private int httpPort;
    /** Made (and warmed up) before the stop: a first client in a cold JVM can take longer than the grace. */
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    @BeforeEach
    public void openRouter() throws IOException
    {
        router = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        router.setSoTimeout(10_000);
    }

    @AfterEach
    public void close() throws Exception
    {
        if (server != null)
            server.stop();
        router.close();
    }

    /**
     * A server as ServerAssembler builds it, reduced to what matters here: uwsgi first, HTTP, a GracefulHandler.
     */
    private Server newServer(String... subscriptionArgs) throws UsageException
    {
        server = new Server();
        uwsgi = new ServerConnector(server, new UwsgiConnectionFactory(new HttpConfiguration(), new UwsgiConfiguration()));
        uwsgi.setHost("127.0.0.1");
        server.addConnector(uwsgi);
        http = new ServerConnector(server, new HttpConnectionFactory());
        http.setHost("127.0.0.1");
        server.addConnector(http);
        server.setHandler(new GracefulHandler(new Handler.Abstract()
        {
            @Override
            public boolean handle(Request request, Response response, Callback callback)
            {
                response.setStatus(200);
                callback.succeeded();
                return true;
            }
        }));
        server.setStopTimeout(5000);
        List<String> args = new ArrayList<>(List.of("--socket", "127.0.0.1:0", "--http-socket", "127.0.0.1:0"));
        args.addAll(List.of(subscriptionArgs));
        SubscriptionClient.attach(server, LauncherOptions.parse(args.toArray(String[]::new)));
        return server;
    }

    private String routerAddress()
    {
        return "127.0.0.1:" + router.getLocalPort();
    }

    @Test
    public void testSubscribesWithBoundPortAgainAndUnsubscribesBeforeTheServerStopsServing() throws Exception
    {
        newServer("--subscribe-to", routerAddress() + ":app.test,8", "--subscribe-freq", "1", "--threads", "16").start();
        String address = "127.0.0.1:" + uwsgi.getLocalPort();
        httpPort = http.getLocalPort();
        assertEquals(200, get());

        Datagram first = Datagram.receive(router);
        assertEquals(224, first.modifier1());
        assertEquals(0, first.modifier2());
        assertEquals("[key=app.test, address=" + address + ", modifier1=8, modifier2=0, cores=16, load=0, weight=0]", describe(first));
        Datagram again = Datagram.receive(router);
        assertEquals(describe(first), describe(again), "announced again, every subscribe-freq");

        CompletableFuture<Void> stop = CompletableFuture.runAsync(() ->
        {
            try
            {
                server.stop();
            }
            catch (Exception x)
            {
                throw new IllegalStateException(x);
            }
        });
        Datagram unsubscribe = Datagram.receive(router);
        while (!unsubscribe.isUnsubscribe())
        {
            unsubscribe = Datagram.receive(router);
        }
        // the router stops choosing us now; a request it had routed just before must still be served, not 503
        int status = get();
        assertEquals(224, unsubscribe.modifier1());
        assertEquals("[key=app.test, address=" + address + ", modifier1=8, modifier2=0, cores=16, load=0, weight=0]", describe(unsubscribe));
        assertEquals(200, status, "a request during the grace after the unsubscribe");
        stop.get(30, TimeUnit.SECONDS);
        server = null;
    }

    @Test
    public void testAddressChoices() throws Exception
    {
        Path socket = dir.resolve("uwsgi.sock");
        server = new Server();
        uwsgi = new ServerConnector(server, new UwsgiConnectionFactory(new HttpConfiguration(), new UwsgiConfiguration()));
        server.addConnector(uwsgi);
        UwsgiUnixDomainConnector unix = new UwsgiUnixDomainConnector(server, new UwsgiConnectionFactory(new HttpConfiguration(), new UwsgiConfiguration()));
        unix.setUnixDomainPath(socket);
        server.addConnector(unix);
        server.setHandler(new GracefulHandler());
        SubscriptionClient.attach(server, LauncherOptions.parse("--socket", ":0", "--socket", socket.toString(),
            "--subscribe2", "server=" + routerAddress() + ",key=unix.test,socket=1,weight=4,modifier2=3",
            "--subscribe-to", "10.0.0.5:3031=" + routerAddress() + ":remote.test",
            "--subscribe-to", routerAddress() + ":any.test"));
        server.start();

        List<String> received = List.of(describe(Datagram.receive(router)), describe(Datagram.receive(router)), describe(Datagram.receive(router)));
        assertEquals(List.of(
            "[key=unix.test, address=" + socket.toAbsolutePath() + ", modifier1=0, modifier2=3, cores=200, load=0, weight=4]",
            "[key=remote.test, address=10.0.0.5:3031, modifier1=0, modifier2=0, cores=200, load=0, weight=0]",
            // all interfaces: uWSGI's own ":PORT", which a router connects to on its own machine
            "[key=any.test, address=:" + uwsgi.getLocalPort() + ", modifier1=0, modifier2=0, cores=200, load=0, weight=0]"), received);
    }

    @Test
    public void testCheckFileAndKeysFileAreReadAtEveryAnnounce() throws Exception
    {
        Path keys = Files.writeString(dir.resolve("keys"), "one.test\n");
        Path maintenance = dir.resolve("maintenance");
        Files.writeString(maintenance, "");
        newServer("--subscribe-to", routerAddress() + ":@" + keys,
            "--subscribe2", "server=" + routerAddress() + ",key=checked.test,check=" + maintenance,
            "--subscribe-freq", "1").start();

        assertEquals("one.test", Datagram.receive(router).vars().get("key"));
        Files.writeString(keys, "one.test\ntwo.test,5\n");
        Files.delete(maintenance);
        List<String> keysSeen = new ArrayList<>();
        while (!keysSeen.contains("checked.test") || !keysSeen.contains("two.test"))
        {
            Datagram datagram = Datagram.receive(router);
            keysSeen.add(datagram.vars().get("key"));
            if ("two.test".equals(datagram.vars().get("key")))
                assertEquals("5", datagram.vars().get("modifier1"));
        }
    }

    @Test
    public void testRouterThatComesUpGetsTheNextAnnounce() throws Exception
    {
        int port = router.getLocalPort();
        router.close();
        String down = "127.0.0.1:" + port;
        try (CapturedLog log = new CapturedLog(RouterChannel.class, "INFO"))
        {
            newServer("--subscribe-to", down + ":app.test", "--subscribe-freq", "1").start();
            // the second announce meets the ICMP port unreachable of the first
            log.await(down, lines -> lines.stream().anyMatch(line -> line.contains("ICMP port unreachable")));
        }

        router = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        router.setSoTimeout(10_000);
        Datagram announce = Datagram.receive(router);
        assertEquals("app.test", announce.vars().get("key"));
        assertFalse(announce.isUnsubscribe());
    }

    @Test
    public void testRoutersThatFailDoNotDisturbTheServerNorTheOtherRouters() throws Exception
    {
        int closedPort = RouterChannelTest.closedUdpPort();
        // the failing routers first: a failure that escaped would skip the announce to the live one
        newServer("--subscribe-to", "127.0.0.1:" + closedPort + ":down.test",
            "--subscribe-to", "no-such-router.invalid:7000:unknown.test",
            "--subscribe-to", routerAddress() + ":live.test", "--subscribe-freq", "1").start();
        httpPort = http.getLocalPort();

        assertEquals("live.test", Datagram.receive(router).vars().get("key"));
        // the periodic announce goes on after the failures of the first, and the second meets the ICMP of the first
        assertEquals("live.test", Datagram.receive(router).vars().get("key"));
        assertEquals(200, get());
        server.stop();
        Datagram unsubscribe = Datagram.receive(router);
        while (!unsubscribe.isUnsubscribe())
        {
            unsubscribe = Datagram.receive(router);
        }
        assertEquals("live.test", unsubscribe.vars().get("key"));
        assertTrue(server.isStopped());
        server = null;
    }

    @Test
    public void testImmediateStopStillUnsubscribes() throws Exception
    {
        newServer("--subscribe-to", routerAddress() + ":app.test").start();
        assertEquals(0, Datagram.receive(router).modifier2());
        // MasterFifo's Q
        server.setStopTimeout(0);
        server.stop();
        assertTrue(Datagram.receive(router).isUnsubscribe());
        server = null;
    }

    @Test
    public void testAttachRefusesWhatValidateRefuses()
    {
        UsageException x = assertThrows(UsageException.class, () -> newServer("--subscribe-to", routerAddress() + ":app.test,1"));
        assertEquals(List.of("--subscribe-to: modifier1 1 (expected: 0, 5, 7 or 8: the router puts it on every request it forwards here, and the connector serves only those)"),
            x.getProblems());
    }

    private int get() throws IOException, InterruptedException
    {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/")).timeout(Duration.ofSeconds(10)).build();
        return client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    /**
     * @return the vars in order, as {@code [name=value, ...]}
     */
    private static String describe(Datagram datagram)
    {
        List<String> vars = new ArrayList<>();
        for (int i = 0; i < datagram.vars().size(); i++)
        {
            vars.add(datagram.vars().name(i) + "=" + datagram.vars().value(i));
        }
        return vars.toString();
    }
}

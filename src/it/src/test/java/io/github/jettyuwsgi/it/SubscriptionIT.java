package io.github.jettyuwsgi.it;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * uWSGI subscriptions against real uWSGI 2.0.21 (Debian {@code uwsgi-core}): the launcher's datagrams are the ones
 * uWSGI itself sends for the same options, and a uWSGI HTTP router with a subscription server (template
 * {@value #ROUTER_TEMPLATE}) balances a virtual host over two launchers that subscribed for it, one of which then
 * stops gracefully under load without a single request failing.
 */
class SubscriptionIT
{
    static final String ROUTER_TEMPLATE = "/uwsgi/subscription-router.ini.template";
    private static final String KEY = "app.test";
    private static final int CLIENTS = 4;
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    /** The request log line of the launchers: which instance served which request. */
    private static final String LOG_FORMAT = "subscription-it %(uri) %(status)";
    private static final Pattern SERVED = Pattern.compile("subscription-it " + Pattern.quote(NginxLauncherRig.ECHO) + "/s/([0-9]+) 200");

    @Test
    void testGracefulStopOfOneSubscribedInstanceFailsNoRequest() throws Exception
    {
        ItSettings settings = ItSettings.fromSystemProperties();
        Path workDir = Files.createDirectories(settings.workDir().resolve("subscription"));
        int[] ports = FreePorts.allocate(6);
        // a port free for TCP a moment ago; the router binds it for UDP, where nothing of these tests listens
        int subscriptionPort = ports[1];
        try (FrontendProcess router = FrontendProcess.builder("uwsgi-subscription-router", workDir.resolve("router"))
            .template("subscription-router.ini", ROUTER_TEMPLATE)
            .command(FrontendProcess.findExecutable("uwsgi", "uwsgi-core"), "--ini", "{{ROOT}}/conf/subscription-router.ini")
            .listen("ROUTER_HTTP_PORT", ports[0])
            .set("SUBSCRIPTION_PORT", subscriptionPort)
            .start();
             LauncherProcess first = subscribedLauncher(settings, workDir.resolve("first.log"), ports[2], ports[3], subscriptionPort);
             LauncherProcess second = subscribedLauncher(settings, workDir.resolve("second.log"), ports[4], ports[5], subscriptionPort))
        {
            awaitRouterLog(router, KEY + " => new node: 127.0.0.1:" + first.uwsgiPort());
            awaitRouterLog(router, KEY + " => new node: 127.0.0.1:" + second.uwsgiPort());

            Load load = new Load(router.port("ROUTER_HTTP_PORT"));
            load.start();
            long firstAfterStop;
            try
            {
                first.awaitReady("requests through the router", () -> served(first).size() >= 50, TIMEOUT);
                second.awaitReady("requests through the router", () -> served(second).size() >= 50, TIMEOUT);

                // SIGTERM, as systemd or --stop would: unsubscribe, grace, graceful stop; wait for the JVM to exit
                first.stop(TIMEOUT);
                assertTrue(first.logContains("unsubscribed from 1 router(s); serving"), first::describeLog);
                firstAfterStop = load.next.get();
                long target = firstAfterStop + 200;
                second.awaitReady("200 more requests after the first instance stopped", () -> load.ok() >= target && load.next.get() >= target, TIMEOUT);
            }
            finally
            {
                load.stop(TIMEOUT);
            }

            load.assertNoneFailed(() -> first.describeLog() + "\n" + second.describeLog() + "\n" + router.describeLog());

            // Jetty writes the request log line after the response: the last ones can come a moment after the client read them
            second.awaitReady("a request log line for every request answered", () ->
            {
                Set<Long> logged = served(first);
                logged.addAll(served(second));
                return logged.containsAll(load.succeeded);
            }, Duration.ofSeconds(10));
            Set<Long> byFirst = served(first);
            Set<Long> bySecond = served(second);
            Set<Long> both = new HashSet<>(byFirst);
            both.retainAll(bySecond);
            assertEquals(Set.of(), both, "requests served twice");
            List<Long> lost = load.succeeded.stream().filter(n -> !byFirst.contains(n) && !bySecond.contains(n)).toList();
            assertEquals(List.of(), lost, "answered 200 but in neither request log");
            List<Long> afterStopElsewhere = load.succeeded.stream().filter(n -> n >= firstAfterStop && !bySecond.contains(n)).toList();
            assertEquals(List.of(), afterStopElsewhere, "sent after the first instance had exited, not served by the second");
            assertTrue(router.logContains(KEY + " => marking 127.0.0.1:" + first.uwsgiPort() + " as failed"), router::describeLog);
            System.out.println("SubscriptionIT: " + load.ok() + " requests through the uWSGI router, " + byFirst.size() + " served by the instance stopped, " +
                bySecond.size() + " by the other, " + (load.ok() - firstAfterStop) + " after the stop, 0 failed");
        }
    }

    /**
     * Real uWSGI and the launcher, given the same subscriptions, each pointed at a UDP socket of this test: the
     * datagrams must be the same bytes once uWSGI's own socket address is replaced by the launcher's (both TCP ports
     * have the same number of digits, so the lengths are the same too). {@code --processes 2 --threads 4} makes uWSGI's
     * cores 8, the launcher's {@code --threads 8}.
     */
    @Test
    void testLauncherSendsTheDatagramsUwsgiSends() throws Exception
    {
        ItSettings settings = ItSettings.fromSystemProperties();
        Path workDir = Files.createDirectories(settings.workDir().resolve("subscription-datagrams"));
        int[] ports = samePortLength(FreePorts.allocate(3));
        try (DatagramSocket uwsgiRouter = newRouter(); DatagramSocket launcherRouter = newRouter())
        {
            List<String> uwsgiCommand = new ArrayList<>(List.of(FrontendProcess.findExecutable("uwsgi", "uwsgi-core").toString(),
                "--master", "--die-on-term", "--processes", "2", "--threads", "4", "--socket", FreePorts.LOOPBACK + ":" + ports[0]));
            uwsgiCommand.addAll(subscriptionOptions(uwsgiRouter));
            LauncherProcess.Builder launcherBuilder = LauncherProcess.builder(settings.launcherJar())
                .uwsgiSocket(ports[1])
                .httpSocket(ports[2])
                .mount(NginxLauncherRig.ECHO, settings.echoWar())
                .option("--threads", "8")
                .logFile(workDir.resolve("launcher.log"));
            List<String> options = subscriptionOptions(launcherRouter);
            for (int i = 0; i < options.size(); i += 2)
            {
                launcherBuilder.option(options.get(i), options.get(i + 1));
            }

            String uwsgiAddress = FreePorts.LOOPBACK + ":" + ports[0];
            String launcherAddress = FreePorts.LOOPBACK + ":" + ports[1];
            try (ManagedProcess uwsgi = new ManagedProcess("uwsgi-subscriber", uwsgiCommand, workDir, workDir.resolve("uwsgi.log"));
                 LauncherProcess launcher = launcherBuilder.start())
            {
                Map<String, String> fromUwsgi = firstPerKey(uwsgiRouter, 0);
                Map<String, String> fromLauncher = firstPerKey(launcherRouter, 0);
                assertEquals(List.of("app.test", "two.test"), List.copyOf(fromUwsgi.keySet()), uwsgi::describeLog);
                assertEquals(hex(fromUwsgi.get("app.test")).replace(hex(uwsgiAddress), hex(launcherAddress)), hex(fromLauncher.get("app.test")), "subscribe-to datagram");
                assertEquals(hex(fromUwsgi.get("two.test")), hex(fromLauncher.get("two.test")), "subscribe2 datagram (addr= given: same address)");

                uwsgi.stop(TIMEOUT);
                launcher.stop(TIMEOUT);
                Map<String, String> goneUwsgi = firstPerKey(uwsgiRouter, 1);
                Map<String, String> goneLauncher = firstPerKey(launcherRouter, 1);
                assertEquals(hex(goneUwsgi.get("app.test")).replace(hex(uwsgiAddress), hex(launcherAddress)), hex(goneLauncher.get("app.test")), "unsubscribe of subscribe-to");
                assertEquals(hex(goneUwsgi.get("two.test")), hex(goneLauncher.get("two.test")), "unsubscribe of subscribe2");
                System.out.println("SubscriptionIT: subscribe and unsubscribe datagrams byte-equal to uWSGI 2.0.21's, e.g. " + hex(fromLauncher.get("app.test")));
            }
        }
    }

    private static LauncherProcess subscribedLauncher(ItSettings settings, Path logFile, int uwsgiPort, int httpPort, int subscriptionPort)
    {
        return LauncherProcess.builder(settings.launcherJar())
            .uwsgiSocket(uwsgiPort)
            .httpSocket(httpPort)
            .mount(NginxLauncherRig.ECHO, settings.echoWar())
            .option("--subscribe-to", FreePorts.LOOPBACK + ":" + subscriptionPort + ":" + KEY)
            .option("--log-format", LOG_FORMAT)
            .logFile(logFile)
            .start();
    }

    private static List<String> subscriptionOptions(DatagramSocket router)
    {
        String server = FreePorts.LOOPBACK + ":" + router.getLocalPort();
        return List.of("--subscribe-to", server + ":app.test,8",
            "--subscribe2", "server=" + server + ",key=two.test,addr=10.0.0.5:3031,modifier1=5,modifier2=3");
    }

    private static DatagramSocket newRouter() throws IOException
    {
        DatagramSocket router = new DatagramSocket(new InetSocketAddress(InetAddress.getByName(FreePorts.LOOPBACK), 0));
        router.setSoTimeout((int)TIMEOUT.toMillis());
        return router;
    }

    /**
     * @return the ports, or fresh ones until all have as many digits
     */
    private static int[] samePortLength(int[] ports)
    {
        for (int attempt = 0; attempt < 20; attempt++)
        {
            int length = Integer.toString(ports[0]).length();
            if (Integer.toString(ports[1]).length() == length)
                return ports;
            ports = FreePorts.allocate(ports.length);
        }
        throw new IllegalStateException("no two free ports with as many digits");
    }

    /**
     * @return the first datagram with this modifier2 for each key, in the order the keys came, as ISO-8859-1 text
     */
    private static Map<String, String> firstPerKey(DatagramSocket router, int modifier2) throws IOException
    {
        Map<String, String> datagrams = new LinkedHashMap<>();
        while (datagrams.size() < 2)
        {
            DatagramPacket packet = new DatagramPacket(new byte[4096], 4096);
            router.receive(packet);
            String datagram = new String(packet.getData(), 0, packet.getLength(), StandardCharsets.ISO_8859_1);
            assertEquals(224, datagram.charAt(0), "modifier1 of a subscription datagram");
            if (datagram.charAt(3) == modifier2)
                datagrams.putIfAbsent(key(datagram), datagram);
        }
        return datagrams;
    }

    /**
     * @return the value of the first var, {@code key}, as a uWSGI router reads it (lengths little-endian)
     */
    private static String key(String datagram)
    {
        int keyLength = datagram.charAt(4) | datagram.charAt(5) << 8;
        assertEquals("key", datagram.substring(6, 6 + keyLength));
        int at = 6 + keyLength;
        int valueLength = datagram.charAt(at) | datagram.charAt(at + 1) << 8;
        return datagram.substring(at + 2, at + 2 + valueLength);
    }

    private static String hex(String text)
    {
        return HexFormat.ofDelimiter(" ").formatHex(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    private static void awaitRouterLog(FrontendProcess router, String line)
    {
        router.awaitReady("'" + line + "' in the router's log", () -> router.logContains(line), TIMEOUT);
    }

    /**
     * @return the numbers of the load's requests this launcher answered 200, from its request log
     */
    private static Set<Long> served(LauncherProcess launcher)
    {
        Set<Long> served = new HashSet<>();
        Matcher matcher = SERVED.matcher(launcher.readLog());
        while (matcher.find())
        {
            served.add(Long.parseLong(matcher.group(1)));
        }
        return served;
    }

    /**
     * Clients that each send one request after another to the router with {@code Host:} {@value #KEY}, each request
     * numbered ({@code /echo/s/N}), and count every answer that is not a 200 with the echo's body, and every
     * exception, as a failure.
     */
    private static final class Load extends LoadClients
    {
        private static final List<String[]> HEADERS = List.<String[]>of(new String[]{"Host", KEY});

        private final int port;
        private final AtomicLong next = new AtomicLong();
        private final ConcurrentLinkedQueue<Long> succeeded = new ConcurrentLinkedQueue<>();

        private Load(int port)
        {
            super("subscription-load", CLIENTS);
            this.port = port;
        }

        @Override
        protected void sendOne(int client)
        {
            long n = next.getAndIncrement();
            String target = NginxLauncherRig.ECHO + "/s/" + n;
            try
            {
                Exchange exchange = RawHttpClient.send(null, port, "GET", target, HEADERS, null, (int)TIMEOUT.toMillis());
                if (exchange.status() == 200 && target.equals(exchange.echo().get("requestURI")))
                {
                    succeeded();
                    succeeded.add(n);
                }
                else
                {
                    failed(target + " -> " + exchange.status() + " " + exchange.abbreviated().lines().findFirst().orElse(""));
                }
            }
            catch (IOException | RuntimeException | AssertionError x)
            {
                failed(target + " -> " + x);
            }
        }
    }
}

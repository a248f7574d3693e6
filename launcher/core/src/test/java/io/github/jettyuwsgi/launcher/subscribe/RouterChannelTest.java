package io.github.jettyuwsgi.launcher.subscribe;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;

import io.github.jettyuwsgi.launcher.testing.CapturedLog;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link RouterChannel} against routers that are not there, on real UDP sockets: what it returns and what it logs.
 */
public class RouterChannelTest
{
    @Test
    public void testUnknownRouterWarnsOnceThenLogsAtDebug() throws Exception
    {
        try (CapturedLog log = new CapturedLog(RouterChannel.class, "DEBUG");
             RouterChannel channel = new RouterChannel("no-such-router.invalid", 7000))
        {
            for (int i = 0; i < 5; i++)
            {
                assertFalse(channel.send(packet(), "announce " + i), "send " + i + " to a host that does not resolve");
            }

            List<String> warnings = log.lines("WARN", "no-such-router.invalid:7000");
            assertEquals(1, warnings.size(), "one WARN for five failures: " + log.lines("no-such-router.invalid:7000"));
            assertTrue(warnings.get(0).contains("announce 0"), warnings.get(0));
            assertTrue(warnings.get(0).contains("does not resolve"), warnings.get(0));
            assertEquals(4, log.lines("DEBUG", "no-such-router.invalid:7000").size(), "the others at DEBUG: " + log.lines("no-such-router.invalid:7000"));
        }
    }

    @Test
    public void testRouterNotListeningWarnsOnceThenLogsAtDebug() throws Exception
    {
        int port = closedUdpPort();
        String router = "127.0.0.1:" + port;
        try (CapturedLog log = new CapturedLog(RouterChannel.class, "DEBUG");
             RouterChannel channel = new RouterChannel("127.0.0.1", port))
        {
            // The kernel takes each datagram; the ICMP port unreachable that answers it on loopback fails the next send.
            // Sending until four refusals were logged is waiting for them, not asserting how soon they come.
            int sent = 0;
            while (log.lines(router).size() < 4 && sent < 1000)
            {
                assertDoesNotThrow(() -> channel.send(packet(), "announce"));
                sent++;
                Thread.sleep(10);
            }

            List<String> warnings = log.lines("WARN", router);
            assertEquals(1, warnings.size(), "one WARN for " + sent + " sends: " + log.lines(router));
            assertTrue(warnings.get(0).contains("ICMP port unreachable"), warnings.get(0));
            assertEquals(3, log.lines("DEBUG", router).size(), "the next refusals at DEBUG: " + log.lines(router));
        }
    }

    @Test
    public void testSendNeverThrows()
    {
        // each is a way the socket cannot be opened; none may reach the caller, the server's scheduler or stop thread
        for (RouterChannel channel : List.of(new RouterChannel("no-such-router.invalid", 7000), new RouterChannel("127.0.0.1", 70_000),
            new RouterChannel("127.0.0.1", -1)))
        {
            try (channel)
            {
                boolean sent = assertDoesNotThrow(() -> channel.send(packet(), "announce"), channel.toString());
                assertFalse(sent, channel.toString());
            }
        }
    }

    /**
     * @return a loopback UDP port that was free a moment ago and has nothing bound now
     */
    static int closedUdpPort() throws Exception
    {
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)))
        {
            return socket.getLocalPort();
        }
    }

    private static ByteBuffer packet()
    {
        return ByteBuffer.wrap("a datagram".getBytes(StandardCharsets.US_ASCII));
    }
}

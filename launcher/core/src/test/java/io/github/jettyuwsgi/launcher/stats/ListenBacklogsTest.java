package io.github.jettyuwsgi.launcher.stats;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteOrder;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The accept queues read from Linux's {@code /proc/net/tcp*}: the format, then a real listening socket whose clients
 * are never accepted.
 */
public class ListenBacklogsTest
{
    @Test
    public void testParsesListeningSocketsOfBothFamilies() throws Exception
    {
        // lines as a little-endian Linux prints them; the second socket is an IPv6 one bound to 127.0.0.1
        List<String> lines = List.of(
            "   0: 0100007F:0BD7 00000000:0000 0A 00000000:00000003 00:00000000 00000000     0        0 6907467 1 0 100 0 0 10 0",
            "   1: 0100007F:0BD8 0100007F:9C40 01 00000000:00000000 00:00000000 00000000     0        0 6907466 1 0 100 0 0 10 0",
            "   0: 0000000000000000FFFF00000100007F:85A7 00000000000000000000000000000000:0000 0A 00000000:00000002 00:00000000 00000000     0        0 6923780 1 0 100 0 0 10 0",
            "   1: 00000000000000000000000000000000:0050 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 6923779 1 0 100 0 0 10 0",
            "garbage");
        ListenBacklogs backlogs = ListenBacklogs.parse(lines, ByteOrder.LITTLE_ENDIAN);

        assertEquals(3, backlogs.find(new InetSocketAddress("127.0.0.1", 0x0BD7)).queue());
        assertNull(backlogs.find(new InetSocketAddress("127.0.0.1", 0x0BD8)), "an established connection is not a listening socket");
        assertEquals(2, backlogs.find(new InetSocketAddress("127.0.0.1", 0x85A7)).queue());
        assertEquals(0, backlogs.find(new InetSocketAddress(InetAddress.getByName("0.0.0.0"), 80)).queue(), "wildcards of both families match");
        assertNull(backlogs.find(new InetSocketAddress("127.0.0.2", 0x0BD7)));
    }

    @Test
    public void testBigEndianKernel()
    {
        ListenBacklogs backlogs = ListenBacklogs.parse(List.of("0: 7F000001:0BD7 00000000:0000 0A 00000000:00000005 00:00000000 00000000 0 0 1 1"), ByteOrder.BIG_ENDIAN);

        assertEquals(5, backlogs.find(new InetSocketAddress("127.0.0.1", 3031)).queue());
    }

    @Test
    public void testConnectionsWaitingForAccept() throws Exception
    {
        assumeTrue(Files.exists(Path.of("/proc/net/tcp")), "Linux only");
        try (ServerSocketChannel server = ServerSocketChannel.open())
        {
            server.bind(new InetSocketAddress("127.0.0.1", 0), 8);
            InetSocketAddress address = (InetSocketAddress)server.getLocalAddress();
            assertEquals(0, ListenBacklogs.current().find(address).queue());

            List<SocketChannel> clients = new ArrayList<>();
            try
            {
                for (int i = 0; i < 3; i++)
                {
                    clients.add(SocketChannel.open(address));
                }
                // the kernel completes the handshakes on its own; wait until it has queued all three
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                ListenBacklogs.Backlog backlog = ListenBacklogs.current().find(address);
                while (backlog.queue() < 3 && System.nanoTime() < deadline)
                {
                    Thread.sleep(10);
                    backlog = ListenBacklogs.current().find(address);
                }
                assertNotNull(backlog);
                assertEquals(3, backlog.queue());
            }
            finally
            {
                for (SocketChannel client : clients)
                {
                    client.close();
                }
            }
            server.accept().close();
            assertTrue(ListenBacklogs.current().find(address).queue() < 3);
        }
    }
}

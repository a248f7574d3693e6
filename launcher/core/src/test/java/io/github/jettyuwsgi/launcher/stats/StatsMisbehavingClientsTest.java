package io.github.jettyuwsgi.launcher.stats;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.junit.jupiter.api.Test;

import static io.github.jettyuwsgi.launcher.stats.StatsTestServer.object;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Stats clients that misbehave, against a real server's real stats socket: one that connects and never reads, one that
 * sends half a request head and falls silent, one that sends its head a byte at a time. Each is closed after the
 * socket's idle timeout at most ({@link StatsServer#IDLE_TIMEOUT_MILLIS}), holds no thread while it waits, and
 * neither other stats clients nor the requests notice.
 */
public class StatsMisbehavingClientsTest
{
    /** Longer than the stats socket's idle timeout: a client still open after this was never closed. */
    private static final int LONGER_THAN_THE_TIMEOUT_MILLIS = (int)StatsServer.IDLE_TIMEOUT_MILLIS + 5_000;

    @Test
    public void testClientsThatNeverReadAreClosedAndHoldNothing() throws Exception
    {
        try (StatsTestServer test = new StatsTestServer("--stats", "127.0.0.1:0"))
        {
            int busyBefore = busyThreads(test);
            List<Socket> silent = new ArrayList<>();
            try
            {
                for (int i = 0; i < 50; i++)
                {
                    Socket socket = new Socket();
                    // the smallest window the kernel allows: the document cannot all be in flight at once
                    socket.setReceiveBufferSize(1);
                    socket.connect(new java.net.InetSocketAddress("127.0.0.1", test.statsPort()));
                    silent.add(socket);
                }

                assertTrue(object(test.document()).containsKey("workers"), "another stats client reads the document");
                assertTrue(test.get("/ok").startsWith("HTTP/1.1 200 "), "requests are served");
                awaitBusyThreads(test, busyBefore, "no thread waits for the clients that do not read");
                awaitNoStatsConnection(test);
            }
            finally
            {
                for (Socket socket : silent)
                {
                    socket.close();
                }
            }
        }
    }

    @Test
    public void testSilentAndTricklingHttpClientsAreClosedAfterTheTimeout() throws Exception
    {
        try (StatsTestServer test = new StatsTestServer("--stats", "127.0.0.1:0", "--stats-http"))
        {
            int busyBefore = busyThreads(test);
            try (Socket silent = new Socket("127.0.0.1", test.statsPort());
                 Socket trickling = new Socket("127.0.0.1", test.statsPort()))
            {
                silent.getOutputStream().write("GET / HT".getBytes(StandardCharsets.US_ASCII));
                // a head that would take twice the timeout to arrive, a byte every 100 ms: each byte restarts an idle
                // timeout, so only a deadline for the whole head closes this one
                byte[] head = ("GET / HTTP/1.1\r\nHost: localhost\r\nX-Slow: " + "a".repeat(200) + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
                CompletableFuture<Integer> sent = CompletableFuture.supplyAsync(() -> trickle(trickling, head));

                String response = StatsTestServer.exchange(test.statsPort(), "GET / HTTP/1.1\r\nHost: localhost\r\n\r\n");
                assertTrue(response.startsWith("HTTP/1.0 200 OK\r\n"), "another stats client is answered: " + response);
                assertTrue(test.get("/ok").startsWith("HTTP/1.1 200 "), "requests are served");
                awaitBusyThreads(test, busyBefore, "no thread waits for the slow clients");

                assertEquals("", readUntilClosed(silent), "the silent client is closed without an answer");
                assertEquals("", readUntilClosed(trickling), "the trickling client is closed without an answer");
                int bytesSent = sent.get(LONGER_THAN_THE_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
                assertTrue(bytesSent < head.length, "closed before its head was complete: " + bytesSent + " of " + head.length + " bytes sent");
                awaitNoStatsConnection(test);
            }
        }
    }

    private static int trickle(Socket socket, byte[] bytes)
    {
        try
        {
            OutputStream out = socket.getOutputStream();
            for (int i = 0; i < bytes.length; i++)
            {
                if (socket.isClosed())
                    return i;
                out.write(bytes[i]);
                out.flush();
                Thread.sleep(100);
            }
            return bytes.length;
        }
        catch (IOException x)
        {
            // the server closed the connection: the write after the close fails
            return -1;
        }
        catch (InterruptedException x)
        {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /**
     * @return what the server sent before it closed the connection; fails if it did not close it in time
     */
    private static String readUntilClosed(Socket socket) throws IOException
    {
        socket.setSoTimeout(LONGER_THAN_THE_TIMEOUT_MILLIS);
        InputStream in = socket.getInputStream();
        StringBuilder received = new StringBuilder();
        try
        {
            for (int b = in.read(); b >= 0; b = in.read())
            {
                received.append((char)b);
            }
        }
        catch (SocketException x)
        {
            // a reset is a close too: the client still had unread or unsent bytes
        }
        assertFalse(received.toString().contains("at java.") || received.toString().contains("at org."), received::toString);
        return received.toString();
    }

    private static int busyThreads(StatsTestServer test)
    {
        return ((QueuedThreadPool)test.server.getThreadPool()).getBusyThreads();
    }

    /**
     * Waits, 5 s at most (far less than the clients' timeout), for the pool to be back to {@code expected} busy threads:
     * the threads that served the well-behaved clients return to the pool just after their last byte.
     */
    private static void awaitBusyThreads(StatsTestServer test, int expected, String message) throws InterruptedException
    {
        // one reading decides: a pool thread can be busy for a moment with a task of its own (a selector's update, a
        // timeout), so a second reading after the loop may see one more than the reading that ended it
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        int busy;
        while ((busy = busyThreads(test)) > expected && System.nanoTime() < deadline)
        {
            Thread.sleep(10);
        }
        assertTrue(busy <= expected, message + ": " + busy + " busy threads (expected: at most " + expected + ", as before the clients)");
    }

    private static void awaitNoStatsConnection(StatsTestServer test) throws InterruptedException
    {
        ServerConnector stats = test.server.getContainedBeans(ServerConnector.class).stream()
            .filter(connector -> connector.getConnectionFactory(StatsConnectionFactory.class) != null)
            .findFirst().orElseThrow();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(LONGER_THAN_THE_TIMEOUT_MILLIS);
        while (!stats.getConnectedEndPoints().isEmpty())
        {
            assertTrue(System.nanoTime() < deadline, "stats connections still open: " + stats.getConnectedEndPoints());
            Thread.sleep(50);
        }
    }
}

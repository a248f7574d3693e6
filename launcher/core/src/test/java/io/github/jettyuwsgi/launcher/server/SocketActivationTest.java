package io.github.jettyuwsgi.launcher.server;

import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Path;
import java.util.Map;

import io.github.jettyuwsgi.launcher.options.ListenAddress;
import io.github.jettyuwsgi.launcher.options.UsageException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

public class SocketActivationTest
{
    private static final long PID = 4242;

    @TempDir
    Path directory;

    @Test
    void anInheritedUnixSocketIsTakenByTheSocketWithItsPathOnce() throws Exception
    {
        Path path = directory.resolve("app.sock");
        try (ServerSocketChannel channel = ServerSocketChannel.open(StandardProtocolFamily.UNIX))
        {
            channel.bind(UnixDomainSocketAddress.of(path));
            SocketActivation activation = SocketActivation.of(channel, Map.of(), PID);
            assertFalse(activation.take(ListenAddress.parse(directory.resolve("other.sock").toString())));
            assertFalse(activation.take(ListenAddress.parse("127.0.0.1:3031")));
            assertTrue(activation.take(ListenAddress.parse(path.toString())));
            assertFalse(activation.take(ListenAddress.parse(path.toString())), "taken once");
            activation.checkTaken();
        }
    }

    @Test
    void anInheritedSocketNoOptionNamesIsRefused() throws Exception
    {
        try (ServerSocketChannel channel = ServerSocketChannel.open())
        {
            channel.bind(new InetSocketAddress("127.0.0.1", 0));
            SocketActivation activation = SocketActivation.of(channel, Map.of(), PID);
            assertFalse(activation.take(ListenAddress.parse("127.0.0.1:1")));
            UsageException refused = assertThrows(UsageException.class, activation::checkTaken);
            assertTrue(refused.getMessage().startsWith("inherited socket on fd 0: 127.0.0.1:"), refused.getMessage());
            assertTrue(refused.getMessage().contains("(expected: --socket or --http-socket 127.0.0.1:"), refused.getMessage());
        }
    }

    @Test
    void tcpAddressesMatchByPortAndHost()
    {
        InetSocketAddress wildcard = new InetSocketAddress(3031);
        assertTrue(SocketActivation.matches(ListenAddress.parse(":3031"), wildcard));
        assertTrue(SocketActivation.matches(ListenAddress.parse("0.0.0.0:3031"), wildcard));
        assertFalse(SocketActivation.matches(ListenAddress.parse("127.0.0.1:3031"), wildcard));
        assertFalse(SocketActivation.matches(ListenAddress.parse(":3032"), wildcard));
        assertTrue(SocketActivation.matches(ListenAddress.parse("127.0.0.1:3031"), new InetSocketAddress("127.0.0.1", 3031)));
        assertFalse(SocketActivation.matches(ListenAddress.parse("/run/app.sock"), new InetSocketAddress("127.0.0.1", 3031)));
    }

    @Test
    void socketsFromFdThreeAreRefusedWithTheWayOut()
    {
        UsageException one = assertThrows(UsageException.class, () -> SocketActivation.of(null, Map.of("LISTEN_FDS", "1", "LISTEN_PID", "4242"), PID));
        assertEquals("LISTEN_FDS: 1 socket passed as fd 3, which a JVM cannot take (expected: StandardInput=socket in the service unit, " +
            "or ExecStart=/bin/sh -c 'exec java -jar jetty-uwsgi-launcher.jar ... <&3' to move it to fd 0)", one.getProblems().get(0));
        UsageException two = assertThrows(UsageException.class, () -> SocketActivation.of(null, Map.of("LISTEN_FDS", "2", "LISTEN_PID", "4242"), PID));
        assertTrue(two.getProblems().get(0).startsWith("LISTEN_FDS: 2 sockets passed from fd 3 (expected: one socket"), two.getMessage());
    }

    @Test
    void listenFdsMeantForAnotherProcessAreIgnored() throws Exception
    {
        assertEquals(0, SocketActivation.listenFds(Map.of("LISTEN_FDS", "1", "LISTEN_PID", "1"), PID));
        assertEquals(0, SocketActivation.listenFds(Map.of("LISTEN_FDS", "1"), PID));
        assertEquals(1, SocketActivation.listenFds(Map.of("LISTEN_FDS", "1", "LISTEN_PID", "4242"), PID));
        assertTrue(SocketActivation.of(null, Map.of("LISTEN_FDS", "1", "LISTEN_PID", "1"), PID).inherited().isEmpty());
    }
}

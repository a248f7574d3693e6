package io.github.jettyuwsgi.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * <p>Loopback ports for the servers an end-to-end test starts, and the probes that tell when a server accepts on
 * them. Every server in these tests listens on 127.0.0.1 only.</p>
 */
public final class FreePorts
{
    public static final String LOOPBACK = "127.0.0.1";

    private FreePorts()
    {
    }

    /**
     * Returns {@code count} distinct ports that were free a moment ago. They are bound all at once, so they are
     * distinct; another process can still take one before the server does, which the caller sees as a failed start.
     */
    public static int[] allocate(int count)
    {
        List<ServerSocket> sockets = new ArrayList<>();
        try
        {
            int[] ports = new int[count];
            for (int i = 0; i < count; i++)
            {
                ServerSocket socket = new ServerSocket();
                sockets.add(socket);
                // Without SO_REUSEADDR the port can sit in TIME_WAIT and the server's bind would fail.
                socket.setReuseAddress(true);
                socket.bind(new InetSocketAddress(InetAddress.getByName(LOOPBACK), 0));
                ports[i] = socket.getLocalPort();
            }
            return ports;
        }
        catch (IOException x)
        {
            throw new UncheckedIOException("cannot allocate " + count + " loopback ports", x);
        }
        finally
        {
            for (ServerSocket socket : sockets)
            {
                try
                {
                    socket.close();
                }
                catch (IOException ignored)
                {
                    // Closing an unconnected listening socket does not fail in practice.
                }
            }
        }
    }

    /**
     * @return whether a TCP connection to {@code 127.0.0.1:port} is accepted
     */
    public static boolean accepts(int port)
    {
        try (Socket socket = new Socket())
        {
            socket.connect(new InetSocketAddress(LOOPBACK, port), 500);
            return true;
        }
        catch (IOException x)
        {
            return false;
        }
    }

    /**
     * @return whether a connection to the Unix-domain socket at {@code path} is accepted
     */
    public static boolean accepts(Path path)
    {
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX))
        {
            channel.connect(UnixDomainSocketAddress.of(path));
            return true;
        }
        catch (IOException x)
        {
            return false;
        }
    }
}

package io.github.jettyuwsgi.it;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;

/**
 * A client on another loopback address than the servers' 127.0.0.1: Linux routes all of 127/8 to loopback, so a
 * socket bound to 127.0.0.2 reaches a server on 127.0.0.1 as a peer with another address, which is how a test plays a
 * second host (an address outside {@code allow-frontend}, a client nginx sees as someone else).
 */
public final class LoopbackAlias
{
    private LoopbackAlias()
    {
    }

    /**
     * What came back to one exchange.
     *
     * @param clientPort the port the client had on its address
     * @param bytes everything the server sent before it closed; a reset ends it as a close does
     */
    public record Reply(int clientPort, byte[] bytes)
    {
        /**
         * @return the bytes as ISO-8859-1, one char per byte
         */
        public String text()
        {
            return new String(bytes, StandardCharsets.ISO_8859_1);
        }

        /**
         * @return the bytes as UTF-8
         */
        public String utf8()
        {
            return new String(bytes, StandardCharsets.UTF_8);
        }
    }

    /**
     * Sends the bytes from {@code sourceHost} and reads until the server closes.
     *
     * @param sourceHost the client's address, e.g. 127.0.0.2
     * @param port the server's port on 127.0.0.1
     * @param request the bytes to send
     * @return what came back
     * @throws IOException if the connection cannot be made
     */
    public static Reply exchange(String sourceHost, int port, byte[] request) throws IOException
    {
        try (SocketChannel channel = SocketChannel.open())
        {
            channel.bind(new InetSocketAddress(sourceHost, 0));
            channel.connect(new InetSocketAddress(FreePorts.LOOPBACK, port));
            ByteArrayOutputStream received = new ByteArrayOutputStream();
            try
            {
                channel.write(ByteBuffer.wrap(request));
                ByteBuffer buffer = ByteBuffer.allocate(8192);
                while (channel.read(buffer.clear()) >= 0)
                    received.write(buffer.array(), 0, buffer.position());
            }
            catch (IOException x)
            {
                // reset: the server closed with the request unread
            }
            return new Reply(((InetSocketAddress)channel.getLocalAddress()).getPort(), received.toByteArray());
        }
    }
}

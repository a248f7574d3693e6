package io.github.jettyuwsgi.uwsgi;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;

import io.github.jettyuwsgi.uwsgi.codec.UwsgiGenerator;
import io.github.jettyuwsgi.uwsgi.codec.UwsgiVars;

/**
 * A blocking test client that plays the frontend byte for byte (unlike the product's {@code client.UwsgiClient}, which builds packets the way nginx does): sends raw packet bytes over TCP or a Unix socket and reads everything
 * until the backend closes.
 */
public final class RawFrontend implements AutoCloseable
{
    private final SocketChannel channel;
    private final InputStream in;
    private final OutputStream out;

    private RawFrontend(SocketChannel channel)
    {
        this.channel = channel;
        // Not Channels.newInputStream/newOutputStream: those hold the channel's blocking lock while reading, so a
        // write from another thread would wait for the read to finish.
        this.in = new InputStream()
        {
            @Override
            public int read() throws IOException
            {
                byte[] one = new byte[1];
                int n = read(one, 0, 1);
                return n < 0 ? -1 : one[0] & 0xFF;
            }

            @Override
            public int read(byte[] bytes, int offset, int length) throws IOException
            {
                if (length == 0)
                    return 0;
                return channel.read(ByteBuffer.wrap(bytes, offset, length));
            }
        };
        this.out = new OutputStream()
        {
            @Override
            public void write(int b) throws IOException
            {
                write(new byte[]{(byte)b}, 0, 1);
            }

            @Override
            public void write(byte[] bytes, int offset, int length) throws IOException
            {
                ByteBuffer buffer = ByteBuffer.wrap(bytes, offset, length);
                while (buffer.hasRemaining())
                    channel.write(buffer);
            }
        };
    }

    public static RawFrontend tcp(int port) throws IOException
    {
        SocketChannel channel = SocketChannel.open(new InetSocketAddress("127.0.0.1", port));
        return new RawFrontend(channel);
    }

    public static RawFrontend unix(Path path) throws IOException
    {
        SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
        channel.connect(UnixDomainSocketAddress.of(path));
        return new RawFrontend(channel);
    }

    public static byte[] packet(UwsgiVars vars)
    {
        ByteBuffer buffer = UwsgiGenerator.generateRequest(0, 0, vars);
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        return bytes;
    }

    public RawFrontend send(byte[] bytes) throws IOException
    {
        out.write(bytes);
        out.flush();
        return this;
    }

    public RawFrontend shutdownOutput() throws IOException
    {
        channel.shutdownOutput();
        return this;
    }

    /**
     * Reads until the server closes; a socket timeout would surface as a test failure rather than a hang because the
     * read runs under JUnit's {@code @Timeout}.
     */
    public byte[] readAll() throws IOException
    {
        ByteArrayOutputStream response = new ByteArrayOutputStream();
        in.transferTo(response);
        return response.toByteArray();
    }

    public InputStream input()
    {
        return in;
    }

    public OutputStream output()
    {
        return out;
    }

    @Override
    public void close() throws IOException
    {
        channel.close();
    }

}

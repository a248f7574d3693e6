package io.github.jettyuwsgi.launcher.dist;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import org.eclipse.jetty.http.HttpTester;

/**
 * A uwsgi request written by hand, byte by byte, the way nginx's {@code uwsgi_pass} sends one, so the launcher's uwsgi
 * sockets are tested against the wire format itself rather than against the connector's own generator.
 *
 * <pre>
 * u8 modifier1 = 0 | u16le datasize | u8 modifier2 = 0 | vars: ( u16le keysize, key, u16le valsize, value )*
 * </pre>
 *
 * The answer is plain HTTP/1.x ending when the server closes the connection; {@link HttpTester} parses it.
 */
final class UwsgiPacket
{
    private final Map<String, String> vars = new LinkedHashMap<>();

    /**
     * @param uri the request URI, with its query
     * @return a GET with the vars nginx's {@code uwsgi_params} sends
     */
    static UwsgiPacket get(String uri)
    {
        int query = uri.indexOf('?');
        UwsgiPacket packet = new UwsgiPacket();
        packet.vars.put("QUERY_STRING", query < 0 ? "" : uri.substring(query + 1));
        packet.vars.put("REQUEST_METHOD", "GET");
        packet.vars.put("CONTENT_TYPE", "");
        packet.vars.put("CONTENT_LENGTH", "");
        packet.vars.put("REQUEST_URI", uri);
        packet.vars.put("PATH_INFO", query < 0 ? uri : uri.substring(0, query));
        packet.vars.put("DOCUMENT_ROOT", "/usr/share/nginx/html");
        packet.vars.put("SERVER_PROTOCOL", "HTTP/1.1");
        packet.vars.put("REQUEST_SCHEME", "http");
        packet.vars.put("REMOTE_ADDR", "203.0.113.7");
        packet.vars.put("REMOTE_PORT", "50123");
        packet.vars.put("SERVER_PORT", "80");
        packet.vars.put("SERVER_NAME", "www.example.org");
        packet.vars.put("HTTP_HOST", "www.example.org");
        packet.vars.put("HTTP_USER_AGENT", "launcher-dist test");
        return packet;
    }

    /**
     * @return this packet with one more var, e.g. a header as nginx forwards it ({@code HTTP_COOKIE})
     */
    UwsgiPacket with(String name, String value)
    {
        vars.put(name, value);
        return this;
    }

    byte[] toBytes()
    {
        ByteArrayOutputStream block = new ByteArrayOutputStream();
        for (Map.Entry<String, String> var : vars.entrySet())
        {
            writeString(block, var.getKey());
            writeString(block, var.getValue());
        }
        ByteArrayOutputStream packet = new ByteArrayOutputStream();
        packet.write(0); // modifier1: a WSGI-style HTTP request
        writeUint16Le(packet, block.size());
        packet.write(0); // modifier2
        packet.writeBytes(block.toByteArray());
        return packet.toByteArray();
    }

    private static void writeString(ByteArrayOutputStream out, String value)
    {
        byte[] bytes = value.getBytes(StandardCharsets.ISO_8859_1);
        writeUint16Le(out, bytes.length);
        out.writeBytes(bytes);
    }

    private static void writeUint16Le(ByteArrayOutputStream out, int value)
    {
        out.write(value & 0xFF);
        out.write((value >> 8) & 0xFF);
    }

    /**
     * @return the response from a uwsgi TCP socket
     */
    HttpTester.Response sendTo(int port) throws IOException
    {
        try (SocketChannel channel = SocketChannel.open(new InetSocketAddress("127.0.0.1", port)))
        {
            return exchange(channel);
        }
    }

    /**
     * @return the response from a uwsgi Unix socket
     */
    HttpTester.Response sendTo(Path unixSocket) throws IOException
    {
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX))
        {
            channel.connect(UnixDomainSocketAddress.of(unixSocket));
            return exchange(channel);
        }
    }

    /**
     * @return every byte a uwsgi TCP socket answered before it closed the connection
     */
    byte[] sendRawTo(int port) throws IOException
    {
        try (SocketChannel channel = SocketChannel.open(new InetSocketAddress("127.0.0.1", port)))
        {
            return exchangeRaw(channel);
        }
    }

    private HttpTester.Response exchange(SocketChannel channel) throws IOException
    {
        byte[] response = exchangeRaw(channel);
        HttpTester.Response parsed = HttpTester.parseResponse(ByteBuffer.wrap(response));
        if (parsed == null)
            throw new IOException("no complete HTTP response in " + response.length + " bytes: " + new String(response, StandardCharsets.ISO_8859_1));
        return parsed;
    }

    private byte[] exchangeRaw(SocketChannel channel) throws IOException
    {
        ByteBuffer request = ByteBuffer.wrap(toBytes());
        while (request.hasRemaining())
        {
            channel.write(request);
        }
        // The server ends a uwsgi response by closing the connection: read to the end, then parse.
        ByteArrayOutputStream response = new ByteArrayOutputStream();
        ByteBuffer buffer = ByteBuffer.allocate(8192);
        while (channel.read(buffer) >= 0)
        {
            buffer.flip();
            response.write(buffer.array(), 0, buffer.limit());
            buffer.clear();
        }
        return response.toByteArray();
    }
}

package io.github.jettyuwsgi.uwsgi.client;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketTimeoutException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Locale;

import io.github.jettyuwsgi.uwsgi.codec.UwsgiGenerator;
import io.github.jettyuwsgi.uwsgi.codec.UwsgiVars;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;

/**
 * Plays the frontend against a uwsgi backend without one: builds the request packet the way nginx does with its standard
 * {@code uwsgi_params}, sends it (and a streamed body) over TCP or a Unix socket, and copies the raw HTTP response until
 * the backend closes; also sends the uwsgi ping (modifier1 100) and times the pong.
 *
 * <p>It is the engine of the {@code curl} and {@code ping} commands of the launcher jar ({@link UwsgiCurl}), for
 * operators who want to check a backend with no nginx in front. Every wait (connect, write, read) is bounded by
 * {@link #setTimeout(Duration)}, so a backend that hangs gives an error rather than a hung shell.</p>
 */
public final class UwsgiClient
{
    /** How long any single connect, write or read may wait by default. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    private static final ByteBuffer PONG = UwsgiGenerator.pong().asReadOnlyBuffer();

    private final SocketAddress address;
    private Duration timeout = DEFAULT_TIMEOUT;

    /**
     * @param address an {@link InetSocketAddress} (TCP) or a {@link UnixDomainSocketAddress}
     */
    public UwsgiClient(SocketAddress address)
    {
        if (!(address instanceof InetSocketAddress) && !(address instanceof UnixDomainSocketAddress))
            throw new IllegalArgumentException("address: " + address + " (expected: a TCP host:port or a Unix socket path)");
        this.address = address;
    }

    public static UwsgiClient tcp(String host, int port)
    {
        return new UwsgiClient(new InetSocketAddress(host, port));
    }

    public static UwsgiClient unix(Path socket)
    {
        return new UwsgiClient(UnixDomainSocketAddress.of(socket));
    }

    public SocketAddress getAddress()
    {
        return address;
    }

    public Duration getTimeout()
    {
        return timeout;
    }

    public void setTimeout(Duration timeout)
    {
        if (timeout.isNegative() || timeout.isZero())
            throw new IllegalArgumentException("timeout: " + timeout + " (expected: more than zero)");
        this.timeout = timeout;
    }

    /**
     * Sends one HTTP request as a uwsgi packet and copies the backend's whole answer, byte for byte, to {@code response}.
     *
     * @param method the HTTP method, e.g. GET
     * @param requestUri the request target as a browser sends it: path and optional query, percent-encoded
     * @param headers the HTTP request headers the frontend received; Host gives SERVER_NAME, Content-Length and
     * Content-Type give CONTENT_LENGTH and CONTENT_TYPE
     * @param modifier1 0 for a normal request; nginx's {@code uwsgi_modifier1} when testing another
     * @param body the request body, exactly Content-Length bytes, or null for none
     * @param response receives the raw HTTP response
     * @return the number of response bytes
     * @throws IOException if the backend cannot be reached, times out, or the body is shorter than Content-Length
     */
    public long request(String method, String requestUri, HttpFields headers, int modifier1, InputStream body, OutputStream response) throws IOException
    {
        long contentLength = headers.getLongField(HttpHeader.CONTENT_LENGTH);
        if (body != null && contentLength < 0)
            throw new IllegalArgumentException("Content-Length header: absent (expected: the body length, as nginx always sends one)");
        try (Connection connection = connect())
        {
            InetSocketAddress local = connection.channel.getLocalAddress() instanceof InetSocketAddress inet ? inet : null;
            UwsgiVars vars = nginxVars(method, requestUri, headers, local);
            connection.write(UwsgiGenerator.generateRequest(modifier1, 0, vars));
            if (body != null && contentLength > 0)
                connection.writeBody(body, contentLength);
            return connection.readAll(response);
        }
    }

    /**
     * Sends a uwsgi ping ({@code 64 00 00 00}) and waits for the pong ({@code 64 00 00 01}).
     *
     * @return the time from sending the ping to reading the whole pong
     * @throws IOException if the backend cannot be reached, times out or answers anything but a pong
     */
    public Duration ping() throws IOException
    {
        try (Connection connection = connect())
        {
            long start = System.nanoTime();
            connection.write(UwsgiGenerator.ping());
            ByteArrayOutputStream answer = new ByteArrayOutputStream(4);
            // a backend may close after the pong (ours does) or keep the socket open (uWSGI does): read exactly four bytes
            connection.readAtMost(answer, PONG.remaining());
            Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
            byte[] bytes = answer.toByteArray();
            if (!ByteBuffer.wrap(bytes).equals(PONG))
                throw new IOException("ping answer: " + (bytes.length == 0 ? "none, the backend closed the connection" : hex(bytes)) +
                    " (expected: the pong " + hex(PONG) + ")");
            return elapsed;
        }
    }

    /**
     * Maps an HTTP request to vars the way nginx does with the {@code uwsgi_params} file it ships, in the same order:
     * QUERY_STRING, REQUEST_METHOD, CONTENT_TYPE, CONTENT_LENGTH, REQUEST_URI, PATH_INFO (percent-decoded, as nginx's
     * {@code $document_uri}), SERVER_PROTOCOL, REQUEST_SCHEME, REMOTE_ADDR, REMOTE_PORT, SERVER_PORT, SERVER_NAME, then
     * one {@code HTTP_*} var per header line. DOCUMENT_ROOT is left out: there is no document root here.
     *
     * @param method the HTTP method
     * @param requestUri the percent-encoded path and optional query
     * @param headers the request headers, in order
     * @param client the client address nginx would report, or null for 127.0.0.1 port 0 (e.g. over a Unix socket)
     * @return the vars, ready for {@link UwsgiGenerator#generateRequest(int, int, UwsgiVars)}
     */
    public static UwsgiVars nginxVars(String method, String requestUri, HttpFields headers, InetSocketAddress client)
    {
        if (requestUri.isEmpty() || requestUri.charAt(0) != '/')
            throw new IllegalArgumentException("request URI: '" + requestUri + "' (expected: a path starting with /)");
        int question = requestUri.indexOf('?');
        String path = question < 0 ? requestUri : requestUri.substring(0, question);
        String query = question < 0 ? "" : requestUri.substring(question + 1);
        String host = headers.get(HttpHeader.HOST);
        String serverName = host == null ? "localhost" : hostName(host);
        String serverPort = host == null ? "80" : hostPort(host);

        UwsgiVars vars = new UwsgiVars(16 + headers.size());
        vars.add("QUERY_STRING", query);
        vars.add("REQUEST_METHOD", method);
        vars.add("CONTENT_TYPE", nullToEmpty(headers.get(HttpHeader.CONTENT_TYPE)));
        vars.add("CONTENT_LENGTH", nullToEmpty(headers.get(HttpHeader.CONTENT_LENGTH)));
        vars.add("REQUEST_URI", requestUri);
        vars.add("PATH_INFO", percentDecode(path));
        vars.add("SERVER_PROTOCOL", "HTTP/1.1");
        vars.add("REQUEST_SCHEME", "http");
        vars.add("REMOTE_ADDR", client == null ? "127.0.0.1" : client.getAddress().getHostAddress());
        vars.add("REMOTE_PORT", client == null ? "0" : Integer.toString(client.getPort()));
        vars.add("SERVER_PORT", serverPort);
        vars.add("SERVER_NAME", serverName);
        for (HttpField header : headers)
            vars.add("HTTP_" + header.getName().toUpperCase(Locale.ROOT).replace('-', '_'), header.getValue());
        return vars;
    }

    private static String hostName(String host)
    {
        if (host.startsWith("["))
        {
            int close = host.indexOf(']');
            return close < 0 ? host : host.substring(0, close + 1);
        }
        int colon = host.lastIndexOf(':');
        return colon < 0 ? host : host.substring(0, colon);
    }

    private static String hostPort(String host)
    {
        int colon = host.lastIndexOf(':');
        int close = host.lastIndexOf(']');
        return colon < 0 || colon < close ? "80" : host.substring(colon + 1);
    }

    private static String nullToEmpty(String value)
    {
        return value == null ? "" : value;
    }

    /**
     * Percent-decodes to raw bytes, kept one char per byte as vars are on the wire; nginx does the same for
     * {@code $document_uri} (a malformed escape stays as it is, as nginx leaves it).
     */
    static String percentDecode(String path)
    {
        StringBuilder decoded = new StringBuilder(path.length());
        for (int i = 0; i < path.length(); i++)
        {
            char c = path.charAt(i);
            if (c == '%' && i + 2 < path.length() && isHex(path.charAt(i + 1)) && isHex(path.charAt(i + 2)))
            {
                decoded.append((char)Integer.parseInt(path, i + 1, i + 3, 16));
                i += 2;
            }
            else
            {
                decoded.append(c);
            }
        }
        return decoded.toString();
    }

    private static boolean isHex(char c)
    {
        return Character.digit(c, 16) >= 0;
    }

    private static String hex(byte[] bytes)
    {
        return HexFormat.ofDelimiter(" ").formatHex(bytes);
    }

    private static String hex(ByteBuffer buffer)
    {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.duplicate().get(bytes);
        return hex(bytes);
    }

    private Connection connect() throws IOException
    {
        SocketChannel channel = address instanceof UnixDomainSocketAddress
            ? SocketChannel.open(StandardProtocolFamily.UNIX)
            : SocketChannel.open();
        try
        {
            return new Connection(channel);
        }
        catch (IOException | RuntimeException x)
        {
            channel.close();
            throw x;
        }
    }

    /**
     * One socket in non-blocking mode under a selector, because a blocking {@link SocketChannel} has no read timeout and
     * a Unix socket has no {@code Socket} to set one on.
     */
    private final class Connection implements AutoCloseable
    {
        private final SocketChannel channel;
        private final Selector selector;
        private final SelectionKey key;

        private Connection(SocketChannel channel) throws IOException
        {
            this.channel = channel;
            channel.configureBlocking(false);
            this.selector = Selector.open();
            this.key = channel.register(selector, 0);
            if (!channel.connect(address))
            {
                await(SelectionKey.OP_CONNECT, "connect to " + describe());
                channel.finishConnect();
            }
        }

        private String describe()
        {
            return address instanceof UnixDomainSocketAddress unix ? unix.getPath().toString() : address.toString();
        }

        private void await(int operation, String what) throws IOException
        {
            key.interestOps(operation);
            if (selector.select(timeout.toMillis()) == 0)
                throw new SocketTimeoutException(what + ": no progress in " + timeout.toMillis() + " ms (expected: a backend that answers)");
            selector.selectedKeys().clear();
        }

        private void write(ByteBuffer buffer) throws IOException
        {
            while (buffer.hasRemaining())
            {
                if (channel.write(buffer) == 0)
                    await(SelectionKey.OP_WRITE, "write");
            }
        }

        private void writeBody(InputStream body, long length) throws IOException
        {
            byte[] chunk = new byte[(int)Math.min(64 * 1024, length)];
            long remaining = length;
            while (remaining > 0)
            {
                int read = body.read(chunk, 0, (int)Math.min(chunk.length, remaining));
                if (read < 0)
                    throw new EOFException("request body: ended after " + (length - remaining) + " bytes (expected: " + length + ", the Content-Length)");
                write(ByteBuffer.wrap(chunk, 0, read));
                remaining -= read;
            }
        }

        private long readAll(OutputStream out) throws IOException
        {
            return readAtMost(out, Long.MAX_VALUE);
        }

        private long readAtMost(OutputStream out, long limit) throws IOException
        {
            ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
            long total = 0;
            while (total < limit)
            {
                buffer.clear().limit((int)Math.min(buffer.capacity(), limit - total));
                int read = channel.read(buffer);
                if (read < 0)
                    break;
                if (read == 0)
                {
                    await(SelectionKey.OP_READ, "read");
                    continue;
                }
                out.write(buffer.array(), 0, read);
                total += read;
            }
            out.flush();
            return total;
        }

        @Override
        public void close() throws IOException
        {
            try
            {
                selector.close();
            }
            finally
            {
                channel.close();
            }
        }
    }
}

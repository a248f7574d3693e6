package io.github.jettyuwsgi.gateway.servlet;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * <p>A raw HTTP/1.1 client over one socket, so tests see exactly what the container sent: each chunk as it arrives,
 * and whether a body was properly terminated or cut off by an aborted connection. JDK clients hide both.</p>
 */
final class HttpConnection implements AutoCloseable
{
    private final Socket socket;
    private final InputStream in;
    int status;
    final Map<String, List<String>> headers = new LinkedHashMap<>();
    private boolean chunked;
    private boolean afterChunk;
    private long remaining = -1;

    HttpConnection(int port) throws IOException
    {
        socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(10_000);
        in = new BufferedInputStream(socket.getInputStream());
    }

    /**
     * @param request the request head and body, with {@code \r\n} line ends
     * @return this connection, the head of the response read
     */
    HttpConnection send(String request) throws IOException
    {
        socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
        socket.getOutputStream().flush();
        return this;
    }

    /**
     * @return this connection, after reading the status line and headers
     */
    HttpConnection readHead() throws IOException
    {
        String statusLine = line();
        status = Integer.parseInt(statusLine.split(" ")[1]);
        for (String line = line(); !line.isEmpty(); line = line())
        {
            int colon = line.indexOf(':');
            headers.computeIfAbsent(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), k -> new ArrayList<>()).add(line.substring(colon + 1).trim());
        }
        chunked = headers.getOrDefault("transfer-encoding", List.of()).contains("chunked");
        if (headers.containsKey("content-length"))
            remaining = Long.parseLong(header("content-length"));
        return this;
    }

    String header(String name)
    {
        List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
        return values == null ? null : String.join(", ", values);
    }

    /**
     * @return the next chunk (chunked) or the next bytes available, {@code null} at a proper end of the body
     * @throws EOFException when the connection ends before the body does
     */
    byte[] readChunk() throws IOException
    {
        if (chunked)
        {
            // The CRLF after a chunk's data is read with the next chunk, so a chunk is returned as soon as its data
            // arrived even when the connection is then aborted.
            if (afterChunk)
                line();
            afterChunk = false;
            String sizeLine = line();
            int size = Integer.parseInt(sizeLine.split(";")[0].trim(), 16);
            if (size == 0)
            {
                while (!line().isEmpty())
                {
                    // Trailers, none expected.
                }
                return null;
            }
            byte[] chunk = in.readNBytes(size);
            if (chunk.length < size)
                throw new EOFException("chunk cut off: " + chunk.length + " of " + size + " bytes");
            afterChunk = true;
            return chunk;
        }
        if (remaining == 0)
            return null;
        byte[] buffer = new byte[8192];
        int count = in.read(buffer, 0, remaining < 0 ? buffer.length : (int)Math.min(buffer.length, remaining));
        if (count < 0)
        {
            if (remaining > 0)
                throw new EOFException("body cut off: " + remaining + " bytes missing");
            return null;
        }
        if (remaining > 0)
            remaining -= count;
        return java.util.Arrays.copyOf(buffer, count);
    }

    /**
     * @return the whole body, as latin-1 text
     */
    String readBody() throws IOException
    {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (byte[] chunk = readChunk(); chunk != null; chunk = readChunk())
        {
            body.write(chunk);
        }
        return body.toString(StandardCharsets.ISO_8859_1);
    }

    private String line() throws IOException
    {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); b != '\n'; b = in.read())
        {
            if (b < 0)
                throw new EOFException("connection closed mid-line: " + line.toString(StandardCharsets.ISO_8859_1));
            if (b != '\r')
                line.write(b);
        }
        return line.toString(StandardCharsets.ISO_8859_1);
    }

    @Override
    public void close() throws IOException
    {
        socket.close();
    }

    static String keepAlive(String target)
    {
        return "GET " + target + " HTTP/1.1\r\nHost: localhost\r\n\r\n";
    }

    static String get(String target)
    {
        return "GET " + target + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n";
    }
}

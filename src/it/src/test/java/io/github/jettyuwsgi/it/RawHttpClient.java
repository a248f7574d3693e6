package io.github.jettyuwsgi.it;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * <p>An HTTP/1.1 client that writes the request head exactly as given, for the requests the JDK client will not
 * send: it joins repeated {@code Cookie} header lines into one, and repeated lines are what nginx 1.22 forwards
 * as repeated HTTP_COOKIE vars. One request per connection ({@code Connection: close}).</p>
 */
public final class RawHttpClient
{
    private RawHttpClient()
    {
    }

    /**
     * @param headers header lines in order, as {name, value} pairs; {@code Connection: close} and, with a body,
     * {@code Content-Length} are added
     */
    public static Exchange send(NginxLauncherRig.Route route, int port, String method, String target, List<String[]> headers, byte[] body, int timeoutMillis)
        throws IOException
    {
        StringBuilder head = new StringBuilder(method).append(' ').append(target).append(" HTTP/1.1\r\n");
        for (String[] header : headers)
        {
            head.append(header[0]).append(": ").append(header[1]).append("\r\n");
        }
        if (body != null)
            head.append("Content-Length: ").append(body.length).append("\r\n");
        head.append("Connection: close\r\n\r\n");

        try (Socket socket = new Socket())
        {
            socket.connect(new InetSocketAddress(FreePorts.LOOPBACK, port), timeoutMillis);
            socket.setSoTimeout(timeoutMillis);
            OutputStream out = socket.getOutputStream();
            out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
            if (body != null)
                out.write(body);
            out.flush();
            return readResponse(route, method, new BufferedInputStream(socket.getInputStream()));
        }
    }

    private static Exchange readResponse(NginxLauncherRig.Route route, String method, InputStream in) throws IOException
    {
        String statusLine = readLine(in);
        String[] statusParts = statusLine.split(" ", 3);
        if (statusParts.length < 2 || !statusParts[0].startsWith("HTTP/1."))
            throw new IOException("not an HTTP/1.x status line: " + statusLine);
        int status = Integer.parseInt(statusParts[1]);
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (String line = readLine(in); !line.isEmpty(); line = readLine(in))
        {
            int colon = line.indexOf(':');
            headers.computeIfAbsent(line.substring(0, colon).trim().toLowerCase(), name -> new ArrayList<>()).add(line.substring(colon + 1).trim());
        }
        byte[] body;
        List<String> contentLength = headers.get("content-length");
        if ("HEAD".equals(method) || status == 204 || status == 304)
            body = new byte[0];
        else if (headers.getOrDefault("transfer-encoding", List.of()).contains("chunked"))
            body = readChunked(in);
        else if (contentLength != null)
            body = in.readNBytes(Integer.parseInt(contentLength.get(0)));
        else
            body = in.readAllBytes();
        return new Exchange(route, method, status, headers, body);
    }

    private static byte[] readChunked(InputStream in) throws IOException
    {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true)
        {
            String sizeLine = readLine(in);
            int size = Integer.parseInt(sizeLine.split(";", 2)[0].trim(), 16);
            if (size == 0)
            {
                while (!readLine(in).isEmpty())
                {
                    // Trailer fields: none expected, skipped.
                }
                return body.toByteArray();
            }
            body.writeBytes(in.readNBytes(size));
            readLine(in);
        }
    }

    private static String readLine(InputStream in) throws IOException
    {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        while (true)
        {
            int b = in.read();
            if (b < 0)
                throw new EOFException("connection closed in the response head after '" + line.toString(StandardCharsets.ISO_8859_1) + "'");
            if (b == '\n')
            {
                String text = line.toString(StandardCharsets.ISO_8859_1);
                return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
            }
            line.write(b);
        }
    }
}

package io.github.jettyuwsgi.gateway.host;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A minimal HTTP/1.1 client for the tests: sends exactly the bytes given (so the Host header and framing are the
 * test's choice), reads the response to the end of the connection and undoes chunked framing.
 */
final class RawHttp
{
    private RawHttp()
    {
    }

    record Response(int status, List<String[]> headers, byte[] body)
    {
        String header(String name)
        {
            for (String[] header : headers)
            {
                if (header[0].equalsIgnoreCase(name))
                    return header[1];
            }
            return null;
        }

        String text()
        {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    static Response exchange(int port, String head, byte[] body) throws IOException
    {
        try (Socket socket = new Socket("127.0.0.1", port))
        {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(head.getBytes(StandardCharsets.ISO_8859_1));
            if (body != null)
                out.write(body);
            out.flush();
            return read(socket.getInputStream());
        }
    }

    static Response read(InputStream in) throws IOException
    {
        String statusLine = line(in);
        int status = Integer.parseInt(statusLine.split(" ")[1]);
        List<String[]> headers = new ArrayList<>();
        for (String line = line(in); !line.isEmpty(); line = line(in))
        {
            int colon = line.indexOf(':');
            headers.add(new String[]{line.substring(0, colon).trim(), line.substring(colon + 1).trim()});
        }
        Response head = new Response(status, headers, new byte[0]);
        String encoding = head.header("Transfer-Encoding");
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        if (encoding != null && encoding.toLowerCase(Locale.ROOT).contains("chunked"))
        {
            for (int size = Integer.parseInt(line(in).trim(), 16); size > 0; size = Integer.parseInt(line(in).trim(), 16))
            {
                body.write(in.readNBytes(size));
                line(in);
            }
        }
        else
        {
            in.transferTo(body);
        }
        return new Response(status, headers, body.toByteArray());
    }

    private static String line(InputStream in) throws IOException
    {
        StringBuilder line = new StringBuilder();
        for (int b = in.read(); b != '\n'; b = in.read())
        {
            if (b < 0)
                throw new IOException("response: ended inside a line after '" + line + "' (expected: CRLF)");
            if (b != '\r')
                line.append((char)b);
        }
        return line.toString();
    }
}

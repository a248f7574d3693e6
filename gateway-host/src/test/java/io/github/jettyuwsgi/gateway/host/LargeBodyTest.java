package io.github.jettyuwsgi.gateway.host;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.github.jettyuwsgi.gateway.GatewayApplication;
import io.github.jettyuwsgi.gateway.GatewayValidator;
import io.github.jettyuwsgi.gateway.servlet.GatewayServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * 1 GiB each way through servlet → hosted application → servlet, in a JVM started with {@code -Xmx128m} (its own
 * surefire execution): a bridge that buffered a whole body would fail with OutOfMemoryError.
 */
public class LargeBodyTest
{
    private static final long SIZE = 1024L * 1024 * 1024;

    @Test
    public void bodiesLargerThanTheHeapStreamBothWays() throws Exception
    {
        long maxHeap = Runtime.getRuntime().maxMemory();
        assertTrue(maxHeap < SIZE, "max heap " + maxHeap + " (expected: below the body size; run with -Xmx128m)");
        List<String> warnings = new CopyOnWriteArrayList<>();
        Path war = Path.of(System.getProperty("gateway.echo.war", "target/wars/echo.war"));
        try (HostedApplication echo = HostedApplication.ofWar(war, "/").start();
             HostedApplication download = HostedApplication.ofServlet(new PatternServlet(), "/*").start())
        {
            Server server = new Server();
            ServerConnector connector = new ServerConnector(server);
            connector.setHost("127.0.0.1");
            server.addConnector(connector);
            ServletContextHandler context = new ServletContextHandler();
            context.addServlet(new ServletHolder(new GatewayServlet(validated(echo, warnings))), "/echo/*");
            context.addServlet(new ServletHolder(new GatewayServlet(validated(download, warnings))), "/download/*");
            server.setHandler(context);
            server.start();
            try
            {
                upload(connector.getLocalPort());
                download(connector.getLocalPort());
            }
            finally
            {
                server.stop();
            }
        }
        assertEquals(List.of(), warnings);
    }

    private static GatewayApplication validated(GatewayApplication application, List<String> warnings)
    {
        return new GatewayValidator(GatewayValidator.Profile.STRICT, warnings::add).wrap(application);
    }

    private static void upload(int port) throws Exception
    {
        MessageDigest sent = MessageDigest.getInstance("SHA-256");
        byte[] block = pattern();
        try (Socket socket = new Socket("127.0.0.1", port))
        {
            socket.setSoTimeout(60_000);
            OutputStream out = socket.getOutputStream();
            out.write(("PUT /echo/big HTTP/1.1\r\nHost: app.example\r\nContent-Type: application/octet-stream\r\nContent-Length: " + SIZE +
                "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            for (long written = 0; written < SIZE; written += block.length)
            {
                out.write(block);
                sent.update(block);
            }
            out.flush();
            RawHttp.Response response = RawHttp.read(socket.getInputStream());
            assertEquals(200, response.status(), response.text());
            String echo = response.text();
            assertTrue(echo.contains("\"body\":{\"length\":" + SIZE + ",\"sha256\":\"" + HexFormat.of().formatHex(sent.digest()) + "\"}"), echo);
        }
    }

    private static void download(int port) throws Exception
    {
        MessageDigest expected = MessageDigest.getInstance("SHA-256");
        byte[] block = pattern();
        for (long written = 0; written < SIZE; written += block.length)
            expected.update(block);
        MessageDigest received = MessageDigest.getInstance("SHA-256");
        try (Socket socket = new Socket("127.0.0.1", port))
        {
            socket.setSoTimeout(60_000);
            socket.getOutputStream().write("GET /download/big HTTP/1.1\r\nHost: app.example\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            InputStream in = socket.getInputStream();
            String head = new String(readHead(in), StandardCharsets.ISO_8859_1);
            assertTrue(head.startsWith("HTTP/1.1 200 "), head);
            assertTrue(head.contains("Content-Length: " + SIZE), head);
            byte[] buffer = new byte[64 * 1024];
            long total = 0;
            for (int read = in.read(buffer); read > 0; read = in.read(buffer))
            {
                received.update(buffer, 0, read);
                total += read;
            }
            assertEquals(SIZE, total);
            assertEquals(HexFormat.of().formatHex(expected.digest()), HexFormat.of().formatHex(received.digest()));
        }
    }

    private static byte[] readHead(InputStream in) throws IOException
    {
        java.io.ByteArrayOutputStream head = new java.io.ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4)
        {
            int b = in.read();
            if (b < 0)
                throw new IOException("response: ended inside the head: " + head);
            head.write(b);
            matched = (b == "\r\n\r\n".charAt(matched)) ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        return head.toByteArray();
    }

    private static byte[] pattern()
    {
        byte[] block = new byte[64 * 1024];
        for (int i = 0; i < block.length; i++)
            block[i] = (byte)(i * 31 + (i >> 8));
        return block;
    }

    /** Writes {@link #SIZE} bytes of the pattern with a declared length, as a servlet serving a large file would. */
    private static final class PatternServlet extends HttpServlet
    {
        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException
        {
            response.setContentType("application/octet-stream");
            response.setContentLengthLong(SIZE);
            byte[] block = pattern();
            OutputStream out = response.getOutputStream();
            for (long written = 0; written < SIZE; written += block.length)
                out.write(block);
        }
    }
}

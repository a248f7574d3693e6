package io.github.jettyuwsgi.uwsgi;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import io.github.jettyuwsgi.uwsgi.codec.UwsgiVars;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A request body cut short, over Jetty's HTTP connector and over ours in one server: the same failure reaches the
 * application and the same answer the client.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
public class EarlyEofTest
{
    private final Server server = new Server();
    private ServerConnector http;
    private ServerConnector uwsgi;
    private final List<String> seen = new CopyOnWriteArrayList<>();

    @BeforeEach
    public void start() throws Exception
    {
        HttpConfiguration config = new HttpConfiguration();
        http = new ServerConnector(server, 1, 1, new HttpConnectionFactory(config));
        http.setHost("127.0.0.1");
        uwsgi = new ServerConnector(server, 1, 1, new UwsgiConnectionFactory(config));
        uwsgi.setHost("127.0.0.1");
        server.addConnector(http);
        server.addConnector(uwsgi);
        server.setHandler(new Handler.Abstract()
        {
            @Override
            public boolean handle(Request request, Response response, Callback callback) throws Exception
            {
                try (InputStream body = Content.Source.asInputStream(request))
                {
                    body.readAllBytes();
                }
                catch (IOException x)
                {
                    seen.add(x.getClass().getName() + ": " + x.getMessage());
                    throw x;
                }
                response.write(true, null, callback);
                return true;
            }
        });
        server.start();
    }

    @AfterEach
    public void stop() throws Exception
    {
        server.stop();
    }

    /**
     * CONTENT_LENGTH 1000, 10 bytes, then the frontend's end of stream: the application's read fails with an
     * {@code EofException} and the answer is the one Jetty's HTTP connection gives to the same body cut short.
     */
    @Test
    public void bodyCutShortIsAnEarlyEofAsOverHttp() throws Exception
    {
        String overHttp = exchange(http.getLocalPort(), ("POST /p HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n0123456789").getBytes(StandardCharsets.ISO_8859_1));
        List<String> seenOverHttp = List.copyOf(seen);
        seen.clear();

        ByteArrayOutputStream packet = new ByteArrayOutputStream();
        packet.writeBytes(RawFrontend.packet(UwsgiVars.of("REQUEST_METHOD", "POST", "REQUEST_URI", "/p", "SERVER_PROTOCOL", "HTTP/1.1",
            "HTTP_HOST", "x", "CONTENT_LENGTH", "1000")));
        packet.writeBytes("0123456789".getBytes(StandardCharsets.ISO_8859_1));
        String overUwsgi = exchange(uwsgi.getLocalPort(), packet.toByteArray());

        assertEquals(1, seenOverHttp.size(), seenOverHttp::toString);
        assertEquals(1, seen.size(), seen::toString);
        assertTrue(seen.get(0).endsWith("EofException: Early EOF"), seen::toString);
        assertEquals(statusLine(overHttp), statusLine(overUwsgi), overUwsgi);
        assertEquals("HTTP/1.1 400 Bad Request", statusLine(overUwsgi));
        assertEquals(withoutDate(overHttp), withoutDate(overUwsgi));
        assertFalse(overUwsgi.contains("at org.") || overUwsgi.contains("at java."), overUwsgi);
    }

    private static String statusLine(String response)
    {
        return response.lines().findFirst().orElse("");
    }

    private static String withoutDate(String response)
    {
        return response.replaceAll("(?m)^Date: .*$", "Date:");
    }

    private static String exchange(int port, byte[] bytes) throws IOException
    {
        try (SocketChannel channel = SocketChannel.open(new InetSocketAddress("127.0.0.1", port)))
        {
            channel.write(ByteBuffer.wrap(bytes));
            channel.shutdownOutput();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteBuffer buffer = ByteBuffer.allocate(8192);
            try
            {
                while (channel.read(buffer.clear()) >= 0)
                    out.write(buffer.array(), 0, buffer.position());
            }
            catch (IOException reset)
            {
                out.writeBytes(("[" + reset + "]").getBytes(StandardCharsets.ISO_8859_1));
            }
            return out.toString(StandardCharsets.ISO_8859_1);
        }
    }
}

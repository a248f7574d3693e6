package io.github.jettyuwsgi.launcher.server;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.github.jettyuwsgi.launcher.options.LauncherOptions;
import io.github.jettyuwsgi.launcher.stats.RequestStatistics;
import io.github.jettyuwsgi.launcher.stats.StatsDocument;
import io.github.jettyuwsgi.uwsgi.codec.UwsgiGenerator;
import io.github.jettyuwsgi.uwsgi.codec.UwsgiVars;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every listener the launcher's {@link Connectors} make is a socket of the stats document, with uWSGI's protocol name
 * and the counters of ours: connections accepted and open, and what the uwsgi sockets' frontend checks refused.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
public class ListenerStatsTest
{
    private static final String SECRET = "UWSGI_FRONTEND_SECRET";

    @TempDir
    Path dir;
    private Server server;

    @AfterEach
    public void stop() throws Exception
    {
        if (server != null)
            server.stop();
    }

    private Map<String, Map<String, Object>> socketsByProto(StatsDocument document)
    {
        Map<String, Map<String, Object>> byProto = new LinkedHashMap<>();
        for (Object socket : (List<?>)document.build().get("sockets"))
        {
            @SuppressWarnings("unchecked")
            Map<String, Object> entry = (Map<String, Object>)socket;
            byProto.put(entry.get("proto") + " " + entry.get("name"), entry);
        }
        return byProto;
    }

    private static byte[] packet(String... extra)
    {
        UwsgiVars vars = UwsgiVars.of("REQUEST_METHOD", "GET", "REQUEST_URI", "/x", "SERVER_PROTOCOL", "HTTP/1.1", "HTTP_HOST", "test.local");
        for (int i = 0; i < extra.length; i += 2)
            vars.add(extra[i], extra[i + 1]);
        ByteBuffer buffer = UwsgiGenerator.generateRequest(0, 0, vars);
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        return bytes;
    }

    private static String exchange(String sourceHost, int port, byte[] packet) throws IOException
    {
        try (SocketChannel channel = SocketChannel.open())
        {
            channel.bind(new InetSocketAddress(sourceHost, 0));
            channel.connect(new InetSocketAddress("127.0.0.1", port));
            ByteArrayOutputStream received = new ByteArrayOutputStream();
            try
            {
                channel.write(ByteBuffer.wrap(packet));
                ByteBuffer buffer = ByteBuffer.allocate(4096);
                while (channel.read(buffer.clear()) >= 0)
                    received.write(buffer.array(), 0, buffer.position());
            }
            catch (IOException x)
            {
                // reset by a refusal: nothing came back
            }
            return received.toString(StandardCharsets.ISO_8859_1);
        }
    }

    @Test
    public void testEveryListenerIsASocketWithItsCounters() throws Exception
    {
        LauncherOptions options = LauncherOptions.parse("--war", dir.toString(),
            "--socket", "127.0.0.1:0", "--socket", dir.resolve("u.sock").toString(),
            "--http-socket", "127.0.0.1:0", "--fastcgi-socket", "127.0.0.1:0", "--fastcgi-socket", dir.resolve("f.sock").toString(),
            "--frontend-secret", SECRET + "=s3cret", "--allow-frontend", "127.0.0.1/32");
        server = new Server();
        new Connectors(options).addTo(server);
        server.setHandler(new Handler.Abstract()
        {
            @Override
            public boolean handle(Request request, Response response, Callback callback)
            {
                Content.Sink.write(response, true, "ok", callback);
                return true;
            }
        });
        server.start();
        StatsDocument document = new StatsDocument(server, new RequestStatistics(server.getHandler()), -1, -1, 1);
        List<Integer> ports = new ArrayList<>();
        for (var connector : server.getConnectors())
        {
            if (connector instanceof org.eclipse.jetty.server.ServerConnector tcp)
                ports.add(tcp.getLocalPort());
        }
        int uwsgi = ports.get(0);

        assertTrue(exchange("127.0.0.1", uwsgi, packet(SECRET, "s3cret")).startsWith("HTTP/1.1 200 OK"));
        assertEquals("HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\nConnection: close\r\n\r\n", exchange("127.0.0.1", uwsgi, packet()));
        assertEquals("", exchange("127.0.0.2", uwsgi, packet(SECRET, "s3cret")));
        try (Socket http = new Socket("127.0.0.1", ports.get(1)))
        {
            http.getOutputStream().write("GET /x HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            InputStream in = http.getInputStream();
            assertTrue(new String(in.readAllBytes(), StandardCharsets.US_ASCII).startsWith("HTTP/1.1 200 OK"));
        }

        Map<String, Map<String, Object>> sockets = socketsByProto(document);
        assertEquals(List.of("uwsgi 127.0.0.1:" + uwsgi, "uwsgi " + dir.resolve("u.sock"), "http 127.0.0.1:" + ports.get(1),
            "fastcgi 127.0.0.1:" + ports.get(2), "fastcgi " + dir.resolve("f.sock")), List.copyOf(sockets.keySet()));
        Map<String, Object> tcp = sockets.get("uwsgi 127.0.0.1:" + uwsgi);
        assertEquals(3L, tcp.get("connections"), tcp::toString);
        assertEquals(1L, tcp.get("refused_frontends"), tcp::toString);
        assertEquals(1L, tcp.get("refused_packets"), tcp::toString);
        assertEquals(1L, sockets.get("http 127.0.0.1:" + ports.get(1)).get("connections"));
        for (Map<String, Object> socket : sockets.values())
        {
            assertTrue(socket.get("open_connections") instanceof Long, socket::toString);
            if (!socket.equals(tcp))
                assertEquals(List.of(0L, 0L), List.of(socket.get("refused_frontends"), socket.get("refused_packets")), socket::toString);
        }
    }
}

package io.github.jettyuwsgi.uwsgi.internal;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import io.github.jettyuwsgi.captures.Captures;
import io.github.jettyuwsgi.uwsgi.RawFrontend;
import io.github.jettyuwsgi.uwsgi.UwsgiConfiguration;
import io.github.jettyuwsgi.uwsgi.UwsgiConnectionFactory;
import org.eclipse.jetty.http.HttpTester;
import org.eclipse.jetty.io.ArrayByteBufferPool;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.server.WebSocketUpgradeHandler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * A WebSocket upgrade over uwsgi, end to end in a real Jetty with Jetty's own WebSocket server: the client sends nginx's
 * captured upgrade packet, reads the {@code 101} head, then speaks RFC 6455 frames over the same socket, as nginx does
 * once it tunnels. The buffer pool tracks leaks across the upgrade.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
public class SwitchingProtocolsTest
{
    private static final int TEXT = 0x1;
    private static final int BINARY = 0x2;
    private static final int CLOSE = 0x8;
    private static final int PING = 0x9;
    private static final int PONG = 0xA;

    private Server server;
    private ArrayByteBufferPool.Tracking bufferPool;
    private ServerConnector connector;

    @BeforeEach
    public void start() throws Exception
    {
        bufferPool = new ArrayByteBufferPool.Tracking();
        QueuedThreadPool threads = new QueuedThreadPool();
        threads.setName("server");
        server = new Server(threads, null, bufferPool);
        connector = new ServerConnector(server, 1, 1, new UwsgiConnectionFactory(new HttpConfiguration(), new UwsgiConfiguration()));
        connector.setHost("127.0.0.1");
        // Far longer than the WebSocket idle timeout below: an upgraded connection must live by the latter.
        connector.setIdleTimeout(TimeUnit.MINUTES.toMillis(10));
        server.addConnector(connector);
        server.setHandler(WebSocketUpgradeHandler.from(server, container ->
        {
            container.setIdleTimeout(Duration.ofSeconds(2));
            container.setMaxBinaryMessageSize(2 << 20);
            container.setMaxTextMessageSize(2 << 20);
            container.addMapping("/ws/chat", (request, response, callback) -> new Echo());
        }));
        server.start();
    }

    @AfterEach
    public void stop() throws Exception
    {
        BufferLeaks.assertNoneThenStop(bufferPool, server);
    }

    @Test
    public void testNginxUpgradeIsAnswered101AndTheSocketBecomesAWebSocket() throws Exception
    {
        try (RawFrontend nginx = RawFrontend.tcp(connector.getLocalPort()))
        {
            nginx.send(Captures.read("nginx-websocket-upgrade.bin"));
            HttpTester.Response head = readHead(nginx);
            assertEquals(101, head.getStatus(), head.toString());
            // RFC 6455's own example key, which the capture carries
            assertEquals("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=", head.get("Sec-WebSocket-Accept"));
            assertEquals("websocket", head.get("Upgrade"));
            assertFalse(head.get("Connection").toLowerCase().contains("close"), head.toString());

            nginx.send(frame(TEXT, true, "hello over uwsgi".getBytes(StandardCharsets.UTF_8)));
            assertEquals("hello over uwsgi", new String(readMessage(nginx, TEXT), StandardCharsets.UTF_8));

            closeCleanly(nginx);
        }
    }

    @Test
    public void testFramesSentWithThePacketReachTheWebSocket() throws Exception
    {
        try (RawFrontend nginx = RawFrontend.tcp(connector.getLocalPort()))
        {
            // One write: the first frame arrives in the same read as the packet and must be handed over, not dropped.
            byte[] packet = Captures.read("nginx-websocket-upgrade.bin");
            byte[] frame = frame(TEXT, true, "early".getBytes(StandardCharsets.UTF_8));
            byte[] both = Arrays.copyOf(packet, packet.length + frame.length);
            System.arraycopy(frame, 0, both, packet.length, frame.length);
            nginx.send(both);
            assertEquals(101, readHead(nginx).getStatus());
            assertEquals("early", new String(readMessage(nginx, TEXT), StandardCharsets.UTF_8));
            closeCleanly(nginx);
        }
    }

    @Test
    public void testBinaryMebibyteFragmentsAndPing() throws Exception
    {
        try (RawFrontend nginx = RawFrontend.tcp(connector.getLocalPort()))
        {
            nginx.send(Captures.read("nginx-websocket-upgrade.bin"));
            assertEquals(101, readHead(nginx).getStatus());

            byte[] mebibyte = new byte[1 << 20];
            new Random(12).nextBytes(mebibyte);
            nginx.send(frame(BINARY, true, mebibyte));
            assertArrayEquals(mebibyte, readMessage(nginx, BINARY));

            // a text message in three fragments, a ping between two of them (control frames may interleave)
            nginx.send(frame(TEXT, false, "frag".getBytes(StandardCharsets.UTF_8)));
            nginx.send(frame(PING, true, "are you there".getBytes(StandardCharsets.UTF_8)));
            nginx.send(frame(0x0, false, "men".getBytes(StandardCharsets.UTF_8)));
            nginx.send(frame(0x0, true, "ted".getBytes(StandardCharsets.UTF_8)));
            Frame pong = readFrame(nginx);
            assertEquals(PONG, pong.opcode);
            assertEquals("are you there", new String(pong.payload, StandardCharsets.UTF_8));
            assertEquals("fragmented", new String(readMessage(nginx, TEXT), StandardCharsets.UTF_8));

            closeCleanly(nginx);
        }
    }

    @Test
    public void testUpgradedConnectionLivesByTheWebSocketIdleTimeout() throws Exception
    {
        try (RawFrontend nginx = RawFrontend.tcp(connector.getLocalPort()))
        {
            nginx.send(Captures.read("nginx-websocket-upgrade.bin"));
            assertEquals(101, readHead(nginx).getStatus());
            // Silent: the WebSocket's 2 s idle timeout closes it with 1001, long before the connector's 10 minutes.
            Frame close = readFrame(nginx);
            assertEquals(CLOSE, close.opcode);
            assertEquals(1001, ((close.payload[0] & 0xFF) << 8) | (close.payload[1] & 0xFF));
        }
    }

    private static void closeCleanly(RawFrontend nginx) throws IOException
    {
        nginx.send(frame(CLOSE, true, new byte[]{0x03, (byte)0xE8}));
        Frame close = readFrame(nginx);
        assertEquals(CLOSE, close.opcode);
        assertEquals(1000, ((close.payload[0] & 0xFF) << 8) | (close.payload[1] & 0xFF));
        assertEquals(-1, nginx.input().read(), "the server closes the socket after the close handshake");
    }

    private static HttpTester.Response readHead(RawFrontend nginx) throws IOException
    {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (true)
        {
            int b = nginx.input().read();
            if (b < 0)
                throw new IOException("end of stream in the response head: " + head);
            head.write(b);
            byte[] bytes = head.toByteArray();
            int n = bytes.length;
            if (n >= 4 && bytes[n - 4] == '\r' && bytes[n - 3] == '\n' && bytes[n - 2] == '\r' && bytes[n - 1] == '\n')
                return HttpTester.parseResponse(ByteBuffer.wrap(bytes));
        }
    }

    /**
     * @return a client frame: masked, as RFC 6455 requires of a client
     */
    private static byte[] frame(int opcode, boolean fin, byte[] payload)
    {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write((fin ? 0x80 : 0) | opcode);
        int length = payload.length;
        if (length < 126)
        {
            out.write(0x80 | length);
        }
        else if (length < 65536)
        {
            out.write(0x80 | 126);
            out.write(length >>> 8);
            out.write(length);
        }
        else
        {
            out.write(0x80 | 127);
            for (int shift = 56; shift >= 0; shift -= 8)
                out.write((int)((long)length >>> shift));
        }
        byte[] mask = {0x37, (byte)0xfa, 0x21, 0x3d};
        out.writeBytes(mask);
        for (int i = 0; i < length; i++)
            out.write(payload[i] ^ mask[i % 4]);
        return out.toByteArray();
    }

    private record Frame(boolean fin, int opcode, byte[] payload)
    {
    }

    private static Frame readFrame(RawFrontend nginx) throws IOException
    {
        DataInputStream in = new DataInputStream(nginx.input());
        int b0 = in.readUnsignedByte();
        int b1 = in.readUnsignedByte();
        assertEquals(0, b1 & 0x80, "a server frame is never masked");
        long length = b1 & 0x7F;
        if (length == 126)
            length = in.readUnsignedShort();
        else if (length == 127)
            length = in.readLong();
        byte[] payload = new byte[Math.toIntExact(length)];
        in.readFully(payload);
        return new Frame((b0 & 0x80) != 0, b0 & 0x0F, payload);
    }

    /**
     * @return the payload of one data message, joined from its fragments
     */
    private static byte[] readMessage(RawFrontend nginx, int opcode) throws IOException
    {
        Frame first = readFrame(nginx);
        assertEquals(opcode, first.opcode, "opcode");
        ByteArrayOutputStream message = new ByteArrayOutputStream();
        message.writeBytes(first.payload);
        Frame frame = first;
        while (!frame.fin)
        {
            frame = readFrame(nginx);
            assertEquals(0, frame.opcode, "continuation");
            message.writeBytes(frame.payload);
        }
        return message.toByteArray();
    }

    /** Echoes every message back as it came, text as text and binary as binary. */
    public static class Echo implements Session.Listener.AutoDemanding
    {
        private Session session;

        @Override
        public void onWebSocketOpen(Session session)
        {
            this.session = session;
        }

        @Override
        public void onWebSocketText(String message)
        {
            session.sendText(message, Callback.NOOP);
        }

        @Override
        public void onWebSocketBinary(ByteBuffer payload, Callback callback)
        {
            session.sendBinary(payload, callback);
        }
    }
}

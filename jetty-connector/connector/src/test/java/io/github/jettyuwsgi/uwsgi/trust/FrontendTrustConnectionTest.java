package io.github.jettyuwsgi.uwsgi.trust;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.jettyuwsgi.uwsgi.RawFrontend;
import io.github.jettyuwsgi.uwsgi.UwsgiConfiguration;
import io.github.jettyuwsgi.uwsgi.UwsgiConnectionFactory;
import io.github.jettyuwsgi.uwsgi.codec.UwsgiVars;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.io.ArrayByteBufferPool;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Frontend trust on a real connector over TCP: with a secret and an allow list of 127.0.0.1/32, a packet with the
 * secret is served without it, a packet without it (or with a wrong value, or two copies) is answered a bare 403
 * and never reaches the handler, and a connection from 127.0.0.2 (Linux routes all of 127/8 to loopback) is closed
 * before anything is read. Every refusal is counted.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
public class FrontendTrustConnectionTest
{
    private static final String NAME = "UWSGI_FRONTEND_SECRET";
    private static final String VALUE = "0123456789abcdef0123456789abcdef";
    private static final String FORBIDDEN = "HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";

    private final AtomicInteger handled = new AtomicInteger();
    private Server server;
    private ArrayByteBufferPool.Tracking bufferPool;
    private ServerConnector connector;
    private FrontendTrust trust;

    @BeforeEach
    public void start() throws Exception
    {
        bufferPool = new ArrayByteBufferPool.Tracking();
        server = new Server(new QueuedThreadPool(), null, bufferPool);
        UwsgiConfiguration uwsgiConfig = new UwsgiConfiguration();
        trust = new FrontendTrust(FrontendSecret.of(NAME, VALUE), FrontendAllowList.of(List.of("127.0.0.1/32", "::1")));
        uwsgiConfig.setFrontendTrust(trust);
        connector = new ServerConnector(server, 1, 1, new UwsgiConnectionFactory(new HttpConfiguration(), uwsgiConfig));
        // all of 127/8, so that 127.0.0.2 can connect and be refused by the allow list rather than by the kernel
        connector.setHost("0.0.0.0");
        connector.setIdleTimeout(5000);
        server.addConnector(connector);
        server.setHandler(new Handler.Abstract()
        {
            @Override
            public boolean handle(Request request, Response response, Callback callback) throws IOException
            {
                handled.incrementAndGet();
                StringBuilder seen = new StringBuilder();
                Map<?, ?> vars = (Map<?, ?>)request.getAttribute(UwsgiConnectionFactory.VARS_ATTRIBUTE);
                seen.append("vars=").append(vars.keySet()).append('\n');
                for (HttpField field : request.getHeaders())
                    seen.append(field.getName()).append(": ").append(field.getValue()).append('\n');
                seen.append("body=").append(Content.Source.asString(request)).append('\n');
                Content.Sink.write(response, true, seen.toString(), callback);
                return true;
            }
        });
        server.start();
    }

    @AfterEach
    public void stop() throws Exception
    {
        try
        {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (!bufferPool.getLeaks().isEmpty() && System.nanoTime() < deadline)
                Thread.sleep(50);
            assertTrue(bufferPool.getLeaks().isEmpty(), "buffer leaks: " + bufferPool.dumpLeaks());
        }
        finally
        {
            server.stop();
        }
    }

    private static UwsgiVars post(String... extra)
    {
        UwsgiVars vars = UwsgiVars.of("REQUEST_METHOD", "POST", "REQUEST_URI", "/side-effect", "SERVER_PROTOCOL", "HTTP/1.1",
            "REMOTE_ADDR", "203.0.113.9", "REMOTE_PORT", "40001", "HTTP_HOST", "test.local", "CONTENT_LENGTH", "5");
        for (int i = 0; i < extra.length; i += 2)
            vars.add(extra[i], extra[i + 1]);
        return vars;
    }

    private String exchange(UwsgiVars vars) throws IOException
    {
        byte[] packet = RawFrontend.packet(vars);
        byte[] body = "hello".getBytes(StandardCharsets.US_ASCII);
        try (RawFrontend client = RawFrontend.tcp(connector.getLocalPort()))
        {
            client.send(packet).send(body);
            return new String(client.readAll(), StandardCharsets.ISO_8859_1);
        }
    }

    @Test
    public void testThePacketWithTheSecretIsServedWithoutIt() throws Exception
    {
        String response = exchange(post(NAME, VALUE));
        assertTrue(response.startsWith("HTTP/1.1 200 OK\r\n"), response);
        assertFalse(response.contains(NAME) || response.contains(VALUE) || response.toLowerCase().contains("frontend-secret"), response);
        assertTrue(response.contains("vars=[REQUEST_METHOD, REQUEST_URI, SERVER_PROTOCOL, REMOTE_ADDR, REMOTE_PORT, HTTP_HOST, CONTENT_LENGTH]\n"), response);
        assertTrue(response.contains("body=hello\n"), response);
        assertEquals(1, handled.get());
        assertEquals(0, trust.getRefusedPackets());
    }

    @Test
    public void testAPacketWithoutTheRightSecretIsAnswered403AndNeverHandled() throws Exception
    {
        List<UwsgiVars> refused = List.of(
            post(),
            post(NAME, "wrong"),
            post(NAME, VALUE.substring(1)),
            post(NAME, VALUE, NAME, VALUE),
            post(NAME, "forged", NAME, VALUE),
            post("HTTP_UWSGI_FRONTEND_SECRET", VALUE));
        for (UwsgiVars vars : refused)
        {
            assertEquals(FORBIDDEN, exchange(vars), vars.toString());
        }
        assertEquals(0, handled.get());
        assertEquals(refused.size(), trust.getRefusedPackets());
        assertEquals(0, trust.getRefusedAddresses());
    }

    @Test
    public void testAConnectionFromAnotherAddressIsClosedBeforeReading() throws Exception
    {
        try (SocketChannel channel = SocketChannel.open())
        {
            channel.bind(new InetSocketAddress("127.0.0.2", 0));
            channel.connect(new InetSocketAddress("127.0.0.1", connector.getLocalPort()));
            ByteArrayOutputStream received = new ByteArrayOutputStream();
            ByteBuffer buffer = ByteBuffer.allocate(1024);
            try
            {
                channel.write(ByteBuffer.wrap(RawFrontend.packet(post(NAME, VALUE))));
                while (channel.read(buffer.clear()) >= 0)
                    received.write(buffer.array(), 0, buffer.position());
            }
            catch (IOException x)
            {
                // a reset, when the close met the packet already sent: closed all the same
            }
            assertEquals("", received.toString(StandardCharsets.ISO_8859_1));
        }
        assertEquals(0, handled.get());
        assertEquals(1, trust.getRefusedAddresses());
        assertEquals(0, trust.getRefusedPackets());

        // the allowed address still gets through
        assertTrue(exchange(post(NAME, VALUE)).startsWith("HTTP/1.1 200 OK\r\n"));
    }
}

package io.github.jettyuwsgi.examples.websocket;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import io.github.jettyuwsgi.examples.test.WarServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The WAR in a real ee10 Jetty with its jakarta WebSocket container, and the JDK's WebSocket client: the endpoint is
 * found by annotation scanning and echoes text and a 1 MiB binary message; the page points its script at it.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
public class EchoEndpointTest
{
    @RegisterExtension
    static final WarServer war = new WarServer("/chat");

    @Test
    public void testTextAndMebibyteBinaryAreEchoed() throws Exception
    {
        Collector collector = new Collector();
        HttpClient client = WarServer.newHttpClient();
        WebSocket socket = client.newWebSocketBuilder()
            .buildAsync(URI.create("ws://127.0.0.1:" + war.port() + "/chat/ws/echo"), collector)
            .get(10, TimeUnit.SECONDS);

        socket.sendText("hello", true).get(10, TimeUnit.SECONDS);
        assertEquals("hello", collector.messages.poll(10, TimeUnit.SECONDS));

        byte[] mebibyte = new byte[1 << 20];
        new Random(3).nextBytes(mebibyte);
        socket.sendBinary(ByteBuffer.wrap(mebibyte), true).get(10, TimeUnit.SECONDS);
        assertArrayEquals(mebibyte, (byte[])collector.messages.poll(10, TimeUnit.SECONDS));

        socket.sendClose(WebSocket.NORMAL_CLOSURE, "done").get(10, TimeUnit.SECONDS);
        assertEquals(WebSocket.NORMAL_CLOSURE, collector.closed.get(10, TimeUnit.SECONDS));
    }

    @Test
    public void testPageOpensTheEndpointBesideIt() throws Exception
    {
        HttpResponse<String> page = WarServer.newHttpClient().send(
            HttpRequest.newBuilder(URI.create(war.uri() + "/")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, page.statusCode());
        assertTrue(page.body().contains("\"ws/echo\""), page.body());
        assertTrue(page.body().contains("id=\"echo\""), page.body());
    }

    /** Joins the parts of each message and queues it: a String for text, a byte[] for binary. */
    static class Collector implements WebSocket.Listener
    {
        final LinkedBlockingQueue<Object> messages = new LinkedBlockingQueue<>();
        final CompletableFuture<Integer> closed = new CompletableFuture<>();
        private final StringBuilder text = new StringBuilder();
        private final java.io.ByteArrayOutputStream binary = new java.io.ByteArrayOutputStream();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last)
        {
            text.append(data);
            if (last)
            {
                messages.add(text.toString());
                text.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last)
        {
            byte[] bytes = new byte[data.remaining()];
            data.get(bytes);
            binary.writeBytes(bytes);
            if (last)
            {
                messages.add(binary.toByteArray());
                binary.reset();
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason)
        {
            closed.complete(statusCode);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error)
        {
            closed.completeExceptionally(error);
        }
    }
}

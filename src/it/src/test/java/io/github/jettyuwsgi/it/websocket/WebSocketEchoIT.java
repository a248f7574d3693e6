package io.github.jettyuwsgi.it.websocket;

import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import io.github.jettyuwsgi.it.websocket.WebSocketRig.Route;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.api.StatusCode;
import org.eclipse.jetty.websocket.client.WebSocketClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * <p>Jetty's WebSocket client against the example echo endpoints, jakarta (ee11) and javax (ee8), through every
 * route: nginx {@code uwsgi_pass} over TCP and over a Unix socket, uWSGI's HTTP router with {@code http-websockets},
 * and the launcher's own HTTP socket. Each route carries text and binary messages, 1 MiB messages both ways, a
 * fragmented message with a ping between its fragments, and ends with a clean close handshake.</p>
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class WebSocketEchoIT
{
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final int MEBIBYTE = 1 << 20;

    private WebSocketRig rig;
    private WebSocketClient client;

    @BeforeAll
    void start() throws Exception
    {
        rig = WebSocketRig.start("websocket-echo");
        client = new WebSocketClient();
        client.setMaxTextMessageSize(4 * MEBIBYTE);
        client.setMaxBinaryMessageSize(4 * MEBIBYTE);
        client.setIdleTimeout(Duration.ofMinutes(1));
        client.start();
    }

    @AfterAll
    void stop() throws Exception
    {
        try
        {
            if (client != null)
                client.stop();
        }
        finally
        {
            if (rig != null)
                rig.close();
        }
    }

    static Stream<Arguments> routes()
    {
        List<Arguments> routes = new ArrayList<>();
        for (Route route : Route.values())
        {
            routes.add(Arguments.of(route, WebSocketRig.JAKARTA));
            routes.add(Arguments.of(route, WebSocketRig.JAVAX));
        }
        return routes.stream();
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("routes")
    void textBinaryMebibyteFragmentsPingAndCleanClose(Route route, String context) throws Exception
    {
        URI uri = rig.uri(route, "ws", context + "/ws/echo");
        Recorder recorder = new Recorder();
        Session session = client.connect(recorder, uri).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        try
        {
            send(route, c -> session.sendText("hello over " + route, c));
            assertEquals("hello over " + route, recorder.next(route), () -> route + " text echo");

            byte[] small = {0, 1, 2, (byte)0xFF, (byte)0x80};
            send(route, c -> session.sendBinary(ByteBuffer.wrap(small), c));
            assertArrayEquals(small, (byte[])recorder.next(route), () -> route + " binary echo");

            byte[] mebibyte = new byte[MEBIBYTE];
            new Random(route.ordinal()).nextBytes(mebibyte);
            send(route, c -> session.sendBinary(ByteBuffer.wrap(mebibyte), c));
            assertArrayEquals(mebibyte, (byte[])recorder.next(route), () -> route + " 1 MiB binary echo");

            String text = "é€".repeat(MEBIBYTE / 5);
            send(route, c -> session.sendText(text, c));
            assertEquals(text, recorder.next(route), () -> route + " 1 MiB text echo");

            // A message in three frames with a ping between two of them: control frames may come between fragments.
            send(route, c -> session.sendPartialText("frag", false, c));
            send(route, c -> session.sendPing(ByteBuffer.wrap("ping!".getBytes(StandardCharsets.UTF_8)), c));
            send(route, c -> session.sendPartialText("men", false, c));
            send(route, c -> session.sendPartialText("ted", true, c));
            assertEquals("ping!", recorder.pongs.poll(WAIT.toSeconds(), TimeUnit.SECONDS), () -> route + " pong\n" + rig.describeLogs());
            assertEquals("fragmented", recorder.next(route), () -> route + " fragmented echo");
        }
        finally
        {
            session.close(StatusCode.NORMAL, "done", Callback.NOOP);
        }
        assertEquals(StatusCode.NORMAL, recorder.closed.get(WAIT.toSeconds(), TimeUnit.SECONDS), () -> route + " close code\n" + rig.describeLogs());
        rig.assertAlive();
    }

    private interface Send
    {
        void send(Callback callback);
    }

    private void send(Route route, Send send) throws Exception
    {
        Callback.Completable completable = new Callback.Completable();
        send.send(completable);
        completable.get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    /** Queues every whole message (String or byte[]), every pong payload and the close code. */
    public static class Recorder implements Session.Listener.AutoDemanding
    {
        final LinkedBlockingQueue<Object> messages = new LinkedBlockingQueue<>();
        final LinkedBlockingQueue<String> pongs = new LinkedBlockingQueue<>();
        final CompletableFuture<Integer> closed = new CompletableFuture<>();

        Object next(Route route) throws InterruptedException
        {
            Object message = messages.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertNotNull(message, () -> route + ": no echo within " + WAIT);
            return message;
        }

        @Override
        public void onWebSocketText(String message)
        {
            messages.add(message);
        }

        @Override
        public void onWebSocketBinary(ByteBuffer payload, Callback callback)
        {
            byte[] bytes = new byte[payload.remaining()];
            payload.get(bytes);
            messages.add(bytes);
            callback.succeed();
        }

        @Override
        public void onWebSocketPong(ByteBuffer payload)
        {
            pongs.add(StandardCharsets.UTF_8.decode(payload).toString());
        }

        @Override
        public void onWebSocketClose(int statusCode, String reason, Callback callback)
        {
            closed.complete(statusCode);
            callback.succeed();
        }

        @Override
        public void onWebSocketError(Throwable cause)
        {
            closed.completeExceptionally(cause);
        }
    }
}

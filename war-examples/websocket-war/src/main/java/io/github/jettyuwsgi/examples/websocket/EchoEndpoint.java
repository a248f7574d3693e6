package io.github.jettyuwsgi.examples.websocket;

import java.io.IOException;
import java.nio.ByteBuffer;

import jakarta.websocket.OnMessage;
import jakarta.websocket.Session;
import jakarta.websocket.server.ServerEndpoint;

/**
 * The WebSocket end of the example: every text or binary message goes back to the session that sent it, unchanged.
 * Fragmented messages arrive whole (the container joins them) and pings are answered by the container, so a client
 * sees exactly what it sent; the page {@code index.html} and the end-to-end tests talk to it at {@code /ws/echo}.
 */
@ServerEndpoint("/ws/echo")
public class EchoEndpoint
{
    /** Large enough for the end-to-end tests' 1 MiB messages; the container's default is 64 KiB. */
    static final int MAX_MESSAGE = 4 << 20;

    @OnMessage(maxMessageSize = MAX_MESSAGE)
    public void onText(String message, Session session) throws IOException
    {
        session.getBasicRemote().sendText(message);
    }

    @OnMessage(maxMessageSize = MAX_MESSAGE)
    public void onBinary(ByteBuffer message, Session session) throws IOException
    {
        session.getBasicRemote().sendBinary(message);
    }
}

package io.github.jettyuwsgi.examples.websocket.javax;

import java.io.IOException;
import java.nio.ByteBuffer;

import javax.websocket.OnMessage;
import javax.websocket.Session;
import javax.websocket.server.ServerEndpoint;

/**
 * The WebSocket end of the ee8 example, the {@code javax.websocket} twin of the websocket-war's endpoint: every text
 * or binary message goes back to the session that sent it, unchanged, at {@code /ws/echo} beside the page.
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

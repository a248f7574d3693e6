package io.github.jettyuwsgi.examples.websocket.javax;

import java.net.URI;
import java.net.http.WebSocket;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

import java.net.http.HttpClient;
import org.eclipse.jetty.ee8.webapp.WebAppContext;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The javax WAR in a real ee8 Jetty (the environment the launcher picks for its Servlet 4.0 descriptor) with its
 * javax WebSocket container: the endpoint is found by annotation scanning and echoes a text message.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
public class EchoEndpointTest
{
    private static Server server;
    private static ServerConnector connector;

    @BeforeAll
    public static void start() throws Exception
    {
        server = new Server();
        connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        server.addConnector(connector);
        WebAppContext context = new WebAppContext();
        context.setContextPath("/legacy-chat");
        context.setWar(Path.of("src", "main", "webapp").toAbsolutePath().toString());
        context.setExtraClasspath(Path.of("target", "classes").toAbsolutePath().toString());
        context.setThrowUnavailableOnStartupException(true);
        server.setHandler(context.getCoreContextHandler());
        server.start();
    }

    @AfterAll
    public static void stop() throws Exception
    {
        if (server != null)
            server.stop();
    }

    @Test
    public void testTextIsEchoed() throws Exception
    {
        CompletableFuture<String> echo = new CompletableFuture<>();
        WebSocket socket = HttpClient.newHttpClient().newWebSocketBuilder()
            .buildAsync(URI.create("ws://127.0.0.1:" + connector.getLocalPort() + "/legacy-chat/ws/echo"), new WebSocket.Listener()
            {
                @Override
                public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last)
                {
                    echo.complete(data.toString());
                    return null;
                }
            })
            .get(10, TimeUnit.SECONDS);
        socket.sendText("hello from ee8", true).get(10, TimeUnit.SECONDS);
        assertEquals("hello from ee8", echo.get(10, TimeUnit.SECONDS));
        socket.sendClose(WebSocket.NORMAL_CLOSURE, "done").get(10, TimeUnit.SECONDS);
    }
}

package io.github.jettyuwsgi.launcher.server;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.github.jettyuwsgi.uwsgi.UwsgiConnectionFactory;
import io.github.jettyuwsgi.uwsgi.UwsgiUnixDomainConnector;
import io.github.jettyuwsgi.uwsgi.codec.UwsgiGenerator;
import io.github.jettyuwsgi.uwsgi.codec.UwsgiVars;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The drain-first stop on a real Jetty server with a uwsgi Unix socket and the launcher's {@link GracefulHandler}:
 * no new connection reaches a stopping server, and one it had accepted is served, not answered 503.
 */
public class DrainFirstStopTest
{
    @TempDir
    Path directory;
    private Server server;
    private Path socket;

    @BeforeEach
    void start() throws Exception
    {
        socket = directory.resolve("app.sock");
        server = new Server();
        UwsgiUnixDomainConnector connector = new UwsgiUnixDomainConnector(server, new UwsgiConnectionFactory());
        connector.setUnixDomainPath(socket);
        // the stop closes a connection that stays idle this long; the test's own pauses on a busy machine must not
        connector.setShutdownIdleTimeout(30_000);
        server.addConnector(connector);
        server.setHandler(new GracefulHandler(new Handler.Abstract()
        {
            @Override
            public boolean handle(Request request, Response response, Callback callback)
            {
                response.setStatus(200);
                response.write(true, ByteBuffer.wrap("served\n".getBytes(StandardCharsets.US_ASCII)), callback);
                return true;
            }
        }));
        server.setStopTimeout(5000);
        server.start();
    }

    @AfterEach
    void stop() throws Exception
    {
        server.stop();
    }

    @Test
    void aConnectionAcceptedBeforeTheStopIsServedAndNoNewOneGetsIn() throws Exception
    {
        try (SocketChannel accepted = SocketChannel.open(StandardProtocolFamily.UNIX))
        {
            accepted.connect(UnixDomainSocketAddress.of(socket));
            // the request comes after the stop has begun, as from a frontend whose connect the server had accepted
            CompletableFuture<Void> stopped = CompletableFuture.runAsync(() -> new DrainFirstStop(server).stop());
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (Files.exists(socket) && System.nanoTime() < deadline)
            {
                Thread.sleep(5);
            }
            assertFalse(Files.exists(socket), "the socket file is gone once the stop begins");
            assertThrows(IOException.class, () -> SocketChannel.open(UnixDomainSocketAddress.of(socket)), "a new connection");
            assertFalse(stopped.isDone(), "the stop waits for the accepted connection");

            accepted.write(UwsgiGenerator.generateRequest(0, 0, UwsgiVars.of("REQUEST_METHOD", "GET", "REQUEST_URI", "/", "PATH_INFO", "/",
                "SERVER_PROTOCOL", "HTTP/1.1", "SERVER_NAME", "localhost", "SERVER_PORT", "80")));
            String response = readAll(accepted);
            assertTrue(response.startsWith("HTTP/1.1 200"), response);
            assertTrue(response.endsWith("served\n"), response);
            stopped.get(10, TimeUnit.SECONDS);
            assertTrue(server.isStopped());
        }
        try (var files = Files.list(directory))
        {
            assertEquals(0, files.count(), "the drained socket's file is removed at the stop");
        }
    }

    @Test
    void aPingIsAnsweredThroughTheSocketsNewName() throws Exception
    {
        DrainFirstStop.ping(socket, System.nanoTime() + TimeUnit.SECONDS.toNanos(5));
    }

    private static String readAll(SocketChannel channel) throws IOException
    {
        ByteBuffer buffer = ByteBuffer.allocate(4096);
        while (channel.read(buffer) >= 0)
        {
            if (!buffer.hasRemaining())
                break;
        }
        return new String(buffer.array(), 0, buffer.position(), StandardCharsets.ISO_8859_1);
    }
}

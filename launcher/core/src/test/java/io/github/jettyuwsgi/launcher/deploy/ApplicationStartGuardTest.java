package io.github.jettyuwsgi.launcher.deploy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

import io.github.jettyuwsgi.launcher.server.ServerAssembler;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ContextHandler;
import org.eclipse.jetty.server.handler.ContextHandlerCollection;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link ApplicationStartGuard} and {@link StartedApplications} as {@link ServerAssembler} puts them, in a real Jetty
 * asked over a real socket: contexts whose handler fails to start (as a servlet that throws from {@code init} makes a
 * WAR fail) next to contexts that start.
 */
public class ApplicationStartGuardTest
{
    private Server server;
    private int port;

    @AfterEach
    public void stopServer() throws Exception
    {
        if (server != null)
            server.stop();
    }

    /**
     * A core context at {@code contextPath} answering "ok", or failing to start with "database unreachable".
     */
    private static ApplicationStartGuard application(String contextPath, boolean starts, String... virtualHosts)
    {
        ContextHandler context = new ContextHandler(new Handler.Abstract()
        {
            @Override
            protected void doStart() throws Exception
            {
                if (!starts)
                    throw new IllegalStateException("database unreachable");
                super.doStart();
            }

            @Override
            public boolean handle(Request request, Response response, Callback callback)
            {
                Response.writeError(request, response, callback, 200, "ok");
                return true;
            }
        }, contextPath);
        context.setVirtualHosts(List.of(virtualHosts));
        return new ApplicationStartGuard("application at " + contextPath, context);
    }

    private Server serve(boolean needApp, ApplicationStartGuard... applications)
    {
        server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        server.addConnector(connector);
        ContextHandlerCollection contexts = new ContextHandlerCollection();
        for (ApplicationStartGuard application : applications)
        {
            contexts.addHandler(application);
        }
        server.setHandler(new StartedApplications(contexts, needApp));
        return server;
    }

    private void start() throws Exception
    {
        server.start();
        port = ((ServerConnector)server.getConnectors()[0]).getLocalPort();
    }

    /**
     * @return the status code of a GET of {@code path} with {@code Host: host}
     */
    private int get(String host, String path) throws IOException
    {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port))
        {
            socket.setSoTimeout(15_000);
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            String response = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
            assertTrue(response.startsWith("HTTP/1.1 "), response);
            return Integer.parseInt(response.substring(9, 12));
        }
    }

    @Test
    public void testLoneFailedApplicationAnswers503OnlyInItsPath() throws Exception
    {
        ApplicationStartGuard shop = application("/shop", false);
        serve(false, shop);
        start();

        assertEquals("application at /shop did not start: database unreachable", shop.getFailure().getMessage());
        assertEquals(503, get("localhost", "/shop/cart"));
        assertEquals(503, get("localhost", "/shop"));
        // ContextHandlerCollection hands these to the lone context too: it is not theirs to refuse
        assertEquals(404, get("localhost", "/other"));
        assertEquals(404, get("localhost", "/shopping"));
        assertEquals(404, get("localhost", "/"));
    }

    @Test
    public void testFailedApplicationAnswers503OnlyOnItsVirtualHosts() throws Exception
    {
        serve(false, application("/shop", false, "shop.example"));
        start();

        assertEquals(503, get("shop.example", "/shop/cart"));
        assertEquals(404, get("other.example", "/shop/cart"));
    }

    @Test
    public void testFailedRootApplicationAnswers503Everywhere() throws Exception
    {
        serve(false, application("/", false), application("/ok", true));
        start();

        assertEquals(503, get("localhost", "/anything"));
        assertEquals(200, get("localhost", "/ok/"));
    }

    @Test
    public void testNeedAppStartsWhenOneApplicationStarted() throws Exception
    {
        ApplicationStartGuard shop = application("/shop", false);
        ApplicationStartGuard ok = application("/ok", true);
        serve(true, shop, ok);
        start();

        assertTrue(server.isStarted());
        assertEquals(null, ok.getFailure());
        assertEquals(200, get("localhost", "/ok/"));
        assertEquals(503, get("localhost", "/shop/cart"));
    }

    @Test
    public void testNeedAppFailsTheStartWhenNoApplicationStarted() throws Exception
    {
        serve(true, application("/shop", false), application("/blog", false));

        Exception failure = assertThrows(Exception.class, this::start);

        Optional<ApplicationStartException> needApp = ApplicationStartException.find(failure);
        assertTrue(needApp.isPresent(), () -> "no ApplicationStartException in " + failure);
        assertEquals("no application started: application at /shop did not start: database unreachable; application at /blog did not start: database unreachable",
            needApp.get().getMessage());
        assertFalse(server.isStarted());
    }

    @Test
    public void testWithoutNeedAppNoApplicationStartedStillStarts() throws Exception
    {
        serve(false, application("/shop", false));
        start();

        assertTrue(server.isStarted());
        assertEquals(503, get("localhost", "/shop/"));
    }

    @Test
    public void testRestartClearsTheFailure() throws Exception
    {
        ApplicationStartGuard ok = application("/ok", true);
        serve(true, ok);
        start();
        server.stop();
        start();

        assertEquals(null, ok.getFailure());
        assertEquals(200, get("localhost", "/ok/"));
    }
}

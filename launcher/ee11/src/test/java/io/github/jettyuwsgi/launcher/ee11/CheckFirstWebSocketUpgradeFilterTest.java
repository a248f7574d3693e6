package io.github.jettyuwsgi.launcher.ee11;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import io.github.jettyuwsgi.launcher.deploy.WebAppSpec;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.eclipse.jetty.ee11.webapp.WebAppContext;
import org.eclipse.jetty.ee11.websocket.server.JettyWebSocketServerContainer;
import org.eclipse.jetty.ee11.websocket.servlet.WebSocketUpgradeFilter;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.websocket.api.Session;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A WAR deployed by {@link Ee11WebAppDeployer} on a real Jetty, with Jetty's WebSocket initializers: the upgrade filter
 * they configure is the one that checks first, plain requests reach the servlet, and a handshake still upgrades.
 */
public class CheckFirstWebSocketUpgradeFilterTest
{
    private Server server;
    private WebAppContext webApp;
    private int port;

    public static class HelloServlet extends HttpServlet
    {
        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException
        {
            response.setContentType("text/plain");
            response.getWriter().print("hello " + request.getHeader("Sec-WebSocket-Version"));
        }
    }

    /** Public: Jetty calls the endpoint's methods reflectively. */
    public static class QuietEndpoint extends Session.Listener.AbstractAutoDemanding
    {
    }

    @BeforeEach
    public void start(@TempDir Path war) throws Exception
    {
        Files.createDirectories(war.resolve("WEB-INF"));
        Files.writeString(war.resolve("WEB-INF/web.xml"), """
            <web-app xmlns="https://jakarta.ee/xml/ns/jakartaee" version="6.1">
              <servlet><servlet-name>hello</servlet-name><servlet-class>%s</servlet-class></servlet>
              <servlet-mapping><servlet-name>hello</servlet-name><url-pattern>/hello</url-pattern></servlet-mapping>
            </web-app>
            """.formatted(HelloServlet.class.getName()));
        server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        server.addConnector(connector);
        webApp = (WebAppContext)new Ee11WebAppDeployer().newContext(new WebAppSpec("/app", war));
        // test classes come from the test class path, not WEB-INF/classes
        webApp.setParentLoaderPriority(true);
        server.setHandler(webApp);
        server.start();
        port = connector.getLocalPort();
        JettyWebSocketServerContainer.getContainer(webApp.getServletContext())
            .addMapping("/ws", (upgradeRequest, upgradeResponse) -> new QuietEndpoint());
    }

    @AfterEach
    public void stop() throws Exception
    {
        server.stop();
    }

    @Test
    public void testJettysInitializersConfigureTheFilterThatChecksFirst()
    {
        assertInstanceOf(CheckFirstWebSocketUpgradeFilter.class, WebSocketUpgradeFilter.getFilter(webApp.getServletContext()).getFilter());
    }

    @Test
    public void testPlainRequestsReachTheServlet() throws Exception
    {
        assertTrue(exchange("GET /app/hello HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\r\n").endsWith("hello null"));
        // a version header alone is no handshake: Jetty's own filter passes the request on
        String versionOnly = exchange("GET /app/hello HTTP/1.1\r\nHost: test\r\nSec-WebSocket-Version: 13\r\nConnection: close\r\n\r\n");
        assertTrue(versionOnly.startsWith("HTTP/1.1 200 "), versionOnly);
        assertTrue(versionOnly.endsWith("hello 13"), versionOnly);
    }

    @Test
    public void testHandshakeUpgrades() throws Exception
    {
        String response = exchange("""
            GET /app/ws HTTP/1.1\r
            Host: test\r
            Upgrade: websocket\r
            Connection: Upgrade\r
            Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r
            Sec-WebSocket-Version: 13\r
            \r
            """);
        assertTrue(response.startsWith("HTTP/1.1 101 "), response);
        // RFC 6455's own example key and accept value
        assertTrue(response.contains("Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo="), response);
    }

    /**
     * @return what the server sent until it closed, or its head only for a 101 (the upgraded connection stays open)
     */
    private String exchange(String request) throws IOException
    {
        try (Socket socket = new Socket("127.0.0.1", port))
        {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            StringBuilder text = new StringBuilder();
            int b;
            while ((b = in.read()) >= 0)
            {
                text.append((char)b);
                if (text.indexOf("HTTP/1.1 101 ") == 0 && text.indexOf("\r\n\r\n") > 0)
                    break;
                if (text.length() > 12 && text.indexOf("HTTP/1.1 101 ") != 0 && text.indexOf("\r\n\r\n") > 0 && in.available() == 0)
                    break;
            }
            return text.toString();
        }
    }
}

package io.github.jettyuwsgi.launcher.session;

import java.io.IOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@code session-store = file:DIR} shared by several servers, as instances of a fleet on one host (or one shared
 * file system) share it: real ee10 contexts and real HTTP, a client going from one server to the other with its cookie,
 * through {@link SharedFileSessionDataStore} and {@link GuardedSessionCache} without a cache.
 */
public class SharedFileSessionDataStoreTest
{
    private final List<Server> servers = new ArrayList<>();

    @TempDir
    Path directory;

    @AfterEach
    public void stopServers() throws Exception
    {
        for (Server server : servers)
        {
            server.stop();
        }
    }

    /**
     * A server whose one context at /counter counts in the session, with the file store on the shared directory and
     * the default worker name of this socket (which has a {@code _}, as every default worker name has).
     */
    private Server startServer(String socket) throws Exception
    {
        SessionStoreSettings settings = SessionStoreSettings.parse(Map.of("session-store", "file:" + directory), "web1", socket, List.of());
        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        server.addConnector(connector);
        SessionStores stores = new SessionStores(settings);
        stores.install(server);
        ServletContextHandler context = new ServletContextHandler(ServletContextHandler.SESSIONS);
        context.setContextPath("/counter");
        context.addServlet(new ServletHolder(new CounterServlet()), "/*");
        server.setHandler(stores.guard(context));
        server.start();
        servers.add(server);
        return server;
    }

    private static String count(HttpClient client, Server server) throws IOException, InterruptedException
    {
        return count(client, server, "");
    }

    private static String count(HttpClient client, Server server, String query) throws IOException, InterruptedException
    {
        URI uri = URI.create("http://127.0.0.1:" + ((ServerConnector)server.getConnectors()[0]).getLocalPort() + "/counter/count" + query);
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
        return response.body();
    }

    private static HttpClient newClient()
    {
        return newClient(new CookieManager());
    }

    private static HttpClient newClient(CookieManager cookies)
    {
        // one cookie jar for every server: cookies belong to the host, not to the port, as behind one frontend
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).cookieHandler(cookies).connectTimeout(Duration.ofSeconds(5)).build();
    }

    @Test
    public void sessionsCreatedAfterTheOtherServerStartedAreSharedOnEveryRequest() throws Exception
    {
        Server a = startServer("/run/app/a.sock");
        Server b = startServer("/run/app/b.sock");
        HttpClient client = newClient();
        for (int expected = 1; expected <= 20; expected++)
        {
            assertEquals("count=" + expected, count(client, expected % 2 == 0 ? a : b));
        }
        HttpClient other = newClient();
        for (int expected = 1; expected <= 5; expected++)
        {
            assertEquals("count=" + expected, count(other, expected % 2 == 0 ? b : a));
        }
        assertEquals(List.of(1L, 1L), sessionFiles(), "one file per session: every older one was replaced");
    }

    @Test
    public void aServerStartedLaterAndOneRestartedCarryOnTheSession() throws Exception
    {
        Server a = startServer("/run/app/a.sock");
        HttpClient client = newClient();
        assertEquals("count=1", count(client, a));
        assertEquals("count=2", count(client, a));
        Server b = startServer("/run/app/b.sock");
        assertEquals("count=3", count(client, b));
        a.stop();
        servers.remove(a);
        Server again = startServer("/run/app/a.sock");
        assertEquals("count=4", count(client, again));
        assertEquals("count=5", count(client, b));
        assertEquals("count=6", count(client, again));
    }

    /**
     * A request whose response has been sent but which has not ended yet keeps its session entered in the cache; the
     * client's next request, to another server, and the one after, back to the first server, must count on from what
     * the other server wrote, not from the copy still held by the ending request.
     */
    @Test
    public void aRequestStillEndingDoesNotLendItsOlderCopyOfTheSession() throws Exception
    {
        Server a = startServer("/run/app/a.sock");
        Server b = startServer("/run/app/b.sock");
        CookieManager cookies = new CookieManager();
        HttpClient client = newClient(cookies);
        assertEquals("count=1", count(client, a));
        // answered at once, then the request goes on for 3 s on a; the next requests to a come on another connection,
        // as a router's do, so that a reads them at once
        assertEquals("count=2", count(newClient(cookies), a, "?linger=3000"));
        assertEquals("count=3", count(client, b));
        assertEquals("count=4", count(client, a));
        assertEquals("count=5", count(client, b));
    }

    /**
     * @return for each session, how many files it has
     */
    private List<Long> sessionFiles() throws IOException
    {
        try (Stream<Path> files = Files.list(directory))
        {
            return files.map(file -> file.getFileName().toString()).filter(name -> !name.startsWith("."))
                .collect(Collectors.groupingBy(name -> name.substring(name.indexOf('_') + 1), Collectors.counting()))
                .values().stream().toList();
        }
    }

    /**
     * Counts in the session, as the session-counter WAR does.
     */
    public static final class CounterServlet extends HttpServlet
    {
        @Override
        protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException
        {
            HttpSession session = request.getSession(true);
            Integer count = (Integer)session.getAttribute("count");
            int next = count == null ? 1 : count + 1;
            session.setAttribute("count", next);
            response.setContentType("text/plain");
            byte[] body = ("count=" + next).getBytes(StandardCharsets.US_ASCII);
            response.setContentLength(body.length);
            response.getOutputStream().write(body);
            String linger = request.getParameter("linger");
            if (linger != null)
            {
                // the whole response is sent: the client has its answer while this request has not ended
                response.flushBuffer();
                try
                {
                    Thread.sleep(Long.parseLong(linger));
                }
                catch (InterruptedException x)
                {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }
}

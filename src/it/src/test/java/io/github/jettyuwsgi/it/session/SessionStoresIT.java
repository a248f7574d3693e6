package io.github.jettyuwsgi.it.session;

import java.io.IOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.github.jettyuwsgi.it.FreePorts;
import io.github.jettyuwsgi.it.postgres.PostgresCluster;
import io.github.jettyuwsgi.it.postgres.PostgresExtension;
import io.github.jettyuwsgi.launcher.session.SessionStoreException;
import io.github.jettyuwsgi.launcher.session.SessionStoreSettings;
import io.github.jettyuwsgi.launcher.session.SessionStores;
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
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The launcher's session stores ({@code io.github.jettyuwsgi.launcher.session}) in-process, against a real
 * PostgreSQL ({@link PostgresCluster}) and real ee10 contexts: two servers with their own worker names share one
 * client's session through the database; the table is made on first start; a database that is not there at start
 * is a {@link SessionStoreException} naming the option; a database that goes away while the servers run turns the
 * requests that need it into 503s, and the same session carries on once it is back.
 */
public class SessionStoresIT
{
    @RegisterExtension
    static final PostgresExtension POSTGRES = new PostgresExtension();
    private final List<Server> servers = new ArrayList<>();

    @AfterEach
    public void stopServers() throws Exception
    {
        for (Server server : servers)
        {
            server.stop();
        }
        if (!POSTGRES.cluster().isUp())
            POSTGRES.cluster().start();
    }

    /**
     * A server with one ee10 context at /counter whose servlet counts in the session, its sessions configured by
     * {@link SessionStores} from the given values.
     */
    private Server startServer(Map<String, String> values, String socket) throws Exception
    {
        SessionStoreSettings settings = SessionStoreSettings.parse(values, "it", socket, List.of());
        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost(FreePorts.LOOPBACK);
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

    private static URI uri(Server server)
    {
        return URI.create("http://127.0.0.1:" + ((ServerConnector)server.getConnectors()[0]).getLocalPort() + "/counter/count");
    }

    private static HttpResponse<String> count(HttpClient client, Server server) throws IOException, InterruptedException
    {
        return client.send(HttpRequest.newBuilder(uri(server)).POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpClient newClient()
    {
        // one cookie jar for both servers: cookies belong to the host, not to the port, as behind one frontend
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).cookieHandler(new CookieManager()).connectTimeout(Duration.ofSeconds(5)).build();
    }

    @Test
    public void twoServersShareOneSessionThroughTheDatabase() throws Exception
    {
        Map<String, String> values = Map.of("session-store", POSTGRES.cluster().jdbcUrl(), "session-table", "shared_sessions");
        Server a = startServer(values, "a.sock");
        Server b = startServer(values, "b.sock");
        HttpClient client = newClient();
        for (int expected = 1; expected <= 10; expected++)
        {
            HttpResponse<String> response = count(client, expected % 2 == 0 ? a : b);
            assertEquals(200, response.statusCode(), response.body());
            assertEquals("count=" + expected, response.body());
        }
    }

    @Test
    public void theTableIsMadeOnFirstStartInTheGivenSchema() throws Exception
    {
        try (Connection connection = DriverManager.getConnection(POSTGRES.cluster().jdbcUrl()))
        {
            connection.createStatement().execute("create schema if not exists fleet");
        }
        startServer(Map.of("session-store", POSTGRES.cluster().jdbcUrl(), "session-table", "made_sessions", "session-schema", "fleet"), "s.sock");
        try (Connection connection = DriverManager.getConnection(POSTGRES.cluster().jdbcUrl());
             ResultSet tables = connection.createStatement().executeQuery("select count(*) from information_schema.tables where table_schema = 'fleet' and table_name = 'made_sessions'"))
        {
            assertTrue(tables.next());
            assertEquals(1, tables.getInt(1));
        }
    }

    @Test
    public void aDatabaseThatIsNotThereAtStartIsAnErrorNamingTheOption()
    {
        int nothing = FreePorts.allocate(1)[0];
        SessionStoreException x = assertThrows(SessionStoreException.class,
            () -> startServer(Map.of("session-store", "jdbc:postgresql://127.0.0.1:" + nothing + "/postgres?user=postgres&password=secret"), "s.sock"));
        assertTrue(x.getMessage().startsWith("session-store: jdbc:postgresql://127.0.0.1:" + nothing + "/postgres?user=postgres&password=***: cannot use the database: "), x.getMessage());
        assertFalse(x.getMessage().contains("secret"), x.getMessage());
    }

    @Test
    public void aWrongDatabaseNameIsAnErrorNamingTheOption()
    {
        String url = "jdbc:postgresql://127.0.0.1:" + POSTGRES.cluster().port() + "/nosuchdb?user=postgres";
        SessionStoreException x = assertThrows(SessionStoreException.class, () -> startServer(Map.of("session-store", url), "s.sock"));
        assertTrue(x.getMessage().startsWith("session-store: " + url + ": cannot use the database: "), x.getMessage());
        assertTrue(x.getMessage().contains("nosuchdb"), x.getMessage());
    }

    @Test
    public void aDatabaseThatStopsGives503sAndTheSameSessionCarriesOnWhenItIsBack() throws Exception
    {
        Map<String, String> values = Map.of("session-store", POSTGRES.cluster().jdbcUrl(), "session-table", "outage_sessions");
        Server a = startServer(values, "a.sock");
        Server b = startServer(values, "b.sock");
        HttpClient client = newClient();
        for (int expected = 1; expected <= 3; expected++)
        {
            assertEquals("count=" + expected, count(client, expected % 2 == 0 ? a : b).body());
        }

        POSTGRES.cluster().stop();
        for (Server server : List.of(a, b, a))
        {
            HttpResponse<String> response = count(client, server);
            assertEquals(503, response.statusCode(), response.body());
            assertTrue(response.body().startsWith("503 Service Unavailable: the session store cannot be reached"), response.body());
            // the client keeps the cookie of its session: no new session replaces it
            assertTrue(response.headers().allValues("Set-Cookie").isEmpty(), response.headers().toString());
        }

        POSTGRES.cluster().start();
        assertEquals("count=4", count(client, b).body());
        assertEquals("count=5", count(client, a).body());
    }

    /**
     * Counts in the session, as the session-counter WAR does, in a context built here.
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
            response.getWriter().print("count=" + next);
        }
    }
}

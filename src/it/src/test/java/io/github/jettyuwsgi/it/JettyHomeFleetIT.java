package io.github.jettyuwsgi.it;

import java.io.IOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import io.github.jettyuwsgi.it.postgres.PostgresCluster;
import io.github.jettyuwsgi.it.postgres.PostgresExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * <p>The fleet on the jetty-home path: two standalone Jettys, each a {@code $JETTY_BASE} set up as docs/fleet.md
 * tells users to (our {@code uwsgi} module with Jetty's own {@code session-store-jdbc} and {@code session-cache-null},
 * the PostgreSQL driver in {@code lib/ext}, a worker name per base), on one real PostgreSQL ({@link PostgresCluster}),
 * behind a real nginx that sends the requests round-robin to both (template {@value #TEMPLATE}). One client's
 * counter goes on from one Jetty to the other, and its session is a row of the table.</p>
 */
public class JettyHomeFleetIT
{
    private static final String TEMPLATE = "/jetty-home/fleet-nginx.conf.template";
    private static final List<String> MODULES = List.of("ee10-deploy", "ext", "uwsgi", "sessions", "session-store-jdbc", "session-cache-null");
    private static final String TABLE = "jettyhome_sessions";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @RegisterExtension
    static final PostgresExtension POSTGRES = new PostgresExtension();

    private static Path file(String property)
    {
        Path path = Path.of(System.getProperty(property, "")).toAbsolutePath();
        if (!Files.isRegularFile(path))
            throw new IllegalStateException(property + " is not a file: " + path + " (expected: made by 'mvn verify' in src/it)");
        return path;
    }

    private static Path directory(String property)
    {
        Path path = Path.of(System.getProperty(property, "")).toAbsolutePath();
        if (!Files.isDirectory(path))
            throw new IllegalStateException(property + " is not a directory: " + path + " (expected: unpacked by 'mvn verify' in src/it)");
        return path;
    }

    @Test
    public void oneSessionCountsOnAcrossTwoJettyHomeInstances() throws Exception
    {
        ItSettings settings = ItSettings.fromSystemProperties();
        Path home = directory("it.jetty.home");
        Path workDir = settings.workDir().resolve("jetty-home-fleet");
        NginxProcess.deleteRecursively(workDir);
        int[] ports = FreePorts.allocate(3);
        List<JettyHomeProcess> jettys = new ArrayList<>();
        NginxProcess nginx = null;
        try
        {
            // one after the other: the first creates the session table
            for (int i = 0; i < 2; i++)
            {
                String node = "node" + (char)('a' + i);
                Path base = setUpBase(home, Files.createDirectories(workDir.resolve(node)), node, ports[i]);
                int port = ports[i];
                jettys.add(JettyHomeProcess.start(home, base, workDir.resolve(node + ".log"), () -> FreePorts.accepts(port), START_TIMEOUT));
            }
            nginx = NginxProcess.builder(workDir.resolve("nginx"))
                .template(TEMPLATE)
                .include("uwsgi_params", "/nginx/uwsgi_params")
                .set("JETTY_A_PORT", ports[0])
                .set("JETTY_B_PORT", ports[1])
                .listen("NGINX_PORT", ports[2])
                .start();

            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).cookieHandler(new CookieManager())
                .connectTimeout(Duration.ofSeconds(5)).build();
            URI count = URI.create("http://" + FreePorts.LOOPBACK + ":" + ports[2] + "/counter/count");
            Set<String> instances = new HashSet<>();
            for (int expected = 1; expected <= 20; expected++)
            {
                HttpResponse<String> response = client.send(HttpRequest.newBuilder(count).timeout(TIMEOUT).POST(HttpRequest.BodyPublishers.noBody()).build(),
                    HttpResponse.BodyHandlers.ofString());
                String logs = describe(jettys, nginx);
                assertEquals(200, response.statusCode(), response.body() + "\n" + logs);
                assertEquals(String.valueOf(expected), response.headers().firstValue("X-Count").orElse("-"), response.body() + "\n" + logs);
                instances.add(response.headers().firstValue("X-Instance").orElse("-"));
            }
            assertEquals(2, instances.size(), "instances that served the client: " + instances);
            try (Connection connection = DriverManager.getConnection(POSTGRES.cluster().jdbcUrl());
                 ResultSet rows = connection.createStatement().executeQuery("select count(*), min(contextpath) from " + TABLE))
            {
                assertTrue(rows.next());
                assertEquals(1, rows.getInt(1), "sessions in " + TABLE);
                // Jetty's canonical context path
                assertEquals("_counter", rows.getString(2));
            }
        }
        finally
        {
            if (nginx != null)
                nginx.close();
            jettys.forEach(JettyHomeProcess::close);
        }
    }

    /**
     * The steps of docs/fleet.md, "With jetty-home": our archive unpacked into the base, the modules added, the
     * session store pointed at the database with the driver in lib/ext, a worker name of its own.
     */
    private static Path setUpBase(Path home, Path workDir, String node, int uwsgiPort) throws IOException
    {
        Path base = Files.createDirectories(workDir.resolve("base"));
        JettyHomeProcess.untar(file("it.jetty.module.archive"), base, workDir.resolve("tar.log"));
        JettyHomeProcess.run(home, base, workDir.resolve("add-modules.log"), START_TIMEOUT, "--add-modules=" + String.join(",", MODULES));
        JettyHomeProcess.appendLines(base.resolve("start.d/uwsgi.ini"), "jetty.uwsgi.port=" + uwsgiPort);
        Path ini = base.resolve("start.d/session-store-jdbc.ini");
        String written = Files.readString(ini);
        if (!written.contains("\ndb-connection-type=datasource"))
            throw new IllegalStateException(ini + " has no db-connection-type=datasource line (expected: the module's ini-template)\n" + written);
        Files.writeString(ini, written.replace("\ndb-connection-type=datasource", "\n#db-connection-type=datasource"));
        JettyHomeProcess.appendLines(ini,
            "db-connection-type=driver",
            "jetty.session.jdbc.driverClass=org.postgresql.Driver",
            "jetty.session.jdbc.driverUrl=" + POSTGRES.cluster().jdbcUrl(),
            "jetty.session.jdbc.schema.table=" + TABLE,
            // see docs/fleet.md: no end-of-request write of an unchanged session that could land after the next request
            "jetty.session.savePeriod.seconds=60");
        JettyHomeProcess.appendLines(base.resolve("start.d/sessions.ini"), "jetty.sessionIdManager.workerName=" + node);
        Files.createDirectories(base.resolve("lib/ext"));
        Files.copy(file("it.postgresql.jar"), base.resolve("lib/ext/postgresql.jar"));
        Files.copy(file("it.session-counter.war"), base.resolve("webapps/counter.war"));
        Files.writeString(base.resolve("webapps/counter.properties"), "environment=ee10\n");
        Files.createDirectories(base.resolve("work"));
        return base;
    }

    private static String describe(List<JettyHomeProcess> jettys, NginxProcess nginx)
    {
        StringBuilder logs = new StringBuilder();
        jettys.forEach(jetty -> logs.append(jetty.describeLog()).append('\n'));
        return logs.append(nginx.describeLog()).toString();
    }
}

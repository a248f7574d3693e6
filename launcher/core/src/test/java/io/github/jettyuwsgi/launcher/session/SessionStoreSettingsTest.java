package io.github.jettyuwsgi.launcher.session;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.eclipse.jetty.server.Server;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

public class SessionStoreSettingsTest
{
    private static SessionStoreSettings parse(Map<String, String> values) throws SessionStoreException
    {
        return SessionStoreSettings.parse(values, "web1.example.org", "127.0.0.1:3031", List.of());
    }

    @Test
    public void defaultsAreTheMemoryStoreWithAWorkerNameOfHostAndSocket() throws Exception
    {
        SessionStoreSettings settings = parse(Map.of());
        assertEquals("memory", settings.kind());
        assertFalse(settings.isPersistent());
        assertEquals(SessionStoreSettings.defaultWorkerName("web1", "127.0.0.1:3031"), settings.workerName());
        assertTrue(settings.workerName().startsWith("web1_"), settings.workerName());
    }

    @Test
    public void twoInstancesOnOneHostGetTwoWorkerNames()
    {
        assertNotEquals(SessionStoreSettings.defaultWorkerName("web1", "/run/app/a.sock"), SessionStoreSettings.defaultWorkerName("web1", "/run/app/b.sock"));
        assertNotEquals(SessionStoreSettings.defaultWorkerName("web1", "127.0.0.1:3031"), SessionStoreSettings.defaultWorkerName("web2", "127.0.0.1:3031"));
        String long_ = SessionStoreSettings.defaultWorkerName("a-very-long-host-name-of-a-cloud.example.org", "/var/lib/some/deep/directory/of/sockets/app.sock");
        assertTrue(long_.matches("[A-Za-z0-9_]{1,30}"), long_);
    }

    @Test
    public void jdbcStoreWithFleetSettings() throws Exception
    {
        SessionStoreSettings settings = parse(Map.of("session-store", "jdbc:postgresql://127.0.0.1:5432/app?user=app&password=secret",
            "session-save", "changed", "session-flush", "exit", "session-cache", "30", "session-table", "app_sessions",
            "session-schema", "public", "session-scavenge", "60", "session-worker", "blue", "session-driver-classpath", "a.jar:b.jar"));
        assertEquals("jdbc", settings.kind());
        assertFalse(settings.saveAlways());
        assertFalse(settings.flushOnCommit());
        assertEquals(30, settings.cacheSeconds());
        assertEquals("app_sessions", settings.table());
        assertEquals("public", settings.schema());
        assertEquals(60, settings.scavengeSeconds());
        assertEquals("blue", settings.workerName());
        assertEquals(List.of(Path.of("a.jar"), Path.of("b.jar")), settings.driverClasspath());
        assertEquals("jdbc:postgresql://127.0.0.1:5432/app?user=app&password=***", settings.describe());
    }

    @Test
    public void aFleetStoreDefaultsToNoCacheAndAWriteBeforeTheResponse() throws Exception
    {
        SessionStoreSettings settings = parse(Map.of("session-store", "file:/var/lib/app/sessions"));
        assertEquals("file", settings.kind());
        assertEquals("/var/lib/app/sessions", settings.target());
        assertEquals(0, settings.cacheSeconds());
        assertTrue(settings.flushOnCommit());
        assertTrue(settings.saveAlways());
    }

    @Test
    public void everyWrongValueIsReportedWithItsKey()
    {
        SessionStoreException x = assertThrows(SessionStoreException.class, () -> parse(Map.of("session-store", "postgres://db",
            "session-cache", "forever", "session-save", "sometimes", "session-worker", "a.b", "session-table", "x;drop")));
        assertEquals(5, x.getProblems().size(), x.getProblems().toString());
        assertTrue(x.getProblems().contains("session-store: 'postgres://db' (expected: memory, file:DIR or jdbc:URL, e.g. jdbc:postgresql://127.0.0.1:5432/app?user=app)"), x.getProblems().toString());
        assertTrue(x.getProblems().stream().anyMatch(p -> p.startsWith("session-cache: 'forever' (expected: ")), x.getProblems().toString());
    }

    @Test
    public void missingDriverNamesTheOptionAndWhereItLooked() throws Exception
    {
        SessionStoreSettings settings = parse(Map.of("session-store", "jdbc:nosuchdb://127.0.0.1/app"));
        SessionStoreException x = assertThrows(SessionStoreException.class, () -> new SessionStores(settings).install(new Server()));
        assertTrue(x.getMessage().startsWith("session-store: jdbc:nosuchdb://127.0.0.1/app: no JDBC driver for this URL in "), x.getMessage());
    }

    @Test
    public void missingDriverJarNamesItsOption() throws Exception
    {
        SessionStoreSettings settings = parse(Map.of("session-store", "jdbc:postgresql://127.0.0.1/app", "session-driver-classpath", "no/such/driver.jar"));
        SessionStoreException x = assertThrows(SessionStoreException.class, () -> new SessionStores(settings).install(new Server()));
        assertEquals("session-driver-classpath: no/such/driver.jar does not exist or is not readable (expected: the JDBC driver's jar)", x.getMessage());
    }

    @Test
    public void memoryStoreLeavesTheApplicationsUnguarded() throws Exception
    {
        Server server = new Server();
        SessionStores stores = new SessionStores(parse(Map.of()));
        stores.install(server);
        org.eclipse.jetty.server.Handler applications = new org.eclipse.jetty.server.handler.ContextHandler();
        assertEquals(applications, stores.guard(applications));
        assertEquals(SessionStoreSettings.defaultWorkerName("web1", "127.0.0.1:3031"), server.getBean(org.eclipse.jetty.session.DefaultSessionIdManager.class).getWorkerName());
    }
}

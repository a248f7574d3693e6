package io.github.jettyuwsgi.launcher.server;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import javax.management.ObjectName;

import io.github.jettyuwsgi.launcher.deploy.EnvironmentLoader;
import io.github.jettyuwsgi.launcher.options.LauncherOptions;
import io.github.jettyuwsgi.launcher.options.UsageException;
import io.github.jettyuwsgi.uwsgi.UwsgiConnectionFactory;
import io.github.jettyuwsgi.uwsgi.UwsgiServerConnector;
import io.github.jettyuwsgi.uwsgi.UwsgiUnixDomainConnector;
import org.eclipse.jetty.server.AbstractConnector;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the assembler checks before it loads any environment; deploying real WARs is tested end to end in
 * launcher-dist, where the environments exist.
 */
public class ServerAssemblerTest
{
    @TempDir
    Path dir;

    private Path warWithLogin(String name, String realmName) throws IOException
    {
        String xml = "<web-app xmlns=\"https://jakarta.ee/xml/ns/jakartaee\" version=\"6.0\"><login-config><auth-method>BASIC</auth-method>" +
            (realmName == null ? "" : "<realm-name>" + realmName + "</realm-name>") + "</login-config></web-app>";
        Path war = dir.resolve(name);
        try (OutputStream file = Files.newOutputStream(war); ZipOutputStream zip = new ZipOutputStream(file))
        {
            zip.putNextEntry(new ZipEntry("WEB-INF/web.xml"));
            zip.write(xml.getBytes(StandardCharsets.UTF_8));
            zip.closeEntry();
        }
        return war;
    }

    private List<String> problemsOf(String... args)
    {
        LauncherOptions options = LauncherOptions.parse(args);
        assertEquals(List.of(), options.validate());
        // No lib/ here: had the check not failed first, loading the environment would.
        ServerAssembler assembler = new ServerAssembler(options, new EnvironmentLoader(dir.resolve("no-home")));
        return assertThrows(UsageException.class, assembler::assemble).getProblems();
    }

    @Test
    public void testRealmNamedByWarMustBeGiven() throws IOException
    {
        Path war = warWithLogin("shop.war", "shop");
        Path users = Files.writeString(dir.resolve("users.properties"), "alice: secret,user\n");

        assertEquals(List.of("WAR " + war + " at /: WEB-INF/web.xml asks for realm 'shop' (expected: --realm shop=FILE)"),
            problemsOf("--http-socket", "127.0.0.1:0", "--war", war.toString()));
        assertEquals(List.of("WAR " + war + " at /: WEB-INF/web.xml asks for realm 'shop' (expected: --realm shop=FILE; given: other)"),
            problemsOf("--http-socket", "127.0.0.1:0", "--war", war.toString(), "--realm", "other=" + users));
    }

    @Test
    public void testSessionStoreMistakesAreUsageErrorsNamingTheOption() throws IOException
    {
        Path war = warWithLogin("shop.war", null);
        assertEquals(List.of("session-store: 'postgres://db' (expected: memory, file:DIR or jdbc:URL, e.g. jdbc:postgresql://127.0.0.1:5432/app?user=app)",
                "session-cache: 'forever' (expected: none, or the seconds a session stays in memory after its last request, a whole number above 0)"),
            problemsOf("--http-socket", "127.0.0.1:0", "--war", war.toString(), "--session-store", "postgres://db", "--session-cache", "forever"));
    }

    @Test
    public void testUnnamedRealmNeedsExactlyOne() throws IOException
    {
        Path war = warWithLogin("shop.war", null);
        Path users = Files.writeString(dir.resolve("users.properties"), "alice: secret,user\n");

        assertEquals(List.of("WAR " + war + " at /: WEB-INF/web.xml has a login-config without realm-name, so it needs exactly one --realm (given: 2)"),
            problemsOf("--http-socket", "127.0.0.1:0", "--war", war.toString(), "--realm", "a=" + users, "--realm", "b=" + users));
    }

    @Test
    public void testEveryWarIsCheckedBeforeReporting() throws IOException
    {
        Path shop = warWithLogin("shop.war", "shop");
        Path broken = Files.writeString(dir.resolve("broken.war"), "not a zip");

        List<String> problems = problemsOf("--http-socket", "127.0.0.1:0", "--war", shop.toString(), "--mount", "/broken=" + broken);

        assertEquals(2, problems.size(), problems::toString);
        assertEquals("WAR " + shop + " at /: WEB-INF/web.xml asks for realm 'shop' (expected: --realm shop=FILE)", problems.get(0));
        assertEquals("WAR " + broken + " at /broken: " + broken.toAbsolutePath() + ": cannot read WEB-INF/web.xml", problems.get(1));
    }

    @Test
    public void testThreadsCountRequestThreadsTheSocketsGetTheirsOnTop() throws Exception
    {
        // uWSGI configs often say threads = 1 or 2; Jetty refuses to start a pool its sockets alone would exhaust
        LauncherOptions options = LauncherOptions.parse("--socket", "127.0.0.1:0", "--http-socket", "127.0.0.1:0", "--threads", "1");
        Server server = new ServerAssembler(options, new EnvironmentLoader(dir.resolve("no-home"))).assemble();
        int socketThreads = ThreadPoolSizing.socketThreads(server);
        assertTrue(socketThreads >= 4, "two sockets, each with at least one acceptor and one selector: " + socketThreads);
        assertEquals(1 + socketThreads, ((QueuedThreadPool)server.getThreadPool()).getMaxThreads());
        server.start();
        try
        {
            int port = ((ServerConnector)server.getConnectors()[1]).getLocalPort();
            HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/")).build(),
                HttpResponse.BodyHandlers.ofString());
            assertEquals(404, response.statusCode(), "a request runs on the one request thread: nothing is deployed at /");
        }
        finally
        {
            server.stop();
            server.destroy();
        }
    }

    @Test
    public void testListenAndChownSocketReachTheConnectors() throws Exception
    {
        Path socket = dir.resolve("app.sock");
        LauncherOptions options = LauncherOptions.parse("--socket", socket.toString(), "--http-socket", "127.0.0.1:0",
            "--listen", "7", "--chown-socket", "nobody:nogroup");
        Server server = new ServerAssembler(options, new EnvironmentLoader(dir.resolve("no-home"))).assemble();

        UwsgiUnixDomainConnector unix = (UwsgiUnixDomainConnector)server.getConnectors()[0];
        assertEquals(7, unix.getAcceptQueueSize());
        assertEquals("nobody:nogroup", unix.getSocketOwner());
        assertEquals(7, ((ServerConnector)server.getConnectors()[1]).getAcceptQueueSize());
        assertEquals(LauncherOptions.DEFAULT_LISTEN, ((ServerConnector)new ServerAssembler(LauncherOptions.parse("--http-socket", "127.0.0.1:0"),
            new EnvironmentLoader(dir.resolve("no-home"))).assemble().getConnectors()[0]).getAcceptQueueSize(), "uWSGI's default backlog");
    }

    @Test
    public void testAcceptorsReachTheUwsgiSocketsOnly() throws Exception
    {
        LauncherOptions options = LauncherOptions.parse("--socket", dir.resolve("app.sock").toString(), "--socket", "127.0.0.1:0",
            "--http-socket", "127.0.0.1:0", "--acceptors", "3");
        Server server = new ServerAssembler(options, new EnvironmentLoader(dir.resolve("no-home"))).assemble();

        assertEquals(3, ((AbstractConnector)server.getConnectors()[0]).getAcceptors(), "the uwsgi Unix socket");
        assertEquals(3, ((AbstractConnector)server.getConnectors()[1]).getAcceptors(), "the uwsgi TCP socket");
        assertEquals(1, ((AbstractConnector)server.getConnectors()[2]).getAcceptors(), "the HTTP socket: its connections go through the selector");
        Server byDefault = new ServerAssembler(LauncherOptions.parse("--socket", "127.0.0.1:0"), new EnvironmentLoader(dir.resolve("no-home"))).assemble();
        assertEquals(UwsgiServerConnector.defaultAcceptors(), ((AbstractConnector)byDefault.getConnectors()[0]).getAcceptors(), "by the CPUs");
    }

    @Test
    public void testSocketTimeoutReachesEverySocketButNotTheRequests() throws Exception
    {
        LauncherOptions options = LauncherOptions.parse("--socket", dir.resolve("app.sock").toString(), "--http-socket", "127.0.0.1:0",
            "--socket-timeout", "7");
        Server server = new ServerAssembler(options, new EnvironmentLoader(dir.resolve("no-home"))).assemble();

        UwsgiUnixDomainConnector uwsgi = (UwsgiUnixDomainConnector)server.getConnectors()[0];
        UwsgiConnectionFactory factory = uwsgi.getConnectionFactory(UwsgiConnectionFactory.class);
        assertEquals(7000, factory.getUwsgiConfiguration().getSocketTimeout());
        // a uwsgi connection applies socket-timeout itself; its connector keeps the request's idle timeout
        assertEquals(LauncherOptions.REQUEST_IDLE_TIMEOUT_MILLIS, uwsgi.getIdleTimeout());
        ServerConnector http = (ServerConnector)server.getConnectors()[1];
        assertEquals(7000, http.getIdleTimeout());
        // and a request being handled gets it back
        assertEquals(LauncherOptions.REQUEST_IDLE_TIMEOUT_MILLIS, http.getConnectionFactory(HttpConnectionFactory.class).getHttpConfiguration().getIdleTimeout());
        assertEquals(LauncherOptions.REQUEST_IDLE_TIMEOUT_MILLIS, factory.getHttpConfiguration().getIdleTimeout());
    }

    @Test
    public void testJettyBeansInThePlatformMBeanServer() throws Exception
    {
        Server server = new ServerAssembler(LauncherOptions.parse("--http-socket", "127.0.0.1:0"), new EnvironmentLoader(dir.resolve("no-home"))).assemble();
        server.start();
        try
        {
            Set<ObjectName> pools = ManagementFactory.getPlatformMBeanServer().queryNames(new ObjectName("org.eclipse.jetty.util.thread:type=queuedthreadpool,*"), null);
            assertFalse(pools.isEmpty(), "Jetty's QueuedThreadPool MBean is registered");
        }
        finally
        {
            server.stop();
            // unregisters its beans from the MBeanServer this JVM's other tests share
            server.destroy();
        }
    }
}

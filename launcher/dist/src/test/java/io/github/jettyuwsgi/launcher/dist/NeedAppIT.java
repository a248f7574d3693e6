package io.github.jettyuwsgi.launcher.dist;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * uWSGI's {@code need-app} in the real launcher, which, as uWSGI 2.0.21, fails only when no application at all
 * started: a WAR that cannot start next to one that can, or alone. The fragile WAR is built here, exploded: its one
 * servlet, loaded at start-up, throws from {@code init} while a {@code WEB-INF/broken} file exists, so the same WAR
 * can start, and then fail at a reload.
 */
class NeedAppIT
{
    private static final String SERVLET = """
        package fragile;

        public class FragileServlet extends jakarta.servlet.http.HttpServlet
        {
            @Override
            public void init() throws jakarta.servlet.ServletException
            {
                try
                {
                    if (getServletContext().getResource("/WEB-INF/broken") != null)
                        throw new jakarta.servlet.ServletException("database unreachable");
                }
                catch (java.net.MalformedURLException x)
                {
                    throw new jakarta.servlet.ServletException(x);
                }
            }

            @Override
            protected void doGet(jakarta.servlet.http.HttpServletRequest request, jakarta.servlet.http.HttpServletResponse response) throws java.io.IOException
            {
                response.getWriter().print("fragile ok");
            }
        }
        """;
    private static final String WEB_XML = """
        <web-app xmlns="https://jakarta.ee/xml/ns/jakartaee" version="6.0">
          <servlet><servlet-name>fragile</servlet-name><servlet-class>fragile.FragileServlet</servlet-class><load-on-startup>1</load-on-startup></servlet>
          <servlet-mapping><servlet-name>fragile</servlet-name><url-pattern>/*</url-pattern></servlet-mapping>
        </web-app>
        """;

    @TempDir
    Path work;
    private Path fragile;
    private Path users;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    @BeforeEach
    void buildFragileWar() throws IOException
    {
        fragile = work.resolve("fragile");
        // the features WAR, the good application, declares a login-config: it needs its realm
        users = Files.writeString(work.resolve("users.properties"), "alice: secret,user\n");
        Path source = Files.createDirectories(work.resolve("src/fragile")).resolve("FragileServlet.java");
        Files.writeString(source, SERVLET);
        Path classes = Files.createDirectories(fragile.resolve("WEB-INF/classes"));
        Files.writeString(fragile.resolve("WEB-INF/web.xml"), WEB_XML);
        Path servletApi;
        try (Stream<Path> jars = Files.list(LauncherRun.dist().resolve("lib/ee10")))
        {
            servletApi = jars.filter(jar -> jar.getFileName().toString().startsWith("jakarta.servlet-api-")).findFirst().orElseThrow();
        }
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        assertEquals(0, compiler.run(null, null, null, "-classpath", servletApi.toString(), "-d", classes.toString(), source.toString()), "javac");
    }

    /**
     * @return the fragile WAR next to the features WAR, which starts
     */
    private String[] args(String... more)
    {
        List<String> all = new java.util.ArrayList<>(List.of("--http-socket", "127.0.0.1:0", "--mount", "/fragile=" + fragile,
            "--mount", "/features=" + LauncherRun.war(FeaturesWarChecks.FEATURES_WAR), "--realm", "features=" + users));
        all.addAll(List.of(more));
        return all.toArray(String[]::new);
    }

    /**
     * @return the fragile WAR alone
     */
    private String[] fragileAlone(String... more)
    {
        List<String> all = new java.util.ArrayList<>(List.of("--http-socket", "127.0.0.1:0", "--mount", "/fragile=" + fragile));
        all.addAll(List.of(more));
        return all.toArray(String[]::new);
    }

    private HttpResponse<String> get(LauncherRun launcher, String path) throws IOException, InterruptedException
    {
        URI uri = URI.create("http://127.0.0.1:" + launcher.boundPort("http") + path);
        return client.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void testWithoutNeedAppTheOthersAreServed() throws Exception
    {
        Files.writeString(fragile.resolve("WEB-INF/broken"), "");
        try (LauncherRun launcher = LauncherRun.start(work, args()))
        {
            assertTrue(launcher.log().contains("WAR fragile at /fragile did not start: "), launcher::describe);
            assertTrue(launcher.log().lines().anyMatch(line -> line.contains("WAR fragile at /fragile did not start: ") && line.contains("database unreachable") &&
                line.endsWith("; it answers 503 at its path, the other applications are served")), launcher::describe);

            HttpResponse<String> broken = get(launcher, "/fragile/");
            assertEquals(503, broken.statusCode(), broken::body);
            assertTrue(!broken.body().contains("database unreachable") && !broken.body().contains("\tat "), "no detail given to the client: " + broken.body());
            assertEquals(200, get(launcher, "/features/slow?millis=0").statusCode());

            // a reload without need-app deploys what it can: the WAR fixed in the meantime is served again
            Files.delete(fragile.resolve("WEB-INF/broken"));
            launcher.signal("HUP");
            awaitLog(launcher, "graceful reload (SIGHUP) done");
            assertEquals("fragile ok", get(launcher, "/fragile/").body());
            assertEquals(143, launcher.stop());
        }
    }

    @Test
    void testNeedAppServesTheOthersWhenOneDoesNotStart() throws Exception
    {
        Files.writeString(fragile.resolve("WEB-INF/broken"), "");
        try (LauncherRun launcher = LauncherRun.start(work, args("--need-app")))
        {
            assertTrue(launcher.log().lines().anyMatch(line -> line.contains("WAR fragile at /fragile did not start: ") && line.contains("database unreachable") &&
                line.endsWith("; it answers 503 at its path, the other applications are served")), launcher::describe);
            assertEquals(200, get(launcher, "/features/slow?millis=0").statusCode());
            assertEquals(503, get(launcher, "/fragile/").statusCode());

            // a reload that leaves one application started is not refused either
            launcher.signal("HUP");
            awaitLog(launcher, "graceful reload (SIGHUP) done");
            assertEquals(200, get(launcher, "/features/slow?millis=0").statusCode());
            assertEquals(503, get(launcher, "/fragile/").statusCode());
            assertEquals(143, launcher.stop());
        }
    }

    @Test
    void testNeedAppExitsWith22WhenNoApplicationStarts() throws Exception
    {
        Files.writeString(fragile.resolve("WEB-INF/broken"), "");

        LauncherRun.Finished run = LauncherRun.runToEnd(work, fragileAlone("--need-app"));

        assertEquals(22, run.status(), run::err);
        assertEquals(1, run.messages().size(), run::err);
        assertTrue(run.messages().get(0).startsWith("jetty-uwsgi: cannot start: no application started: WAR fragile at /fragile did not start: "), run::err);
        assertTrue(run.messages().get(0).contains("database unreachable") && run.messages().get(0).endsWith(" (need-app)"), run::err);
    }

    @Test
    void testNeedAppRefusesAReloadThatWouldLeaveNoApplication() throws Exception
    {
        try (LauncherRun launcher = LauncherRun.start(work, fragileAlone("--need-app")))
        {
            assertEquals("fragile ok", get(launcher, "/fragile/").body());

            Files.writeString(fragile.resolve("WEB-INF/broken"), "");
            launcher.signal("HUP");
            awaitLog(launcher, "reload refused (need-app), the running applications keep serving: no application started: WAR fragile at /fragile did not start: ");

            assertEquals("fragile ok", get(launcher, "/fragile/").body(), "the previous deployment still serves");
            assertTrue(launcher.isAlive());
            assertEquals(143, launcher.stop());
        }
    }

    @Test
    void testLoneFailedWarAnswers503OnlyInItsPath() throws Exception
    {
        Files.writeString(fragile.resolve("WEB-INF/broken"), "");
        try (LauncherRun launcher = LauncherRun.start(work, fragileAlone()))
        {
            assertTrue(launcher.log().contains("no application started: requests get 503 or 404 until a reload deploys one (need-app would exit with status 22 instead)"), launcher::describe);
            assertEquals(503, get(launcher, "/fragile/").statusCode());
            // Jetty hands every request to a lone context: the failed one must not claim paths that are not its own
            assertEquals(404, get(launcher, "/other").statusCode());
            assertEquals(143, launcher.stop());
        }
    }

    private static void awaitLog(LauncherRun launcher, String text) throws InterruptedException
    {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!launcher.log().contains(text) && System.nanoTime() < deadline)
        {
            Thread.sleep(50);
        }
        assertTrue(launcher.log().contains(text), launcher::describe);
    }
}

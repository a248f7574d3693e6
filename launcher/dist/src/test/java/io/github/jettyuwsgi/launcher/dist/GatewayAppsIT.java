package io.github.jettyuwsgi.launcher.dist;

import java.io.IOException;
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

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpTester;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The launcher serving gateway applications instead of WARs: {@code --app} (a {@code GatewayApplication}) and
 * {@code --jwsgi} (uWSGI's JWSGI contract), their classes compiled here into a {@code --classpath} directory against
 * the adapter jar of the distribution's {@code lib/ee11}, answered over the uwsgi socket and the http-socket.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GatewayAppsIT
{
    private static final String GATEWAY_APP = """
        package demo;

        import java.nio.charset.StandardCharsets;
        import java.util.List;

        import io.github.jettyuwsgi.gateway.Environ;
        import io.github.jettyuwsgi.gateway.GatewayApplication;
        import io.github.jettyuwsgi.gateway.Header;
        import io.github.jettyuwsgi.gateway.ResponseBody;
        import io.github.jettyuwsgi.gateway.StartResponse;

        public class EnvironApp implements GatewayApplication
        {
            @Override
            public ResponseBody call(Environ environ, StartResponse startResponse)
            {
                String body = "app: SCRIPT_NAME='" + environ.get("SCRIPT_NAME") + "' PATH_INFO=" + environ.get("PATH_INFO") +
                    " QUERY_STRING=" + environ.get("QUERY_STRING") + " REMOTE_ADDR=" + environ.get("REMOTE_ADDR") + "\\n";
                startResponse.start("200 OK", List.of(new Header("Content-Type", "text/plain; charset=utf-8")));
                return ResponseBody.of(body.getBytes(StandardCharsets.UTF_8));
            }
        }
        """;
    private static final String JWSGI_APP = """
        package demo;

        import java.util.HashMap;

        public class Hello
        {
            @SuppressWarnings({"rawtypes", "unchecked"})
            public static Object[] application(HashMap env)
            {
                HashMap<String, Object> headers = new HashMap<>();
                headers.put("Content-Type", "text/plain; charset=utf-8");
                return new Object[]{201, headers, "jwsgi: SCRIPT_NAME=" + env.get("SCRIPT_NAME") + " PATH_INFO=" + env.get("PATH_INFO") + "\\n"};
            }
        }
        """;

    private Path work;
    private Path classes;

    @BeforeAll
    void compileApplications(@TempDir Path work) throws IOException
    {
        this.work = work;
        Path sources = Files.createDirectories(work.resolve("src/demo"));
        classes = Files.createDirectories(work.resolve("classes"));
        Files.writeString(sources.resolve("EnvironApp.java"), GATEWAY_APP);
        Files.writeString(sources.resolve("Hello.java"), JWSGI_APP);
        LauncherRun.compileAgainstAdapter(classes, sources.resolve("EnvironApp.java"), sources.resolve("Hello.java"));
    }

    private List<String> args(String... more)
    {
        List<String> args = new ArrayList<>(List.of(
            "--socket", "127.0.0.1:0",
            "--http-socket", "127.0.0.1:0",
            "--app", "demo.EnvironApp",
            "--jwsgi", "/jwsgi=demo.Hello:application",
            "--jvm-classpath", classes.toString()));
        args.addAll(List.of(more));
        return args;
    }

    @Test
    void testAppOverUwsgiAndJwsgiOverHttpSurviveAReload() throws Exception
    {
        try (LauncherRun launcher = LauncherRun.start(work, args().toArray(String[]::new)))
        {
            assertServed(launcher);

            launcher.signal("HUP");
            launcher.awaitLog("graceful reload (SIGHUP) done");
            assertEquals(2, launcher.count("Deployed gateway application demo.EnvironApp at / in ee11"), launcher::describe);
            assertServed(launcher);

            assertEquals(143, launcher.stop());
            assertFalse(launcher.log().contains("Exception"), launcher::describe);
        }
    }

    private static void assertServed(LauncherRun launcher) throws IOException, InterruptedException
    {
        HttpTester.Response overUwsgi = UwsgiPacket.get("/hello/world?x=1").sendTo(launcher.boundPort("uwsgi"));
        assertEquals(200, overUwsgi.getStatus(), overUwsgi::toString);
        assertEquals("app: SCRIPT_NAME='' PATH_INFO=/hello/world QUERY_STRING=x=1 REMOTE_ADDR=203.0.113.7\n", overUwsgi.getContent());
        assertFalse(overUwsgi.contains(HttpHeader.TRANSFER_ENCODING), overUwsgi::toString);

        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        HttpResponse<String> overHttp = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + launcher.boundPort("http") + "/jwsgi/hi"))
            .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        assertEquals(201, overHttp.statusCode(), overHttp::body);
        assertEquals("jwsgi: SCRIPT_NAME=/jwsgi PATH_INFO=/hi\n", overHttp.body());
        // the servlet container writes the header its own way: "text/plain;charset=utf-8"
        assertEquals("text/plain;charset=utf-8", overHttp.headers().firstValue("Content-Type").orElse("").replace(" ", ""));
    }

    @Test
    void testEnvironmentEe10AndAContextPath() throws IOException
    {
        try (LauncherRun launcher = LauncherRun.start(work, "--socket", "127.0.0.1:0", "--environment", "ee10",
            "--app", "/api=demo.EnvironApp", "--classpath", classes.toString()))
        {
            HttpTester.Response response = UwsgiPacket.get("/api/items").sendTo(launcher.boundPort("uwsgi"));

            assertEquals(200, response.getStatus(), response::toString);
            assertEquals("app: SCRIPT_NAME='/api' PATH_INFO=/items QUERY_STRING= REMOTE_ADDR=203.0.113.7\n", response.getContent());
            assertTrue(launcher.log().contains("Deployed gateway application demo.EnvironApp at /api in ee10"), launcher::describe);
            assertSeenAsUnderUwsgi(launcher);
            assertEquals(143, launcher.stop());
        }
    }

    @Test
    void testMountRootAndEncodedSlashInEe11() throws IOException, InterruptedException
    {
        try (LauncherRun launcher = LauncherRun.start(work, "--socket", "127.0.0.1:0", "--http-socket", "127.0.0.1:0",
            "--app", "/api=demo.EnvironApp", "--classpath", classes.toString()))
        {
            assertSeenAsUnderUwsgi(launcher);
            HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).followRedirects(HttpClient.Redirect.NEVER).build();
            for (String[] expected : List.of(new String[]{"/api", "PATH_INFO= "}, new String[]{"/api/x%2Fy", "PATH_INFO=/x/y "}))
            {
                HttpResponse<String> overHttp = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + launcher.boundPort("http") + expected[0]))
                    .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
                assertEquals(200, overHttp.statusCode(), overHttp::body);
                assertTrue(overHttp.body().contains(expected[1]), overHttp::body);
            }
            assertEquals(143, launcher.stop());
        }
    }

    /**
     * uWSGI calls a WSGI application mounted at /api for /api itself, with PATH_INFO empty, and passes an encoded slash
     * decoded in PATH_INFO; a gateway application must see the same, not Jetty's redirect to /api/ or its 400.
     */
    private static void assertSeenAsUnderUwsgi(LauncherRun launcher) throws IOException
    {
        HttpTester.Response root = UwsgiPacket.get("/api?x=1").sendTo(launcher.boundPort("uwsgi"));
        assertEquals(200, root.getStatus(), root::toString);
        assertEquals("app: SCRIPT_NAME='/api' PATH_INFO= QUERY_STRING=x=1 REMOTE_ADDR=203.0.113.7\n", root.getContent());
        HttpTester.Response slash = UwsgiPacket.get("/api/x%2Fy").sendTo(launcher.boundPort("uwsgi"));
        assertEquals(200, slash.getStatus(), slash::toString);
        assertEquals("app: SCRIPT_NAME='/api' PATH_INFO=/x/y QUERY_STRING= REMOTE_ADDR=203.0.113.7\n", slash.getContent());
    }

    @Test
    void testClassNotOnTheClasspathIsAUsageError()
    {
        LauncherRun.Finished finished = LauncherRun.runToEnd(work, "--http-socket", "127.0.0.1:0", "--app", "demo.Missing", "--classpath", classes.toString());

        assertEquals(2, finished.status(), finished::err);
        assertEquals(List.of("jetty-uwsgi: --app: class demo.Missing not found on --classpath " + classes +
            " (expected: the application's classes in a directory or jar of --classpath)"), finished.messages().subList(0, 1), finished::err);
    }
}

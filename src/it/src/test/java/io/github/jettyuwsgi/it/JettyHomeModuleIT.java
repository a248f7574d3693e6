package io.github.jettyuwsgi.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import io.github.jettyuwsgi.it.NginxLauncherRig.Route;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * <p>The uwsgi modules in a real standalone Jetty: the jetty-home archive from Maven Central (a newer 12.1 than the
 * one our jar is compiled against), a {@code $JETTY_BASE} set up the way docs/jetty-module.md tells users to
 * (unpack our archive into it, {@code start.jar --add-modules=...,uwsgi,uwsgi-unixdomain}, properties in
 * {@code start.d/*.ini}, WARs in {@code webapps/}), started with {@code java -jar start.jar} and served through a
 * real nginx over uwsgi on TCP and on a Unix socket.</p>
 * <p>The base deploys the echo WAR twice, once per environment ({@code webapps/echo10.properties} says ee10,
 * {@code echo11.properties} ee11), so that one connector module is shown to serve both. nginx takes the client
 * address from X-Forwarded-For, so the servlet's remote address can only have come from the uwsgi vars.</p>
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class JettyHomeModuleIT
{
    /** From TEST-NET-3 (RFC 5737): never the address of anything on the test machine. */
    private static final String CLIENT_ADDRESS = "203.0.113.7";
    /** Smaller than the default on purpose: the test can then see that the ini value, not the default, is in force. */
    private static final int BUFFER_SIZE = 4096;
    private static final List<String> MODULES = List.of("ee10-deploy", "ee11-deploy", "uwsgi", "uwsgi-unixdomain");
    /** Webapp name (and context path) by environment. */
    private static final Map<String, String> WEBAPPS = Map.of("ee10", "echo10", "ee11", "echo11");
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration STOP_GRACE = Duration.ofSeconds(20);
    /** sun_path holds 108 bytes on Linux; deeper work directories put the socket in the temp directory instead. */
    private static final int MAX_UNIX_SOCKET_PATH = 100;

    private Path home;
    private Path base;
    private Path socket;
    private int uwsgiPort;
    private String addModulesOutput;
    private JettyHomeProcess jetty;
    private NginxProcess nginx;
    private HttpClient client;

    @BeforeAll
    void start() throws IOException
    {
        ItSettings settings = ItSettings.fromSystemProperties();
        home = directoryProperty("it.jetty.home", "unpacked by 'mvn verify' in src/it (maven-dependency-plugin, execution unpack-jetty-home)");
        Path archive = Path.of(System.getProperty("it.jetty.module.archive", ""));
        if (!Files.isRegularFile(archive))
            throw new IllegalStateException("it.jetty.module.archive is not a file: " + archive + " (expected: jetty-connector/jetty-module's archive, copied by 'mvn verify' in src/it)");
        Path workDir = settings.workDir().resolve("jetty-home");
        NginxProcess.deleteRecursively(workDir);
        base = Files.createDirectories(workDir.resolve("base"));
        socket = socketDirectory(workDir).resolve("uwsgi.sock");

        // The steps of docs/jetty-module.md, in order.
        JettyHomeProcess.untar(archive, base, workDir.resolve("tar.log"));
        addModulesOutput = JettyHomeProcess.run(home, base, workDir.resolve("add-modules.log"), START_TIMEOUT, "--add-modules=" + String.join(",", MODULES));
        int[] ports = FreePorts.allocate(3);
        uwsgiPort = ports[0];
        JettyHomeProcess.appendLines(base.resolve("start.d/uwsgi.ini"), "jetty.uwsgi.port=" + uwsgiPort, "jetty.uwsgi.bufferSize=" + BUFFER_SIZE);
        JettyHomeProcess.appendLines(base.resolve("start.d/uwsgi-unixdomain.ini"), "jetty.uwsgi.path=" + socket);
        Path echoWar = settings.echoWar();
        for (Map.Entry<String, String> webapp : WEBAPPS.entrySet())
        {
            Files.copy(echoWar, base.resolve("webapps/" + webapp.getValue() + ".war"));
            Files.writeString(base.resolve("webapps/" + webapp.getValue() + ".properties"), "environment=" + webapp.getKey() + "\n");
        }
        // Jetty unpacks WARs into ${jetty.base}/work when it exists, instead of the system temp directory.
        Files.createDirectories(base.resolve("work"));

        jetty = JettyHomeProcess.start(home, base, workDir.resolve("jetty.log"),
            () -> FreePorts.accepts(uwsgiPort) && FreePorts.accepts(socket), START_TIMEOUT);
        try
        {
            nginx = NginxProcess.builder(workDir.resolve("nginx"))
                .template("/jetty-home/nginx.conf.template")
                .include("uwsgi_params", "/nginx/uwsgi_params")
                .set("JETTY_UWSGI_PORT", uwsgiPort)
                .set("JETTY_UWSGI_SOCKET", socket)
                .listen("NGINX_TCP_PORT", ports[1])
                .listen("NGINX_UNIX_PORT", ports[2])
                .start();
        }
        catch (RuntimeException x)
        {
            jetty.close();
            throw x;
        }
        client = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .build();
    }

    @AfterAll
    void stop() throws IOException
    {
        try
        {
            if (nginx != null)
                nginx.close();
        }
        finally
        {
            if (jetty != null)
                jetty.close();
            if (socket != null && !socket.startsWith(base.getParent()))
            {
                Files.deleteIfExists(socket);
                Files.deleteIfExists(socket.getParent());
            }
        }
    }

    @Test
    @Order(1)
    void addModulesEnablesOurModulesOnTheServerClasspathWithoutFcgi()
    {
        // e.g. "INFO  : uwsgi           initialized in ${jetty.base}/start.d/uwsgi.ini": written from [ini-template]
        for (String module : List.of("uwsgi", "uwsgi-unixdomain"))
        {
            Pattern initialized = Pattern.compile("(?m)^INFO\\s*: " + module + "\\s+initialized in \\$\\{jetty\\.base}/start\\.d/" + module + "\\.ini$");
            assertTrue(initialized.matcher(addModulesOutput).find(), () -> "no " + initialized.pattern() + " in the --add-modules output:\n" + addModulesOutput);
        }

        String config = JettyHomeProcess.run(home, base, base.getParent().resolve("list-config.log"), START_TIMEOUT, "--list-config");
        List<String> enabled = enabledModules(section(config, "Enabled Modules:"));
        for (String module : List.of("server", "uwsgi", "uwsgi-unixdomain", "ee10-deploy", "ee11-deploy"))
        {
            assertTrue(enabled.contains(module), () -> module + " not enabled: " + enabled);
        }
        // Neither module pulls in FastCGI, the HTTP client or an HTTP connector.
        for (String module : List.of("fcgi", "client", "http", "unixdomain-http"))
        {
            assertFalse(enabled.contains(module), () -> module + " enabled: " + enabled + " (expected: not a dependency of uwsgi)");
        }

        String connectorJar = "${jetty.base}/lib/uwsgi/" + onlyJar(base.resolve("lib/uwsgi")).getFileName();
        String serverClasspath = section(config, "Classpath: Jetty");
        assertEquals(1, count(serverClasspath, connectorJar), () -> connectorJar + " once on the server classpath:\n" + serverClasspath);
        assertTrue(serverClasspath.contains("${jetty.home}/lib/jetty-unixdomain-server-" + jettyVersion(config) + ".jar"), () -> "jetty-unixdomain-server of the home:\n" + serverClasspath);
        // No [environment]: nothing of ours in an environment's own classloader.
        for (String environment : WEBAPPS.keySet())
        {
            String environmentClasspath = section(config, "Classpath: " + environment);
            assertFalse(environmentClasspath.contains("uwsgi"), () -> "environment " + environment + " classpath:\n" + environmentClasspath);
        }
        String xmls = section(config, "Active XMLs: Jetty");
        assertTrue(xmls.contains("${jetty.base}/etc/jetty-uwsgi.xml"), () -> "Active XMLs:\n" + xmls);
        assertTrue(xmls.contains("${jetty.base}/etc/jetty-uwsgi-unixdomain.xml"), () -> "Active XMLs:\n" + xmls);
    }

    @Test
    @Order(2)
    void deploysTheEchoWarInEachEnvironment()
    {
        String log = jetty.readLog();
        for (Map.Entry<String, String> webapp : WEBAPPS.entrySet())
        {
            // e.g. "Started oeje11w.WebAppContext@39655d3e{jetty-uwsgi echo,/echo11,..."
            Pattern started = Pattern.compile("Started oeje" + webapp.getKey().substring(2) + "w\\.WebAppContext@\\w+\\{[^,]*,/" + webapp.getValue() + ",");
            assertTrue(started.matcher(log).find(), () -> "no " + started.pattern() + "\n" + jetty.describeLog());
        }
    }

    @Test
    @Order(3)
    void tcpConnectorBindsLoopbackByDefault()
    {
        // uwsgi.ini sets the port only: the host is the module's default.
        String expected = "{uwsgi, (uwsgi)}{127.0.0.1:" + uwsgiPort + "}";
        assertTrue(jetty.logContains(expected), () -> "no '" + expected + "'\n" + jetty.describeLog());
    }

    @Test
    @Order(4)
    void unixSocketHasTheModulesDefaultMode() throws IOException
    {
        // Without the mode, the umask (022 here) would have made it rwxr-xr-x: nginx's group could not connect.
        assertEquals("rw-rw----", PosixFilePermissions.toString(Files.getPosixFilePermissions(socket)), "mode of " + socket);
    }

    static Stream<Arguments> routesAndEnvironments()
    {
        List<Arguments> cases = new ArrayList<>();
        for (Route route : List.of(Route.NGINX_UWSGI_TCP, Route.NGINX_UWSGI_UNIX))
        {
            for (String environment : List.of("ee10", "ee11"))
            {
                for (String method : List.of("GET", "POST"))
                {
                    cases.add(Arguments.of(route, environment, method));
                }
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @MethodSource("routesAndEnvironments")
    @Order(5)
    void servesTheEchoWarOverUwsgi(Route route, String environment, String method)
    {
        String contextPath = "/" + WEBAPPS.get(environment);
        String path = contextPath + "/hello/" + environment;
        String form = "a=1&b=" + method;
        Exchange exchange = send(route, method, path + "?q=" + environment, "POST".equals(method) ? form : null, Map.of());
        assertEquals(200, exchange.status(), () -> exchange + "\n" + exchange.abbreviated() + "\n" + jetty.describeLog());

        Map<String, Object> echo = exchange.echo();
        assertEquals(method, echo.get("method"), "method");
        assertEquals(path, echo.get("requestURI"), "requestURI");
        assertEquals("q=" + environment, echo.get("queryString"), "queryString");
        assertEquals(contextPath, echo.get("contextPath"), "contextPath");
        assertEquals("HTTP/1.1", echo.get("protocol"), "protocol");
        assertEquals(CLIENT_ADDRESS, echo.get("remoteAddr"), "remoteAddr (REMOTE_ADDR, not the connection's peer)");
        Map<String, Object> expectedParameters = new LinkedHashMap<>();
        expectedParameters.put("q", List.of(environment));
        if ("POST".equals(method))
        {
            expectedParameters.put("a", List.of("1"));
            expectedParameters.put("b", List.of("POST"));
        }
        assertEquals(expectedParameters, echo.get("parameters"), "parameters");

        @SuppressWarnings("unchecked")
        Map<String, List<String>> vars = (Map<String, List<String>>)echo.get("uwsgiVars");
        assertNotNull(vars, () -> "no uwsgiVars: the request did not come over uwsgi\n" + exchange.abbreviated());
        assertEquals(List.of(method), vars.get("REQUEST_METHOD"), "REQUEST_METHOD");
        assertEquals(List.of(path + "?q=" + environment), vars.get("REQUEST_URI"), "REQUEST_URI");
        assertEquals(List.of(CLIENT_ADDRESS), vars.get("REMOTE_ADDR"), "REMOTE_ADDR");
    }

    @Test
    @Order(6)
    void bufferSizeFromTheIniLimitsTheVarsBlock()
    {
        // ~6 KB of vars: within nginx's 8 KB header buffer, beyond the 4096 bytes uwsgi.ini allows. The connector
        // closes without answering and nginx reports a bad gateway.
        Exchange exchange = send(Route.NGINX_UWSGI_TCP, "GET", "/echo10/big", null, Map.of("X-Big", "x".repeat(6000)));
        assertEquals(502, exchange.status(), () -> exchange + "\n" + exchange.abbreviated());
        assertTrue(jetty.logContains("(expected: at most " + BUFFER_SIZE + "; raise buffer-size)"), () -> jetty.describeLog());
    }

    @Test
    @Order(Integer.MAX_VALUE)
    void stopsGracefullyOnSigterm()
    {
        assertTrue(jetty.terminate(STOP_GRACE), () -> "still running " + STOP_GRACE.toSeconds() + " s after SIGTERM\n" + jetty.describeLog());
        assertTrue(jetty.logContains("Stopped oejs.Server@"), () -> jetty.describeLog());
        assertFalse(Files.exists(socket), () -> socket + " left behind after a graceful stop");
    }

    private Exchange send(Route route, String method, String target, String form, Map<String, String> headers)
    {
        int port = nginx.port(route == Route.NGINX_UWSGI_TCP ? "NGINX_TCP_PORT" : "NGINX_UNIX_PORT");
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://" + FreePorts.LOOPBACK + ":" + port + target))
            .timeout(Duration.ofSeconds(30))
            .header("X-Forwarded-For", CLIENT_ADDRESS)
            .method(method, form == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(form, StandardCharsets.UTF_8));
        if (form != null)
            request.header("Content-Type", "application/x-www-form-urlencoded");
        headers.forEach(request::header);
        try
        {
            HttpResponse<byte[]> response = client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            return new Exchange(route, method, response.statusCode(), response.headers().map(), response.body());
        }
        catch (IOException x)
        {
            throw new UncheckedIOException(method + " " + target + " via " + route + " failed\n" + jetty.describeLog() + "\n" + nginx.describeLog(), x);
        }
        catch (InterruptedException x)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", x);
        }
    }

    /**
     * The lines of one "Title:" block of {@code --list-config}, up to the next blank line after its underline.
     */
    private static String section(String config, String title)
    {
        int start = config.indexOf("\n" + title + "\n");
        if (start < 0)
            throw new AssertionError("--list-config has no section '" + title + "':\n" + config);
        int end = config.indexOf("\n\n", start + title.length() + 2);
        return config.substring(start + 1, end < 0 ? config.length() : end);
    }

    private static List<String> enabledModules(String section)
    {
        // e.g. "  8) uwsgi                     ${jetty.base}/start.d/uwsgi.ini"
        Matcher matcher = Pattern.compile("(?m)^\\s*\\d+\\)\\s+(\\S+)").matcher(section);
        List<String> modules = new ArrayList<>();
        while (matcher.find())
        {
            modules.add(matcher.group(1));
        }
        return modules;
    }

    private static String jettyVersion(String config)
    {
        Matcher matcher = Pattern.compile("(?m)^\\s*jetty\\.version = (\\S+)$").matcher(config);
        if (!matcher.find())
            throw new AssertionError("--list-config names no jetty.version:\n" + config);
        return matcher.group(1);
    }

    private static int count(String text, String part)
    {
        int count = 0;
        for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + part.length()))
        {
            count++;
        }
        return count;
    }

    private static Path onlyJar(Path directory) throws UncheckedIOException
    {
        List<Path> jars = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory, "*.jar"))
        {
            entries.forEach(jars::add);
        }
        catch (IOException x)
        {
            throw new UncheckedIOException(x);
        }
        assertEquals(1, jars.size(), () -> "jars in " + directory + ": " + jars + " (expected: the connector jar of the archive)");
        return jars.get(0);
    }

    private static Path directoryProperty(String property, String producedBy)
    {
        String value = System.getProperty(property);
        if (value == null || !Files.isDirectory(Path.of(value)))
            throw new IllegalStateException(property + " is not a directory: " + value + " (expected: " + producedBy + ")");
        return Path.of(value).toAbsolutePath().normalize();
    }

    private static Path socketDirectory(Path workDir) throws IOException
    {
        Path directory = workDir.resolve("sockets");
        if (directory.resolve("uwsgi.sock").toString().length() > MAX_UNIX_SOCKET_PATH)
            return Files.createTempDirectory("jetty-uwsgi-it-");
        return Files.createDirectories(directory);
    }
}

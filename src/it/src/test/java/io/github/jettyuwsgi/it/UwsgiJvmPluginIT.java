package io.github.jettyuwsgi.it;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

import org.eclipse.jetty.util.ajax.JSON;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * <p>uWSGI's own JVM plugin ({@code --plugins jvm,jwsgi}) serving through {@code JwsgiEntry}, with uWSGI's {@code --http}
 * router in front: the echo WAR hosted by an in-process Jetty, and a gateway application
 * ({@code uwsgi-jvm/EnvironReportApp.java}, compiled here against the gateway-host class path).</p>
 *
 * <p>Needs Debian's {@code uwsgi-core}, {@code uwsgi-plugin-jvm-openjdk-17} and {@code uwsgi-plugin-jwsgi-openjdk-17}
 * ({@code scripts/install-system-deps.sh}); the plugin's Java half is {@code /usr/share/java/uwsgi.jar} (system
 * property {@code it.uwsgi.jar} to override). The class path for uWSGI is gateway-host's jar plus
 * {@code gateway-host/target/jwsgi-lib/*.jar}, one {@code --jvm-classpath} each.</p>
 */
public class UwsgiJvmPluginIT
{
    // JNI FindClass: uWSGI passes the name as is, so a packaged class is named with slashes.
    private static final String ENTRY = "io/github/jettyuwsgi/gateway/host/JwsgiEntry:application";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    private static ManagedProcess warServer;
    private static ManagedProcess appServer;
    private static int warPort;
    private static int appPort;
    private static final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    @BeforeAll
    public static void start() throws Exception
    {
        ItSettings settings = ItSettings.fromSystemProperties();
        Path work = settings.workDir().resolve("uwsgi-jvm");
        List<Path> classPath = gatewayHostClassPath();
        Path appClasses = compileReportApp(work.resolve("classes"), classPath);

        int[] ports = FreePorts.allocate(2);
        warPort = ports[0];
        appPort = ports[1];
        warServer = uwsgi("uwsgi-war", work, warPort, classPath, List.of("-Djettyuwsgi.jwsgi.war=" + settings.echoWar(), "-Djettyuwsgi.jwsgi.validate=strict"));
        List<Path> appClassPath = new ArrayList<>(classPath);
        appClassPath.add(appClasses);
        appServer = uwsgi("uwsgi-app", work, appPort, appClassPath, List.of("-Djettyuwsgi.jwsgi.application=uwsgijvm.EnvironReportApp", "-Djettyuwsgi.jwsgi.validate=strict"));
        awaitServing(warServer, warPort);
        awaitServing(appServer, appPort);
    }

    @AfterAll
    public static void stop()
    {
        for (ManagedProcess server : new ManagedProcess[]{warServer, appServer})
        {
            if (server != null)
            {
                server.stop(Duration.ofSeconds(10));
                server.close();
            }
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    public void echoWarAnswersThroughUwsgi() throws Exception
    {
        byte[] body = pattern(1024 * 1024 + 7);
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + warPort + "/a/caf%C3%A9/b?x=1&y=%C3%A9"))
            .header("X-Tag", "through-uwsgi")
            .header("Cookie", "a=1; b=2")
            .POST(HttpRequest.BodyPublishers.ofByteArray(body))
            .timeout(Duration.ofSeconds(30))
            .build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        assertEquals(200, response.statusCode(), response.body() + "\n" + warServer.describeLog());
        java.util.Map<String, Object> echo = (java.util.Map<String, Object>)new JSON().fromJSON(response.body());
        assertEquals("POST", echo.get("method"));
        assertEquals("/a/caf%C3%A9/b", echo.get("requestURI"));
        assertEquals("/a/café/b", echo.get("pathInfo"));
        assertEquals("x=1&y=%C3%A9", echo.get("queryString"));
        assertEquals("127.0.0.1", echo.get("remoteAddr"));
        assertEquals(Long.valueOf(body.length), echo.get("contentLength"));
        java.util.Map<String, Object> digest = (java.util.Map<String, Object>)echo.get("body");
        assertEquals(Long.valueOf(body.length), digest.get("length"));
        assertEquals(sha256(body), digest.get("sha256"));
        assertTrue(response.body().contains("[\"x-tag\",\"through-uwsgi\"]"), response.body());
        Object[] cookies = (Object[])echo.get("cookies");
        assertEquals(2, cookies.length, response.body());
        // The vars the hosted request carries are the ones uWSGI's router made.
        java.util.Map<String, Object> vars = (java.util.Map<String, Object>)echo.get("uwsgiVars");
        assertEquals("http", ((Object[])vars.get("UWSGI_ROUTER"))[0], response.body());
    }

    @Test
    public void echoWarErrorStatusAndLargeResponse() throws Exception
    {
        HttpResponse<String> missing = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + warPort + "/x?status=404&setHeader=X-Answer:42"))
            .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(404, missing.statusCode());
        assertEquals("42", missing.headers().firstValue("X-Answer").orElse(null));

        // More than uWSGI's 8 KiB read blocks and the pipe's few chunks: the body is pulled through in many steps.
        HttpResponse<String> padded = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + warPort + "/pad?pad=3000000"))
            .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, padded.statusCode());
        assertTrue(padded.body().contains("\"pad\":\"" + "x".repeat(3_000_000) + "\""), "a 3 MB pad");
        assertEquals(String.valueOf(padded.body().getBytes(StandardCharsets.UTF_8).length), padded.headers().firstValue("Content-Length").orElse(null));
    }

    @Test
    public void gatewayApplicationSeesTheEnvironAndTheBody() throws Exception
    {
        byte[] body = pattern(3 * 1024 * 1024 + 1);
        HttpResponse<byte[]> response = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + appPort + "/r/caf%C3%A9?q=1"))
            .header("X-Tag", "app")
            .POST(HttpRequest.BodyPublishers.ofByteArray(body))
            .timeout(Duration.ofSeconds(30))
            .build(), HttpResponse.BodyHandlers.ofByteArray());
        String report = new String(response.body(), StandardCharsets.UTF_8);
        assertEquals(200, response.statusCode(), report + "\n" + appServer.describeLog());
        assertEquals("""
            method=POST
            script_name=
            path_info=/r/café
            request_uri=/r/caf%C3%A9?q=1
            query_string=q=1
            http_x_tag=app
            url_scheme=http
            multiprocess=true
            body_length=LENGTH
            body_sha256=SHA256
            """.replace("LENGTH", String.valueOf(body.length)).replace("SHA256", sha256(body)), report);
    }

    @Test
    public void gatewayApplicationStreamsALargeBody() throws Exception
    {
        long size = 20L * 1024 * 1024;
        HttpResponse<InputStream> response = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + appPort + "/big?size=" + size))
            .timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, response.statusCode());
        long total = 0;
        try (InputStream in = response.body())
        {
            byte[] buffer = new byte[64 * 1024];
            for (int read = in.read(buffer); read > 0; read = in.read(buffer))
            {
                for (int i = 0; i < read; i++)
                {
                    if (buffer[i] != (byte)(total + i))
                        throw new AssertionError("byte " + (total + i) + ": " + buffer[i] + " (expected: " + (byte)(total + i) + ")");
                }
                total += read;
            }
        }
        assertEquals(size, total);
    }

    private static ManagedProcess uwsgi(String name, Path work, int port, List<Path> classPath, List<String> jvmOptions) throws IOException
    {
        Path dir = work.resolve(name);
        Files.createDirectories(dir);
        List<String> command = new ArrayList<>(List.of(uwsgiExecutable(), "--master", "--die-on-term", "--processes", "1", "--threads", "4",
            "--plugins", "http,jvm,jwsgi",
            "--http", FreePorts.LOOPBACK + ":" + port, "--http-modifier1", "8",
            // The worker socket the router talks to: loopback, port chosen by the kernel.
            "--socket", FreePorts.LOOPBACK + ":0",
            "--buffer-size", "32768",
            "--jvm-classpath", uwsgiJar().toString()));
        for (Path entry : classPath)
        {
            command.add("--jvm-classpath");
            command.add(entry.toString());
        }
        for (String option : jvmOptions)
        {
            command.add("--jvm-opt");
            command.add(option);
        }
        command.add("--jwsgi");
        command.add(ENTRY);
        return new ManagedProcess(name, command, dir, dir.resolve(name + ".log"));
    }

    private static void awaitServing(ManagedProcess server, int port)
    {
        server.awaitReady("JWSGI app loaded and the router accepting on " + port,
            () -> server.logContains("JWSGI app \"" + ENTRY + "\" loaded") && FreePorts.accepts(port), START_TIMEOUT);
    }

    private static String uwsgiExecutable()
    {
        for (String candidate : List.of("/usr/bin/uwsgi-core", "/usr/bin/uwsgi"))
        {
            if (Files.isExecutable(Path.of(candidate)))
                return candidate;
        }
        throw new IllegalStateException("uwsgi: not found in /usr/bin (expected: Debian's uwsgi-core; run scripts/install-system-deps.sh as root)");
    }

    private static Path uwsgiJar()
    {
        Path jar = Path.of(System.getProperty("it.uwsgi.jar", "/usr/share/java/uwsgi.jar"));
        if (!Files.isRegularFile(jar))
            throw new IllegalStateException("uwsgi.jar: " + jar + " missing (expected: from uwsgi-plugin-jvm-openjdk-17; run scripts/install-system-deps.sh as root)");
        for (String plugin : List.of("jvm_plugin.so", "jwsgi_plugin.so"))
        {
            if (!Files.exists(Path.of("/usr/lib/uwsgi/plugins", plugin)))
                throw new IllegalStateException("uWSGI plugin " + plugin + " missing (expected: uwsgi-plugin-jvm-openjdk-17 and uwsgi-plugin-jwsgi-openjdk-17; run scripts/install-system-deps.sh as root)");
        }
        return jar;
    }

    /** gateway-host's jar and its runtime dependencies, as its build leaves them next to the module. */
    private static List<Path> gatewayHostClassPath() throws IOException
    {
        Path target = Path.of("").toAbsolutePath().resolve("../../gateway-host/target").normalize();
        List<Path> classPath = new ArrayList<>();
        try (Stream<Path> jars = Files.list(target))
        {
            jars.filter(p -> p.getFileName().toString().matches("jetty-uwsgi-gateway-host-.*\\.jar")).forEach(classPath::add);
        }
        Path lib = target.resolve("jwsgi-lib");
        if (classPath.size() != 1 || !Files.isDirectory(lib))
            throw new IllegalStateException("gateway-host: jar " + classPath + " and " + lib + " (expected: one jar and the lib directory; run 'mvn package' in gateway-host)");
        try (Stream<Path> jars = Files.list(lib))
        {
            jars.filter(p -> p.toString().endsWith(".jar")).sorted().forEach(classPath::add);
        }
        return classPath;
    }

    private static Path compileReportApp(Path classes, List<Path> classPath) throws IOException
    {
        Path source = classes.resolveSibling("src/uwsgijvm/EnvironReportApp.java");
        Files.createDirectories(source.getParent());
        Files.createDirectories(classes);
        try (InputStream in = UwsgiJvmPluginIT.class.getResourceAsStream("/uwsgi-jvm/EnvironReportApp.java"))
        {
            if (in == null)
                throw new IllegalStateException("resource /uwsgi-jvm/EnvironReportApp.java: missing (expected: on the test class path)");
            Files.write(source, in.readAllBytes());
        }
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        String cp = String.join(java.io.File.pathSeparator, classPath.stream().map(Path::toString).toList());
        int status = compiler.run(null, null, null, "-d", classes.toString(), "-cp", cp, "--release", "17", source.toString());
        if (status != 0)
            throw new IllegalStateException("javac EnvironReportApp.java: status " + status + " (expected: 0)");
        return classes;
    }

    private static byte[] pattern(int size)
    {
        byte[] bytes = new byte[size];
        for (int i = 0; i < size; i++)
            bytes[i] = (byte)(i * 7 + (i >> 10));
        return bytes;
    }

    private static String sha256(byte[] bytes)
    {
        try
        {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        }
        catch (java.security.NoSuchAlgorithmException x)
        {
            throw new UncheckedIOException(new IOException(x));
        }
    }
}

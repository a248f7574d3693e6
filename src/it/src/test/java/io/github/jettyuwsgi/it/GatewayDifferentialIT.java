package io.github.jettyuwsgi.it;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import javax.tools.ToolProvider;

import org.eclipse.jetty.util.ajax.JSON;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * <p>A gateway application sees what a WSGI application sees under uWSGI: the same logic as a WSGI app in real uWSGI
 * (python3 plugin, {@code --mount /gw=environ_app.py --manage-script-name}) and as a gateway app in the launcher
 * ({@code --app /gw=differential.EnvironJsonApp}), behind one real nginx with one {@code location /gw}, receive the
 * same requests (mount root, sub-paths, encoded slash, dot segments, query strings, repeated headers, non-ASCII paths,
 * POST bodies, HEAD); each answers its environ as JSON, and the two are compared key by key.</p>
 *
 * <p>The differences allowed are those of {@link #ALLOWED}, each documented in docs/gateway.md ("Compared with
 * uWSGI"); any other key that differs, is missing or is extra fails the test. No answer carries a stack trace.</p>
 *
 * <p>Needs {@code uwsgi} with its python3 plugin ({@code uwsgi-plugin-python3}, scripts/install-system-deps.sh).</p>
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GatewayDifferentialIT
{
    private static final int TIMEOUT_MILLIS = 30_000;
    private static final String HOST = "app.example";

    /** What may differ, key by key, and why: the one list of it (docs/gateway.md says the same). */
    private static final Map<String, String> ALLOWED = Map.ofEntries(
        // the server's own name: uWSGI's python plugin sets none, the launcher names Jetty
        Map.entry("SERVER_SOFTWARE", "the server's own name"),
        Map.entry("GATEWAY_INTERFACE", "CGI/1.1 in the launcher; uWSGI sets none"),
        // the launcher derives them from the Host header as sent, as Jetty's HTTP connector does; uWSGI passes
        // nginx's $server_name and $server_port
        Map.entry("SERVER_NAME", "from the Host header as sent"),
        Map.entry("SERVER_PORT", "from the Host header as sent"),
        // each request comes from another client port
        Map.entry("REMOTE_PORT", "the client's port, another per connection"),
        // nginx's uwsgi_params pass them; the servlet request a gateway environ is built from has no such field
        Map.entry("DOCUMENT_ROOT", "nginx's document root, not passed on by the launcher"),
        Map.entry("REQUEST_SCHEME", "nginx's $scheme; the launcher's wsgi.url_scheme equivalent is gateway.url_scheme"),
        // nginx sends them empty for a request without a body; the launcher leaves them out, as PEP 3333 allows
        Map.entry("CONTENT_TYPE", "empty under uWSGI, absent in the launcher, when the request has none"),
        Map.entry("CONTENT_LENGTH", "empty under uWSGI, absent in the launcher, when the request has none"),
        // a header sent on several lines: uWSGI keeps the last line, the launcher joins them with ", " (RFC 9110),
        // Cookie lines with "; " (RFC 6265)
        Map.entry("HTTP_X_REPEATED", "joined in the launcher, the last line under uWSGI"),
        Map.entry("HTTP_COOKIE", "joined in the launcher, the last line under uWSGI"),
        // httpoxy: the launcher drops the Proxy header, which an application would take for its proxy setting
        Map.entry("HTTP_PROXY", "dropped by the launcher"),
        // PEP 3333 (and wsgiref.validate): the body's type and length are CONTENT_TYPE and CONTENT_LENGTH only
        Map.entry("HTTP_CONTENT_TYPE", "passed by uWSGI, left out by the launcher"),
        Map.entry("HTTP_CONTENT_LENGTH", "passed by uWSGI, left out by the launcher"));

    private ManagedProcess uwsgi;
    private LauncherProcess launcher;
    private NginxProcess nginx;
    private final List<Exchange> everything = new ArrayList<>();

    @BeforeAll
    void start() throws IOException
    {
        ItSettings settings = ItSettings.fromSystemProperties();
        Path work = Files.createDirectories(settings.workDir().resolve("gateway-differential"));
        Path app = copy("environ_app.py", work);
        Path classes = compile(work, settings.launcherJar().getParent().resolve("lib/ee11"));
        int[] ports = FreePorts.allocate(4);
        uwsgi = new ManagedProcess("uwsgi-python", List.of(uwsgiExecutable(), "--plugins", "python3",
            "--socket", FreePorts.LOOPBACK + ":" + ports[0], "--mount", "/gw=" + app, "--manage-script-name",
            "--processes", "1", "--threads", "2", "--buffer-size", "32768", "--need-app", "--die-on-term"),
            work, work.resolve("uwsgi.log"));
        launcher = LauncherProcess.builder(settings.launcherJar())
            .uwsgiSocket(ports[1])
            .httpSocket(ports[2])
            .option("--classpath", classes.toString())
            .option("--app", "/gw=differential.EnvironJsonApp")
            .option("--buffer-size", "32768")
            .logFile(work.resolve("launcher.log"))
            .start();
        uwsgi.awaitReady("uWSGI's WSGI app at /gw", () -> uwsgi.logContains("(mountpoint='/gw') ready") && FreePorts.accepts(ports[0]),
            Duration.ofSeconds(60));
        nginx = NginxProcess.builder(work.resolve("nginx"))
            .template("/nginx/gateway-differential.conf.template")
            .include("uwsgi_params", "/nginx/uwsgi_params")
            .set("UWSGI_PORT", ports[0])
            .set("LAUNCHER_UWSGI_PORT", ports[1])
            .listen("NGINX_PORT", ports[3])
            .start();
    }

    @AfterAll
    void stop()
    {
        try
        {
            for (Exchange exchange : everything)
            {
                String body = exchange.bodyText();
                assertFalse(body.contains("at org.") || body.contains("at java."), () -> exchange + ": a stack trace sent to the client\n" + body);
            }
        }
        finally
        {
            for (AutoCloseable process : new AutoCloseable[]{nginx, launcher, uwsgi})
            {
                try
                {
                    if (process != null)
                        process.close();
                }
                catch (Exception x)
                {
                    // the others are still stopped
                }
            }
        }
    }

    /** One request: method, raw target, header lines, body. */
    record Case(String method, String target, List<String[]> headers, String body)
    {
        @Override
        public String toString()
        {
            return method + " " + target + (headers.isEmpty() ? "" : " " + headers.stream().map(h -> h[0] + ": " + h[1]).toList());
        }
    }

    static Stream<Case> cases()
    {
        List<String[]> none = List.of();
        List<String[]> form = List.<String[]>of(new String[]{"Content-Type", "application/x-www-form-urlencoded"});
        return Stream.of(
            new Case("GET", "/gw", none, null),
            new Case("GET", "/gw/", none, null),
            new Case("GET", "/gw/a/b", none, null),
            new Case("GET", "/gw/a/b/", none, null),
            new Case("GET", "/gw/x%2Fy", none, null),
            new Case("GET", "/gw/a%2F..%2Fb", none, null),
            new Case("GET", "/gw/a/../b/./c", none, null),
            new Case("GET", "/gw/caf%C3%A9/%E2%82%AC", none, null),
            new Case("GET", "/gw/%FF%FEx", none, null),
            new Case("GET", "/gw/sp%20ace+plus;param=1/x", none, null),
            new Case("GET", "/gw?", none, null),
            new Case("GET", "/gw/q?a=1&b=%20z&c=%E2%82%AC&d&a=2", none, null),
            new Case("GET", "/gw/q?x=%2F/y?z", none, null),
            new Case("GET", "/gw/h", List.<String[]>of(new String[]{"X-Repeated", "one"}, new String[]{"X-Repeated", "two"}), null),
            new Case("GET", "/gw/h", List.<String[]>of(new String[]{"X-Custom", "v a l"}, new String[]{"Accept", "text/plain"},
                new String[]{"Cookie", "a=1"}, new String[]{"Cookie", "b=2"}, new String[]{"X-Under_Score", "dropped"},
                new String[]{"Proxy", "http://evil.example"}, new String[]{"User-Agent", "differential/1"}), null),
            new Case("POST", "/gw/form", form, "name=J%C3%BCrgen&list=1&list=2"),
            new Case("POST", "/gw/raw?x=1", List.<String[]>of(new String[]{"Content-Type", "application/octet-stream"}), "bytes\u00ff\u0000end"),
            new Case("POST", "/gw", none, ""),
            new Case("PUT", "/gw/put", List.<String[]>of(new String[]{"Content-Type", "text/plain; charset=utf-8"}), "put body"),
            new Case("DELETE", "/gw/d", none, null),
            new Case("HEAD", "/gw/head?x=1", none, null));
    }

    @ParameterizedTest
    @MethodSource("cases")
    void sameEnvironAsUnderUwsgi(Case request) throws IOException
    {
        Map<String, String> python = environ("python", request);
        Map<String, String> java = environ("java", request);
        List<String> differences = new ArrayList<>();
        for (String key : new TreeSet<>(union(python, java)))
        {
            if (key.contains("."))
                continue; // wsgi.*, uwsgi.*: each server's implementation keys; the gateway's are not Strings
            String underUwsgi = python.get(key);
            String inLauncher = java.get(key);
            if (Objects.equals(underUwsgi, inLauncher) || ALLOWED.containsKey(key) && allowed(key, underUwsgi, inLauncher))
                continue;
            differences.add(key + ": uWSGI " + quote(underUwsgi) + ", launcher " + quote(inLauncher));
        }
        assertTrue(differences.isEmpty(), () -> request + "\n  " + String.join("\n  ", differences) +
            "\nuWSGI: " + python + "\nlauncher: " + java);
    }

    /** Each allowed difference is allowed only in the form documented for it. */
    private static boolean allowed(String key, String underUwsgi, String inLauncher)
    {
        return switch (key)
        {
            case "SERVER_SOFTWARE", "GATEWAY_INTERFACE" -> underUwsgi == null && inLauncher != null;
            case "SERVER_NAME" -> HOST.equals(inLauncher) && underUwsgi != null;
            case "SERVER_PORT" -> "80".equals(inLauncher) && underUwsgi != null;
            case "REMOTE_PORT" -> underUwsgi != null && inLauncher != null;
            case "DOCUMENT_ROOT", "REQUEST_SCHEME" -> inLauncher == null;
            case "CONTENT_TYPE", "CONTENT_LENGTH" -> "".equals(underUwsgi) && inLauncher == null;
            case "HTTP_X_REPEATED" -> "two".equals(underUwsgi) && "one, two".equals(inLauncher);
            case "HTTP_COOKIE" -> "b=2".equals(underUwsgi) && "a=1; b=2".equals(inLauncher);
            case "HTTP_PROXY", "HTTP_CONTENT_TYPE", "HTTP_CONTENT_LENGTH" -> underUwsgi != null && inLauncher == null;
            default -> false;
        };
    }

    private Map<String, String> environ(String backend, Case request) throws IOException
    {
        List<String[]> headers = new ArrayList<>();
        headers.add(new String[]{"Host", HOST});
        headers.add(new String[]{"X-Differential-Backend", backend});
        headers.addAll(request.headers());
        byte[] body = request.body() == null ? null : request.body().getBytes(StandardCharsets.ISO_8859_1);
        Exchange exchange = RawHttpClient.send(NginxLauncherRig.Route.NGINX_UWSGI_TCP, nginx.port("NGINX_PORT"), request.method(),
            request.target(), headers, body, TIMEOUT_MILLIS);
        everything.add(exchange);
        assertEquals(200, exchange.status(), () -> backend + " " + request + "\n" + exchange.abbreviated() + "\n" + logs());
        List<String> environHeader = exchange.headers().get("x-environ");
        assertNotNull(environHeader, () -> backend + " " + request + ": no X-Environ\n" + exchange.abbreviated());
        String json = new String(Base64.getDecoder().decode(environHeader.get(0)), StandardCharsets.US_ASCII);
        if (!request.method().equals("HEAD"))
            assertEquals(json, exchange.bodyText(), () -> backend + " " + request + ": body and X-Environ differ");
        Map<String, String> environ = new TreeMap<>();
        ((Map<?, ?>)new JSON().fromJSON(json)).forEach((key, value) -> environ.put((String)key, (String)value));
        return environ;
    }

    private String logs()
    {
        return uwsgi.describeLog() + "\n" + launcher.describeLog() + "\n" + nginx.describeLog();
    }

    private static TreeSet<String> union(Map<String, String> a, Map<String, String> b)
    {
        TreeSet<String> keys = new TreeSet<>(a.keySet());
        keys.addAll(b.keySet());
        return keys;
    }

    private static String quote(String value)
    {
        return value == null ? "(absent)" : "\"" + value + "\"";
    }

    private static Path copy(String resource, Path directory) throws IOException
    {
        try (InputStream in = GatewayDifferentialIT.class.getResourceAsStream("/gateway-differential/" + resource))
        {
            assertNotNull(in, resource);
            Path target = directory.resolve(resource);
            Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
            return target;
        }
    }

    /** Compiles EnvironJsonApp against the adapter jar of the launcher's lib/ee11, as a user compiles an --app. */
    private static Path compile(Path work, Path ee11) throws IOException
    {
        Path source = Files.createDirectories(work.resolve("src/differential")).resolve("EnvironJsonApp.java");
        try (InputStream in = GatewayDifferentialIT.class.getResourceAsStream("/gateway-differential/EnvironJsonApp.java"))
        {
            assertNotNull(in, "EnvironJsonApp.java");
            Files.copy(in, source, StandardCopyOption.REPLACE_EXISTING);
        }
        Path adapter;
        try (Stream<Path> jars = Files.list(ee11))
        {
            adapter = jars.filter(jar -> jar.getFileName().toString().startsWith("jetty-uwsgi-adapter-")).findFirst()
                .orElseThrow(() -> new IllegalStateException("no jetty-uwsgi-adapter jar in " + ee11));
        }
        Path classes = Files.createDirectories(work.resolve("classes"));
        int status = ToolProvider.getSystemJavaCompiler().run(null, null, null,
            "-d", classes.toString(), "-cp", adapter.toString(), source.toString());
        assertEquals(0, status, "javac EnvironJsonApp.java");
        return classes;
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
}

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
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import io.github.jettyuwsgi.launcher.Launcher;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * uWSGI's {@code env}, {@code chdir} and {@code logto} with the real launcher jar: a gateway application compiled
 * here answers what it sees ({@code System.getenv}, a child {@code printenv}, {@code user.dir}) and prints to
 * {@code System.out}; the launcher's files land where uWSGI 2.0.21 puts them (checked against the real uwsgi:
 * pidfile and logto in the launch directory, sockets and the master FIFO under chdir).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ProcessSettingsIT
{
    private static final String PROBE_APP = """
        package demo;

        import java.io.File;
        import java.nio.charset.StandardCharsets;
        import java.util.List;

        import io.github.jettyuwsgi.gateway.Environ;
        import io.github.jettyuwsgi.gateway.GatewayApplication;
        import io.github.jettyuwsgi.gateway.Header;
        import io.github.jettyuwsgi.gateway.ResponseBody;
        import io.github.jettyuwsgi.gateway.StartResponse;

        public class Probe implements GatewayApplication
        {
            @Override
            public ResponseBody call(Environ environ, StartResponse startResponse)
            {
                String what = String.valueOf(environ.get("PATH_INFO"));
                String argument = String.valueOf(environ.get("QUERY_STRING"));
                String body;
                try
                {
                    body = switch (what)
                    {
                        case "/env" -> String.valueOf(System.getenv(argument));
                        case "/child" -> child(argument);
                        case "/cwd" -> new File("x").getAbsoluteFile().getParent();
                        case "/print" ->
                        {
                            System.out.println("probe stdout " + argument);
                            System.err.println("probe stderr " + argument);
                            yield "printed";
                        }
                        default -> "unknown " + what;
                    };
                }
                catch (Exception x)
                {
                    body = "failed: " + x;
                }
                startResponse.start("200 OK", List.of(new Header("Content-Type", "text/plain; charset=utf-8")));
                return ResponseBody.of(body.getBytes(StandardCharsets.UTF_8));
            }

            private static String child(String name) throws Exception
            {
                // no environment() call: the child inherits the process's C environment
                Process printenv = new ProcessBuilder("printenv", name).redirectErrorStream(true).start();
                String output = new String(printenv.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
                return printenv.waitFor() == 0 ? output : "null";
            }
        }
        """;

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private Path classes;

    @BeforeAll
    void compileProbe(@TempDir Path build) throws IOException
    {
        Path source = Files.createDirectories(build.resolve("src/demo")).resolve("Probe.java");
        Files.writeString(source, PROBE_APP);
        classes = Files.createDirectories(build.resolve("classes"));
        LauncherRun.compileAgainstAdapter(classes, source);
    }

    private String get(LauncherRun launcher, String pathAndQuery) throws IOException, InterruptedException
    {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + launcher.boundPort("http") + pathAndQuery))
            .timeout(Duration.ofSeconds(30)).build();
        HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), () -> response.body() + "\n" + launcher.describe());
        return response.body();
    }

    private Path writeEnvIni(Path work, String... envLines) throws IOException
    {
        StringBuilder ini = new StringBuilder("[uwsgi]\nhttp-socket = 127.0.0.1:0\napp = demo.Probe\njvm-classpath = " + classes + "\n");
        for (String line : envLines)
        {
            ini.append("env = ").append(line).append('\n');
        }
        return Files.writeString(work.resolve("app.ini"), ini);
    }

    @Test
    void testEnvIsSeenByTheApplicationAndKeptByAReload(@TempDir Path work) throws Exception
    {
        Path ini = writeEnvIni(work, "JU_SET=from ini", "JU_REMOVED");
        LauncherRun.Launch withEnvironment = LauncherRun.launch().environment(Map.of("JU_REMOVED", "launch", "JU_KEPT", "launch", "JU_RESTORED", "launch"));
        try (LauncherRun launcher = withEnvironment.start(work, ini.toString(), "--env", "JU_RESTORED=overridden"))
        {
            assertEquals("from ini", get(launcher, "/env?JU_SET"));
            assertEquals("null", get(launcher, "/env?JU_REMOVED"));
            assertEquals("launch", get(launcher, "/env?JU_KEPT"));
            assertEquals("overridden", get(launcher, "/env?JU_RESTORED"));

            // a reload keeps the environment (running requests read it unlocked) and says so
            writeEnvIni(work, "JU_SET=reloaded", "JU_NEW=new");
            launcher.signal("HUP");
            launcher.awaitLog("graceful reload (SIGHUP) done");
            launcher.awaitLog("env changed for [JU_NEW, JU_REMOVED, JU_SET]: kept as they were until a restart");
            assertEquals("from ini", get(launcher, "/env?JU_SET"));
            assertEquals("null", get(launcher, "/env?JU_NEW"));
            assertEquals("null", get(launcher, "/env?JU_REMOVED"));
            assertEquals("overridden", get(launcher, "/env?JU_RESTORED"));
        }
    }

    @Test
    void testEnvOnJava17ReachesSystemGetenvNotAChildThatInheritsTheCEnvironment(@TempDir Path work) throws Exception
    {
        assumeTrue(Runtime.version().feature() < 22, "the tests' java can change the C environment");
        Path ini = writeEnvIni(work, "JU_SET=from ini");
        try (LauncherRun launcher = LauncherRun.start(work, ini.toString()))
        {
            assertEquals("from ini", get(launcher, "/env?JU_SET"));
            // the documented limit before Java 22, said at start
            assertEquals("null", get(launcher, "/child?JU_SET"));
            assertTrue(launcher.log().contains("a child process started without ProcessBuilder.environment() inherits the launch environment"), launcher::describe);
        }
    }

    @Test
    void testEnvOnJava22AndLaterReachesAChildProcess(@TempDir Path work) throws Exception
    {
        Optional<Path> java22 = LauncherRun.javaInstalledBeside(22);
        assumeTrue(java22.isPresent(), "no JDK 22 or later installed beside " + System.getProperty("java.home"));
        Path ini = writeEnvIni(work, "JU_SET=from ini", "JU_REMOVED");
        try (LauncherRun launcher = LauncherRun.launch().java(java22.get()).environment(Map.of("JU_REMOVED", "launch")).start(work, ini.toString()))
        {
            assertEquals("from ini", get(launcher, "/child?JU_SET"));
            assertEquals("null", get(launcher, "/child?JU_REMOVED"));
            assertEquals("from ini", get(launcher, "/env?JU_SET"));
            // Enable-Native-Access in the manifest: no warning about the foreign function API
            assertFalse(launcher.err().contains("restricted method"), launcher::describe);
        }
    }

    @Test
    void testEnvWithoutTheManifestsOpeningIsOneLineAndStatus1(@TempDir Path work) throws Exception
    {
        Path ini = writeEnvIni(work, "JU_SET=x");
        try (LauncherRun launcher = LauncherRun.launch().onClassPath(List.of()).spawn(work, ini.toString()))
        {
            assertEquals(1, launcher.waitForExit(), launcher::describe);
            assertEquals("jetty-uwsgi: cannot start: env: cannot set the environment variables of this JVM: package java.util is not open to the launcher " +
                "(expected: java -jar jetty-uwsgi-launcher.jar, whose manifest opens it, or the java option --add-opens java.base/java.util=ALL-UNNAMED)",
                launcher.err().strip());
        }
    }

    @Test
    void testEnvOnAClassPathWithTheLaunchersJvmOptions(@TempDir Path work) throws Exception
    {
        Path ini = writeEnvIni(work, "JU_SET=on a class path");
        // what the emperor gives a vassal's JVM
        try (LauncherRun launcher = LauncherRun.launch().onClassPath(Launcher.JVM_OPTIONS).start(work, ini.toString()))
        {
            assertEquals("on a class path", get(launcher, "/env?JU_SET"));
        }
    }

    @Test
    void testChdirResolvesWhatUwsgiReadsAfterItsChdir(@TempDir Path work) throws Exception
    {
        Path launchDirectory = Files.createDirectories(work.resolve("launch"));
        Path dir = Files.createDirectories(work.resolve("app"));
        Files.copy(LauncherRun.war("jetty-uwsgi-features-war.war"), dir.resolve("features.war"));
        Files.writeString(dir.resolve("users.properties"), "alice: secret,user\n");
        Files.createDirectories(dir.resolve("lib"));
        copyTree(classes, dir.resolve("lib/classes"));
        Files.writeString(launchDirectory.resolve("app.ini"), """
            [uwsgi]
            http-socket = 127.0.0.1:0
            socket = app.sock
            mount = /features=features.war
            realm = features=users.properties
            app = /probe=demo.Probe
            jvm-classpath = lib/classes
            pidfile = app.pid
            master-fifo = app.fifo
            chdir = %s
            """.formatted(dir));
        try (LauncherRun launcher = LauncherRun.start(launchDirectory, "app.ini"))
        {
            assertTrue(get(launcher, "/features/annotated").contains("annotated"), launcher::describe);
            assertTrue(Files.exists(dir.resolve("app.sock")), "the Unix socket under chdir");
            assertTrue(Files.exists(dir.resolve("app.fifo")), "the master FIFO under chdir");
            // as uWSGI writes its pidfile before its chdir
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (!Files.exists(launchDirectory.resolve("app.pid")) && System.nanoTime() < deadline)
                Thread.sleep(50);
            assertTrue(Files.exists(launchDirectory.resolve("app.pid")), "the pidfile in the launch directory");
            assertFalse(Files.exists(dir.resolve("app.pid")));
            // the JVM's working directory stays the launch directory: the documented limit
            assertEquals(launchDirectory.toRealPath().toString(), Path.of(get(launcher, "/probe/cwd")).toRealPath().toString());
        }
    }

    private static void copyTree(Path from, Path to) throws IOException
    {
        try (Stream<Path> files = Files.walk(from))
        {
            for (Path file : files.toList())
            {
                Path target = to.resolve(from.relativize(file).toString());
                if (Files.isDirectory(file))
                    Files.createDirectories(target);
                else
                    Files.copy(file, target);
            }
        }
    }

    @Test
    void testLogtoTakesTheLogTheRequestLogAndTheApplicationsPrintsAndReopensAfterARename(@TempDir Path work) throws Exception
    {
        Path log = work.resolve("logs/app.log");
        Files.createDirectories(log.getParent());
        try (LauncherRun launcher = LauncherRun.launch().logFile(log).start(work,
            "--http-socket", "127.0.0.1:0", "--app", "demo.Probe", "--jvm-classpath", classes.toString(),
            "--logto", "logs/app.log", "--master-fifo", "app.fifo"))
        {
            // read before the log is rotated away
            launcher.boundPort("http");
            assertEquals("printed", get(launcher, "/print?first"));
            launcher.awaitLog("GET /print?first");
            String first = launcher.log();
            assertTrue(first.contains("Deployed gateway application demo.Probe"), first);
            assertTrue(first.contains("probe stdout first"), first);
            assertTrue(first.contains("probe stderr first"), first);
            assertEquals("", launcher.out(), "nothing on the terminal's standard output");
            assertEquals("", launcher.err(), "nothing on the terminal's standard error");

            // logrotate: rename, then ask for a reopen
            Path rotated = work.resolve("logs/app.log.1");
            Files.move(log, rotated);
            Files.writeString(work.resolve("app.fifo"), "l\n");
            launcher.awaitMatches(Pattern.compile("master-fifo l: .*app\\.log reopened"), 1);
            assertEquals("printed", get(launcher, "/print?second"));
            launcher.awaitLog("GET /print?second");
            assertTrue(launcher.log().contains("probe stdout second"), launcher::describe);
            String old = Files.readString(rotated);
            assertTrue(old.contains("master-fifo l: reopening"), old);
            assertFalse(old.contains("second"), old);

            // a reload reopens it too
            Files.move(log, work.resolve("logs/app.log.2"));
            launcher.signal("HUP");
            launcher.awaitLog("graceful reload (SIGHUP) done");
            assertTrue(launcher.log().contains("app.log reopened"), launcher::describe);
        }
    }

    @Test
    void testLogtoThatCannotBeOpenedIsOneLineAndStatus1(@TempDir Path work) throws Exception
    {
        try (LauncherRun launcher = LauncherRun.spawn(work,
            "--http-socket", "127.0.0.1:0", "--app", "demo.Probe", "--jvm-classpath", classes.toString(), "--logto", "missing/app.log"))
        {
            assertEquals(1, launcher.waitForExit(), launcher::describe);
            Path expected = work.toAbsolutePath().resolve("missing/app.log");
            assertEquals("jetty-uwsgi: cannot start: logto " + expected + ": directory " + expected.getParent() + " does not exist (expected: an existing directory)",
                launcher.err().strip());
        }
    }
}

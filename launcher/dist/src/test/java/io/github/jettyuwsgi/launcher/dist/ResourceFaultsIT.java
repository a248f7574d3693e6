package io.github.jettyuwsgi.launcher.dist;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.MatchResult;
import java.util.regex.Pattern;

import org.eclipse.jetty.http.HttpTester;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The real launcher against resource faults (docs/reliability.md, "Resource faults"): a request that overflows its
 * stack, one that exhausts the heap in a vassal run with {@code -XX:+ExitOnOutOfMemoryError}, {@code logto} on a full
 * disk ({@code /dev/full}), and garbage on the master FIFO. The application is a gateway application compiled here.
 * Every response body is checked for stack traces.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ResourceFaultsIT
{
    private static final String FAULTS_APP = """
        package demo;

        import java.nio.charset.StandardCharsets;
        import java.util.ArrayList;
        import java.util.List;

        import io.github.jettyuwsgi.gateway.Environ;
        import io.github.jettyuwsgi.gateway.GatewayApplication;
        import io.github.jettyuwsgi.gateway.Header;
        import io.github.jettyuwsgi.gateway.ResponseBody;
        import io.github.jettyuwsgi.gateway.StartResponse;

        public class Faults implements GatewayApplication
        {
            private static final List<byte[]> HOG = new ArrayList<>();

            @Override
            public ResponseBody call(Environ environ, StartResponse startResponse)
            {
                String body = switch (String.valueOf(environ.get("PATH_INFO")))
                {
                    case "/recurse" -> String.valueOf(recurse(0));
                    case "/oom" ->
                    {
                        while (true)
                            HOG.add(new byte[1 << 20]);
                    }
                    case "/print" ->
                    {
                        System.out.println("a line for the log file");
                        yield "printed";
                    }
                    default -> "pid " + ProcessHandle.current().pid();
                };
                startResponse.start("200 OK", List.of(new Header("Content-Type", "text/plain; charset=utf-8")));
                return ResponseBody.of(body.getBytes(StandardCharsets.UTF_8));
            }

            private static long recurse(long depth)
            {
                return recurse(depth + 1) + 1;
            }
        }
        """;

    private Path classes;

    @BeforeAll
    void compileApplication(@TempDir Path build) throws IOException
    {
        Path source = Files.createDirectories(build.resolve("src/demo")).resolve("Faults.java");
        Files.writeString(source, FAULTS_APP);
        classes = Files.createDirectories(build.resolve("classes"));
        LauncherRun.compileAgainstAdapter(classes, source);
    }

    private String[] app(Path socket, String... more)
    {
        List<String> args = new java.util.ArrayList<>(List.of("--socket", socket.toString(), "--app", "demo.Faults", "--jvm-classpath", classes.toString()));
        args.addAll(List.of(more));
        return args.toArray(String[]::new);
    }

    private static HttpTester.Response get(Path socket, String uri) throws IOException
    {
        HttpTester.Response response = UwsgiPacket.get(uri).sendTo(socket);
        assertNoStackTrace(response.getContent());
        return response;
    }

    static void assertNoStackTrace(String body)
    {
        assertFalse(body.contains("at java.") || body.contains("at org.") || body.contains("at demo.") || body.contains("Exception") || body.contains("Error:"),
            () -> "a stack trace in a response body:\n" + body);
    }

    @Test
    void testStackOverflowIsA500WithoutTraceAndTheServerGoesOn(@TempDir Path work) throws Exception
    {
        Path socket = work.resolve("app.sock");
        try (LauncherRun launcher = LauncherRun.start(work, app(socket)))
        {
            for (int i = 0; i < 3; i++)
            {
                HttpTester.Response overflow = get(socket, "/recurse");
                assertEquals(500, overflow.getStatus(), overflow::getContent);
                assertEquals(200, get(socket, "/hello").getStatus(), "served after the StackOverflowError");
            }
            assertTrue(launcher.isAlive());
            assertEquals(143, launcher.stop());
        }
    }

    @Test
    void testOutOfMemoryEndsTheVassalAndTheEmperorStartsItAgain(@TempDir Path work) throws Exception
    {
        Path vassals = Files.createDirectories(work.resolve("vassals"));
        Path run = Files.createDirectories(work.resolve("run"));
        Files.writeString(vassals.resolve("hog.ini"), "[uwsgi]\nsocket = %v/../run/%n.sock\napp = demo.Faults\njvm-classpath = " + classes + "\n");
        Files.writeString(vassals.resolve("steady.ini"), "[uwsgi]\nsocket = %v/../run/%n.sock\napp = demo.Faults\njvm-classpath = " + classes + "\n");
        // the documented way: JVM options for the emperor, which gives them to every vassal
        LauncherRun.Launch withFlags = LauncherRun.launch()
            .environment(Map.of("JAVA_TOOL_OPTIONS", "-Xmx64m -XX:+ExitOnOutOfMemoryError"))
            .readyWhen(Pattern.compile(Pattern.quote("[emperor] watching ")));
        try (LauncherRun emperor = withFlags.start(work, "--emperor", "vassals", "--emperor-freq", "1"))
        {
            Path hog = run.resolve("hog.sock");
            Path steady = run.resolve("steady.sock");
            String firstHog = awaitServing(hog);
            String firstSteady = awaitServing(steady);

            try
            {
                HttpTester.Response response = UwsgiPacket.get("/oom").sendTo(hog);
                fail("the vassal answered instead of exiting: " + response.getStatus() + " " + response.getContent());
            }
            catch (IOException x)
            {
                // the JVM exited in the middle of the request: the frontend sees the connection end without a response
            }
            emperor.awaitMatches(Pattern.compile(Pattern.quote("[emperor] vassal hog.ini died (status 3), respawn in ")), 1);
            List<MatchResult> started = emperor.awaitMatches(Pattern.compile(Pattern.quote("[emperor] vassal hog.ini started (pid ") + "(\\d+)\\)"), 2);
            assertNotEquals(started.get(0).group(1), started.get(1).group(1));

            assertEquals("pid " + started.get(1).group(1), awaitServing(hog), "the new vassal serves");
            assertEquals("pid " + started.get(0).group(1), firstHog);
            assertEquals(firstSteady, awaitServing(steady), "the other vassal was not touched");
            // the JVM's own line, on the standard output the vassal shares with its emperor
            assertTrue(emperor.out().contains("Terminating due to java.lang.OutOfMemoryError: Java heap space"), emperor::describe);
            emperor.stop();
        }
    }

    /**
     * @return the body of {@code /hello}, which names the serving process, once the socket serves
     */
    private static String awaitServing(Path socket) throws InterruptedException
    {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (true)
        {
            try
            {
                HttpTester.Response response = get(socket, "/hello");
                if (response.getStatus() == 200)
                    return response.getContent();
            }
            catch (IOException x)
            {
                // not bound yet, or bound by a vassal still starting
            }
            if (System.nanoTime() > deadline)
                fail(socket + " does not serve within 90 s");
            Thread.sleep(100);
        }
    }

    @Test
    void testLogtoOnAFullDiskLosesNoRequest(@TempDir Path work) throws Exception
    {
        Path socket = work.resolve("app.sock");
        String failed = "logto /dev/full: write failed: No space left on device";
        // the log goes nowhere: the one message on standard error says the launcher is up
        LauncherRun.Launch launch = LauncherRun.launch().readyWhen(Pattern.compile(Pattern.quote(failed)));
        try (LauncherRun launcher = launch.start(work, app(socket, "--logto", "/dev/full")))
        {
            awaitServing(socket);
            for (int i = 0; i < 200; i++)
            {
                HttpTester.Response response = get(socket, "/print");
                assertEquals(200, response.getStatus(), response::getContent);
                assertEquals("printed", response.getContent());
            }
            // every request wrote a request-log line and a print, and each failed: one message says so
            assertEquals(1, launcher.count("write failed"), launcher::describe);
            assertEquals(143, launcher.stop());
        }
    }

    @Test
    void testGarbageOnTheMasterFifoIsLoggedAndIgnored(@TempDir Path work) throws Exception
    {
        Path socket = work.resolve("app.sock");
        Path fifo = work.resolve("app.fifo");
        try (LauncherRun launcher = LauncherRun.start(work, app(socket, "--master-fifo", fifo.toString())))
        {
            launcher.awaitLog("master-fifo " + fifo + ": r reload");

            writeFifo(fifo, "xyz\n".getBytes(StandardCharsets.US_ASCII));
            launcher.awaitLog("master-fifo: unknown command 'x'");
            // every byte but the commands (r R w q Q l), some invalid UTF-8 among them
            byte[] binary = new byte[256];
            int length = 0;
            for (int b = 0; b < 256; b++)
            {
                if ("rRwqQl".indexOf(b) < 0)
                    binary[length++] = (byte)b;
            }
            writeFifo(fifo, java.util.Arrays.copyOf(binary, length));
            // a long line: a megabyte without a command letter
            writeFifo(fifo, "z".repeat(1 << 20).getBytes(StandardCharsets.US_ASCII));
            // a writer that opens and closes without a byte
            writeFifo(fifo, new byte[0]);
            assertEquals(200, get(socket, "/hello").getStatus());

            writeFifo(fifo, "r".getBytes(StandardCharsets.US_ASCII));
            launcher.awaitLog("graceful reload (master-fifo r) done");
            assertEquals(200, get(socket, "/hello").getStatus());
            // the log says what was ignored without a line per byte
            assertTrue(launcher.count("master-fifo: unknown command") <= 10, launcher::describe);
            assertTrue(launcher.log().contains("master-fifo: 1048575 more bytes that are not commands ignored"), launcher::describe);
            assertEquals(143, launcher.stop());
        }
    }

    private static void writeFifo(Path fifo, byte[] bytes) throws IOException
    {
        // opening blocks until the launcher's reader has the FIFO open again after the previous writer
        try (OutputStream out = Files.newOutputStream(fifo))
        {
            out.write(bytes);
        }
    }
}

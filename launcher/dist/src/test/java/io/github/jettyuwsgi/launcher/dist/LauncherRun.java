package io.github.jettyuwsgi.launcher.dist;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.MatchResult;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.tools.ToolProvider;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The launcher exactly as users run it: {@code java -jar target/jetty-uwsgi/jetty-uwsgi-launcher.jar ...} in a child
 * JVM, from the directory this module assembles, with its standard output and error in files of a work directory;
 * {@link #launch()} changes how (another {@code java}, a plain class path, added environment variables, a
 * {@code logto} file, another line to wait for, such as the emperor's).
 */
final class LauncherRun implements AutoCloseable
{
    /** The launcher's own line once every connector is open, every WAR deployed, pidfile and master-fifo in place. */
    private static final Pattern READY = Pattern.compile("Launcher:main: ready: pid [0-9]+");
    private static final Duration TIMEOUT = Duration.ofSeconds(90);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

    /**
     * What a launcher that ran to its end left behind.
     *
     * @param status the exit status
     * @param out its standard output
     * @param err its standard error, where the log goes too
     */
    record Finished(int status, String out, String err)
    {
        /**
         * @return standard error without Jetty's log lines, i.e. what the launcher itself told the user
         */
        List<String> messages()
        {
            return err.lines().filter(line -> line.startsWith("jetty-uwsgi: ")).toList();
        }
    }

    /**
     * How to start the launcher's JVM where the defaults ({@code java -jar} with the tests' own java and environment,
     * the log on standard error, ready at the launcher's ready line) do not fit.
     */
    static final class Launch
    {
        private Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        private List<String> classPathOptions;
        private List<String> javaOptions = List.of();
        private Map<String, String> environment = Map.of();
        private Path logFile;
        private Pattern ready = READY;

        private Launch()
        {
        }

        /**
         * @param executable the {@code java} to run it with, e.g. {@link #javaInstalledBeside(int)}
         */
        Launch java(Path executable)
        {
            java = executable;
            return this;
        }

        /**
         * @param javaOptions the java options before {@code -cp jar:lib/core/* Launcher}, which replaces {@code -jar}
         * and so does not read the manifest's {@code Add-Opens}
         */
        Launch onClassPath(List<String> javaOptions)
        {
            classPathOptions = List.copyOf(javaOptions);
            return this;
        }

        /**
         * @param options java options (system properties, for example) given before {@code -jar}
         */
        Launch javaOptions(List<String> options)
        {
            javaOptions = List.copyOf(options);
            return this;
        }

        /**
         * @param variables added to the launch environment
         */
        Launch environment(Map<String, String> variables)
        {
            environment = Map.copyOf(variables);
            return this;
        }

        /**
         * @param file the {@code logto} file the command line names, read by {@link #log()} instead of standard error
         */
        Launch logFile(Path file)
        {
            logFile = file;
            return this;
        }

        /**
         * @param line what {@link #start} waits for in the log instead of the launcher's ready line
         */
        Launch readyWhen(Pattern line)
        {
            ready = line;
            return this;
        }

        /**
         * Starts the launcher and waits until its log says it is ready; stops it if it never does.
         *
         * @param workDirectory the launcher's working directory, which also receives its output
         * @param args the launcher's command line
         * @return the running launcher
         */
        LauncherRun start(Path workDirectory, String... args)
        {
            LauncherRun run = spawn(workDirectory, args);
            try
            {
                run.awaitMatches(ready, 1);
                return run;
            }
            catch (Throwable x)
            {
                run.close();
                throw x;
            }
        }

        /**
         * @param workDirectory the launcher's working directory, which also receives its output
         * @param args the launcher's command line
         * @return the launcher, not waited for
         */
        LauncherRun spawn(Path workDirectory, String... args)
        {
            Path jar = dist().resolve("jetty-uwsgi-launcher.jar").toAbsolutePath();
            assertTrue(Files.isRegularFile(jar), () -> jar + " missing (expected: assembled by 'mvn package' in launcher-dist)");
            // Start-up time is most of these tests' time on a small machine; C1 alone compiles soonest.
            List<String> command = new ArrayList<>(List.of(java.toString(), "-XX:TieredStopAtLevel=1"));
            command.addAll(javaOptions);
            if (classPathOptions == null)
            {
                command.addAll(List.of("-jar", jar.toString()));
            }
            else
            {
                command.addAll(classPathOptions);
                command.addAll(List.of("-cp", jar + ":" + jar.resolveSibling("lib/core") + "/*", "io.github.jettyuwsgi.launcher.Launcher"));
            }
            command.addAll(List.of(args));
            try
            {
                Files.createDirectories(workDirectory);
                Path out = Files.createTempFile(workDirectory, "launcher-", ".out");
                Path err = Files.createTempFile(workDirectory, "launcher-", ".err");
                ProcessBuilder builder = new ProcessBuilder(command)
                    .directory(workDirectory.toFile())
                    .redirectOutput(out.toFile())
                    .redirectError(err.toFile());
                builder.environment().putAll(environment);
                return new LauncherRun(builder.start(), out, err, logFile == null ? err : logFile, command);
            }
            catch (IOException x)
            {
                throw new UncheckedIOException("cannot start " + command, x);
            }
        }
    }

    private final Process process;
    private final Path out;
    private final Path err;
    private final Path log;
    private final List<String> command;
    /** Read from the log once: a rotated log no longer has the line. */
    private final Map<String, Integer> ports = new HashMap<>();

    private LauncherRun(Process process, Path out, Path err, Path log, List<String> command)
    {
        this.process = process;
        this.out = out;
        this.err = err;
        this.log = log;
        this.command = command;
    }

    /**
     * @return the distribution directory assembled by this module's package phase
     */
    static Path dist()
    {
        return Path.of(System.getProperty("launcher.dist", "target/jetty-uwsgi"));
    }

    /**
     * Compiles test applications (gateway or JWSGI classes) against the adapter jar of the distribution, as a user of
     * {@code --app} and {@code --jwsgi} would.
     *
     * @param classes where the classes go
     * @param sources the {@code .java} files
     */
    static void compileAgainstAdapter(Path classes, Path... sources) throws IOException
    {
        Path adapter;
        try (Stream<Path> jars = Files.list(dist().resolve("lib/ee11")))
        {
            adapter = jars.filter(jar -> jar.getFileName().toString().startsWith("jetty-uwsgi-adapter-")).findFirst()
                .orElseThrow(() -> new AssertionError("no jetty-uwsgi-adapter jar in lib/ee11 (expected: packaged by launcher-ee11)"));
        }
        List<String> arguments = new ArrayList<>(List.of("-d", classes.toString(), "-cp", adapter.toString()));
        for (Path source : sources)
        {
            arguments.add(source.toString());
        }
        assertEquals(0, ToolProvider.getSystemJavaCompiler().run(null, null, null, arguments.toArray(String[]::new)), () -> "javac " + arguments);
    }

    /**
     * @param fileName a WAR copied by the pre-integration-test phase, e.g. {@code jetty-uwsgi-features-war.war}
     * @return its path
     */
    static Path war(String fileName)
    {
        Path war = Path.of(System.getProperty("launcher.wars", "target/wars")).resolve(fileName);
        assertTrue(Files.isRegularFile(war), () -> war + " missing (expected: copied by 'mvn verify' in launcher-dist)");
        return war;
    }

    /**
     * @return a way to start the launcher other than {@link #start(Path, String...)}'s
     */
    static Launch launch()
    {
        return new Launch();
    }

    /**
     * @return the {@code java} of a JDK of at least {@code feature} installed beside the tests' own (e.g. both under
     * /usr/lib/jvm)
     */
    static Optional<Path> javaInstalledBeside(int feature)
    {
        Path home = Path.of(System.getProperty("java.home")).toAbsolutePath();
        try (Stream<Path> siblings = Files.list(home.getParent()))
        {
            return siblings.filter(jdk -> Files.isExecutable(jdk.resolve("bin/java")) && releaseFeature(jdk) >= feature)
                .sorted().findFirst().map(jdk -> jdk.resolve("bin/java"));
        }
        catch (IOException x)
        {
            return Optional.empty();
        }
    }

    private static int releaseFeature(Path jdk)
    {
        try
        {
            Matcher version = Pattern.compile("JAVA_VERSION=\"(\\d+)").matcher(Files.readString(jdk.resolve("release")));
            return version.find() ? Integer.parseInt(version.group(1)) : 0;
        }
        catch (IOException x)
        {
            return 0;
        }
    }

    /**
     * Starts the launcher and waits until it says it is ready (server started, pidfile and master-fifo in place).
     *
     * @param workDirectory the launcher's working directory, which also receives its output
     * @param args the command line after {@code -jar jetty-uwsgi-launcher.jar}
     * @return the running launcher
     */
    static LauncherRun start(Path workDirectory, String... args)
    {
        return launch().start(workDirectory, args);
    }

    /**
     * @param workDirectory the launcher's working directory, which also receives its output
     * @param args the command line after {@code -jar jetty-uwsgi-launcher.jar}
     * @return the launcher, not waited for
     */
    static LauncherRun spawn(Path workDirectory, String... args)
    {
        return launch().spawn(workDirectory, args);
    }

    /**
     * Runs the launcher until it exits by itself, as it does for {@code --help} and for every mistake.
     *
     * @param workDirectory the launcher's working directory, which also receives its output
     * @param args the command line after {@code -jar jetty-uwsgi-launcher.jar}
     * @return its exit status and output
     */
    static Finished runToEnd(Path workDirectory, String... args)
    {
        try (LauncherRun run = spawn(workDirectory, args))
        {
            return new Finished(run.waitForExit(), run.out(), run.err());
        }
    }

    /**
     * @return everything the launcher logged so far: its standard error, where Jetty logs, or its {@code logto} file
     */
    String log()
    {
        return read(log);
    }

    String out()
    {
        return read(out);
    }

    String err()
    {
        return read(err);
    }

    private static String read(Path file)
    {
        try
        {
            return Files.readString(file, StandardCharsets.UTF_8);
        }
        catch (NoSuchFileException x)
        {
            // a logto file the launcher has not opened yet
            return "";
        }
        catch (IOException x)
        {
            throw new UncheckedIOException(x);
        }
    }

    /**
     * @return how many times the log holds {@code text}
     */
    int count(String text)
    {
        return (int)Pattern.compile(Pattern.quote(text)).matcher(log()).results().count();
    }

    /**
     * Waits until the log holds {@code text}, taken literally.
     */
    void awaitLog(String text)
    {
        awaitMatches(Pattern.compile(Pattern.quote(text)), 1);
    }

    /**
     * Waits until the log has {@code times} matches of {@code pattern}; fails at once if the launcher exits first.
     *
     * @return the first {@code times} matches
     */
    List<MatchResult> awaitMatches(Pattern pattern, int times)
    {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (true)
        {
            List<MatchResult> matches = pattern.matcher(log()).results().limit(times).toList();
            if (matches.size() == times)
                return matches;
            if (!process.isAlive())
                fail("launcher exited with status " + process.exitValue() + " before its log had " + times + " match(es) of " + pattern + "\n" + describe());
            if (System.nanoTime() > deadline)
                fail("not " + times + " match(es) of " + pattern + " in the log within " + TIMEOUT + "\n" + describe());
            sleep(50);
        }
    }

    /**
     * @param kind {@code "uwsgi"}, {@code "http"} or {@code "stats"}
     * @return the port of the first TCP socket of that kind the log says was bound, on loopback or on all interfaces
     */
    int boundPort(String kind)
    {
        return ports.computeIfAbsent(kind, k ->
        {
            Matcher matcher = Pattern.compile(k + " socket bound: (?:127\\.0\\.0\\.1|\\*):(\\d+)").matcher(log());
            assertTrue(matcher.find(), () -> "no '" + k + " socket bound' line in the log\n" + describe());
            return Integer.parseInt(matcher.group(1));
        });
    }

    /**
     * Sends SIGTERM, as a service manager does, and waits for the JVM to exit.
     *
     * @return the exit status
     */
    int stop()
    {
        process.destroy();
        return awaitExit(STOP_TIMEOUT, "launcher still running " + STOP_TIMEOUT + " after SIGTERM (expected: a graceful stop)");
    }

    /**
     * @return the exit status, once the launcher has exited by itself (after a signal, a {@code --stop} or a mistake)
     */
    int waitForExit()
    {
        return awaitExit(TIMEOUT, "launcher still running after " + TIMEOUT + " (expected: it exits by itself)");
    }

    private int awaitExit(Duration timeout, String failure)
    {
        try
        {
            if (!process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS))
                fail(failure + "\n" + describe());
            return process.exitValue();
        }
        catch (InterruptedException x)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(x);
        }
    }

    long pid()
    {
        return process.pid();
    }

    /**
     * Sends a signal with {@code kill}, for the signals Java cannot send itself ({@code INT}, {@code KILL}, ...).
     */
    void signal(String name) throws IOException, InterruptedException
    {
        assertEquals(0, new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start().waitFor(), "kill -" + name);
    }

    boolean isAlive()
    {
        return process.isAlive();
    }

    String describe()
    {
        String stdout = out();
        return "command: " + String.join(" ", command) + "\n" +
            (stdout.isEmpty() ? "" : "--- stdout ---\n" + stdout) +
            "--- stderr ---\n" + err() +
            (log.equals(err) ? "" : "--- " + log + " ---\n" + log());
    }

    @Override
    public void close()
    {
        if (process.isAlive())
        {
            // an emperor's vassals first, while they are still its descendants: they would hold their sockets for
            // the next test
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            try
            {
                process.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            }
            catch (InterruptedException x)
            {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static void sleep(long millis)
    {
        try
        {
            Thread.sleep(millis);
        }
        catch (InterruptedException x)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(x);
        }
    }
}

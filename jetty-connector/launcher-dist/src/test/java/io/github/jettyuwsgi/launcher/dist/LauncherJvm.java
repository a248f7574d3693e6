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
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The launcher jar in a child JVM where {@link LauncherRun} does not reach: a chosen {@code java} (to run it on
 * another Java version than the tests'), variables added to its launch environment, its classes on a plain class
 * path instead of {@code -jar}, and its log read from a {@code logto} file instead of standard error.
 */
final class LauncherJvm implements AutoCloseable
{
    private static final Pattern STARTED = Pattern.compile("Launcher:main: ready: pid [0-9]+");
    private static final Duration TIMEOUT = Duration.ofSeconds(90);

    private final Process process;
    private final Path out;
    private final Path err;
    private final Path log;
    /** Read from the log once: a rotated log no longer has the line. */
    private final Map<String, Integer> ports = new HashMap<>();

    private LauncherJvm(Process process, Path out, Path err, Path log)
    {
        this.process = process;
        this.out = out;
        this.err = err;
        this.log = log;
    }

    /**
     * How to start it.
     *
     * @param java the {@code java} executable
     * @param asJar {@code java -jar} as users run it, or false for {@code java -cp jar:lib/core/* Launcher}, which
     * does not read the manifest's {@code Add-Opens}
     * @param environment variables added to the launch environment
     * @param options java options before {@code -jar} or {@code -cp}
     */
    record Jvm(Path java, boolean asJar, Map<String, String> environment, List<String> options)
    {
        /**
         * @return the tests' own java, {@code -jar}, the tests' environment
         */
        static Jvm standard()
        {
            return new Jvm(Path.of(System.getProperty("java.home"), "bin", "java"), true, Map.of(), List.of());
        }

        Jvm withEnvironment(Map<String, String> variables)
        {
            return new Jvm(java, asJar, variables, options);
        }

        Jvm onClassPath(List<String> javaOptions)
        {
            return new Jvm(java, false, environment, javaOptions);
        }

        /**
         * @return a JDK of at least {@code feature} installed beside the tests' own (e.g. both under /usr/lib/jvm)
         */
        static Optional<Jvm> installedBeside(int feature)
        {
            Path home = Path.of(System.getProperty("java.home")).toAbsolutePath();
            try (Stream<Path> siblings = Files.list(home.getParent()))
            {
                return siblings.filter(jdk -> Files.isExecutable(jdk.resolve("bin/java")) && releaseFeature(jdk) >= feature)
                    .sorted().findFirst().map(jdk -> new Jvm(jdk.resolve("bin/java"), true, Map.of(), List.of()));
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
    }

    /**
     * Starts the launcher.
     *
     * @param jvm how
     * @param workDirectory its working directory, which also receives its standard output and error
     * @param log where its log goes: its standard error, or the {@code logto} file given in {@code args}
     * @param args the launcher's command line
     * @return the launcher, not yet waited for
     */
    static LauncherJvm spawn(Jvm jvm, Path workDirectory, Path log, String... args) throws IOException
    {
        Path jar = LauncherRun.dist().resolve("jetty-uwsgi-launcher.jar").toAbsolutePath();
        assertTrue(Files.isRegularFile(jar), () -> jar + " missing (expected: assembled by 'mvn package' in launcher-dist)");
        List<String> command = new ArrayList<>(List.of(jvm.java().toString(), "-XX:TieredStopAtLevel=1"));
        command.addAll(jvm.options());
        if (jvm.asJar())
            command.addAll(List.of("-jar", jar.toString()));
        else
            command.addAll(List.of("-cp", jar + ":" + jar.resolveSibling("lib/core") + "/*", "io.github.jettyuwsgi.launcher.Launcher"));
        command.addAll(List.of(args));
        Files.createDirectories(workDirectory);
        Path out = Files.createTempFile(workDirectory, "launcher-", ".out");
        Path err = Files.createTempFile(workDirectory, "launcher-", ".err");
        ProcessBuilder builder = new ProcessBuilder(command).directory(workDirectory.toFile())
            .redirectOutput(out.toFile()).redirectError(err.toFile());
        builder.environment().putAll(jvm.environment());
        return new LauncherJvm(builder.start(), out, err, log == null ? err : log);
    }

    /**
     * @return this launcher once Jetty has said it started
     */
    LauncherJvm awaitStarted()
    {
        return awaitLog(STARTED);
    }

    /**
     * @return this launcher once its log has a line matching {@code pattern}
     */
    LauncherJvm awaitLog(Pattern pattern)
    {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (!pattern.matcher(log()).find())
        {
            if (!process.isAlive())
                fail("launcher exited with status " + process.exitValue() + " before its log matched " + pattern + "\n" + describe());
            if (System.nanoTime() > deadline)
                fail("no log line matching " + pattern + " within " + TIMEOUT + "\n" + describe());
            sleep();
        }
        return this;
    }

    /**
     * @return its exit status, once it has exited by itself
     */
    int awaitExit() throws InterruptedException
    {
        if (!process.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS))
            fail("launcher still running after " + TIMEOUT + "\n" + describe());
        return process.exitValue();
    }

    /**
     * @return the port of its first TCP socket of that kind ({@code uwsgi} or {@code http}), read from its log the
     * first time
     */
    int boundPort(String kind)
    {
        Integer known = ports.get(kind);
        if (known != null)
            return known;
        Matcher matcher = Pattern.compile(kind + " socket bound: 127\\.0\\.0\\.1:(\\d+)").matcher(log());
        assertTrue(matcher.find(), () -> "no '" + kind + " socket bound' line in the log\n" + describe());
        ports.put(kind, Integer.parseInt(matcher.group(1)));
        return ports.get(kind);
    }

    void signal(String name) throws IOException, InterruptedException
    {
        assertTrue(new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start().waitFor() == 0, "kill -" + name);
    }

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
            return "";
        }
        catch (IOException x)
        {
            throw new UncheckedIOException(x);
        }
    }

    String describe()
    {
        return "--- stdout ---\n" + out() + "--- stderr ---\n" + err() + (log.equals(err) ? "" : "--- " + log + " ---\n" + log());
    }

    @Override
    public void close() throws InterruptedException
    {
        if (process.isAlive())
        {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS))
                process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
    }

    private static void sleep()
    {
        try
        {
            Thread.sleep(50);
        }
        catch (InterruptedException x)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(x);
        }
    }
}

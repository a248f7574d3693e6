package io.github.jettyuwsgi.launcher.dist;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The launcher exactly as users run it: {@code java -jar target/jetty-uwsgi/jetty-uwsgi-launcher.jar ...} in a child
 * JVM, from the directory this module assembles, with its standard output and error in files of a work directory.
 */
final class LauncherRun implements AutoCloseable
{
    /** Jetty's own line once every connector is open and every WAR deployed. */
    private static final Pattern STARTED = Pattern.compile("Launcher:main: ready: pid [0-9]+");
    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
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

    private final Process process;
    private final Path out;
    private final Path err;
    private final List<String> command;

    private LauncherRun(Process process, Path out, Path err, List<String> command)
    {
        this.process = process;
        this.out = out;
        this.err = err;
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
     * Starts the launcher and waits until it says it is ready (server started, pidfile and master-fifo in place).
     *
     * @param workDirectory the launcher's working directory, which also receives its output
     * @param args the command line after {@code -jar jetty-uwsgi-launcher.jar}
     * @return the running launcher
     */
    static LauncherRun start(Path workDirectory, String... args)
    {
        LauncherRun run = spawn(workDirectory, args);
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (!STARTED.matcher(run.log()).find())
        {
            if (!run.process.isAlive())
                fail("launcher exited with status " + run.process.exitValue() + " before it started\n" + run.describe());
            if (System.nanoTime() > deadline)
            {
                run.close();
                fail("launcher did not start within " + START_TIMEOUT + "\n" + run.describe());
            }
            sleep(50);
        }
        return run;
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
            if (!run.process.waitFor(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS))
                fail("launcher still running after " + START_TIMEOUT + " (expected: it exits by itself)\n" + run.describe());
            return new Finished(run.process.exitValue(), Files.readString(run.out), Files.readString(run.err));
        }
        catch (IOException x)
        {
            throw new UncheckedIOException(x);
        }
        catch (InterruptedException x)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(x);
        }
    }

    private static LauncherRun spawn(Path workDirectory, String... args)
    {
        Path jar = dist().resolve("jetty-uwsgi-launcher.jar");
        assertTrue(Files.isRegularFile(jar), () -> jar + " missing (expected: assembled by 'mvn package' in launcher-dist)");
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        // Start-up time is most of these tests' time on a small machine; C1 alone compiles soonest.
        command.add("-XX:TieredStopAtLevel=1");
        command.add("-jar");
        command.add(jar.toAbsolutePath().toString());
        command.addAll(List.of(args));
        try
        {
            Files.createDirectories(workDirectory);
            Path out = Files.createTempFile(workDirectory, "launcher-", ".out");
            Path err = Files.createTempFile(workDirectory, "launcher-", ".err");
            Process process = new ProcessBuilder(command)
                .directory(workDirectory.toFile())
                .redirectOutput(out.toFile())
                .redirectError(err.toFile())
                .start();
            return new LauncherRun(process, out, err, command);
        }
        catch (IOException x)
        {
            throw new UncheckedIOException("cannot start " + command, x);
        }
    }

    /**
     * @return everything the launcher logged so far (Jetty logs to standard error)
     */
    String log()
    {
        try
        {
            return Files.readString(err, StandardCharsets.UTF_8);
        }
        catch (IOException x)
        {
            throw new UncheckedIOException(x);
        }
    }

    /**
     * @param kind {@code "uwsgi"} or {@code "http"}
     * @return the port of the first TCP socket of that kind the log says was bound, on loopback or on all interfaces
     */
    int boundPort(String kind)
    {
        Matcher matcher = Pattern.compile(kind + " socket bound: (?:127\\.0\\.0\\.1|\\*):(\\d+)").matcher(log());
        assertTrue(matcher.find(), () -> "no '" + kind + " socket bound' line in the log\n" + describe());
        return Integer.parseInt(matcher.group(1));
    }

    /**
     * Sends SIGTERM, as a service manager does, and waits for the JVM to exit.
     *
     * @return the exit status
     */
    int stop()
    {
        process.destroy();
        try
        {
            if (!process.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS))
                fail("launcher did not stop within " + STOP_TIMEOUT + " of SIGTERM\n" + describe());
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

    /**
     * @return the exit status, once the launcher has exited by itself (after a signal or a {@code --stop})
     */
    int waitForExit()
    {
        try
        {
            if (!process.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS))
                fail("launcher still running after " + STOP_TIMEOUT + "\n" + describe());
            return process.exitValue();
        }
        catch (InterruptedException x)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(x);
        }
    }

    boolean isAlive()
    {
        return process.isAlive();
    }

    String describe()
    {
        return "command: " + String.join(" ", command) + "\n--- log ---\n" + log();
    }

    @Override
    public void close()
    {
        if (process.isAlive())
        {
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

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

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * {@code java -jar jetty-uwsgi-launcher.jar --emperor DIR} as an operator runs it, in a child JVM whose standard
 * error (where the emperor and, inherited, every vassal log) goes to a file; the emperor's counterpart of
 * {@link LauncherRun}, which waits for a Jetty server the emperor itself never starts.
 */
final class EmperorRun implements AutoCloseable
{
    private static final Duration TIMEOUT = Duration.ofSeconds(90);

    private final Process process;
    private final Path err;
    private final List<String> command;

    private EmperorRun(Process process, Path err, List<String> command)
    {
        this.process = process;
        this.err = err;
        this.command = command;
    }

    /**
     * Starts an emperor scanning every second and waits until it watches its directory.
     *
     * @param workDirectory its working directory, which also receives its output
     * @param args the command line after {@code -jar jetty-uwsgi-launcher.jar}, e.g. {@code --emperor vassals}
     */
    static EmperorRun start(Path workDirectory, String... args) throws IOException, InterruptedException
    {
        Path jar = LauncherRun.dist().resolve("jetty-uwsgi-launcher.jar");
        assertTrue(Files.isRegularFile(jar), () -> jar + " missing (expected: assembled by 'mvn package' in launcher-dist)");
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        // the vassals get the emperor's JVM options: C1 alone starts them soonest on a small machine
        command.add("-XX:TieredStopAtLevel=1");
        command.add("-jar");
        command.add(jar.toAbsolutePath().toString());
        command.addAll(List.of(args));
        command.addAll(List.of("--emperor-freq", "1"));
        Files.createDirectories(workDirectory);
        Path out = Files.createTempFile(workDirectory, "emperor-", ".out");
        Path err = Files.createTempFile(workDirectory, "emperor-", ".err");
        Process process = new ProcessBuilder(command)
            .directory(workDirectory.toFile())
            .redirectOutput(out.toFile())
            .redirectError(err.toFile())
            .start();
        EmperorRun emperor = new EmperorRun(process, err, command);
        try
        {
            emperor.awaitLog("[emperor] watching ");
            return emperor;
        }
        catch (Throwable x)
        {
            emperor.close();
            throw x;
        }
    }

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
     * Waits until the log holds {@code text}.
     */
    void awaitLog(String text) throws InterruptedException
    {
        awaitLog(text, 1);
    }

    /**
     * Waits until the log holds {@code text} at least {@code times} times.
     */
    void awaitLog(String text, int times) throws InterruptedException
    {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (count(text) < times)
        {
            if (!process.isAlive())
                fail("emperor exited with status " + process.exitValue() + " while waiting for '" + text + "'\n" + describe());
            if (System.nanoTime() > deadline)
                fail("not " + times + " time(s) in the log within " + TIMEOUT + ": '" + text + "'\n" + describe());
            Thread.sleep(50);
        }
    }

    int count(String text)
    {
        return log().split(Pattern.quote(text), -1).length - 1;
    }

    /**
     * Waits for the {@code start}th "started" line of a vassal.
     *
     * @return the pid it names
     */
    long awaitStarted(String vassal, int start) throws InterruptedException
    {
        awaitLog("[emperor] vassal " + vassal + " started (pid ", start);
        Matcher started = Pattern.compile(Pattern.quote("[emperor] vassal " + vassal + " started (pid ") + "(\\d+)\\)").matcher(log());
        long pid = -1;
        for (int i = 0; i < start && started.find(); i++)
        {
            pid = Long.parseLong(started.group(1));
        }
        return pid;
    }

    long pid()
    {
        return process.pid();
    }

    /**
     * Sends a signal with {@code kill}.
     */
    void signal(String name) throws IOException, InterruptedException
    {
        int status = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start().waitFor();
        assertTrue(status == 0, "kill -" + name + " exited with " + status);
    }

    int waitForExit() throws InterruptedException
    {
        if (!process.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS))
            fail("emperor still running after " + TIMEOUT + "\n" + describe());
        return process.exitValue();
    }

    String describe()
    {
        return "command: " + String.join(" ", command) + "\n--- log ---\n" + log();
    }

    @Override
    public void close()
    {
        // a failed test must not leave vassals behind: they would hold their sockets for the next test
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try
        {
            process.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        }
        catch (InterruptedException x)
        {
            Thread.currentThread().interrupt();
        }
    }
}

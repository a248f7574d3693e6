package io.github.jettyuwsgi.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * <p>One child process of an end-to-end test (a backend or a frontend server): started with its output in a log
 * file, polled until it is ready, checked for being alive, and stopped when the test is done — also when the test
 * JVM exits without closing it, so that no server outlives the build.</p>
 * <p>{@link LauncherProcess} and {@link NginxProcess} are built on it; frontends added later (Apache, uWSGI,
 * lighttpd) are meant to be too.</p>
 */
public class ManagedProcess implements AutoCloseable
{
    private static final int LOG_TAIL_LINES = 60;
    private static final Duration POLL_INTERVAL = Duration.ofMillis(100);

    private final String name;
    private final Process process;
    private final Path logFile;
    private final Thread killOnExit;

    /**
     * @param name what to call the process in messages ("launcher", "nginx")
     * @param command the command line
     * @param workingDirectory its working directory
     * @param logFile where its standard output and standard error go (overwritten)
     */
    public ManagedProcess(String name, List<String> command, Path workingDirectory, Path logFile)
    {
        this.name = name;
        this.logFile = logFile;
        try
        {
            Files.createDirectories(logFile.getParent());
            Files.writeString(logFile, "");
            process = new ProcessBuilder(command)
                .directory(workingDirectory.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                .redirectInput(ProcessBuilder.Redirect.PIPE)
                .start();
        }
        catch (IOException x)
        {
            throw new UncheckedIOException("cannot start " + name + ": " + String.join(" ", command), x);
        }
        // A test that is aborted (Ctrl-C, a failsafe timeout) never reaches close(); the hook stops the server then.
        killOnExit = new Thread(this::killNow, name + "-kill-on-exit");
        Runtime.getRuntime().addShutdownHook(killOnExit);
    }

    public String name()
    {
        return name;
    }

    public long pid()
    {
        return process.pid();
    }

    public Path logFile()
    {
        return logFile;
    }

    public boolean isAlive()
    {
        return process.isAlive();
    }

    /**
     * Fails with the log tail when the process has exited.
     */
    public void assertAlive()
    {
        if (!process.isAlive())
            throw new IllegalStateException(name + " is not running: exited with " + process.exitValue() + " (expected: alive)\n" + describeLog());
    }

    /**
     * Polls {@code ready} until it is true; fails with the log tail if the process exits first or the time runs out.
     *
     * @param what what is awaited, for the message
     */
    public void awaitReady(String what, BooleanSupplier ready, Duration timeout)
    {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true)
        {
            assertAlive();
            if (ready.getAsBoolean())
                return;
            if (System.nanoTime() - deadline > 0)
                throw new IllegalStateException(name + " not ready after " + timeout.toSeconds() + " s: " + what + "\n" + describeLog());
            sleep(POLL_INTERVAL);
        }
    }

    /**
     * @return whether the log contains {@code text} (the whole log is read; these logs are small)
     */
    public boolean logContains(String text)
    {
        return readLog().contains(text);
    }

    public String readLog()
    {
        try
        {
            return Files.readString(logFile, StandardCharsets.ISO_8859_1);
        }
        catch (IOException x)
        {
            throw new UncheckedIOException(x);
        }
    }

    /**
     * @return the last lines of the log, with the file name, for failure messages
     */
    public String describeLog()
    {
        return describeFile(name + " log", logFile);
    }

    /**
     * @return the last lines of {@code file}, headed by its name, for failure messages
     */
    public static String describeFile(String title, Path file)
    {
        List<String> lines;
        try
        {
            lines = Files.exists(file) ? Files.readAllLines(file, StandardCharsets.ISO_8859_1) : List.of("(no file)");
        }
        catch (IOException x)
        {
            lines = List.of("(unreadable: " + x + ")");
        }
        List<String> tail = new ArrayList<>(lines.subList(Math.max(0, lines.size() - LOG_TAIL_LINES), lines.size()));
        return "---- last " + tail.size() + " lines of " + title + " " + file + " ----\n" + String.join("\n", tail) + "\n----";
    }

    /**
     * Asks the process to stop ({@link Process#destroy()}, SIGTERM) and kills it if it has not stopped in
     * {@code grace}. Subclasses with a gentler stop command run it first and then call this.
     */
    public void stop(Duration grace)
    {
        process.destroy();
        if (!waitFor(grace))
            killNow();
        removeShutdownHook();
    }

    /**
     * @return whether the process exited within {@code timeout}
     */
    public boolean waitFor(Duration timeout)
    {
        try
        {
            return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        }
        catch (InterruptedException x)
        {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    public void close()
    {
        stop(Duration.ofSeconds(10));
    }

    private void killNow()
    {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        waitFor(Duration.ofSeconds(5));
    }

    private void removeShutdownHook()
    {
        try
        {
            Runtime.getRuntime().removeShutdownHook(killOnExit);
        }
        catch (IllegalStateException alreadyShuttingDown)
        {
            // The hook runs anyway and finds the process gone.
        }
    }

    static void sleep(Duration duration)
    {
        try
        {
            Thread.sleep(duration.toMillis());
        }
        catch (InterruptedException x)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", x);
        }
    }
}

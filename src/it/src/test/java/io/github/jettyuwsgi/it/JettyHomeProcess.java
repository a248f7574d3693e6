package io.github.jettyuwsgi.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * <p>A standalone Jetty run the way its users run it: {@code java -jar $JETTY_HOME/start.jar} in the
 * {@code $JETTY_BASE} directory, as the backend of an end-to-end test. {@link #run} runs start.jar's one-shot
 * commands ({@code --add-modules=...}, {@code --list-config}) against the same home and base.</p>
 * <p>start.jar runs Jetty in its own JVM unless a module asks for a fork ({@code [exec]}); none of the modules the
 * tests enable does, so {@link #terminate} (SIGTERM) reaches Jetty's own shutdown hook, which stops the server
 * gracefully. It runs with a small heap ({@value LauncherProcess#MAX_HEAP}), like the launcher in the other tests.</p>
 */
public final class JettyHomeProcess extends ManagedProcess
{
    /**
     * What Jetty logs once every connector is open and every webapp deployed: {@code Server.doStart}'s
     * "Started oejs.Server@...".
     */
    public static final String STARTED = "Started oejs.Server@";

    private JettyHomeProcess(List<String> command, Path base, Path logFile)
    {
        super("jetty-home", command, base, logFile);
    }

    /**
     * Starts Jetty on {@code base} and waits until it has logged {@value #STARTED} and {@code listening} holds.
     *
     * @param listening whether every connector of the base accepts connections
     */
    public static JettyHomeProcess start(Path home, Path base, Path logFile, BooleanSupplier listening, Duration timeout)
    {
        JettyHomeProcess jetty = new JettyHomeProcess(command(home, List.of()), base, logFile);
        try
        {
            jetty.awaitReady(STARTED + " and accepting", () -> jetty.logContains(STARTED) && listening.getAsBoolean(), timeout);
        }
        catch (RuntimeException x)
        {
            jetty.close();
            throw x;
        }
        return jetty;
    }

    /**
     * Runs start.jar to completion on {@code base}, as a user does to set a base up.
     *
     * @param output where its standard output and standard error go (overwritten)
     * @return that output
     * @throws IllegalStateException with the output when it exits with a status other than 0 or runs out of time
     */
    public static String run(Path home, Path base, Path output, Duration timeout, String... arguments)
    {
        List<String> command = command(home, List.of(arguments));
        try
        {
            Files.createDirectories(output.getParent());
            Process process = new ProcessBuilder(command)
                .directory(base.toFile())
                .redirectErrorStream(true)
                .redirectOutput(output.toFile())
                .start();
            process.getOutputStream().close();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS))
            {
                process.destroyForcibly().waitFor();
                throw new IllegalStateException(String.join(" ", command) + ": still running after " + timeout.toSeconds() + " s (expected: exits)\n" + describeFile("output", output));
            }
            if (process.exitValue() != 0)
                throw new IllegalStateException(String.join(" ", command) + ": exit status " + process.exitValue() + " (expected: 0)\n" + describeFile("output", output));
            return Files.readString(output, StandardCharsets.UTF_8);
        }
        catch (IOException x)
        {
            throw new UncheckedIOException("cannot run " + String.join(" ", command), x);
        }
        catch (InterruptedException x)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", x);
        }
    }

    /**
     * Sends SIGTERM and waits; unlike {@link #stop(Duration)} it does not kill, so the caller learns whether Jetty
     * stopped by itself.
     *
     * @return whether the process exited within {@code grace}
     */
    public boolean terminate(Duration grace)
    {
        ProcessHandle.of(pid()).ifPresent(ProcessHandle::destroy);
        return waitFor(grace);
    }

    /**
     * Unpacks the archive with the system's tar, the way docs/jetty-module.md tells users to.
     */
    static void untar(Path archive, Path directory, Path log)
    {
        try
        {
            Process tar = new ProcessBuilder("tar", "-xzf", archive.toString(), "-C", directory.toString())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
            if (!tar.waitFor(60, TimeUnit.SECONDS) || tar.exitValue() != 0)
            {
                tar.destroyForcibly();
                throw new IllegalStateException("tar -xzf " + archive + " failed (expected: exit status 0)\n" + ManagedProcess.describeFile("tar output", log));
            }
        }
        catch (IOException x)
        {
            throw new UncheckedIOException("cannot run tar", x);
        }
        catch (InterruptedException x)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", x);
        }
    }

    static void appendLines(Path ini, String... lines)
    {
        if (!Files.isRegularFile(ini))
            throw new IllegalStateException(ini + " does not exist (expected: written by --add-modules from the module's [ini-template])");
        try
        {
            Files.writeString(ini, "\n" + String.join("\n", lines) + "\n", StandardOpenOption.APPEND);
        }
        catch (IOException x)
        {
            throw new UncheckedIOException(x);
        }
    }

    private static List<String> command(Path home, List<String> arguments)
    {
        Path startJar = home.resolve("start.jar");
        if (!Files.isRegularFile(startJar))
            throw new IllegalStateException("no start.jar in " + home + " (expected: an unpacked jetty-home)");
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx" + LauncherProcess.MAX_HEAP);
        command.add("-jar");
        command.add(startJar.toString());
        command.addAll(arguments);
        return command;
    }
}

package io.github.jettyuwsgi.launcher.process;

import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.github.jettyuwsgi.launcher.options.LauncherOptions;

/**
 * {@code --stop PIDFILE} and {@code --reload PIDFILE}: uWSGI's way of stopping or reloading a running instance from a
 * script or a systemd {@code ExecStop}/{@code ExecReload}, run by {@code Launcher} instead of a server. A stop sends
 * SIGTERM to the process named by the pidfile and, unlike uWSGI, waits until that process has exited, so that what
 * runs next finds the sockets free; a reload sends SIGHUP ({@link #hangUp(long)}, which the emperor uses too).
 */
public final class ProcessCommand
{
    /** kill(1) returns at once; a kill that hangs must not hang its caller (the emperor's one thread). */
    private static final long KILL_TIMEOUT_SECONDS = 5;

    /** How long {@code --stop} waits: the server's own stop timeout and some time for the JVM to exit. */
    static final long WAIT_MILLIS = LauncherOptions.STOP_TIMEOUT_MILLIS + 10_000;

    private ProcessCommand()
    {
    }

    /**
     * @return empty once SIGHUP was sent, otherwise the problem, as one line
     */
    public static Optional<String> reload(PidFile pidFile)
    {
        Optional<Long> pid = pidFile.readPid();
        if (pid.isEmpty())
            return Optional.of("--reload: " + pidFile.getPath() + " has no pid (expected: a pidfile written by a running instance)");
        if (ProcessHandle.of(pid.get()).filter(ProcessHandle::isAlive).isEmpty())
            return Optional.of("--reload: process " + pid.get() + " of " + pidFile.getPath() + " is not running (expected: a running instance)");
        return hangUp(pid.get()).map(problem -> "--reload: " + problem);
    }

    /**
     * Sends SIGHUP: Java can send SIGTERM and SIGKILL only, kill(1) sends the rest.
     *
     * @param pid the process
     * @return empty once sent, otherwise the problem, as one line
     */
    public static Optional<String> hangUp(long pid)
    {
        try
        {
            Process kill = new ProcessBuilder("kill", "-HUP", Long.toString(pid)).redirectErrorStream(true).start();
            if (!kill.waitFor(KILL_TIMEOUT_SECONDS, TimeUnit.SECONDS))
            {
                kill.destroyForcibly();
                return Optional.of("kill -HUP " + pid + " did not return within " + KILL_TIMEOUT_SECONDS + " s");
            }
            // read once it has exited: its few bytes of output fit in the pipe
            String output = new String(kill.getInputStream().readAllBytes()).strip();
            if (kill.exitValue() != 0)
                return Optional.of("kill -HUP " + pid + " failed: " + output);
            return Optional.empty();
        }
        catch (java.io.IOException x)
        {
            return Optional.of("cannot run kill: " + x.getMessage());
        }
        catch (InterruptedException x)
        {
            Thread.currentThread().interrupt();
            return Optional.of("interrupted");
        }
    }

    /**
     * @return empty when the process has stopped, otherwise the problem, as one line
     */
    public static Optional<String> stop(PidFile pidFile)
    {
        Optional<Long> pid = pidFile.readPid();
        if (pid.isEmpty())
            return Optional.of("--stop: " + pidFile.getPath() + " has no pid (expected: a pidfile written by a running instance)");
        Optional<ProcessHandle> process = ProcessHandle.of(pid.get()).filter(ProcessHandle::isAlive);
        if (process.isEmpty())
            return Optional.of("--stop: process " + pid.get() + " of " + pidFile.getPath() + " is not running (expected: a running instance)");
        // destroy() is SIGTERM on Unix: the graceful stop
        if (!process.get().destroy())
            return Optional.of("--stop: cannot signal process " + pid.get() + " (expected: the same user as the instance, or root)");
        try
        {
            process.get().onExit().get(WAIT_MILLIS, TimeUnit.MILLISECONDS);
            return Optional.empty();
        }
        catch (TimeoutException x)
        {
            return Optional.of("--stop: process " + pid.get() + " still running after " + WAIT_MILLIS / 1000 + "s (expected: a graceful stop)");
        }
        catch (InterruptedException x)
        {
            Thread.currentThread().interrupt();
            return Optional.of("--stop: interrupted while waiting for process " + pid.get());
        }
        catch (ExecutionException x)
        {
            return Optional.of("--stop: " + x.getCause());
        }
    }
}

package io.github.jettyuwsgi.launcher.process;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * systemd's readiness protocol ({@code sd_notify}) for a {@code Type=notify} service: when {@code NOTIFY_SOCKET} is
 * set, the launcher says {@code READY=1} once it serves, {@code RELOADING=1} and {@code READY=1} around a graceful
 * reload, and {@code STOPPING=1} when its stop begins, each with a {@code STATUS=} line for {@code systemctl status}.
 * Without {@code NOTIFY_SOCKET} nothing happens.
 *
 * <p>The message is a Unix datagram, which Java 17 cannot send; it goes through {@code systemd-notify(1)}, which waits
 * until systemd has read it. systemd takes messages from a process other than the main one only with
 * {@code NotifyAccess=all} in the unit, and {@code --pid} names the launcher as the main process.</p>
 */
public final class SystemdNotify
{
    private static final Logger LOG = LoggerFactory.getLogger(SystemdNotify.class);
    private static final long WAIT_SECONDS = 10;
    private static volatile SystemdNotify current;

    private final String command;
    private final String socket;
    private final long pid;

    /**
     * @param command the {@code systemd-notify} program to run
     * @param socket the value of {@code NOTIFY_SOCKET}, or null when the launcher was not started by a notify service
     * @param pid the launcher's process id, sent as {@code MAINPID}
     */
    SystemdNotify(String command, String socket, long pid)
    {
        this.command = command;
        this.socket = socket == null || socket.isEmpty() ? null : socket;
        this.pid = pid;
    }

    /**
     * @return the notifier of this process, from its {@code NOTIFY_SOCKET}
     */
    public static SystemdNotify current()
    {
        SystemdNotify notify = current;
        if (notify == null)
            current = notify = new SystemdNotify("systemd-notify", System.getenv("NOTIFY_SOCKET"), ProcessHandle.current().pid());
        return notify;
    }

    public boolean isEnabled()
    {
        return socket != null;
    }

    /**
     * The launcher serves: every socket is open and every application deployed.
     */
    public void ready(String status)
    {
        send(true, status);
    }

    /**
     * A graceful reload begins; {@link #ready} follows when it is done (or refused).
     */
    public void reloading(String status)
    {
        // systemd 253's Type=notify-reload wants the time of the reload on CLOCK_MONOTONIC, which nanoTime reads on Linux
        send(false, status, "RELOADING=1", "MONOTONIC_USEC=" + System.nanoTime() / 1000);
    }

    /**
     * The stop begins.
     */
    public void stopping(String status)
    {
        // not waited for: the stop must not wait for systemd, and systemd-notify finishes after the JVM has exited
        send(false, false, status, "STOPPING=1");
    }

    private void send(boolean ready, String status, String... assignments)
    {
        send(true, ready, status, assignments);
    }

    private void send(boolean wait, boolean ready, String status, String... assignments)
    {
        if (socket == null)
            return;
        List<String> line = new ArrayList<>();
        line.add(command);
        line.add("--pid=" + pid);
        if (ready)
            line.add("--ready");
        line.add("--status=" + status);
        line.addAll(List.of(assignments));
        try
        {
            ProcessBuilder builder = new ProcessBuilder(line).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
            Map<String, String> environment = builder.environment();
            environment.put("NOTIFY_SOCKET", socket);
            Process process = builder.start();
            if (!wait)
                return;
            if (!process.waitFor(WAIT_SECONDS, TimeUnit.SECONDS))
            {
                process.destroyForcibly();
                LOG.warn("sd_notify {}: {} did not finish in {} s (expected: systemd reading NOTIFY_SOCKET {})", line.subList(1, line.size()), command, WAIT_SECONDS, socket);
            }
            else if (process.exitValue() != 0)
            {
                LOG.warn("sd_notify {}: {} exited with {} (expected: 0; NotifyAccess=all in the unit?)", line.subList(1, line.size()), command, process.exitValue());
            }
        }
        catch (IOException x)
        {
            LOG.warn("sd_notify: cannot run {}: {} (expected: systemd's systemd-notify on PATH)", command, x.getMessage());
        }
        catch (InterruptedException x)
        {
            Thread.currentThread().interrupt();
        }
    }
}

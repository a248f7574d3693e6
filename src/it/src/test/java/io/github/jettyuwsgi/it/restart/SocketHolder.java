package io.github.jettyuwsgi.it.restart;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * <p>What systemd is to a socket-activated {@code Type=notify} service, for {@link RestartIT}: the script
 * {@value #SCRIPT} binds the listening socket once and keeps it while the service process is stopped (SIGTERM) and
 * started again, each time with the socket as its standard input ({@code StandardInput=socket}) and a
 * {@code NOTIFY_SOCKET} whose datagrams it reports. This class starts the script, sends it its commands and collects
 * what it reports.</p>
 */
final class SocketHolder implements AutoCloseable
{
    static final String SCRIPT = "/restart/socket_holder.py";
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final Process process;
    private final Writer commands;
    private final Path log;
    private final List<String> events = new ArrayList<>();
    private final Thread killOnExit;

    private SocketHolder(Process process, Path log)
    {
        this.process = process;
        this.log = log;
        this.commands = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        Thread reader = new Thread(() -> read(process.getInputStream()), "socket-holder-events");
        reader.setDaemon(true);
        reader.start();
        killOnExit = new Thread(() -> process.descendants().forEach(ProcessHandle::destroyForcibly), "socket-holder-kill-on-exit");
        Runtime.getRuntime().addShutdownHook(killOnExit);
    }

    /**
     * Starts the holder and waits until it listens.
     *
     * @param address a Unix socket path or {@code HOST:PORT}
     * @param workDir where the script and the holder's own log go
     */
    static SocketHolder start(String address, Path workDir)
    {
        try
        {
            Files.createDirectories(workDir);
            Path script = workDir.resolve("socket_holder.py");
            try (InputStream in = SocketHolder.class.getResourceAsStream(SCRIPT))
            {
                if (in == null)
                    throw new IllegalStateException("resource " + SCRIPT + " not found (expected: in src/it/src/test/resources)");
                Files.write(script, in.readAllBytes());
            }
            Path log = workDir.resolve("socket-holder.log");
            Process process = new ProcessBuilder("python3", script.toString(), address).redirectError(log.toFile()).start();
            SocketHolder holder = new SocketHolder(process, log);
            holder.await("listening", event -> event.startsWith("listening "));
            return holder;
        }
        catch (IOException x)
        {
            throw new UncheckedIOException("cannot start the socket holder (expected: python3 on PATH)", x);
        }
    }

    /**
     * Starts the service with the held socket on fd 0.
     *
     * @return the service's pid
     */
    long startService(List<String> command, Path serviceLog)
    {
        int before = count(event -> event.startsWith("started "));
        send("{\"start\": [" + command.stream().map(SocketHolder::json).collect(Collectors.joining(", ")) + "], \"log\": " + json(serviceLog.toString()) + "}");
        await("started #" + (before + 1), event -> event.startsWith("started ") && count(e -> e.startsWith("started ")) > before);
        return Long.parseLong(lastMatching(event -> event.startsWith("started ")).substring("started ".length()));
    }

    /**
     * SIGTERM, and waits until the service has exited.
     *
     * @return its exit status
     */
    int stopService()
    {
        int before = count(event -> event.startsWith("stopped "));
        send("{\"stop\": true}");
        await("stopped #" + (before + 1), event -> count(e -> e.startsWith("stopped ")) > before);
        String stopped = lastMatching(event -> event.startsWith("stopped "));
        return stopped.endsWith("None") ? -1 : Integer.parseInt(stopped.substring("stopped ".length()));
    }

    /**
     * Waits until the service process {@code pid} has sent a notification containing {@code assignment}, as systemd
     * waits for {@code READY=1} before it counts a {@code Type=notify} service started.
     */
    void awaitNotification(long pid, String assignment, Duration timeout)
    {
        await("notification " + assignment + " from MAINPID " + pid, event -> event.startsWith("notify ") && event.contains(assignment) &&
            event.contains("MAINPID=" + pid), timeout);
    }

    /**
     * @return the notifications received, oldest first, each as {@code notify SENDER_PID KEY=VALUE|...}
     */
    List<String> notifications()
    {
        synchronized (events)
        {
            return events.stream().filter(event -> event.startsWith("notify ")).toList();
        }
    }

    private void send(String command)
    {
        try
        {
            commands.write(command + "\n");
            commands.flush();
        }
        catch (IOException x)
        {
            throw new UncheckedIOException("socket holder: cannot send " + command + "\n" + describe(), x);
        }
    }

    private String await(String what, Predicate<String> condition)
    {
        return await(what, condition, TIMEOUT);
    }

    private String await(String what, Predicate<String> condition, Duration timeout)
    {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (events)
        {
            while (true)
            {
                for (String event : events)
                {
                    if (condition.test(event))
                        return event;
                }
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0 || !process.isAlive())
                    throw new IllegalStateException("socket holder: no '" + what + "' after " + timeout.toSeconds() + " s\n" + describe());
                try
                {
                    events.wait(Math.min(left, 200));
                }
                catch (InterruptedException x)
                {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted", x);
                }
            }
        }
    }

    private int count(Predicate<String> condition)
    {
        synchronized (events)
        {
            return (int)events.stream().filter(condition).count();
        }
    }

    private String lastMatching(Predicate<String> condition)
    {
        synchronized (events)
        {
            return events.stream().filter(condition).reduce((first, second) -> second).orElseThrow();
        }
    }

    private void read(InputStream in)
    {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)))
        {
            for (String line = reader.readLine(); line != null; line = reader.readLine())
            {
                synchronized (events)
                {
                    events.add(line);
                    events.notifyAll();
                }
            }
        }
        catch (IOException x)
        {
            // the holder has gone: await() reports it
        }
    }

    String describe()
    {
        String stderr;
        try
        {
            stderr = Files.exists(log) ? Files.readString(log) : "";
        }
        catch (IOException x)
        {
            stderr = x.toString();
        }
        synchronized (events)
        {
            return "---- socket holder events ----\n" + String.join("\n", events) + "\n---- socket holder stderr ----\n" + stderr + "\n----";
        }
    }

    private static String json(String text)
    {
        StringBuilder quoted = new StringBuilder("\"");
        for (char c : text.toCharArray())
        {
            switch (c)
            {
                case '"' -> quoted.append("\\\"");
                case '\\' -> quoted.append("\\\\");
                default ->
                {
                    if (c < 0x20)
                        quoted.append(String.format("\\u%04x", (int)c));
                    else
                        quoted.append(c);
                }
            }
        }
        return quoted.append('"').toString();
    }

    /**
     * Ends the holder's input: it stops the service, closes the socket and exits.
     */
    @Override
    public void close()
    {
        try
        {
            commands.close();
            if (!process.waitFor(30, TimeUnit.SECONDS))
            {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
            }
        }
        catch (IOException x)
        {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
        catch (InterruptedException x)
        {
            Thread.currentThread().interrupt();
        }
        finally
        {
            try
            {
                Runtime.getRuntime().removeShutdownHook(killOnExit);
            }
            catch (IllegalStateException shuttingDown)
            {
                // the hook runs anyway
            }
        }
    }
}

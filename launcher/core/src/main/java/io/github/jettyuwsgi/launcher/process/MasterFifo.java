package io.github.jettyuwsgi.launcher.process;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

import io.github.jettyuwsgi.launcher.options.LauncherOptions;
import io.github.jettyuwsgi.uwsgi.log.UwsgiRequestLog;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.util.component.LifeCycle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * uWSGI's {@code master-fifo}: a named pipe that {@code Launcher} creates next to its sockets and reads commands from,
 * one letter each, so that an operator can drive the instance with {@code echo r > /run/app.fifo}. {@code r} reloads
 * gracefully ({@link Reloader}), {@code q} stops gracefully as SIGTERM does, {@code Q} stops at once (requests in
 * flight are cut off), {@code l} reopens the {@code logto} file ({@link ProcessSettings}), after logrotate has
 * renamed it. As in uWSGI every byte is a command, whatever comes around it; any other byte is ignored, and only the
 * first of each writer is logged (the others are counted in one line when it closes), so a writer sending garbage
 * cannot flood the log.
 */
public final class MasterFifo
{
    private static final Logger LOG = LoggerFactory.getLogger(MasterFifo.class);

    private final Path path;
    private final Server server;
    private final Reloader reloader;
    private final ProcessSettings processSettings;

    public MasterFifo(Path path, Server server, Reloader reloader, ProcessSettings processSettings)
    {
        this.path = path.toAbsolutePath();
        this.server = server;
        this.reloader = reloader;
        this.processSettings = processSettings;
    }

    /**
     * Creates the FIFO (replacing a stale one, as uWSGI does), removes it when the server stops, and starts reading.
     */
    public void install() throws IOException, InterruptedException
    {
        Files.deleteIfExists(path);
        // the JDK cannot create a named pipe: mkfifo(1) can
        Process mkfifo = new ProcessBuilder("mkfifo", "-m", "600", path.toString()).redirectErrorStream(true).start();
        String output = new String(mkfifo.getInputStream().readAllBytes()).strip();
        if (mkfifo.waitFor() != 0)
            throw new IOException("mkfifo " + path + ": " + output);
        server.addEventListener(new LifeCycle.Listener()
        {
            @Override
            public void lifeCycleStopped(LifeCycle event)
            {
                try
                {
                    Files.deleteIfExists(path);
                }
                catch (IOException x)
                {
                    LOG.warn("cannot remove master-fifo {}: {}", path, x.toString());
                }
            }
        });
        Thread reader = new Thread(this::read, "jetty-uwsgi-master-fifo");
        reader.setDaemon(true);
        reader.start();
        LOG.info("master-fifo {}: r reload, q graceful stop, Q immediate stop, l reopen logs", path);
    }

    private void read()
    {
        while (server.isRunning())
        {
            // opening blocks until a writer comes; each writer's bytes end with an EOF, then wait for the next one
            try (InputStream in = new BufferedInputStream(Files.newInputStream(path)))
            {
                long unknown = 0;
                for (int command = in.read(); command >= 0; command = in.read())
                {
                    if (!execute((char)command) && unknown++ == 0)
                        LOG.warn("master-fifo: unknown command {} (expected: r, q, Q or l)", printable(command));
                }
                if (unknown > 1)
                    LOG.warn("master-fifo: {} more bytes that are not commands ignored", unknown - 1);
            }
            catch (IOException x)
            {
                if (server.isRunning())
                    LOG.warn("master-fifo {}: {}; no longer read", path, x.toString());
                return;
            }
        }
    }

    /**
     * @return the byte as the log shows it: a printable ASCII character in quotes, anything else in hexadecimal
     */
    private static String printable(int command)
    {
        return command >= 0x21 && command < 0x7f ? "'" + (char)command + "'" : String.format("0x%02x", command);
    }

    /**
     * @return false if the byte is not a command
     */
    private boolean execute(char command)
    {
        switch (command)
        {
            case 'r', 'R', 'w' -> reloader.requestReload("master-fifo " + command);
            case 'q' -> stop("graceful stop", LauncherOptions.STOP_TIMEOUT_MILLIS);
            case 'Q' -> stop("immediate stop", 0);
            case 'l' ->
            {
                // the request log holds up to a second of lines: they belong in the file being let go
                if (server.getRequestLog() instanceof UwsgiRequestLog requestLog)
                    requestLog.flush();
                processSettings.reopenLog("master-fifo l");
            }
            case '\n', '\r', ' ' ->
            {
                // echo adds a newline
            }
            default ->
            {
                return false;
            }
        }
        return true;
    }

    private void stop(String what, long timeoutMillis)
    {
        LOG.info("master-fifo: {}", what);
        server.setStopTimeout(timeoutMillis);
        // the shutdown hook stops the server, as for SIGTERM; exit from a thread of our own, this one is daemon
        new Thread(() -> System.exit(0), "jetty-uwsgi-exit").start();
    }
}

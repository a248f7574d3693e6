package io.github.jettyuwsgi.launcher.emperor;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

import io.github.jettyuwsgi.launcher.Launcher;
import io.github.jettyuwsgi.launcher.process.Signals;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The main class of a vassal's JVM, started by {@link VassalCommand}: the plain {@link Launcher} with the two things
 * a vassal needs from its emperor, as uWSGI's vassals have them through their emperor pipe.
 *
 * <ul>
 * <li>It stops when the emperor is gone: the emperor holds the other end of this JVM's standard input, which the
 * kernel closes when the emperor dies, even by {@code kill -9}. Reading end-of-file there stops the vassal gracefully
 * (uWSGI's "lost connection with my emperor"), so a restarted emperor does not find its sockets taken.</li>
 * <li>A SIGHUP that arrives while the launcher is still starting, before its own reload handler is installed, would
 * make the JVM exit as for SIGTERM. The emperor sends it because the file changed, so the configuration being
 * started may already be stale: the vassal exits with {@link #EXIT_RESTART} and the emperor starts it again at once,
 * with the new file.</li>
 * </ul>
 */
public final class VassalMain
{
    /** Exit status of a vassal told to reload before it had started: the emperor starts it again without waiting. */
    public static final int EXIT_RESTART = 75;

    private static final Logger LOG = LoggerFactory.getLogger(VassalMain.class);

    private VassalMain()
    {
    }

    public static void main(String[] args)
    {
        // replaced by the launcher's Reloader once the server has started
        Signals.onHangUp(() ->
        {
            LOG.info("[vassal] SIGHUP while starting: exiting so that the emperor starts this vassal again with its changed file");
            System.exit(EXIT_RESTART);
        });
        Thread watcher = new Thread(() -> awaitEmperorGone(System.in), "jetty-uwsgi-vassal-emperor-watch");
        watcher.setDaemon(true);
        watcher.start();
        Launcher.main(args);
    }

    private static void awaitEmperorGone(InputStream emperor)
    {
        try
        {
            // the emperor never writes: this returns at end-of-file, when its end of the pipe is closed
            emperor.transferTo(OutputStream.nullOutputStream());
        }
        catch (IOException x)
        {
            LOG.debug("reading the emperor pipe", x);
        }
        LOG.warn("[vassal] lost the emperor (its pipe closed): stopping gracefully");
        System.exit(0);
    }
}

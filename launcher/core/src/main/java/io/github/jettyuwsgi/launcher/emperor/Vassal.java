package io.github.jettyuwsgi.launcher.emperor;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.github.jettyuwsgi.launcher.Launcher;
import io.github.jettyuwsgi.launcher.process.ProcessCommand;
import org.eclipse.jetty.util.thread.Scheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One vassal file of the {@link Emperor} and the process that serves it: what a new, changed or removed file and
 * an exited process do to it. Every method runs on the emperor's single thread, so none needs a lock.
 *
 * <p>A changed file is a graceful reload (SIGHUP, as uWSGI's emperor sends its vassal "reload"); a removed file, or
 * the emperor stopping, is a graceful stop (SIGTERM, then SIGKILL after the stop timeout). A process that exits by
 * itself is started again after the {@link Throttle}'s wait, except after a usage error (exit status
 * {@value Launcher#EXIT_USAGE}): the file itself is wrong, so starting it again would fail the same way in a loop;
 * it waits for the file to change.</p>
 */
final class Vassal
{
    /** Where a vassal is in its life. */
    enum State
    {
        /** its process runs */
        RUNNING,
        /** SIGTERM was sent; it is gone, or starts again if its file came back, once the process has exited */
        STOPPING,
        /** its process died; a start is scheduled */
        WAITING,
        /** its process exited with a usage error; it waits for its file to change */
        BROKEN,
        /** stopped for good: its file is gone or the emperor is stopping */
        GONE
    }

    private static final Logger LOG = LoggerFactory.getLogger(Emperor.class);

    private final String name;
    private final Emperor emperor;
    private final Throttle throttle;
    private final CompletableFuture<Void> gone = new CompletableFuture<>();
    private State state = State.WAITING;
    private Process process;
    private long startedNanos;
    /** SIGHUP was sent to the current process, so its {@link VassalMain#EXIT_RESTART} is that reload's restart */
    private boolean hangUpSent;
    private boolean startWhenStopped;
    private Scheduler.Task respawn;
    private Scheduler.Task kill;

    Vassal(String name, Emperor emperor, Throttle throttle)
    {
        this.name = name;
        this.emperor = emperor;
        this.throttle = throttle;
    }

    String getName()
    {
        return name;
    }

    State getState()
    {
        return state;
    }

    /**
     * @return the pid of the running or stopping process, or -1
     */
    long getPid()
    {
        return process == null ? -1 : process.pid();
    }

    /**
     * @return completed once this vassal is {@link State#GONE}
     */
    CompletableFuture<Void> whenGone()
    {
        return gone;
    }

    void start()
    {
        cancel(respawn);
        respawn = null;
        hangUpSent = false;
        Process started;
        try
        {
            started = emperor.getSpawner().spawn(name);
        }
        catch (IOException x)
        {
            LOG.warn("[emperor] vassal {} cannot be started: {}", name, x.getMessage());
            died("cannot start", -1, 0);
            return;
        }
        process = started;
        startedNanos = System.nanoTime();
        state = State.RUNNING;
        LOG.info("[emperor] vassal {} started (pid {})", name, started.pid());
        started.onExit().thenRun(() -> emperor.execute(() -> exited(started)));
    }

    /**
     * Its file's modification time changed (or, through a symlink, its skeleton's).
     */
    void changed()
    {
        switch (state)
        {
            case RUNNING -> reload();
            case WAITING, BROKEN ->
            {
                LOG.info("[emperor] vassal {} changed: starting it now", name);
                start();
            }
            // a vassal being stopped for its removal starts again only if its file is added back
            case STOPPING, GONE ->
            {
            }
        }
    }

    /**
     * Its file came back while the process of its removal was still stopping.
     */
    void addedAgain()
    {
        if (state == State.STOPPING)
            startWhenStopped = true;
    }

    /**
     * Stops gracefully: SIGTERM, and SIGKILL if it still runs after the emperor's stop timeout.
     *
     * @param why for the log, e.g. "file removed"
     * @return completed once it is {@link State#GONE}
     */
    CompletableFuture<Void> stop(String why)
    {
        startWhenStopped = false;
        switch (state)
        {
            case RUNNING ->
            {
                state = State.STOPPING;
                Process stopping = process;
                LOG.info("[emperor] vassal {}: {}, graceful stop (SIGTERM to pid {})", name, why, stopping.pid());
                // SIGTERM through the handle: Process.destroy() also closes the vassal's stdin, the emperor pipe, which
                // the vassal would take for a lost emperor and exit 0 in a race with the SIGTERM's 143
                stopping.toHandle().destroy();
                kill = emperor.schedule(() -> kill(stopping), emperor.getStopTimeoutMillis());
            }
            case WAITING, BROKEN ->
            {
                LOG.info("[emperor] vassal {}: {}, it was not running", name, why);
                cancel(respawn);
                becomeGone();
            }
            case STOPPING, GONE ->
            {
            }
        }
        return gone;
    }

    private void reload()
    {
        long pid = process.pid();
        LOG.info("[emperor] vassal {} changed: graceful reload (SIGHUP to pid {})", name, pid);
        hangUpSent = true;
        ProcessCommand.hangUp(pid).ifPresent(problem -> LOG.warn("[emperor] vassal {}: {}", name, problem));
    }

    private void kill(Process stopping)
    {
        if (stopping != process || !stopping.isAlive())
            return;
        LOG.warn("[emperor] vassal {} still running {} ms after SIGTERM: SIGKILL to pid {}", name, emperor.getStopTimeoutMillis(), stopping.pid());
        stopping.destroyForcibly();
    }

    private void exited(Process exited)
    {
        if (exited != process)
            return;
        int status = exited.exitValue();
        long ranMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedNanos);
        process = null;
        cancel(kill);
        kill = null;
        if (state == State.STOPPING)
        {
            LOG.info("[emperor] vassal {} stopped (status {})", name, status);
            if (startWhenStopped && !emperor.isShuttingDown())
            {
                startWhenStopped = false;
                start();
            }
            else
            {
                becomeGone();
            }
        }
        else if (state == State.RUNNING)
        {
            died("died", status, ranMillis);
        }
    }

    private void died(String what, int status, long ranMillis)
    {
        if (status == VassalMain.EXIT_RESTART && hangUpSent)
        {
            LOG.info("[emperor] vassal {} exited to read its changed file (status {}): starting it again", name, status);
            start();
            return;
        }
        if (status == Launcher.EXIT_USAGE)
        {
            state = State.BROKEN;
            LOG.warn("[emperor] vassal {} exited with a usage error (status {}): not respawned until its file changes", name, status);
            return;
        }
        Throttle.Delay delay = throttle.afterDeath(ranMillis);
        if (delay.maximumReached())
            LOG.warn("[emperor] maximum throttle level for vassal {} reached: the wait is halved", name);
        state = State.WAITING;
        LOG.warn("[emperor] vassal {} {} (status {}), respawn in {} ms", name, what, status, delay.millis());
        respawn = emperor.schedule(this::start, delay.millis());
    }

    private void becomeGone()
    {
        state = State.GONE;
        emperor.forget(this);
        gone.complete(null);
    }

    private static void cancel(Scheduler.Task task)
    {
        if (task != null)
            task.cancel();
    }
}

package io.github.jettyuwsgi.launcher.emperor;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.github.jettyuwsgi.launcher.Launcher;
import io.github.jettyuwsgi.launcher.process.Signals;
import io.github.jettyuwsgi.launcher.options.LauncherOptions;
import io.github.jettyuwsgi.launcher.process.PidFile;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.FutureCallback;
import org.eclipse.jetty.util.Scanner;
import org.eclipse.jetty.util.component.ContainerLifeCycle;
import org.eclipse.jetty.util.component.LifeCycle;
import org.eclipse.jetty.util.thread.ScheduledExecutorScheduler;
import org.eclipse.jetty.util.thread.Scheduler;
import org.eclipse.jetty.util.thread.ShutdownThread;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * uWSGI's emperor for the launcher ({@code --emperor DIR}), run by {@link Launcher} instead of a server: it watches
 * a directory of vassal files ({@code *.ini}, {@code *.json}) with Jetty's {@link Scanner} and runs each file as a
 * {@link Vassal} in a JVM of its own ({@link VassalCommand}). A new file starts a vassal, a changed one reloads it
 * (SIGHUP), a removed one stops it (SIGTERM); a vassal that dies is started again after a {@link Throttle}d wait.
 *
 * <p>Everything that changes a vassal (scanner reports, process exits, respawn timers) runs on one scheduler thread,
 * so the vassals need no locks. Stopping the emperor (SIGTERM, SIGINT) stops every vassal gracefully and in parallel,
 * then the emperor exits; SIGHUP reloads every vassal, as uWSGI's emperor does.</p>
 */
public final class Emperor extends ContainerLifeCycle
{
    /** How long a vassal gets after SIGTERM before SIGKILL: its own graceful stop and the time for its JVM to exit. */
    static final long STOP_TIMEOUT_MILLIS = LauncherOptions.STOP_TIMEOUT_MILLIS + 10_000;

    private static final Logger LOG = LoggerFactory.getLogger(Emperor.class);

    private final Path directory;
    private final VassalSpawner spawner;
    private final long throttle;
    private final long maxThrottle;
    private final long stopTimeoutMillis;
    private final ScheduledExecutorScheduler scheduler = new ScheduledExecutorScheduler("jetty-uwsgi-emperor", false, 1);
    private final Scanner scanner;
    /** By file name; read and written on the scheduler thread only. */
    private final Map<String, Vassal> vassals = new TreeMap<>();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile boolean shuttingDown;

    /**
     * @param directory the vassals directory, absolute
     * @param spawner starts a vassal's process
     * @param throttle {@code emperor-throttle} in milliseconds
     * @param maxThrottle {@code emperor-max-throttle} in milliseconds
     * @param scanSeconds {@code emperor-freq}; 0 scans only at start and on {@link #scanNow()}
     * @param stopTimeoutMillis how long a vassal gets after SIGTERM before SIGKILL
     */
    Emperor(Path directory, VassalSpawner spawner, long throttle, long maxThrottle, int scanSeconds, long stopTimeoutMillis)
    {
        this.directory = directory;
        this.spawner = spawner;
        this.throttle = throttle;
        this.maxThrottle = maxThrottle;
        this.stopTimeoutMillis = stopTimeoutMillis;
        // not the real paths: a vassal symlinked to a skeleton is known by the link's name, as in uWSGI
        scanner = new Scanner(scheduler, false);
        scanner.setScanInterval(scanSeconds);
        scanner.setReportDirs(false);
        scanner.setReportExistingFilesOnStartup(true);
        scanner.addListener(new Scanner.BulkListener()
        {
            @Override
            public void pathsChanged(Map<Path, Scanner.Notification> changes)
            {
                execute(() -> changed(changes));
            }
        });
        // the scheduler first: started before the scanner, it stays this emperor's, not the scanner's
        installBean(scheduler);
        installBean(scanner);
    }

    /**
     * Runs the emperor of {@code --emperor} until SIGTERM or SIGINT.
     *
     * @param options validated options with {@link LauncherOptions#getEmperor()} set
     * @param err where problems are printed
     * @return the exit status: {@value Launcher#EXIT_FAILURE} if it cannot start; it does not return otherwise, the
     * JVM exits once the vassals have stopped
     */
    public static int run(LauncherOptions options, PrintStream err)
    {
        Path directory = options.getEmperor().toAbsolutePath().normalize();
        Emperor emperor = new Emperor(directory, VassalCommand.ofThisJvm(directory), options.getEmperorThrottle(),
            options.getEmperorMaxThrottle(), options.getEmperorFreq(), STOP_TIMEOUT_MILLIS);
        // registered first, so that a SIGTERM during the first start of the vassals stops them too
        ShutdownThread.register(emperor);
        try
        {
            emperor.start();
            if (options.getPidFile() != null)
                writePidFile(emperor, options);
        }
        catch (Exception x)
        {
            LOG.debug("emperor start-up failed", x);
            err.println("jetty-uwsgi: cannot start: emperor " + directory + ": " + x.getMessage());
            ShutdownThread.deregister(emperor);
            LifeCycle.stop(emperor);
            return Launcher.EXIT_FAILURE;
        }
        // the JVM's own SIGHUP handler would exit; uWSGI's emperor reloads every vassal
        Signals.onHangUp(emperor::reloadAll);
        emperor.join();
        return 0;
    }

    private static void writePidFile(Emperor emperor, LauncherOptions options) throws IOException
    {
        try
        {
            new PidFile(options.getPidFile()).write(emperor, options.isVacuum());
        }
        catch (IOException x)
        {
            throw new IOException("cannot write pidfile " + options.getPidFile() + ": " + x, x);
        }
    }

    @Override
    protected void doStart() throws Exception
    {
        if (!Files.isDirectory(directory))
            throw new IOException(directory + " is not a directory (expected: a directory of vassal files)");
        scanner.addDirectory(directory).include(path -> isVassalFile(path.getFileName().toString()));
        LOG.info("[emperor] watching {} for *.ini and *.json vassals every {} s (throttle {} ms, at most {} ms)",
            directory, scanner.getScanInterval(), throttle, maxThrottle);
        super.doStart();
    }

    /**
     * @return whether a file of the vassals directory is a vassal, by uWSGI's rule: its extension
     */
    static boolean isVassalFile(String fileName)
    {
        return fileName.endsWith(".ini") || fileName.endsWith(".json");
    }

    @Override
    protected void doStop() throws Exception
    {
        shuttingDown = true;
        // no more scanner reports: a file added now must not start a vassal that would outlive the emperor
        scanner.stop();
        try
        {
            CompletableFuture<Void> allGone = call(() ->
            {
                List<CompletableFuture<Void>> gone = new ArrayList<>();
                for (Vassal vassal : List.copyOf(vassals.values()))
                {
                    gone.add(vassal.stop("emperor stopping"));
                }
                return CompletableFuture.allOf(gone.toArray(CompletableFuture[]::new));
            });
            allGone.get(stopTimeoutMillis + 5000, TimeUnit.MILLISECONDS);
            LOG.info("[emperor] every vassal stopped");
        }
        catch (TimeoutException | ExecutionException x)
        {
            LOG.warn("[emperor] vassals still running after {} ms: {}", stopTimeoutMillis + 5000, call(() -> List.copyOf(vassals.keySet())));
        }
        finally
        {
            super.doStop();
            stopped.countDown();
        }
    }

    /**
     * Waits until this emperor has stopped.
     */
    void join()
    {
        try
        {
            stopped.await();
        }
        catch (InterruptedException x)
        {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * SIGHUP: every running vassal is reloaded gracefully.
     */
    void reloadAll()
    {
        execute(() ->
        {
            LOG.info("[emperor] SIGHUP: graceful reload of every vassal");
            for (Vassal vassal : vassals.values())
            {
                vassal.changed();
            }
        });
    }

    private void changed(Map<Path, Scanner.Notification> changes)
    {
        if (shuttingDown)
            return;
        // by name, so that the log reads in a stable order
        Map<String, Scanner.Notification> byName = new TreeMap<>();
        changes.forEach((path, notification) -> byName.put(path.getFileName().toString(), notification));
        byName.forEach((name, notification) ->
        {
            Vassal vassal = vassals.get(name);
            switch (notification)
            {
                case ADDED, CHANGED ->
                {
                    if (vassal == null)
                    {
                        vassal = new Vassal(name, this, new Throttle(throttle, maxThrottle, Throttle.LOYAL_AFTER_MILLIS));
                        vassals.put(name, vassal);
                        vassal.start();
                    }
                    else if (notification == Scanner.Notification.ADDED)
                    {
                        vassal.addedAgain();
                    }
                    else
                    {
                        vassal.changed();
                    }
                }
                case REMOVED ->
                {
                    if (vassal != null)
                        vassal.stop("file removed");
                }
            }
        });
    }

    /**
     * Scans now, twice, and waits: the {@link Scanner} reports a file once it was the same in two scans. For tests,
     * whose emperor does not scan by itself.
     */
    void scanNow() throws Exception
    {
        for (int i = 0; i < 2; i++)
        {
            FutureCallback scanned = new FutureCallback();
            scanner.scan(scanned);
            scanned.get(30, TimeUnit.SECONDS);
        }
        // the reports were queued on the scheduler thread: this runs after them
        call(() -> null);
    }

    /**
     * @return the state of the vassal of that file, for tests; empty once it is gone
     */
    Optional<Vassal.State> stateOf(String name) throws Exception
    {
        return call(() -> Optional.ofNullable(vassals.get(name)).map(Vassal::getState));
    }

    /**
     * @return the pid of the vassal of that file, for tests; -1 when it has no process
     */
    long pidOf(String name) throws Exception
    {
        return call(() -> Optional.ofNullable(vassals.get(name)).map(Vassal::getPid).orElse(-1L));
    }

    VassalSpawner getSpawner()
    {
        return spawner;
    }

    long getStopTimeoutMillis()
    {
        return stopTimeoutMillis;
    }

    boolean isShuttingDown()
    {
        return shuttingDown;
    }

    void forget(Vassal vassal)
    {
        vassals.remove(vassal.getName(), vassal);
    }

    /**
     * Runs on the emperor's thread, after what is queued there already.
     */
    void execute(Runnable task)
    {
        schedule(task, 0);
    }

    Scheduler.Task schedule(Runnable task, long delayMillis)
    {
        try
        {
            return scheduler.schedule(() ->
            {
                try
                {
                    task.run();
                }
                catch (Throwable x)
                {
                    LOG.warn("[emperor] unexpected failure", x);
                }
            }, delayMillis, TimeUnit.MILLISECONDS);
        }
        catch (RejectedExecutionException x)
        {
            // the scheduler has stopped: the emperor is gone, and so is what the task was for
            return () -> false;
        }
    }

    private <T> T call(Callable<T> task) throws Exception
    {
        CompletableFuture<T> result = new CompletableFuture<>();
        execute(() ->
        {
            try
            {
                result.complete(task.call());
            }
            catch (Throwable x)
            {
                result.completeExceptionally(x);
            }
        });
        try
        {
            return result.get(30, TimeUnit.SECONDS);
        }
        catch (ExecutionException x)
        {
            throw x.getCause() instanceof Exception cause ? cause : x;
        }
    }
}

package io.github.jettyuwsgi.launcher.process;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import io.github.jettyuwsgi.config.HostFacts;
import io.github.jettyuwsgi.launcher.deploy.ApplicationStartException;
import io.github.jettyuwsgi.launcher.deploy.EnvironmentLoader;
import io.github.jettyuwsgi.launcher.deploy.ReloadableApplications;
import io.github.jettyuwsgi.launcher.options.Failures;
import io.github.jettyuwsgi.launcher.options.LauncherOptions;
import io.github.jettyuwsgi.launcher.options.UsageException;
import io.github.jettyuwsgi.launcher.server.ServerAssembler;
import io.github.jettyuwsgi.uwsgi.log.UwsgiRequestLog;
import org.eclipse.jetty.server.Server;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * uWSGI's graceful reload for the running launcher: on SIGHUP, or when a {@code touch-reload} file's modification
 * time changes, the configuration is read again from the same command line and the WARs are deployed anew into
 * {@link ReloadableApplications}, while the listening sockets stay open. A configuration that does not load or
 * validate is reported and the running applications keep serving; so is, with {@code need-app}, a deployment in which
 * no application starts. Reloads run one at a time, on their own thread.
 */
public final class Reloader
{
    private static final Logger LOG = LoggerFactory.getLogger(Reloader.class);
    private static final long TOUCH_POLL_MILLIS = 500;

    private final String[] args;
    private final EnvironmentLoader environments;
    private final ReloadableApplications applications;
    private final ProcessSettings processSettings;
    private final Server server;
    private final ExecutorService executor = Executors.newSingleThreadExecutor(runnable ->
    {
        Thread thread = new Thread(runnable, "jetty-uwsgi-reload");
        thread.setDaemon(true);
        return thread;
    });
    private volatile LauncherOptions options;
    private final Map<Path, FileTime> touched = new HashMap<>();

    public Reloader(String[] args, LauncherOptions options, EnvironmentLoader environments, Server server, ProcessSettings processSettings)
    {
        this.processSettings = processSettings;
        this.server = server;
        this.args = args.clone();
        this.options = options;
        this.environments = environments;
        this.applications = Objects.requireNonNull(server.getDescendant(ReloadableApplications.class), "ReloadableApplications");
    }

    /**
     * Installs the SIGHUP handler (the JVM's own would stop the process) and starts watching the touch-reload files.
     */
    public void install()
    {
        Signals.onHangUp(() -> requestReload("SIGHUP"));
        rememberTouchFiles();
        Thread watcher = new Thread(this::watchTouchFiles, "jetty-uwsgi-touch-reload");
        watcher.setDaemon(true);
        watcher.start();
    }

    public void requestReload(String why)
    {
        executor.execute(() ->
        {
            SystemdNotify systemd = SystemdNotify.current();
            systemd.reloading("reloading (" + why + ")");
            try
            {
                reload(why);
            }
            finally
            {
                systemd.ready("serving, after the reload (" + why + ")");
            }
        });
    }

    private void reload(String why)
    {
        long start = System.nanoTime();
        // uWSGI reopens logto when it re-executes itself (with log-reopen): a rotated log is let go here too
        if (processSettings.hasLogFile())
        {
            // the request log holds up to a second of lines: they belong in the file being let go
            if (server.getRequestLog() instanceof UwsgiRequestLog requestLog)
                requestLog.flush();
            processSettings.reopenLog("graceful reload (" + why + ")");
        }
        LOG.info("graceful reload ({}): reading the configuration again", why);
        HostFacts now = HostFacts.current();
        HostFacts facts = new HostFacts(now.workingDirectory(), now.environment(), now.hostname(), now.cpus(), now.uid(), now.user(),
            now.gid(), now.group(), now.startMicros(), now.version(), now.binaryPath(), true);
        LauncherOptions reloaded = LauncherOptions.parse(facts, args);
        List<String> problems = reloaded.validate();
        if (!problems.isEmpty())
        {
            problems.forEach(problem -> LOG.warn("reload refused, the running applications keep serving: {}", problem));
            return;
        }
        reloaded.getNotices().forEach(notice -> LOG.warn("{}", notice));
        warnIfChanged("sockets", options.getUwsgiSockets() + " " + options.getHttpSockets(), reloaded.getUwsgiSockets() + " " + reloaded.getHttpSockets());
        warnIfChanged("chmod-socket", options.getChmodSocket(), reloaded.getChmodSocket());
        warnIfChanged("chown-socket", options.getChownSocket(), reloaded.getChownSocket());
        warnIfChanged("listen", options.getListen(), reloaded.getListen());
        warnIfChanged("acceptors", options.getAcceptors(), reloaded.getAcceptors());
        warnIfChanged("buffer-size", options.getBufferSize(), reloaded.getBufferSize());
        warnIfChanged("threads", options.getThreads(), reloaded.getThreads());
        warnIfChanged("realm", options.getRealms(), reloaded.getRealms());
        warnIfChanged("log-format", options.getLogFormat(), reloaded.getLogFormat());
        warnIfChanged("disable-logging", options.isDisableLogging(), reloaded.isDisableLogging());
        warnIfChanged("logto", options.getLogTo(), reloaded.getLogTo());
        warnIfChanged("harakiri", options.getHarakiri(), reloaded.getHarakiri());
        warnIfChanged("subscriptions", subscriptionValues(options), subscriptionValues(reloaded));
        warnIfChanged("subscribe-freq", options.getSubscribeFreq(), reloaded.getSubscribeFreq());
        warnIfChanged("stats", options.getStats(), reloaded.getStats());
        // The JVM's environment is a plain map that running requests read: changing it under them is not safe (and
        // setenv(3) with other threads in getenv(3) is undefined), so env is applied at start only, as a restart would.
        warnIfEnvChanged(options.getEnv(), reloaded.getEnv());
        try
        {
            applications.replace(new ServerAssembler(reloaded, environments).newApplications(), LauncherOptions.STOP_TIMEOUT_MILLIS);
            options = reloaded;
            rememberTouchFiles();
            LOG.info("graceful reload ({}) done in {} ms", why, (System.nanoTime() - start) / 1_000_000);
        }
        catch (UsageException x)
        {
            x.getProblems().forEach(problem -> LOG.warn("reload refused, the running applications keep serving: {}", problem));
        }
        catch (Exception x)
        {
            // need-app: a reload never trades working applications for a deployment where none started
            Optional<ApplicationStartException> needApp = ApplicationStartException.find(x);
            if (needApp.isPresent())
                LOG.warn("reload refused (need-app), the running applications keep serving: {}", needApp.get().getMessage());
            else
                LOG.warn("reload failed, the running applications keep serving: {}", Failures.describe(x), x);
        }
    }

    private static List<String> subscriptionValues(LauncherOptions options)
    {
        return options.getSubscriptions().stream().map(subscription -> subscription.key() + " = " + subscription.value()).toList();
    }

    /**
     * Names the variables only: their values may be secrets that do not belong in a log.
     */
    private static void warnIfEnvChanged(Map<String, String> before, Map<String, String> after)
    {
        Set<String> changed = new TreeSet<>(before.keySet());
        changed.addAll(after.keySet());
        changed.removeIf(name -> before.containsKey(name) == after.containsKey(name) && Objects.equals(before.get(name), after.get(name)));
        if (!changed.isEmpty())
            LOG.warn("env changed for {}: kept as they were until a restart (running applications read the environment unlocked)", changed);
    }

    private static void warnIfChanged(String what, Object before, Object after)
    {
        if (!Objects.equals(before, after))
            LOG.warn("{} changed from {} to {}: kept as they were until a restart (a reload keeps the listening sockets and the thread pool)", what, before, after);
    }

    private synchronized void rememberTouchFiles()
    {
        touched.clear();
        for (Path file : options.getTouchReload())
        {
            touched.put(file, modified(file));
        }
    }

    private void watchTouchFiles()
    {
        while (true)
        {
            try
            {
                Thread.sleep(TOUCH_POLL_MILLIS);
            }
            catch (InterruptedException x)
            {
                return;
            }
            synchronized (this)
            {
                for (Map.Entry<Path, FileTime> file : touched.entrySet())
                {
                    FileTime now = modified(file.getKey());
                    if (now != null && !now.equals(file.getValue()))
                    {
                        file.setValue(now);
                        requestReload("touch-reload " + file.getKey());
                    }
                }
            }
        }
    }

    private static FileTime modified(Path file)
    {
        try
        {
            return Files.getLastModifiedTime(file);
        }
        catch (IOException x)
        {
            return null;
        }
    }
}

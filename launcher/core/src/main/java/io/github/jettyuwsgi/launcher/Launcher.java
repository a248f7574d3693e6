package io.github.jettyuwsgi.launcher;

import java.io.IOException;
import java.io.PrintStream;
import java.util.List;
import java.util.Optional;

import io.github.jettyuwsgi.launcher.deploy.ApplicationStartException;
import io.github.jettyuwsgi.launcher.deploy.EnvironmentLoader;
import io.github.jettyuwsgi.launcher.emperor.Emperor;
import io.github.jettyuwsgi.launcher.options.ControlCommand;
import io.github.jettyuwsgi.launcher.options.Failures;
import io.github.jettyuwsgi.launcher.options.LauncherOptions;
import io.github.jettyuwsgi.launcher.options.Usage;
import io.github.jettyuwsgi.launcher.options.UsageException;
import io.github.jettyuwsgi.launcher.process.MasterFifo;
import io.github.jettyuwsgi.launcher.process.PidFile;
import io.github.jettyuwsgi.launcher.process.ProcessCommand;
import io.github.jettyuwsgi.launcher.process.ProcessSettings;
import io.github.jettyuwsgi.launcher.process.Reloader;
import io.github.jettyuwsgi.launcher.process.SystemdNotify;
import io.github.jettyuwsgi.launcher.server.DrainFirstStop;
import io.github.jettyuwsgi.launcher.server.ServerAssembler;
import org.eclipse.jetty.server.Server;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The main class of {@code jetty-uwsgi-launcher.jar}: loads the configuration ({@link LauncherOptions}), has
 * {@link ServerAssembler} build the server, starts it and waits until it is stopped (SIGTERM stops it gracefully,
 * {@link DrainFirstStop}).
 *
 * <p>User mistakes get one line each on standard error and exit status {@value #EXIT_USAGE}, never a stack trace; a
 * server that fails to start (a port in use, a WAR that throws) gets one line and exit status {@value #EXIT_FAILURE},
 * with Jetty's own log above it for the details. A running server stops on SIGTERM through the launcher's shutdown hook,
 * gracefully, and the JVM then exits with 143 (128 + SIGTERM) as any JVM stopped by that signal.</p>
 */
public final class Launcher
{
    /** Exit status when the server could not start. */
    public static final int EXIT_FAILURE = 1;
    /** Exit status for a usage error. */
    public static final int EXIT_USAGE = 2;
    /**
     * The java options that {@code env} needs when the launcher runs from a class path rather than with
     * {@code java -jar}, whose manifest grants them (for example a JVM the emperor starts for a vassal).
     */
    public static final List<String> JVM_OPTIONS = List.of("--add-opens", "java.base/java.util=ALL-UNNAMED", "--enable-native-access=ALL-UNNAMED");

    private static final Logger LOG = LoggerFactory.getLogger(Launcher.class);
    private static final String PREFIX = "jetty-uwsgi: ";

    private final PrintStream out;
    /** Standard error, or the {@code logto} file once it is open. */
    private PrintStream err;

    Launcher(PrintStream out, PrintStream err)
    {
        this.out = out;
        this.err = err;
    }

    public static void main(String[] args)
    {
        // "curl" and "ping" are a uwsgi client for checking a backend, not a server: they take none of the server's options
        if (io.github.jettyuwsgi.uwsgi.client.UwsgiCurl.handles(args))
            System.exit(io.github.jettyuwsgi.uwsgi.client.UwsgiCurl.run(args, System.out, System.err));
        int status = new Launcher(System.out, System.err).run(args);
        // Exit only on failure: after a SIGTERM the JVM is already shutting down, and System.exit would block.
        if (status != 0)
            System.exit(status);
    }

    /**
     * Parses, starts, and waits for the server to stop.
     *
     * @param args the command line
     * @return the exit status: 0 after {@code --help} or once the server has stopped (in practice the JVM is exiting
     * by then), {@value #EXIT_FAILURE} or {@value #EXIT_USAGE}
     */
    int run(String[] args)
    {
        Optional<ControlCommand> command = ControlCommand.find(args);
        if (command.isPresent())
            return run(command.get());
        LauncherOptions options = LauncherOptions.parse(args);
        // uWSGI prints --show-config as soon as the configuration is loaded, before it checks anything else
        if (options.isShowConfig())
            options.showConfig().ifPresent(out::print);
        for (String notice : options.getNotices())
        {
            err.println(PREFIX + "warning: " + notice);
        }
        List<String> problems = options.validate();
        if (!problems.isEmpty())
            return usageError(problems);
        // env and logto belong to the process: in place before anything runs, so the applications see them from the start
        ProcessSettings processSettings = null;
        if (!options.isDryRun())
        {
            try
            {
                processSettings = ProcessSettings.apply(options);
            }
            catch (IOException | IllegalStateException x)
            {
                err.println(PREFIX + "cannot start: " + x.getMessage());
                return EXIT_FAILURE;
            }
            // as uWSGI, whose fd 2 is the logto file from here on
            if (processSettings.hasLogFile())
                err = System.err;
        }
        if (options.getEmperor() != null && !options.isDryRun())
            return Emperor.run(options, err);
        if (options.isDryRun())
        {
            out.println(PREFIX + "configuration OK: " + options.getUwsgiSockets().size() + " uwsgi socket(s), " +
                options.getHttpSockets().size() + " http socket(s), " + options.getDeployments().size() + " WAR(s); not started (--dry-run)");
            return 0;
        }

        Server server;
        EnvironmentLoader environments;
        try
        {
            environments = new EnvironmentLoader(EnvironmentLoader.locateHome());
            server = start(options, environments);
        }
        catch (UsageException x)
        {
            return usageError(x.getProblems());
        }
        catch (Throwable x)
        {
            LOG.debug("start-up failed", x);
            Optional<ApplicationStartException> needApp = ApplicationStartException.find(x);
            // uWSGI's need-app: its own exit status, so that a service manager can tell a broken application apart
            err.println(PREFIX + "cannot start: " + needApp.map(failure -> failure.getMessage() + " (need-app)").orElseGet(() -> describe(x)));
            return needApp.isPresent() ? ApplicationStartException.EXIT_STATUS : EXIT_FAILURE;
        }

        if (options.getPidFile() != null)
        {
            try
            {
                new PidFile(options.getPidFile()).write(server, options.isVacuum());
            }
            catch (Exception x)
            {
                err.println(PREFIX + "cannot start: cannot write pidfile " + options.getPidFile() + ": " + describe(x));
                stopQuietly(server);
                return EXIT_FAILURE;
            }
        }

        Reloader reloader = new Reloader(args, options, environments, server, processSettings);
        reloader.install();
        if (options.getMasterFifo() != null)
        {
            try
            {
                new MasterFifo(options.getMasterFifo(), server, reloader, processSettings).install();
            }
            catch (Exception x)
            {
                err.println(PREFIX + "cannot start: cannot create master-fifo " + options.getMasterFifo() + ": " + describe(x));
                stopQuietly(server);
                return EXIT_FAILURE;
            }
        }

        SystemdNotify systemd = SystemdNotify.current();
        DrainFirstStop.install(server, () -> systemd.stopping("stopping: draining the sockets, then the requests in flight"));
        // the one line that says everything is in place, pidfile and master-fifo included: scripts and tests wait for it
        LOG.info("ready: pid {}, {} uwsgi socket(s), {} http socket(s), {} request thread(s)", ProcessHandle.current().pid(),
            options.getUwsgiSockets().size(), options.getHttpSockets().size(), options.getThreads());
        systemd.ready("serving: " + options.getUwsgiSockets().size() + " uwsgi socket(s), " + options.getHttpSockets().size() + " http socket(s)");
        try
        {
            server.join();
            return 0;
        }
        catch (InterruptedException x)
        {
            Thread.currentThread().interrupt();
            return 0;
        }
    }

    /**
     * @return the exit status of {@code --help}, {@code --stop PIDFILE} or {@code --reload PIDFILE}
     */
    private int run(ControlCommand command)
    {
        if (command.kind() == ControlCommand.Kind.HELP)
        {
            out.print(Usage.text());
            return 0;
        }
        PidFile pidFile = new PidFile(command.pidFile());
        Optional<String> failure = command.kind() == ControlCommand.Kind.STOP ? ProcessCommand.stop(pidFile) : ProcessCommand.reload(pidFile);
        failure.ifPresent(problem -> err.println(PREFIX + problem));
        return failure.isPresent() ? EXIT_FAILURE : 0;
    }

    private static void stopQuietly(Server server)
    {
        try
        {
            server.stop();
        }
        catch (Exception x)
        {
            LOG.debug("stop after a failed start", x);
        }
    }

    private int usageError(List<String> problems)
    {
        for (String problem : problems)
        {
            err.println(PREFIX + problem);
        }
        return EXIT_USAGE;
    }

    /**
     * Assembles and starts a server; for embedding and tests, {@link #main(String[])} does this for the command line.
     *
     * @param options validated options
     * @param environments where the environments come from
     * @return the started server
     * @throws UsageException if a WAR does not fit the options
     * @throws Exception if the server does not start; it is stopped again before this is thrown
     */
    public static Server start(LauncherOptions options, EnvironmentLoader environments) throws Exception
    {
        Server server = new ServerAssembler(options, environments).assemble();
        try
        {
            server.start();
            return server;
        }
        catch (Throwable x)
        {
            try
            {
                server.stop();
            }
            catch (Throwable stopFailure)
            {
                x.addSuppressed(stopFailure);
            }
            throw x;
        }
    }

    /**
     * @return the messages of a failure and its causes, each once, e.g.
     * "Failed to bind to /127.0.0.1:3031: Address already in use"
     */
    public static String describe(Throwable failure)
    {
        return Failures.describe(failure);
    }
}

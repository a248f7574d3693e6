package io.github.jettyuwsgi.launcher.process;

import java.io.IOException;
import java.util.Map;

import io.github.jettyuwsgi.launcher.options.LauncherOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The part of the configuration that belongs to the process rather than to an application, since one JVM runs them
 * all: uWSGI's {@code env}/{@code unenv} ({@link EnvironmentVariables}) and {@code logto} ({@link LogFile}).
 * {@code Launcher} applies it before the server is assembled, so that the applications find both from their first
 * line; {@link Reloader} applies the environment again before it deploys anew and reopens the log; the
 * {@link MasterFifo}'s {@code l} reopens the log.
 */
public final class ProcessSettings
{
    private static final Logger LOG = LoggerFactory.getLogger(ProcessSettings.class);

    private final LogFile logFile;
    /** Made on the first {@code env} line only: the reflection it needs is not granted to an embedding application. */
    private EnvironmentVariables environment;

    private ProcessSettings(LogFile logFile)
    {
        this.logFile = logFile;
    }

    /**
     * Opens the {@code logto} file and sends {@code System.out} and {@code System.err} to it, then sets the
     * {@code env} variables.
     *
     * @param options validated options
     * @return the applied settings
     * @throws IOException with a one-line message if the log file cannot be opened
     * @throws IllegalStateException with a one-line message if the environment cannot be changed
     */
    public static ProcessSettings apply(LauncherOptions options) throws IOException
    {
        ProcessSettings settings = new ProcessSettings(options.getLogTo() == null ? null : LogFile.open(options.getLogTo()));
        if (settings.logFile != null)
            settings.logFile.redirectStandardStreams();
        settings.applyEnvironment(options.getEnv());
        return settings;
    }

    /**
     * @return whether {@code System.out} and {@code System.err} go to a {@code logto} file
     */
    public boolean hasLogFile()
    {
        return logFile != null;
    }

    /**
     * Sets the variables of the configuration, and gives those an earlier configuration set but this one does not
     * name their launch values back.
     *
     * @param variables {@link LauncherOptions#getEnv()}
     * @throws IllegalStateException with a one-line message if the environment cannot be changed
     */
    synchronized void applyEnvironment(Map<String, String> variables)
    {
        if (environment == null)
        {
            if (variables.isEmpty())
                return;
            environment = EnvironmentVariables.ofThisProcess();
            if (!environment.reachesChildProcesses())
                LOG.warn("env: on Java {} the variables are set for System.getenv() and ProcessBuilder.environment(); a child process " +
                    "started without ProcessBuilder.environment() inherits the launch environment (the JVM changes its C environment from Java {} on)",
                    Runtime.version().feature(), NativeEnvironment.MIN_JAVA);
        }
        environment.apply(variables);
    }

    /**
     * Reopens the {@code logto} file, if there is one; a failure is logged and the log goes on to the old file.
     *
     * @param why what asked for it, for the log
     */
    public void reopenLog(String why)
    {
        if (logFile == null)
        {
            LOG.info("{}: the log goes to standard error (no logto file); nothing to reopen", why);
            return;
        }
        try
        {
            logFile.reopen(why);
        }
        catch (IOException x)
        {
            LOG.warn("{}: {}; the log goes on to the file that was open", why, x.getMessage());
        }
    }
}

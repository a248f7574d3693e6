package io.github.jettyuwsgi.it;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * <p>The jetty-uwsgi launcher ({@code jetty-uwsgi-launcher.jar}) running as a child JVM: the backend that the
 * frontends of an end-to-end test (nginx, later Apache, uWSGI, lighttpd) pass requests to over uwsgi, and that
 * clients can also reach directly over its HTTP socket.</p>
 * <p>It runs with a small heap ({@value #MAX_HEAP}) on purpose: a request or response body that the server
 * buffers whole shows up as an OutOfMemoryError in the 100 MB tests instead of passing unnoticed. It is stopped
 * with SIGTERM, which runs the launcher's own shutdown hook (graceful stop, Unix socket removed).</p>
 */
public final class LauncherProcess extends ManagedProcess
{
    public static final String MAX_HEAP = "256m";
    /**
     * What the launcher's log says once every connector is open, every WAR deployed and the pidfile written:
     * "ready: pid N, ...".
     */
    private static final Pattern STARTED = Pattern.compile("Launcher:main: ready: pid [0-9]+");

    private final Builder config;

    private LauncherProcess(Builder config, List<String> command)
    {
        super("launcher", command, config.logFile.getParent(), config.logFile);
        this.config = config;
    }

    public static Builder builder(Path launcherJar)
    {
        return new Builder(launcherJar);
    }

    /**
     * @return the port of the uwsgi TCP socket, or -1
     */
    public int uwsgiPort()
    {
        return config.uwsgiPort;
    }

    /**
     * @return the path of the uwsgi Unix-domain socket, or null
     */
    public Path uwsgiUnixSocket()
    {
        return config.uwsgiUnixSocket;
    }

    /**
     * @return the port of the plain HTTP socket, or -1
     */
    public int httpPort()
    {
        return config.httpPort;
    }

    private boolean isStarted()
    {
        if (config.uwsgiPort > 0 && !FreePorts.accepts(config.uwsgiPort))
            return false;
        if (config.httpPort > 0 && !FreePorts.accepts(config.httpPort))
            return false;
        if (config.uwsgiUnixSocket != null && !FreePorts.accepts(config.uwsgiUnixSocket))
            return false;
        return STARTED.matcher(readLog()).find();
    }

    /**
     * The launcher's command line, option by option (see the launcher's {@code --help}).
     */
    public static final class Builder
    {
        private final Path launcherJar;
        private final List<String> arguments = new ArrayList<>();
        private final List<String> jvmOptions = new ArrayList<>();
        private int uwsgiPort = -1;
        private Path uwsgiUnixSocket;
        private int httpPort = -1;
        private Path logFile;
        private Duration startTimeout = Duration.ofSeconds(90);

        private Builder(Path launcherJar)
        {
            this.launcherJar = launcherJar;
        }

        /**
         * {@code --socket 127.0.0.1:port}: the uwsgi TCP socket.
         */
        public Builder uwsgiSocket(int port)
        {
            uwsgiPort = port;
            return option("--socket", FreePorts.LOOPBACK + ":" + port);
        }

        /**
         * {@code --socket /path/app.sock}: the uwsgi Unix-domain socket.
         */
        public Builder uwsgiUnixSocket(Path path)
        {
            uwsgiUnixSocket = path;
            return option("--socket", path.toString());
        }

        /**
         * {@code --http-socket 127.0.0.1:port}: plain HTTP, the baseline that bypasses every frontend.
         */
        public Builder httpSocket(int port)
        {
            httpPort = port;
            return option("--http-socket", FreePorts.LOOPBACK + ":" + port);
        }

        /**
         * {@code --mount /context=app.war}
         */
        public Builder mount(String contextPath, Path war)
        {
            return option("--mount", contextPath + "=" + war);
        }

        /**
         * Any other option, such as {@code --buffer-size 65535} or {@code --chmod-socket 660}.
         */
        public Builder option(String name, String value)
        {
            arguments.add(name);
            arguments.add(value);
            return this;
        }

        /**
         * A JVM option after the rig's own ({@code -Xmx256m -XX:+ExitOnOutOfMemoryError}), such as
         * {@code -XX:NativeMemoryTracking=summary}.
         */
        public Builder jvmOption(String option)
        {
            jvmOptions.add(option);
            return this;
        }

        /**
         * Where the launcher's output goes; its directory is also the launcher's working directory.
         */
        public Builder logFile(Path logFile)
        {
            this.logFile = logFile;
            return this;
        }

        public Builder startTimeout(Duration startTimeout)
        {
            this.startTimeout = startTimeout;
            return this;
        }

        /**
         * Starts the launcher and waits until every socket accepts and the log says the server started.
         */
        public LauncherProcess start()
        {
            if (!Files.isRegularFile(launcherJar))
                throw new IllegalStateException("launcher jar not found: " + launcherJar +
                    " (expected: built by 'mvn package' in launcher/dist)");
            if (logFile == null)
                throw new IllegalStateException("launcher log file not set (expected: logFile(path))");
            List<String> command = new ArrayList<>();
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            command.add("-Xmx" + MAX_HEAP);
            // A heap dump would be hundreds of MB in target/; the log line is enough to see what happened.
            command.add("-XX:+ExitOnOutOfMemoryError");
            command.addAll(jvmOptions);
            command.add("-jar");
            command.add(launcherJar.toString());
            command.addAll(arguments);
            LauncherProcess launcher = new LauncherProcess(this, command);
            try
            {
                launcher.awaitReady("sockets accepting and '" + STARTED.pattern() + "' in the log", launcher::isStarted, startTimeout);
            }
            catch (RuntimeException x)
            {
                launcher.close();
                throw x;
            }
            return launcher;
        }
    }
}

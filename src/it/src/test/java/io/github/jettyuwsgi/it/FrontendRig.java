package io.github.jettyuwsgi.it;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * <p>The setup of the frontend matrix tests: one launcher serving the echo WAR at {@value #ECHO} and the streaming
 * WAR at {@value #STREAM} on a uwsgi TCP socket, a uwsgi Unix socket and an HTTP socket (the reference route), and
 * the frontend processes a test puts in front of it, each reachable by a named {@link Route}.</p>
 */
public final class FrontendRig implements AutoCloseable
{
    public static final String ECHO = NginxLauncherRig.ECHO;
    public static final String STREAM = NginxLauncherRig.STREAM;

    /**
     * One way a client reaches the launcher: a frontend's port, or the launcher's own HTTP socket.
     *
     * @param uwsgi whether the request reaches the launcher over uwsgi (and so carries the vars attribute)
     */
    public record Route(String name, int port, boolean uwsgi)
    {
        /**
         * @return {@code http://127.0.0.1:port}, without a trailing slash
         */
        public URI baseUri()
        {
            return URI.create("http://" + FreePorts.LOOPBACK + ":" + port);
        }

        @Override
        public String toString()
        {
            return name;
        }
    }

    private final Path workDir;
    private final SocketDirectory socketDirectory;
    private final LauncherProcess launcher;
    private final List<ManagedProcess> frontends = new ArrayList<>();
    private final Map<String, Route> routes = new LinkedHashMap<>();

    private FrontendRig(Path workDir, SocketDirectory socketDirectory, LauncherProcess launcher)
    {
        this.workDir = workDir;
        this.socketDirectory = socketDirectory;
        this.launcher = launcher;
    }

    /**
     * Starts the launcher, then lets {@code frontends} start the frontends and name the routes; stops everything
     * started when that fails. Logs and the frontends' directories go to {@code settings.workDir()/name}.
     */
    public static FrontendRig start(ItSettings settings, String name, Consumer<FrontendRig> frontends)
    {
        Path workDir = settings.workDir().resolve(name);
        SocketDirectory socketDirectory = SocketDirectory.create(workDir);
        int[] ports = FreePorts.allocate(2);
        LauncherProcess launcher = LauncherProcess.builder(settings.launcherJar())
            .uwsgiSocket(ports[0])
            .uwsgiUnixSocket(socketDirectory.socket())
            .httpSocket(ports[1])
            .mount(ECHO, settings.echoWar())
            .mount(STREAM, settings.streamingWar())
            // Apache started as root serves as www-data, which must be able to connect; the socket sits in a
            // directory of the build, reachable from loopback users only.
            .option("--chmod-socket", "666")
            .logFile(workDir.resolve("launcher.log"))
            .start();
        FrontendRig rig = new FrontendRig(workDir, socketDirectory, launcher);
        try
        {
            frontends.accept(rig);
            return rig;
        }
        catch (RuntimeException | Error x)
        {
            rig.close();
            throw x;
        }
    }

    /**
     * Adds a started frontend, stopped (before the launcher) when the rig closes.
     */
    public <P extends ManagedProcess> P add(P frontend)
    {
        frontends.add(frontend);
        return frontend;
    }

    /**
     * Starts a frontend that reaches the launcher over both its uwsgi sockets (the template's
     * {@code {{LAUNCHER_UWSGI_PORT}}} and {@code {{LAUNCHER_UWSGI_UNIX_SOCKET}}}) and takes clients on one port for
     * each ({@code {{PREFIX_TCP_PORT}}}, {@code {{PREFIX_UNIX_PORT}}}), adds it, and names the routes
     * {@code PREFIX_UWSGI_TCP} and {@code PREFIX_UWSGI_UNIX}.
     *
     * @param prefix the names' prefix ("APACHE")
     * @param frontend the frontend with its template and command set
     */
    public FrontendProcess addTcpAndUnixFrontend(String prefix, FrontendProcess.Builder frontend)
    {
        int[] ports = FreePorts.allocate(2);
        FrontendProcess process = add(frontend
            .set("LAUNCHER_UWSGI_PORT", launcher.uwsgiPort())
            .set("LAUNCHER_UWSGI_UNIX_SOCKET", launcher.uwsgiUnixSocket())
            .listen(prefix + "_TCP_PORT", ports[0])
            .listen(prefix + "_UNIX_PORT", ports[1])
            .start());
        route(prefix + "_UWSGI_TCP", process.port(prefix + "_TCP_PORT"));
        route(prefix + "_UWSGI_UNIX", process.port(prefix + "_UNIX_PORT"));
        return process;
    }

    /**
     * Names a route through a frontend.
     */
    public Route route(String name, int port)
    {
        Route route = new Route(name, port, true);
        routes.put(name, route);
        return route;
    }

    public Route route(String name)
    {
        Route route = routes.get(name);
        if (route == null)
            throw new IllegalArgumentException("no route named " + name + " (expected one of " + routes.keySet() + ")");
        return route;
    }

    /**
     * @return the routes through the frontends, in the order they were named
     */
    public List<Route> frontendRoutes()
    {
        return List.copyOf(routes.values());
    }

    /**
     * @return the launcher's HTTP socket, no frontend: Jetty's own HTTP parser, which every route is compared with
     */
    public Route reference()
    {
        return new Route("LAUNCHER_HTTP", launcher.httpPort(), false);
    }

    public Path workDir()
    {
        return workDir;
    }

    public LauncherProcess launcher()
    {
        return launcher;
    }

    /**
     * Fails with the logs when any process has died.
     */
    public void assertAlive()
    {
        launcher.assertAlive();
        frontends.forEach(ManagedProcess::assertAlive);
    }

    /**
     * @return every process's log tail, for failure messages
     */
    public String describeLogs()
    {
        StringBuilder logs = new StringBuilder(launcher.describeLog());
        frontends.forEach(frontend -> logs.append('\n').append(frontend.describeLog()));
        return logs.toString();
    }

    @Override
    public void close()
    {
        try
        {
            for (int i = frontends.size() - 1; i >= 0; i--)
            {
                frontends.get(i).close();
            }
        }
        finally
        {
            launcher.close();
            socketDirectory.delete();
        }
    }
}

package io.github.jettyuwsgi.it;

import java.net.URI;
import java.nio.file.Path;
import java.util.function.UnaryOperator;

/**
 * <p>The setup every nginx end-to-end test and the load script share: one launcher serving the echo WAR at
 * {@value #ECHO} and the streaming WAR at {@value #STREAM} on a uwsgi TCP socket, a uwsgi Unix socket and an HTTP
 * socket, and one nginx (template {@value #TEMPLATE}) with one port per {@link Route}.</p>
 */
public final class NginxLauncherRig implements AutoCloseable
{
    public static final String ECHO = "/echo";
    public static final String STREAM = "/stream";
    public static final String TEMPLATE = "/nginx/launcher.conf.template";
    /**
     * The largest vars block nginx can build, so that the ~30 KB header case tests the path and not a limit.
     */
    public static final int BUFFER_SIZE = 65535;

    /**
     * The ways a client reaches the launcher; each nginx route is a server of its own with its own port.
     */
    public enum Route
    {
        /** client → nginx → uwsgi over TCP */
        NGINX_UWSGI_TCP("NGINX_UWSGI_TCP_PORT"),
        /** client → nginx → uwsgi over the Unix-domain socket */
        NGINX_UWSGI_UNIX("NGINX_UWSGI_UNIX_PORT"),
        /** client → nginx with {@code uwsgi_param HTTPS on;} → uwsgi over TCP */
        NGINX_UWSGI_HTTPS_VAR("NGINX_UWSGI_HTTPS_VAR_PORT"),
        /** client → nginx → HTTP/1.1 with upstream keepalive → the launcher's http-socket */
        NGINX_HTTP_PROXY("NGINX_HTTP_PROXY_PORT"),
        /** client → the launcher's http-socket, no frontend */
        LAUNCHER_HTTP(null);

        private final String nginxPortName;

        Route(String nginxPortName)
        {
            this.nginxPortName = nginxPortName;
        }

        public boolean isUwsgi()
        {
            return name().startsWith("NGINX_UWSGI");
        }
    }

    private final LauncherProcess launcher;
    private final NginxProcess nginx;
    private final SocketDirectory socketDirectory;

    private NginxLauncherRig(LauncherProcess launcher, NginxProcess nginx, SocketDirectory socketDirectory)
    {
        this.launcher = launcher;
        this.nginx = nginx;
        this.socketDirectory = socketDirectory;
    }

    /**
     * Starts the launcher, then nginx; logs and nginx's prefix go to {@code settings.workDir()/name}.
     */
    public static NginxLauncherRig start(ItSettings settings, String name)
    {
        return start(settings, name, UnaryOperator.identity());
    }

    /**
     * @param options adds launcher options to the rig's ({@code --touch-reload}, {@code --stats}, ...)
     */
    public static NginxLauncherRig start(ItSettings settings, String name, UnaryOperator<LauncherProcess.Builder> options)
    {
        Path workDir = settings.workDir().resolve(name);
        SocketDirectory socketDirectory = SocketDirectory.create(workDir);
        int[] ports = FreePorts.allocate(6);
        LauncherProcess launcher = options.apply(LauncherProcess.builder(settings.launcherJar())
            .uwsgiSocket(ports[0])
            .uwsgiUnixSocket(socketDirectory.socket())
            .httpSocket(ports[1])
            .mount(ECHO, settings.echoWar())
            .mount(STREAM, settings.streamingWar())
            .option("--buffer-size", String.valueOf(BUFFER_SIZE))
            .logFile(workDir.resolve("launcher.log")))
            .start();
        try
        {
            NginxProcess nginx = NginxProcess.builder(workDir.resolve("nginx"))
                .template(TEMPLATE)
                .include("uwsgi_params", "/nginx/uwsgi_params")
                .set("LAUNCHER_UWSGI_PORT", launcher.uwsgiPort())
                .set("LAUNCHER_UWSGI_UNIX_SOCKET", launcher.uwsgiUnixSocket())
                .set("LAUNCHER_HTTP_PORT", launcher.httpPort())
                .listen(Route.NGINX_UWSGI_TCP.nginxPortName, ports[2])
                .listen(Route.NGINX_UWSGI_UNIX.nginxPortName, ports[3])
                .listen(Route.NGINX_UWSGI_HTTPS_VAR.nginxPortName, ports[4])
                .listen(Route.NGINX_HTTP_PROXY.nginxPortName, ports[5])
                .start();
            return new NginxLauncherRig(launcher, nginx, socketDirectory);
        }
        catch (RuntimeException x)
        {
            launcher.close();
            throw x;
        }
    }

    public int port(Route route)
    {
        return route == Route.LAUNCHER_HTTP ? launcher.httpPort() : nginx.port(route.nginxPortName);
    }

    /**
     * @return {@code http://127.0.0.1:port} of the route, without a trailing slash
     */
    public URI baseUri(Route route)
    {
        return URI.create("http://" + FreePorts.LOOPBACK + ":" + port(route));
    }

    public LauncherProcess launcher()
    {
        return launcher;
    }

    public NginxProcess nginx()
    {
        return nginx;
    }

    /**
     * Fails with both logs when either process has died.
     */
    public void assertAlive()
    {
        launcher.assertAlive();
        nginx.assertAlive();
    }

    /**
     * @return both logs' tails, for failure messages
     */
    public String describeLogs()
    {
        return launcher.describeLog() + "\n" + nginx.describeLog();
    }

    @Override
    public void close()
    {
        try
        {
            nginx.close();
        }
        finally
        {
            launcher.close();
            socketDirectory.delete();
        }
    }
}

package io.github.jettyuwsgi.it.websocket;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

import io.github.jettyuwsgi.it.FreePorts;
import io.github.jettyuwsgi.it.FrontendProcess;
import io.github.jettyuwsgi.it.LauncherProcess;
import io.github.jettyuwsgi.it.NginxProcess;

/**
 * <p>The setup of the WebSocket end-to-end tests: one launcher serving the websocket-war at {@value #JAKARTA} (ee11)
 * and the websocket-javax-war at {@value #JAVAX} (ee8) on a uwsgi TCP socket, a uwsgi Unix socket and an HTTP socket;
 * nginx ({@code uwsgi_pass} over TCP and over the Unix socket, template {@code /websocket/nginx.conf.template}); and
 * uWSGI's HTTP router with {@code http-websockets} (template {@code /websocket/http-router.ini.template}).</p>
 */
final class WebSocketRig implements AutoCloseable
{
    static final String JAKARTA = "/chat";
    static final String JAVAX = "/legacy";

    /** The ways a WebSocket client reaches the echo endpoint. */
    enum Route
    {
        /** client → nginx → uwsgi over TCP */
        NGINX_UWSGI_TCP,
        /** client → nginx → uwsgi over the Unix-domain socket */
        NGINX_UWSGI_UNIX,
        /** client → uWSGI's HTTP router ({@code http-websockets}) → uwsgi over TCP */
        UWSGI_HTTP_ROUTER,
        /** client → the launcher's http-socket: Jetty's own HTTP/1.1 upgrade */
        LAUNCHER_HTTP
    }

    private final Path socketDirectory;
    private final LauncherProcess launcher;
    private NginxProcess nginx;
    private FrontendProcess router;

    private WebSocketRig(Path socketDirectory, LauncherProcess launcher)
    {
        this.socketDirectory = socketDirectory;
        this.launcher = launcher;
    }

    /**
     * Starts the launcher, nginx and the router; logs go to {@code it.work.dir/name}.
     */
    static WebSocketRig start(String name)
    {
        Path workDir = property("it.work.dir").resolve(name);
        Path socketDirectory;
        try
        {
            // Unix socket paths are limited to 107 bytes: under /tmp, not the deep target directory.
            socketDirectory = Files.createTempDirectory(Path.of("/tmp"), "ws-it");
        }
        catch (IOException x)
        {
            throw new UncheckedIOException("cannot create the socket directory under /tmp", x);
        }
        int[] ports = FreePorts.allocate(5);
        LauncherProcess launcher = LauncherProcess.builder(property("it.launcher.jar"))
            .uwsgiSocket(ports[0])
            .uwsgiUnixSocket(socketDirectory.resolve("app.sock"))
            .httpSocket(ports[1])
            .mount(JAKARTA, property("it.websocket.war"))
            .mount(JAVAX, property("it.websocket-javax.war"))
            .logFile(workDir.resolve("launcher.log"))
            .start();
        WebSocketRig rig = new WebSocketRig(socketDirectory, launcher);
        try
        {
            rig.nginx = NginxProcess.builder(workDir.resolve("nginx"))
                .template("/websocket/nginx.conf.template")
                .include("uwsgi_params", "/nginx/uwsgi_params")
                .set("LAUNCHER_UWSGI_PORT", launcher.uwsgiPort())
                .set("LAUNCHER_UWSGI_UNIX_SOCKET", launcher.uwsgiUnixSocket())
                .listen("NGINX_UWSGI_TCP_PORT", ports[2])
                .listen("NGINX_UWSGI_UNIX_PORT", ports[3])
                .start();
            rig.router = FrontendProcess.builder("uwsgi-http-router", workDir.resolve("uwsgi-http-router"))
                .template("http-router.ini", "/websocket/http-router.ini.template")
                .command(FrontendProcess.findExecutable("uwsgi", "uwsgi-core"), "--ini", "{{ROOT}}/conf/http-router.ini")
                .set("LAUNCHER_UWSGI_PORT", launcher.uwsgiPort())
                .listen("UWSGI_HTTP_PORT", ports[4])
                .start();
            return rig;
        }
        catch (RuntimeException x)
        {
            rig.close();
            throw x;
        }
    }

    int port(Route route)
    {
        return switch (route)
        {
            case NGINX_UWSGI_TCP -> nginx.port("NGINX_UWSGI_TCP_PORT");
            case NGINX_UWSGI_UNIX -> nginx.port("NGINX_UWSGI_UNIX_PORT");
            case UWSGI_HTTP_ROUTER -> router.port("UWSGI_HTTP_PORT");
            case LAUNCHER_HTTP -> launcher.httpPort();
        };
    }

    /**
     * @param scheme {@code "ws"} or {@code "http"}
     * @param path such as {@code /chat/ws/echo}
     */
    URI uri(Route route, String scheme, String path)
    {
        return URI.create(scheme + "://" + FreePorts.LOOPBACK + ":" + port(route) + path);
    }

    /**
     * @return every process's log tail, for failure messages
     */
    String describeLogs()
    {
        StringBuilder logs = new StringBuilder(launcher.describeLog());
        if (nginx != null)
            logs.append('\n').append(nginx.describeLog());
        if (router != null)
            logs.append('\n').append(router.describeLog());
        return logs.toString();
    }

    void assertAlive()
    {
        launcher.assertAlive();
        nginx.assertAlive();
        router.assertAlive();
    }

    @Override
    public void close()
    {
        try
        {
            if (router != null)
                router.close();
            if (nginx != null)
                nginx.close();
        }
        finally
        {
            launcher.close();
            try (Stream<Path> files = Files.walk(socketDirectory))
            {
                files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
            catch (IOException ignored)
            {
                // a socket directory left in /tmp is harmless
            }
        }
    }

    private static Path property(String name)
    {
        String value = System.getProperty(name);
        if (value == null || value.isBlank())
            throw new IllegalStateException("system property " + name + " not set (expected: set by src/it/pom.xml)");
        return Path.of(value).toAbsolutePath().normalize();
    }
}

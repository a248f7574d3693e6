package io.github.jettyuwsgi.it;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * <p>A fleet of three launchers ({@value #A}, {@value #B}, {@value #C}) serving the session-counter WAR at
 * {@value #COUNTER}, each on a uwsgi Unix socket of its own, behind one nginx whose upstream pool sends the requests
 * round-robin to all three, without stickiness (template {@value #TEMPLATE}). Each launcher is named by its
 * {@code INSTANCE_NAME}, which the WAR answers in {@code X-Instance}. The fleet can lose an instance
 * ({@link #kill}, {@link #stop}) and get it back ({@link #start}) with the same command line.</p>
 */
final class Fleet implements AutoCloseable
{
    static final String A = "a";
    static final String B = "b";
    static final String C = "c";
    static final List<String> INSTANCES = List.of(A, B, C);
    static final String COUNTER = "/counter";
    static final String TEMPLATE = "/nginx/fleet.conf.template";
    static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

    private final Path workDir;
    private final Map<String, LauncherProcess.Builder> builders = new LinkedHashMap<>();
    private final Map<String, SocketDirectory> sockets = new LinkedHashMap<>();
    private final Map<String, LauncherProcess> launchers = new LinkedHashMap<>();
    private final Map<String, Integer> starts = new LinkedHashMap<>();
    private NginxProcess nginx;

    private Fleet(Path workDir)
    {
        this.workDir = workDir;
    }

    /**
     * Starts the three launchers (at once) with the rig's options and {@code options}, then nginx.
     *
     * @param options more launcher options, name and value in turn (e.g. the session store's)
     */
    static Fleet start(ItSettings settings, Path counterWar, String name, List<String> options)
    {
        Fleet fleet = new Fleet(settings.workDir().resolve(name));
        try
        {
            for (String instance : INSTANCES)
            {
                SocketDirectory socket = SocketDirectory.create(fleet.workDir.resolve(instance));
                fleet.sockets.put(instance, socket);
                LauncherProcess.Builder builder = LauncherProcess.builder(settings.launcherJar())
                    .uwsgiUnixSocket(socket.socket())
                    .mount(COUNTER, counterWar)
                    .option("--env", "INSTANCE_NAME=" + instance)
                    .option("--threads", "16")
                    // three JVMs start at once on a machine that may be busy with other builds
                    .startTimeout(Duration.ofSeconds(300));
                for (int i = 0; i < options.size(); i += 2)
                {
                    builder.option(options.get(i), options.get(i + 1));
                }
                fleet.builders.put(instance, builder);
            }
            List<CompletableFuture<Void>> started = new ArrayList<>();
            for (String instance : INSTANCES)
            {
                started.add(CompletableFuture.runAsync(() -> fleet.start(instance)));
            }
            started.forEach(CompletableFuture::join);
            fleet.nginx = NginxProcess.builder(fleet.workDir.resolve("nginx"))
                .template(TEMPLATE)
                .include("uwsgi_params", "/nginx/uwsgi_params")
                .set("SOCKET_A", fleet.sockets.get(A).socket())
                .set("SOCKET_B", fleet.sockets.get(B).socket())
                .set("SOCKET_C", fleet.sockets.get(C).socket())
                .listen("NGINX_PORT", FreePorts.allocate(1)[0])
                .start();
            return fleet;
        }
        catch (RuntimeException x)
        {
            fleet.close();
            throw x instanceof CompletionException && x.getCause() instanceof RuntimeException cause ? cause : x;
        }
    }

    /**
     * @return {@code http://127.0.0.1:PORT/counter} on nginx, without a trailing slash
     */
    URI counterUri()
    {
        return URI.create("http://" + FreePorts.LOOPBACK + ":" + nginx.port("NGINX_PORT") + COUNTER);
    }

    /**
     * Starts the instance (again), its log in a file of its own per start, and waits until it is ready.
     */
    void start(String instance)
    {
        int count;
        synchronized (starts)
        {
            count = starts.merge(instance, 1, Integer::sum);
        }
        LauncherProcess.Builder builder = builders.get(instance);
        LauncherProcess launcher = builder.logFile(workDir.resolve(instance).resolve("launcher-" + count + ".log")).start();
        synchronized (launchers)
        {
            launchers.put(instance, launcher);
        }
    }

    /**
     * SIGKILL, as a crash: no graceful stop, the Unix socket file stays behind.
     */
    void kill(String instance)
    {
        LauncherProcess launcher = launchers.get(instance);
        ProcessHandle.of(launcher.pid()).ifPresent(ProcessHandle::destroyForcibly);
        if (!launcher.waitFor(STOP_TIMEOUT))
            throw new IllegalStateException(instance + " still running after SIGKILL");
    }

    /**
     * SIGTERM, as systemd would: the launcher's graceful stop; waits until the JVM has exited.
     */
    void stop(String instance)
    {
        launchers.get(instance).stop(STOP_TIMEOUT);
    }

    LauncherProcess launcher(String instance)
    {
        return launchers.get(instance);
    }

    /**
     * @return every log's tail, for failure messages
     */
    String describeLogs()
    {
        StringBuilder logs = new StringBuilder();
        launchers.values().forEach(launcher -> logs.append(launcher.describeLog()).append('\n'));
        if (nginx != null)
            logs.append(nginx.describeLog());
        return logs.toString();
    }

    @Override
    public void close()
    {
        try
        {
            if (nginx != null)
                nginx.close();
        }
        finally
        {
            launchers.values().forEach(LauncherProcess::close);
            sockets.values().forEach(SocketDirectory::delete);
        }
    }
}

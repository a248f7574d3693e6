package io.github.jettyuwsgi.it.restart;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnixDomainSocketAddress;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.SocketChannel;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;

import io.github.jettyuwsgi.it.FreePorts;
import io.github.jettyuwsgi.it.ItSettings;
import io.github.jettyuwsgi.it.LauncherProcess;
import io.github.jettyuwsgi.it.LoadClients;
import io.github.jettyuwsgi.it.ManagedProcess;
import io.github.jettyuwsgi.it.NginxProcess;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * <p>Restarts and upgrades that refuse no connection: a harness ({@link SocketHolder}) holds the launcher's
 * listening socket as systemd's socket unit does and passes it to each launcher it starts on standard input
 * ({@code StandardInput=socket}), with a {@code NOTIFY_SOCKET} for the launcher's {@code READY=1}
 * ({@code Type=notify}), the unit semantics of docs/systemd.md. Under a load through a real nginx, the launcher is
 * stopped (SIGTERM) and started again: requests that arrive in between wait in the socket's backlog, none fails. The
 * negative control restarts a launcher that binds its own socket, and sees requests fail.</p>
 */
class RestartIT
{
    private static final int CLIENTS = 4;
    private static final int RESTARTS = 5;
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(180);
    private static final String ECHO = "/echo";

    private final List<AutoCloseable> closeAfter = new ArrayList<>();
    private ItSettings settings;
    private Path socketDir;

    @BeforeEach
    void setUp() throws IOException
    {
        settings = ItSettings.fromSystemProperties();
        // a short path: a Unix socket path has at most 107 bytes, and the build's work directory may be deep
        socketDir = Files.createTempDirectory("jetty-uwsgi-restart-");
    }

    @AfterEach
    void tearDown() throws Exception
    {
        for (int i = closeAfter.size() - 1; i >= 0; i--)
        {
            closeAfter.get(i).close();
        }
        try (Stream<Path> files = Files.list(socketDir))
        {
            for (Path file : files.toList())
            {
                Files.deleteIfExists(file);
            }
        }
        Files.deleteIfExists(socketDir);
    }

    @Test
    void fiveRestartsUnderLoadThroughNginxFailNoRequest() throws Exception
    {
        Path workDir = settings.workDir().resolve("restart-five");
        restartUnderLoad(workDir, settings.launcherJar(), settings.launcherJar());
    }

    /**
     * An upgrade: the second start runs a launcher from another installation directory, as a new release is
     * installed next to the old one and the unit pointed at it. The build has one launcher, so the other installation
     * is a copy whose jar differs in content (an extra entry), checked by its SHA-256: it proves that the process
     * that serves after the restart is a different program file, not that a different version of the code works.
     */
    @Test
    void anUpgradeToAnotherLauncherJarUnderLoadFailsNoRequest() throws Exception
    {
        Path workDir = settings.workDir().resolve("restart-upgrade");
        Path upgraded = installCopy(settings.launcherJar(), workDir.resolve("release-2"));
        assertNotEquals(sha256(settings.launcherJar()), sha256(upgraded), "the upgrade's jar is another file");
        restartUnderLoad(workDir, settings.launcherJar(), upgraded);
    }

    /**
     * @param first the launcher jar of the first start
     * @param then the launcher jar of every start after it
     */
    private void restartUnderLoad(Path workDir, Path first, Path then) throws Exception
    {
        Path socket = socketDir.resolve("app.sock");
        SocketHolder holder = SocketHolder.start(socket.toString(), workDir);
        closeAfter.add(holder);
        long pid = startAndAwaitReady(holder, first, socket, workDir.resolve("launcher-0.log"));
        NginxProcess nginx = startNginx(workDir, socket);
        Load load = new Load(URI.create("http://" + FreePorts.LOOPBACK + ":" + nginx.port("NGINX_PORT") + ECHO + "/restart"), true);
        Supplier<String> logs = () -> holder.describe() + "\n" + nginx.describeLog();
        load.start();
        long restarting = 0;
        try
        {
            awaitRequests(load, 100, logs);
            for (int restart = 1; restart <= RESTARTS; restart++)
            {
                long begin = System.nanoTime();
                assertEquals(143, holder.stopService(), "the launcher's exit status after SIGTERM\n" + logs.get());
                pid = startAndAwaitReady(holder, then, socket, workDir.resolve("launcher-" + restart + ".log"));
                restarting += System.nanoTime() - begin;
                assertTrue(ProcessHandle.of(pid).flatMap(handle -> handle.info().commandLine()).orElse("").contains(then.toString()),
                    "the launcher runs " + then);
                awaitRequests(load, load.ok() + 50, logs);
            }
        }
        finally
        {
            load.stop(Duration.ofSeconds(60));
        }
        load.assertNoneFailed(logs);
        List<String> notifications = holder.notifications();
        assertEquals(RESTARTS + 1, notifications.stream().filter(line -> line.contains("READY=1")).count(), notifications::toString);
        assertEquals(RESTARTS, notifications.stream().filter(line -> line.contains("STOPPING=1")).count(), notifications::toString);
        System.out.println("RestartIT: " + RESTARTS + " restarts (" + first.getFileName() + " then " + then + ") under " + CLIENTS + " clients through nginx: " +
            load.ok() + " requests, 0 failed; " + Duration.ofNanos(restarting).toMillis() / RESTARTS + " ms from SIGTERM to READY=1 on average");
    }

    /**
     * The negative control: the same restarts with a launcher that binds its own socket, as without a socket unit.
     * Between the old launcher's exit and the new one's bind there is no socket, and nginx's requests fail.
     */
    @Test
    void withoutAnInheritedSocketRestartsFailRequests() throws Exception
    {
        Path workDir = settings.workDir().resolve("restart-control");
        Path socket = socketDir.resolve("app.sock");
        LauncherProcess.Builder builder = LauncherProcess.builder(settings.launcherJar()).uwsgiUnixSocket(socket).mount(ECHO, settings.echoWar())
            .option("--threads", "16").startTimeout(READY_TIMEOUT);
        LauncherProcess[] launcher = {builder.logFile(workDir.resolve("launcher-0.log")).start()};
        closeAfter.add(() -> launcher[0].close());
        NginxProcess nginx = startNginx(workDir, socket);
        Load load = new Load(URI.create("http://" + FreePorts.LOOPBACK + ":" + nginx.port("NGINX_PORT") + ECHO + "/restart"), true);
        Supplier<String> logs = () -> launcher[0].describeLog() + "\n" + nginx.describeLog();
        load.start();
        try
        {
            awaitRequests(load, 100, logs);
            for (int restart = 1; restart <= 2; restart++)
            {
                launcher[0].stop(Duration.ofSeconds(30));
                launcher[0] = builder.logFile(workDir.resolve("launcher-" + restart + ".log")).start();
                awaitRequests(load, load.ok() + 50, logs);
            }
        }
        finally
        {
            load.stop(Duration.ofSeconds(60));
        }
        assertTrue(load.failedCount() > 0, "restarts without an inherited socket failed no request: the test above could not fail\n" + logs.get());
        System.out.println("RestartIT: the control, 2 restarts of a launcher that binds its own socket: " + load.failedCount() + " of " +
            (load.ok() + load.failedCount()) + " requests failed");
    }

    /**
     * The plain-HTTP socket on TCP, inherited the same way ({@code ListenStream=127.0.0.1:PORT}): clients that talk
     * to the launcher directly see no refused connection either.
     */
    @Test
    void anInheritedHttpSocketOnTcpRestartsWithoutARefusedConnection() throws Exception
    {
        Path workDir = settings.workDir().resolve("restart-http-tcp");
        int port = FreePorts.allocate(1)[0];
        String address = FreePorts.LOOPBACK + ":" + port;
        SocketHolder holder = SocketHolder.start(address, workDir);
        closeAfter.add(holder);
        List<String> options = List.of("--http-socket", address);
        startAndAwaitReady(holder, settings.launcherJar(), options, workDir.resolve("launcher-0.log"));
        // GET: a client may send on a kept-alive connection just as the stopping launcher closes it, which HTTP lets a
        // client retry only for an idempotent request (the JDK's client does); uwsgi has no kept-alive connections
        Load load = new Load(URI.create("http://" + address + ECHO + "/restart"), false);
        load.start();
        try
        {
            awaitRequests(load, 100, holder::describe);
            for (int restart = 1; restart <= 2; restart++)
            {
                assertEquals(143, holder.stopService(), holder::describe);
                startAndAwaitReady(holder, settings.launcherJar(), options, workDir.resolve("launcher-" + restart + ".log"));
                awaitRequests(load, load.ok() + 50, holder::describe);
            }
        }
        finally
        {
            load.stop(Duration.ofSeconds(60));
        }
        load.assertNoneFailed(holder::describe);
    }

    /**
     * systemd's own LISTEN_FDS protocol, played by {@code systemd-socket-activate}, which starts the service at the
     * first connection: the socket comes as fd 3, which a JVM cannot take. The launcher refuses to start with the way out; with the documented {@code <&3} wrapper it
     * serves on the socket systemd bound.
     */
    @Test
    void listenFdsIsRefusedWithTheWayOutAndServesWithTheWrapper() throws Exception
    {
        Path workDir = settings.workDir().resolve("restart-listen-fds");
        Path socket = socketDir.resolve("activated.sock");
        List<String> launcher = new ArrayList<>(launcherCommand(settings.launcherJar(), List.of("--socket", socket.toString())));

        List<String> bare = new ArrayList<>(List.of(socketActivate(), "--listen=" + socket));
        bare.addAll(launcher);
        ManagedProcess refused = new ManagedProcess("systemd-socket-activate", bare, workDir, workDir.resolve("refused.log"));
        closeAfter.add(refused);
        // systemd-socket-activate starts the service at the first connection, as systemd does
        activate(socket, refused);
        assertTrue(refused.waitFor(Duration.ofSeconds(120)), refused::describeLog);
        assertTrue(refused.logContains("LISTEN_FDS: 1 socket passed as fd 3, which a JVM cannot take"), refused::describeLog);
        Files.deleteIfExists(socket);

        List<String> wrapped = new ArrayList<>(List.of(socketActivate(), "--listen=" + socket, "/bin/sh", "-c", "exec \"$0\" \"$@\" <&3"));
        wrapped.addAll(launcher);
        ManagedProcess activated = new ManagedProcess("systemd-socket-activate", wrapped, workDir, workDir.resolve("activated.log"));
        closeAfter.add(activated);
        activate(socket, activated);
        NginxProcess nginx = startNginx(workDir, socket);
        // the first request waits in the socket's backlog while the launcher starts
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
            URI.create("http://" + FreePorts.LOOPBACK + ":" + nginx.port("NGINX_PORT") + ECHO + "/activated")).timeout(READY_TIMEOUT).build(),
            HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body() + "\n" + activated.describeLog());
        assertTrue(activated.logContains("taking the listening socket inherited on fd 0"), activated::describeLog);
        activated.stop(Duration.ofSeconds(30));
        assertTrue(Files.exists(socket), "the socket file systemd bound outlives the launcher");
    }

    /**
     * Waits until systemd-socket-activate listens, then connects once and leaves: the connection starts the service.
     */
    private static void activate(Path socket, ManagedProcess activator) throws IOException
    {
        activator.awaitReady("listening on " + socket, () -> Files.exists(socket), Duration.ofSeconds(30));
        SocketChannel.open(UnixDomainSocketAddress.of(socket)).close();
    }

    private static String socketActivate()
    {
        Path program = Path.of("/usr/bin/systemd-socket-activate");
        if (!Files.isExecutable(program))
            throw new IllegalStateException("systemd-socket-activate not found: " + program + " (expected: installed by scripts/install-system-deps.sh, package systemd)");
        return program.toString();
    }

    private long startAndAwaitReady(SocketHolder holder, Path jar, Path socket, Path log)
    {
        return startAndAwaitReady(holder, jar, List.of("--socket", socket.toString()), log);
    }

    private long startAndAwaitReady(SocketHolder holder, Path jar, List<String> sockets, Path log)
    {
        long pid = holder.startService(launcherCommand(jar, sockets), log);
        holder.awaitNotification(pid, "READY=1", READY_TIMEOUT);
        return pid;
    }

    private List<String> launcherCommand(Path jar, List<String> sockets)
    {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx" + LauncherProcess.MAX_HEAP,
            "-XX:+ExitOnOutOfMemoryError", "-jar", jar.toString()));
        command.addAll(sockets);
        command.addAll(List.of("--mount", ECHO + "=" + settings.echoWar(), "--threads", "16"));
        return command;
    }

    private NginxProcess startNginx(Path workDir, Path socket)
    {
        NginxProcess nginx = NginxProcess.builder(workDir.resolve("nginx"))
            .template("/nginx/restart.conf.template")
            .include("uwsgi_params", "/nginx/uwsgi_params")
            .set("SOCKET", socket)
            .listen("NGINX_PORT", FreePorts.allocate(1)[0])
            .start();
        closeAfter.add(nginx);
        return nginx;
    }

    private static void awaitRequests(Load load, long count, Supplier<String> logs) throws InterruptedException
    {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (load.ok() < count)
        {
            if (System.nanoTime() - deadline > 0)
                throw new IllegalStateException("only " + load.ok() + " requests answered of " + count + " awaited\n" + logs.get());
            Thread.sleep(50);
        }
    }

    /**
     * Copies the launcher's installation directory (the jar and its lib/) and adds an entry to the copy's jar.
     *
     * @return the copy's launcher jar
     */
    private static Path installCopy(Path jar, Path directory) throws IOException
    {
        Path source = jar.getParent();
        try (Stream<Path> files = Files.walk(source))
        {
            for (Path file : files.toList())
            {
                Path target = directory.resolve(source.relativize(file).toString());
                if (Files.isDirectory(file))
                    Files.createDirectories(target);
                else
                    Files.copy(file, target, StandardCopyOption.REPLACE_EXISTING);
            }
        }
        Path copy = directory.resolve(jar.getFileName().toString());
        try (FileSystem zip = FileSystems.newFileSystem(copy, Map.of()))
        {
            Files.writeString(zip.getPath("META-INF", "jetty-uwsgi-release.txt"), "release-2 (RestartIT's upgrade)\n");
        }
        return copy;
    }

    private static String sha256(Path file) throws IOException, NoSuchAlgorithmException
    {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }

    /**
     * Clients that each POST one request after another to the echo WAR and check the answer: 200, their own token
     * echoed, no stack trace.
     */
    private static final class Load extends LoadClients
    {
        private final URI uri;
        private final boolean post;
        private final List<HttpClient> clients = Stream.generate(() -> HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build()).limit(CLIENTS).toList();
        /** Per client, each element used by its own thread only. */
        private final long[] sent = new long[CLIENTS];

        /**
         * @param post POST with a body, or GET
         */
        Load(URI uri, boolean post)
        {
            super("restart-load", CLIENTS);
            this.uri = uri;
            this.post = post;
        }

        @Override
        protected void sendOne(int client) throws InterruptedException
        {
            String token = "c" + client + "n" + sent[client]++;
            URI request;
            try
            {
                request = new URI(uri + "?token=" + token);
            }
            catch (URISyntaxException x)
            {
                throw new IllegalStateException(x);
            }
            try
            {
                HttpRequest.Builder builder = HttpRequest.newBuilder(request).timeout(Duration.ofSeconds(120));
                builder = post ? builder.POST(HttpRequest.BodyPublishers.ofString("body of " + token)) : builder.GET();
                HttpResponse<String> response = clients.get(client).send(builder.build(), HttpResponse.BodyHandlers.ofString());
                String body = response.body();
                if (response.statusCode() == 200 && body.contains(token) && !body.contains("at java.") && !body.contains("at org."))
                    succeeded();
                else
                    failed(request + " -> " + response.statusCode() + " " + body.lines().findFirst().orElse(""));
            }
            catch (IOException x)
            {
                failed(request + " -> " + x);
            }
        }
    }
}

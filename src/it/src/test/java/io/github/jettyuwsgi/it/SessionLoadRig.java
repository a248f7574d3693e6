package io.github.jettyuwsgi.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.github.jettyuwsgi.it.postgres.PostgresCluster;

/**
 * <p>The servers of {@code src/it/load/run-session-load.sh}: one PostgreSQL ({@link PostgresCluster}) and two launchers
 * serving the session-counter WAR at {@value Fleet#COUNTER} on an HTTP socket each, one with its sessions in memory
 * and one with {@code --session-store jdbc:...}, so that the script measures both in the same run. It writes
 * {@code MEMORY=port} and {@code JDBC=port} to the ports file once both are ready and stops everything on SIGTERM, or
 * after MAX_SECONDS.</p>
 */
public final class SessionLoadRig
{
    private SessionLoadRig()
    {
    }

    public static void main(String[] args) throws IOException, InterruptedException
    {
        if (args.length != 2)
        {
            System.err.println("usage: SessionLoadRig PORTS_FILE MAX_SECONDS");
            System.exit(2);
        }
        Path portsFile = Path.of(args[0]);
        Duration maxLifetime = Duration.ofSeconds(Long.parseLong(args[1]));
        Files.deleteIfExists(portsFile);
        ItSettings settings = ItSettings.fromSystemProperties();
        Path war = Path.of(System.getProperty("it.session-counter.war"));
        Path driver = Path.of(System.getProperty("it.postgresql.jar"));
        Path workDir = settings.workDir().resolve("session-load");

        int[] ports = FreePorts.allocate(3);
        PostgresCluster postgres = PostgresCluster.start(ports[0]);
        LauncherProcess memory = launcher(settings, war, ports[1], workDir.resolve("memory.log"), List.of());
        LauncherProcess jdbc = launcher(settings, war, ports[2], workDir.resolve("jdbc.log"),
            List.of("--session-store", postgres.jdbcUrl(), "--session-driver-classpath", driver.toString()));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() ->
        {
            memory.close();
            jdbc.close();
            postgres.close();
            stopped.countDown();
        }, "session-load-rig-stop"));

        List<String> lines = List.of("MEMORY=" + ports[1], "JDBC=" + ports[2]);
        Path partial = portsFile.resolveSibling(portsFile.getFileName() + ".tmp");
        Files.write(partial, lines);
        Files.move(partial, portsFile, StandardCopyOption.ATOMIC_MOVE);
        System.out.println(String.join("\n", lines));
        System.out.println("SessionLoadRig: running for at most " + maxLifetime.toSeconds() + " s; logs in " + workDir);
        if (!stopped.await(maxLifetime.toSeconds(), TimeUnit.SECONDS))
        {
            System.out.println("SessionLoadRig: time is up, stopping");
            System.exit(0);
        }
    }

    private static LauncherProcess launcher(ItSettings settings, Path war, int port, Path log, List<String> options)
    {
        LauncherProcess.Builder builder = LauncherProcess.builder(settings.launcherJar())
            .httpSocket(port)
            .mount(Fleet.COUNTER, war)
            .logFile(log)
            .startTimeout(Duration.ofSeconds(180));
        for (int i = 0; i < options.size(); i += 2)
        {
            builder.option(options.get(i), options.get(i + 1));
        }
        return builder.start();
    }
}

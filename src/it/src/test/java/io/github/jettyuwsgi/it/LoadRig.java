package io.github.jettyuwsgi.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * <p>The servers of the load test: starts the same launcher and nginx as the end-to-end tests
 * ({@link NginxLauncherRig}, one nginx template for both), prints the port of each route and keeps them running
 * until it is terminated or its time runs out. src/it/load/run-load.sh runs it and points wrk at the ports.</p>
 * <p>Usage: {@code java -Dit.launcher.jar=... -Dit.echo.war=... -Dit.streaming.war=... -Dit.work.dir=...
 * -cp src/it/target/test-classes io.github.jettyuwsgi.it.LoadRig PORTS_FILE MAX_SECONDS}. The ports file gets
 * one {@code ROUTE=port} line per route once everything accepts connections.</p>
 */
public final class LoadRig
{
    private LoadRig()
    {
    }

    public static void main(String[] args) throws IOException, InterruptedException
    {
        if (args.length != 2)
        {
            System.err.println("usage: LoadRig PORTS_FILE MAX_SECONDS");
            System.exit(2);
        }
        Path portsFile = Path.of(args[0]);
        Duration maxLifetime = Duration.ofSeconds(Long.parseLong(args[1]));
        Files.deleteIfExists(portsFile);

        NginxLauncherRig rig = NginxLauncherRig.start(ItSettings.fromSystemProperties(), "load");
        CountDownLatch stopped = new CountDownLatch(1);
        // run-load.sh stops the rig with SIGTERM; the hook stops nginx and the launcher before the JVM exits.
        Runtime.getRuntime().addShutdownHook(new Thread(() ->
        {
            rig.close();
            stopped.countDown();
        }, "load-rig-stop"));

        List<String> lines = new ArrayList<>();
        for (NginxLauncherRig.Route route : NginxLauncherRig.Route.values())
        {
            lines.add(route.name() + "=" + rig.port(route));
        }
        lines.add("LAUNCHER_PID=" + rig.launcher().pid());
        lines.add("NGINX_PID=" + rig.nginx().pid());
        Path partial = portsFile.resolveSibling(portsFile.getFileName() + ".tmp");
        Files.write(partial, lines);
        // The script polls for the file; a rename makes it appear complete.
        Files.move(partial, portsFile, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        System.out.println(String.join("\n", lines));
        System.out.println("LoadRig: running for at most " + maxLifetime.toSeconds() + " s; logs in " + rig.launcher().logFile().getParent());

        // Bounded even when the script that started it is killed without cleaning up.
        if (!stopped.await(maxLifetime.toSeconds(), TimeUnit.SECONDS))
        {
            System.out.println("LoadRig: time is up, stopping");
            System.exit(0);
        }
    }
}

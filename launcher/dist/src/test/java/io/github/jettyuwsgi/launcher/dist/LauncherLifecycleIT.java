package io.github.jettyuwsgi.launcher.dist;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The process lifecycle an operator or systemd drives: a pidfile, {@code --stop} and SIGINT as graceful stops, and
 * a start after {@code kill -9} that is not blocked by the pidfile and Unix socket the killed process left.
 */
class LauncherLifecycleIT
{
    @TempDir
    Path work;

    private String[] args(Path pidFile, Path socket, String... more)
    {
        List<String> all = new ArrayList<>(List.of("--socket", socket.toString(), "--http-socket", "127.0.0.1:0",
            "--pidfile", pidFile.toString(), "--mount", "/legacy=" + LauncherRun.war(FeaturesWarChecks.LEGACY_WAR)));
        all.addAll(List.of(more));
        return all.toArray(String[]::new);
    }

    @Test
    void testStopByPidfileWithVacuum() throws Exception
    {
        Path pidFile = work.resolve("app.pid");
        Path socket = work.resolve("app.sock");
        try (LauncherRun launcher = LauncherRun.start(work, args(pidFile, socket, "--vacuum")))
        {
            assertEquals(launcher.pid() + "\n", Files.readString(pidFile));
            assertTrue(Files.exists(socket));

            LauncherRun.Finished stop = LauncherRun.runToEnd(work, "--stop", pidFile.toString());

            assertEquals(0, stop.status(), stop::err);
            assertFalse(launcher.isAlive(), "--stop waits until the instance has exited");
            assertEquals(143, launcher.waitForExit());
            assertFalse(Files.exists(pidFile), "vacuum removes the pidfile");
            assertFalse(Files.exists(socket), "the Unix socket file is removed");
        }
        LauncherRun.Finished again = LauncherRun.runToEnd(work, "--stop", pidFile.toString());
        assertEquals(1, again.status());
        assertEquals("jetty-uwsgi: --stop: " + pidFile + " has no pid (expected: a pidfile written by a running instance)\n", again.err());
    }

    @Test
    void testSigintStopsGracefully() throws Exception
    {
        Path pidFile = work.resolve("int.pid");
        try (LauncherRun launcher = LauncherRun.start(work, args(pidFile, work.resolve("int.sock"))))
        {
            launcher.signal("INT");

            assertEquals(130, launcher.waitForExit());
            assertTrue(launcher.log().contains("Stopped oejs.Server@") || launcher.log().contains("Stopped org.eclipse.jetty.server.Server@"), launcher::describe);
            assertTrue(Files.exists(pidFile), "without vacuum the pidfile stays, as in uWSGI");
        }
    }

    @Test
    void testKill9LeavesNothingThatBlocksTheNextStart() throws Exception
    {
        Path pidFile = work.resolve("k.pid");
        Path socket = work.resolve("k.sock");
        long killed;
        try (LauncherRun launcher = LauncherRun.start(work, args(pidFile, socket, "--vacuum")))
        {
            killed = launcher.pid();
            launcher.signal("KILL");
            assertEquals(137, launcher.waitForExit());
        }
        assertEquals(killed + "\n", Files.readString(pidFile), "kill -9 leaves the pidfile");
        assertTrue(Files.exists(socket), "kill -9 leaves the socket file");

        try (LauncherRun launcher = LauncherRun.start(work, args(pidFile, socket, "--vacuum")))
        {
            assertEquals(launcher.pid() + "\n", Files.readString(pidFile));
            assertTrue(launcher.log().contains("uwsgi socket bound: " + socket), launcher::describe);
            assertEquals(143, launcher.stop());
        }
        assertFalse(Files.exists(pidFile));
        assertFalse(Files.exists(socket));
    }

    @Test
    void testReloadByPidfileRedeploysAndKeepsTheSocket() throws Exception
    {
        Path pidFile = work.resolve("r.pid");
        try (LauncherRun launcher = LauncherRun.start(work, args(pidFile, work.resolve("r.sock"))))
        {
            int port = launcher.boundPort("http");

            LauncherRun.Finished reload = LauncherRun.runToEnd(work, "--reload", pidFile.toString());

            assertEquals(0, reload.status(), reload::err);
            launcher.awaitLog("graceful reload (SIGHUP) done");
            assertTrue(launcher.isAlive(), "SIGHUP no longer stops the JVM");
            assertEquals(port, launcher.boundPort("http"), "no socket was bound again");
            assertEquals(2, launcher.count("Deployed jetty-uwsgi-legacy-war"), launcher::describe);
            assertEquals(143, launcher.stop());
        }
    }

    @Test
    void testMasterFifoCommands() throws Exception
    {
        Path fifo = work.resolve("m.fifo");
        Path socket = work.resolve("m.sock");
        try (LauncherRun launcher = LauncherRun.start(work, args(work.resolve("m.pid"), socket, "--master-fifo", fifo.toString())))
        {
            // the fifo is made once the server has started: writing earlier would create a plain file
            launcher.awaitLog("master-fifo " + fifo + ": r reload");
            Files.writeString(fifo, "r\n");
            launcher.awaitLog("graceful reload (master-fifo r) done");
            Files.writeString(fifo, "l");
            launcher.awaitLog("master-fifo l: the log goes to standard error");

            Files.writeString(fifo, "q");

            assertEquals(0, launcher.waitForExit(), launcher::describe);
            assertTrue(launcher.log().contains("master-fifo: graceful stop"), launcher::describe);
            assertFalse(Files.exists(fifo), "the fifo is removed at stop");
            assertFalse(Files.exists(socket));
        }
    }

    @Test
    void testMasterFifoImmediateStop() throws Exception
    {
        Path fifo = work.resolve("q.fifo");
        try (LauncherRun launcher = LauncherRun.start(work, args(work.resolve("q.pid"), work.resolve("q.sock"), "--master-fifo", fifo.toString())))
        {
            launcher.awaitLog("master-fifo " + fifo + ": r reload");
            Files.writeString(fifo, "Q\n");

            assertEquals(0, launcher.waitForExit(), launcher::describe);
            assertTrue(launcher.log().contains("master-fifo: immediate stop"), launcher::describe);
            assertFalse(Files.exists(fifo));
        }
    }
}

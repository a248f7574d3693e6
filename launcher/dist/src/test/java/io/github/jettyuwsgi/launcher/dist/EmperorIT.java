package io.github.jettyuwsgi.launcher.dist;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.MatchResult;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The emperor ({@code --emperor DIR}) of the real launcher jar, each vassal a launcher JVM of its own serving the
 * legacy WAR on a Unix socket named by uWSGI's magic variables: a file added, changed, its vassal killed, removed;
 * the skeleton-plus-symlinks pattern; and the emperor stopped by SIGTERM or killed.
 */
class EmperorIT
{
    @TempDir
    Path work;

    /**
     * @return a vassal file: its socket in {@code run/} next to the vassals directory ({@code %v}), named after the
     * file ({@code %n}), the legacy WAR at {@code contextPath}, and an {@code env} line, which a vassal's JVM must be
     * able to apply
     */
    private static String vassal(String contextPath)
    {
        return "[uwsgi]\n" +
            "socket = %v/../run/%n.sock\n" +
            "env = VASSAL_NAME=%n\n" +
            "mount = " + contextPath + "=" + LauncherRun.war(FeaturesWarChecks.LEGACY_WAR).toAbsolutePath() + "\n";
    }

    /**
     * Starts an emperor of {@code vassals/}, scanning every second, and waits until it watches the directory.
     *
     * @param more the command line after {@code --emperor vassals}
     */
    private LauncherRun startEmperor(String... more)
    {
        List<String> command = new ArrayList<>(List.of("--emperor", "vassals", "--emperor-freq", "1"));
        command.addAll(List.of(more));
        // the vassals get the emperor's JVM options, among them LauncherRun's that start a JVM soonest
        return LauncherRun.launch().readyWhen(Pattern.compile(Pattern.quote("[emperor] watching "))).start(work, command.toArray(String[]::new));
    }

    /**
     * Waits for the {@code start}th "started" line of a vassal.
     *
     * @return the pid it names
     */
    private static long awaitStarted(LauncherRun emperor, String vassal, int start)
    {
        List<MatchResult> started = emperor.awaitMatches(Pattern.compile(Pattern.quote("[emperor] vassal " + vassal + " started (pid ") + "(\\d+)\\)"), start);
        return Long.parseLong(started.get(start - 1).group(1));
    }

    private static int get(Path socket, String uri) throws IOException
    {
        return UwsgiPacket.get(uri).sendTo(socket).getStatus();
    }

    private static void awaitServing(Path socket, String uri) throws InterruptedException
    {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (true)
        {
            try
            {
                if (get(socket, uri) == 200)
                    return;
            }
            catch (IOException x)
            {
                // not bound yet, or bound by a vassal still deploying
            }
            if (System.nanoTime() > deadline)
                fail(socket + " does not serve " + uri + " within 90 s");
            Thread.sleep(100);
        }
    }

    private static boolean isAlive(long pid)
    {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    private static void awaitDead(long pid) throws InterruptedException
    {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (isAlive(pid))
        {
            if (System.nanoTime() > deadline)
                fail("process " + pid + " still alive after 30 s");
            Thread.sleep(50);
        }
    }

    private static void touch(Path file) throws IOException
    {
        // a modification time the scanner cannot have seen, whatever the file system's time resolution
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(5)));
    }

    @Test
    void testAddTouchKillRemove() throws Exception
    {
        Path vassals = Files.createDirectories(work.resolve("vassals"));
        Path socket = Files.createDirectories(work.resolve("run")).resolve("app.sock");
        try (LauncherRun emperor = startEmperor())
        {
            Path file = Files.writeString(vassals.resolve("app.ini"), vassal("/one"));
            long pid = awaitStarted(emperor, "app.ini", 1);
            awaitServing(socket, "/one/hello");

            Files.writeString(file, vassal("/two"));
            touch(file);
            emperor.awaitLog("[emperor] vassal app.ini changed: graceful reload (SIGHUP to pid " + pid + ")");
            emperor.awaitLog("graceful reload (SIGHUP) done");
            assertEquals(200, get(socket, "/two/hello"), emperor::describe);
            assertEquals(404, get(socket, "/one/hello"), emperor::describe);
            assertEquals(1, emperor.count("[emperor] vassal app.ini started"), "a reload is not a restart");
            assertTrue(isAlive(pid));

            assertTrue(ProcessHandle.of(pid).orElseThrow().destroyForcibly());
            emperor.awaitLog("[emperor] vassal app.ini died (status 137), respawn in 1000 ms");
            long respawned = awaitStarted(emperor, "app.ini", 2);
            assertNotEquals(pid, respawned);
            awaitServing(socket, "/two/hello");

            Files.delete(file);
            emperor.awaitLog("[emperor] vassal app.ini: file removed, graceful stop (SIGTERM to pid " + respawned + ")");
            emperor.awaitLog("[emperor] vassal app.ini stopped (status 143)");
            awaitDead(respawned);
            assertFalse(Files.exists(socket), "the vassal's socket file is removed at its stop");

            emperor.signal("TERM");
            assertEquals(143, emperor.waitForExit());
        }
    }

    @Test
    void testSkeletonWithSymlinksAndSigtermStopsEveryVassal() throws Exception
    {
        Path vassals = Files.createDirectories(work.resolve("vassals"));
        Path run = Files.createDirectories(work.resolve("run"));
        Files.writeString(work.resolve("skel.ini"), vassal("/legacy"));
        Files.createSymbolicLink(vassals.resolve("a.ini"), Path.of("..", "skel.ini"));
        Files.createSymbolicLink(vassals.resolve("b.ini"), Path.of("..", "skel.ini"));
        Path pidFile = work.resolve("emperor.pid");
        try (LauncherRun emperor = startEmperor("--pidfile", pidFile.toString(), "--vacuum"))
        {
            long a = awaitStarted(emperor, "a.ini", 1);
            long b = awaitStarted(emperor, "b.ini", 1);
            awaitServing(run.resolve("a.sock"), "/legacy/hello");
            awaitServing(run.resolve("b.sock"), "/legacy/hello");
            assertEquals(emperor.pid() + "\n", Files.readString(pidFile));

            emperor.signal("TERM");

            assertEquals(143, emperor.waitForExit());
            String log = emperor.log();
            assertTrue(log.contains("[emperor] vassal a.ini stopped"), emperor::describe);
            assertTrue(log.contains("[emperor] vassal b.ini stopped"), emperor::describe);
            assertTrue(log.contains("[emperor] every vassal stopped"), emperor::describe);
            assertFalse(isAlive(a));
            assertFalse(isAlive(b));
            assertFalse(Files.exists(run.resolve("a.sock")));
            assertFalse(Files.exists(run.resolve("b.sock")));
            assertFalse(Files.exists(pidFile), "vacuum removes the emperor's pidfile");
        }
    }

    @Test
    void testVassalsStopWhenTheEmperorIsKilled() throws Exception
    {
        Path vassals = Files.createDirectories(work.resolve("vassals"));
        Path socket = Files.createDirectories(work.resolve("run")).resolve("orphan.sock");
        Files.writeString(vassals.resolve("orphan.ini"), vassal("/legacy"));
        try (LauncherRun emperor = startEmperor())
        {
            long pid = awaitStarted(emperor, "orphan.ini", 1);
            awaitServing(socket, "/legacy/hello");

            emperor.signal("KILL");
            assertEquals(137, emperor.waitForExit());

            awaitDead(pid);
            assertTrue(emperor.log().contains("[vassal] lost the emperor (its pipe closed): stopping gracefully"), emperor::describe);
            assertFalse(Files.exists(socket), "the vassal stopped gracefully: its socket file is removed");
        }
    }
}

package io.github.jettyuwsgi.launcher.emperor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import io.github.jettyuwsgi.launcher.testing.CapturedLog;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The emperor with real child processes that cost nothing: each vassal file is a small shell script run by
 * {@code sh NAME}, which writes what happens to it ("start", "hup", "term", with its pid and the name it was given)
 * to {@code events.log} in the vassals directory. The emperor of these tests scans only when told to.
 */
public class EmperorTest
{
    /** A vassal that runs until told to stop, and notes SIGHUP and SIGTERM. */
    private static final String SERVING = """
        echo "start $$ $0" >> events.log
        trap 'echo "hup $$" >> events.log' HUP
        trap 'echo "term $$" >> events.log; exit 0' TERM
        while true; do sleep 0.05; done
        """;

    @TempDir
    Path work;

    private Path vassals;
    private Emperor emperor;

    private Emperor start(long throttle, long maxThrottle, long stopTimeoutMillis) throws Exception
    {
        vassals = Files.createDirectories(work.resolve("vassals"));
        VassalSpawner sh = name -> new ProcessBuilder("sh", name)
            .directory(vassals.toFile())
            .redirectOutput(ProcessBuilder.Redirect.INHERIT)
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
        emperor = new Emperor(vassals, sh, throttle, maxThrottle, 0, stopTimeoutMillis);
        emperor.start();
        return emperor;
    }

    @AfterEach
    public void stopEmperor() throws Exception
    {
        if (emperor != null)
            emperor.stop();
    }

    private List<String> events() throws IOException
    {
        Path log = vassals.resolve("events.log");
        return Files.exists(log) ? Files.readAllLines(log) : List.of();
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException
    {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean())
        {
            if (System.nanoTime() > deadline)
                fail("not within 30 s: " + what);
            Thread.sleep(20);
        }
    }

    private void awaitEvent(String event) throws InterruptedException
    {
        await(event, () ->
        {
            try
            {
                return events().contains(event);
            }
            catch (IOException x)
            {
                return false;
            }
        });
    }

    private void awaitState(String name, Optional<Vassal.State> state) throws InterruptedException
    {
        await(name + " in state " + state, () ->
        {
            try
            {
                return emperor.stateOf(name).equals(state);
            }
            catch (Exception x)
            {
                return false;
            }
        });
    }

    private static void touch(Path file) throws IOException
    {
        // well past the last scan, whatever the file system's time resolution
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(10)));
    }

    @Test
    public void testNewFileStartsTouchedFileReloadsRemovedFileStops() throws Exception
    {
        start(1000, 180_000, 15_000);
        Path vassal = Files.writeString(vassals.resolve("a.ini"), SERVING);

        emperor.scanNow();

        assertEquals(Optional.of(Vassal.State.RUNNING), emperor.stateOf("a.ini"));
        long pid = emperor.pidOf("a.ini");
        awaitEvent("start " + pid + " a.ini");

        touch(vassal);
        emperor.scanNow();
        awaitEvent("hup " + pid);
        assertEquals(pid, emperor.pidOf("a.ini"), "a reload keeps the process");

        Files.delete(vassal);
        emperor.scanNow();
        awaitState("a.ini", Optional.empty());
        assertTrue(events().contains("term " + pid), events()::toString);
        assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
    }

    @Test
    public void testFilesPresentAtStartAreStartedAndOthersIgnored() throws Exception
    {
        Path directory = Files.createDirectories(work.resolve("vassals"));
        Files.writeString(directory.resolve("a.ini"), SERVING);
        Files.writeString(directory.resolve("b.json"), SERVING);
        Files.writeString(directory.resolve("notes.txt"), SERVING);

        start(1000, 180_000, 15_000);

        assertEquals(Optional.of(Vassal.State.RUNNING), emperor.stateOf("a.ini"));
        assertEquals(Optional.of(Vassal.State.RUNNING), emperor.stateOf("b.json"));
        assertEquals(Optional.empty(), emperor.stateOf("notes.txt"));
    }

    @Test
    public void testVassalThatDiesIsRespawned() throws Exception
    {
        start(50, 100, 15_000);
        Files.writeString(vassals.resolve("crash.ini"), "echo \"start $$ $0\" >> events.log\nexit 3\n");

        emperor.scanNow();

        await("three starts", () ->
        {
            try
            {
                return events().stream().filter(line -> line.endsWith(" crash.ini")).count() >= 3;
            }
            catch (IOException x)
            {
                return false;
            }
        });
        Files.delete(vassals.resolve("crash.ini"));
        emperor.scanNow();
        awaitState("crash.ini", Optional.empty());
    }

    @Test
    public void testVassalCrashingInALoopIsThrottledAndTheOthersAreUntouched() throws Exception
    {
        try (CapturedLog log = new CapturedLog(Emperor.class, "INFO"))
        {
            start(100, 300, 15_000);
            Files.writeString(vassals.resolve("steady.ini"), SERVING);
            // a vassal whose start always fails, as one whose configuration cannot start (not a usage error, so retried)
            Files.writeString(vassals.resolve("crash.ini"), "echo \"start $(date +%s%N) $0\" >> events.log\nexit 1\n");

            emperor.scanNow();
            long steady = emperor.pidOf("steady.ini");
            List<String> respawns = log.await("vassal crash.ini died", lines -> lines.size() >= 5);

            // uWSGI's blacklist throttling: +step at each death up to the maximum, then halved, never a tight loop
            assertEquals(List.of(100L, 200L, 300L, 150L, 250L), respawns.stream().limit(5).map(EmperorTest::respawnMillis).toList(), respawns::toString);
            assertFalse(log.lines("maximum throttle level for vassal crash.ini reached").isEmpty(), () -> String.valueOf(log.lines("throttle")));
            List<Long> starts = events().stream().filter(line -> line.endsWith(" crash.ini")).map(line -> Long.parseLong(line.split(" ")[1])).toList();
            for (int i = 1; i < Math.min(5, starts.size()); i++)
            {
                long waitedMillis = TimeUnit.NANOSECONDS.toMillis(starts.get(i) - starts.get(i - 1));
                long throttled = respawnMillis(respawns.get(i - 1));
                assertTrue(waitedMillis >= throttled, "start " + (i + 1) + " came " + waitedMillis + " ms after the previous one (expected: at least " + throttled + " ms)");
            }
            assertEquals(steady, emperor.pidOf("steady.ini"), "the other vassal was never restarted");
            assertEquals(Optional.of(Vassal.State.RUNNING), emperor.stateOf("steady.ini"));
            assertEquals(1, events().stream().filter(line -> line.startsWith("start " + steady + " ")).count(), events()::toString);
        }
    }

    private static long respawnMillis(String line)
    {
        java.util.regex.Matcher matcher = java.util.regex.Pattern.compile("respawn in (\\d+) ms").matcher(line);
        assertTrue(matcher.find(), line);
        return Long.parseLong(matcher.group(1));
    }

    @Test
    public void testUsageErrorWaitsForTheFileToChange() throws Exception
    {
        start(50, 100, 15_000);
        Path vassal = Files.writeString(vassals.resolve("bad.ini"), "echo \"start $$ $0\" >> events.log\nexit 2\n");

        emperor.scanNow();

        awaitState("bad.ini", Optional.of(Vassal.State.BROKEN));
        assertEquals(1, events().size(), events()::toString);
        assertEquals(-1, emperor.pidOf("bad.ini"));

        Files.writeString(vassal, SERVING);
        touch(vassal);
        emperor.scanNow();

        assertEquals(Optional.of(Vassal.State.RUNNING), emperor.stateOf("bad.ini"));
        awaitEvent("start " + emperor.pidOf("bad.ini") + " bad.ini");
    }

    @Test
    public void testSymlinkToASkeletonKeepsTheLinkNameAndFollowsTheSkeletonsChanges() throws Exception
    {
        start(1000, 180_000, 15_000);
        Path skeleton = Files.writeString(work.resolve("skel.sh"), SERVING);
        Files.createSymbolicLink(vassals.resolve("a.ini"), Path.of("..", "skel.sh"));
        Files.createSymbolicLink(vassals.resolve("b.ini"), Path.of("..", "skel.sh"));

        emperor.scanNow();

        long a = emperor.pidOf("a.ini");
        long b = emperor.pidOf("b.ini");
        awaitEvent("start " + a + " a.ini");
        awaitEvent("start " + b + " b.ini");

        touch(skeleton);
        emperor.scanNow();

        awaitEvent("hup " + a);
        awaitEvent("hup " + b);
    }

    @Test
    public void testVassalIgnoringSigtermIsKilledAfterTheStopTimeout() throws Exception
    {
        start(1000, 180_000, 200);
        Path vassal = Files.writeString(vassals.resolve("stubborn.ini"), """
            trap '' TERM
            echo "start $$ $0" >> events.log
            while true; do sleep 0.05; done
            """);
        emperor.scanNow();
        long pid = emperor.pidOf("stubborn.ini");
        awaitEvent("start " + pid + " stubborn.ini");

        Files.delete(vassal);
        emperor.scanNow();

        awaitState("stubborn.ini", Optional.empty());
        assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
    }

    @Test
    public void testStoppingTheEmperorStopsEveryVassal() throws Exception
    {
        start(1000, 180_000, 15_000);
        Files.writeString(vassals.resolve("a.ini"), SERVING);
        Files.writeString(vassals.resolve("b.ini"), SERVING);
        emperor.scanNow();
        long a = emperor.pidOf("a.ini");
        long b = emperor.pidOf("b.ini");
        awaitEvent("start " + a + " a.ini");
        awaitEvent("start " + b + " b.ini");

        emperor.stop();

        assertTrue(events().containsAll(List.of("term " + a, "term " + b)), events()::toString);
        assertFalse(ProcessHandle.of(a).map(ProcessHandle::isAlive).orElse(false));
        assertFalse(ProcessHandle.of(b).map(ProcessHandle::isAlive).orElse(false));
    }

    @Test
    public void testVassalExitingForAReloadBeforeItCouldTakeOneIsStartedAgainAtOnce() throws Exception
    {
        // what VassalMain does with a SIGHUP that comes before the launcher's own reload handler is installed
        start(60_000, 180_000, 15_000);
        Path vassal = Files.writeString(vassals.resolve("young.ini"), """
            trap 'exit 75' HUP
            echo "start $$ $0" >> events.log
            while true; do sleep 0.05; done
            """);
        emperor.scanNow();
        long first = emperor.pidOf("young.ini");
        awaitEvent("start " + first + " young.ini");

        touch(vassal);
        emperor.scanNow();

        // the throttle (60 s) would make a respawn wait: this start is immediate
        await("a second start", () ->
        {
            try
            {
                long pid = emperor.pidOf("young.ini");
                return pid != first && pid != -1 && events().contains("start " + pid + " young.ini");
            }
            catch (Exception x)
            {
                return false;
            }
        });
    }
}

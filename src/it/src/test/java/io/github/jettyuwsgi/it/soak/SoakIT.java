package io.github.jettyuwsgi.it.soak;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.github.jettyuwsgi.it.NginxLauncherRig;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * <p>The soak's CI version (docs/reliability.md, "Soak"): 60 s of {@link MixedLoad} through real nginx on one
 * launcher with {@code -Xmx256m}; afterwards the launcher's open file descriptors and threads return to what they were
 * after a warm-up of the same load, and the load met no unexpected error (every status as expected, no stack trace in
 * a body). The long run with heap, RSS and buffer figures is {@link Soak}.</p>
 */
public class SoakIT
{
    private static final int CLIENTS = 6;
    private static final Duration LOAD = Duration.ofSeconds(60);
    /** Threads the JVM may start or end on its own (compiler threads, a GC worker): not the server's. */
    private static final int THREAD_SLACK = 4;

    @Test
    public void testResourcesReturnToTheBaselineAfterAMinuteOfMixedLoad() throws Exception
    {
        try (NginxLauncherRig rig = Soak.startRig("soak-ci"))
        {
            long pid = rig.launcher().pid();
            // the baseline: after the same load has grown the pools to their working size, once it has ended
            try (MixedLoad warmUp = new MixedLoad(rig).start(CLIENTS))
            {
                Thread.sleep(10_000);
            }
            ProcessSample baseline = settle(pid, null);

            MixedLoad load = new MixedLoad(rig).start(CLIENTS);
            Thread.sleep(LOAD.toMillis());
            load.close();
            rig.assertAlive();
            ProcessSample after = settle(pid, baseline);

            assertEquals(0, load.errors(), () -> "unexpected errors: " + load.firstErrors() + "\n" + rig.describeLogs());
            assertTrue(load.total() > 100, "requests done: " + load.done());
            assertTrue(after.fds() <= baseline.fds(), "open fds " + after.fds() + " (expected: back to the baseline " + baseline.fds() + ")");
            assertTrue(after.threads() <= baseline.threads() + THREAD_SLACK, "threads " + after.threads() + " (expected: back to the baseline " + baseline.threads() + ")");
            System.out.printf("SoakIT: %d requests %s; baseline %s, after %s%n", load.total(), load.done(), baseline, after);
        }
    }

    /**
     * Waits, 30 s at most, until the connections of the load are closed (nginx's and the launcher's) and the fd count
     * stops falling, or reaches {@code target}.
     *
     * @return the last sample
     */
    private static ProcessSample settle(long pid, ProcessSample target) throws Exception
    {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        ProcessSample previous = ProcessSample.light(pid);
        while (System.nanoTime() < deadline)
        {
            Thread.sleep(2_000);
            ProcessSample sample = ProcessSample.light(pid);
            if (target != null ? sample.fds() <= target.fds() && sample.threads() <= target.threads() + THREAD_SLACK
                : sample.fds() >= previous.fds())
                return sample;
            previous = sample;
        }
        return previous;
    }
}

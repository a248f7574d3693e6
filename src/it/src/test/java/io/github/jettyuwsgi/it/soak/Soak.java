package io.github.jettyuwsgi.it.soak;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToLongFunction;

import io.github.jettyuwsgi.it.ItSettings;
import io.github.jettyuwsgi.it.NginxLauncherRig;

/**
 * <p>The long soak (src/it/load/soak.sh runs it; docs/reliability.md, "Soak"): one launcher with {@code -Xmx256m}
 * behind real nginx ({@link NginxLauncherRig}), {@link MixedLoad} for the given duration, a {@link ProcessSample}
 * every 10 s, then a table of every sample and the averages of the first and the last window (10 minutes, or a third
 * of a shorter run). Exits 1 if the load met an unexpected error.</p>
 * <p>Usage: {@code java -Dit.launcher.jar=... -Dit.echo.war=... -Dit.streaming.war=... -Dit.work.dir=...
 * -cp src/it/target/test-classes:... io.github.jettyuwsgi.it.soak.Soak SECONDS CLIENTS}</p>
 */
public final class Soak
{
    private static final Duration SAMPLE_EVERY = Duration.ofSeconds(10);
    private static final Duration WINDOW = Duration.ofMinutes(10);

    private Soak()
    {
    }

    /**
     * @return the rig of a soak: the options that make the launcher's direct buffers visible to {@link ProcessSample}
     */
    static NginxLauncherRig startRig(String name)
    {
        return NginxLauncherRig.start(ItSettings.fromSystemProperties(), name, launcher -> launcher.jvmOption("-XX:NativeMemoryTracking=summary"));
    }

    public static void main(String[] args) throws Exception
    {
        if (args.length != 2)
        {
            System.err.println("usage: Soak SECONDS CLIENTS");
            System.exit(2);
        }
        Duration duration = Duration.ofSeconds(Long.parseLong(args[0]));
        int clients = Integer.parseInt(args[1]);
        PrintStream out = System.out;
        List<ProcessSample> samples = new ArrayList<>();
        MixedLoad load;
        try (NginxLauncherRig rig = startRig("soak"))
        {
            long pid = rig.launcher().pid();
            out.printf("soak: launcher pid %d (-Xmx256m), nginx pid %d, %d clients for %d s, logs in %s%n",
                pid, rig.nginx().pid(), clients, duration.toSeconds(), rig.launcher().logFile().getParent());
            out.printf("%8s %12s %10s %6s %8s %10s %10s %8s%n", "second", "heap-gc KB", "rss KB", "fds", "threads", "direct KB", "requests", "errors");
            load = new MixedLoad(rig).start(clients);
            long start = System.nanoTime();
            try
            {
                for (long next = SAMPLE_EVERY.toNanos(); next <= duration.toNanos(); next += SAMPLE_EVERY.toNanos())
                {
                    long sleep = next - (System.nanoTime() - start);
                    if (sleep > 0)
                        Thread.sleep(sleep / 1_000_000);
                    rig.assertAlive();
                    ProcessSample sample = ProcessSample.of(pid);
                    samples.add(sample);
                    out.printf("%8d %12d %10d %6d %8d %10d %10d %8d%n", (System.nanoTime() - start) / 1_000_000_000, sample.heapAfterGcKb(), sample.rssKb(),
                        sample.fds(), sample.threads(), sample.directKb(), load.total(), load.errors());
                }
            }
            finally
            {
                load.close();
            }
        }
        int window = (int)Math.max(1, Math.min(WINDOW.dividedBy(SAMPLE_EVERY), samples.size() / 3));
        out.printf("%nsoak: %d requests %s%n", load.total(), load.done());
        out.printf("soak: unexpected errors %d%s%n", load.errors(), load.errors() == 0 ? "" : ": " + load.firstErrors());
        // a sample takes a few seconds on a busy machine (jcmd attaches from a JVM of its own): the interval can exceed 10 s
        out.printf("soak: averages of the first and the last %d of %d samples%n", window, samples.size());
        out.printf("%-22s %12s %12s %8s%n", "", "first", "last", "last/first");
        row(out, "heap after GC, KB", samples, window, ProcessSample::heapAfterGcKb);
        row(out, "RSS, KB", samples, window, ProcessSample::rssKb);
        row(out, "open fds", samples, window, ProcessSample::fds);
        row(out, "threads", samples, window, ProcessSample::threads);
        row(out, "direct buffers, KB", samples, window, ProcessSample::directKb);
        System.exit(load.errors() == 0 ? 0 : 1);
    }

    private static void row(PrintStream out, String name, List<ProcessSample> samples, int window, ToLongFunction<ProcessSample> value)
    {
        double first = samples.stream().limit(window).mapToLong(value).average().orElse(Double.NaN);
        double last = samples.stream().skip(Math.max(0, samples.size() - window)).mapToLong(value).average().orElse(Double.NaN);
        out.printf("%-22s %12.0f %12.0f %8.2f%n", name, first, last, last / first);
    }
}

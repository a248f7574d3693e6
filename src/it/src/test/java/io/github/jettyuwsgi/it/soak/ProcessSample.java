package io.github.jettyuwsgi.it.soak;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * <p>One sample of a launcher's resources, as the soak takes it every 10 s: the heap in use right after a full GC
 * ({@code jcmd PID GC.run}, then {@code GC.heap_info}), the resident set ({@code VmRSS}), open file descriptors and
 * threads ({@code /proc/PID}), and the JVM's direct buffer memory, where Jetty's buffer pool keeps its direct buffers
 * (Native Memory Tracking's {@code Other} category, committed; the launcher runs with
 * {@code -XX:NativeMemoryTracking=summary}; -1 without it).</p>
 *
 * @param heapAfterGcKb heap used after a full GC, KB
 * @param rssKb resident set, KB
 * @param fds open file descriptors
 * @param threads the process's threads
 * @param directKb native memory of category Other (direct byte buffers), committed, KB
 */
public record ProcessSample(long heapAfterGcKb, long rssKb, long fds, long threads, long directKb)
{
    private static final Pattern HEAP_USED = Pattern.compile("total \\d+K, used (\\d+)K");
    private static final Pattern OTHER = Pattern.compile("-\\s+Other \\(reserved=\\d+KB, committed=(\\d+)KB\\)");

    /**
     * @param pid the launcher's process
     */
    public static ProcessSample of(long pid) throws IOException, InterruptedException
    {
        // one jcmd for the three commands, in this order: each jcmd is a JVM of its own that attaches, seconds on a busy machine
        String output = jcmd(pid, "GC.run", "GC.heap_info", "VM.native_memory summary");
        Matcher heap = HEAP_USED.matcher(output);
        long heapKb = heap.find() ? Long.parseLong(heap.group(1)) : -1;
        Matcher other = OTHER.matcher(output);
        long directKb = other.find() ? Long.parseLong(other.group(1)) : -1;
        return new ProcessSample(heapKb, status(pid, "VmRSS"), fds(pid), status(pid, "Threads"), directKb);
    }

    /**
     * @return open file descriptors and threads only, without a GC: what the CI soak compares with its baseline
     */
    public static ProcessSample light(long pid) throws IOException
    {
        return new ProcessSample(-1, status(pid, "VmRSS"), fds(pid), status(pid, "Threads"), -1);
    }

    private static long fds(long pid) throws IOException
    {
        try (Stream<Path> fds = Files.list(Path.of("/proc", Long.toString(pid), "fd")))
        {
            return fds.count();
        }
    }

    private static long status(long pid, String key) throws IOException
    {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status")))
        {
            if (line.startsWith(key + ":"))
                return Long.parseLong(line.substring(key.length() + 1).trim().split("\\s+")[0]);
        }
        throw new IOException("/proc/" + pid + "/status has no " + key);
    }

    private static String jcmd(long pid, String... commands) throws IOException, InterruptedException
    {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        Path file = Files.createTempFile("soak-jcmd-", ".txt");
        Files.write(file, List.of(commands));
        List<String> line = List.of(jcmd.toString(), Long.toString(pid), "-f", file.toString());
        try
        {
            return run(line);
        }
        finally
        {
            Files.delete(file);
        }
    }

    private static String run(List<String> line) throws IOException, InterruptedException
    {
        Process process = new ProcessBuilder(line).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS))
        {
            process.destroyForcibly();
            throw new IOException(line + " did not finish in 60 s");
        }
        return output;
    }
}

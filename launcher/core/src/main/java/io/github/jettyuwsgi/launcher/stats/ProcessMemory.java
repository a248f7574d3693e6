package io.github.jettyuwsgi.launcher.stats;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The JVM's resident and virtual memory, as uWSGI's {@code rss} and {@code vsz} of a worker (in bytes), read from
 * Linux's {@code /proc/self/status} each time the stats document is built. Where that file does not exist both are 0,
 * which is also what uWSGI reports without {@code memory-report}.
 *
 * @param rss resident set size in bytes ({@code VmRSS})
 * @param vsz virtual memory size in bytes ({@code VmSize})
 */
record ProcessMemory(long rss, long vsz)
{
    static final Path STATUS = Path.of("/proc/self/status");

    static ProcessMemory current()
    {
        try
        {
            return parse(Files.readAllLines(STATUS));
        }
        catch (IOException | RuntimeException x)
        {
            return new ProcessMemory(0, 0);
        }
    }

    /**
     * @param status the lines of a {@code /proc/PID/status} file, where sizes read {@code VmRSS:     51200 kB}
     */
    static ProcessMemory parse(List<String> status)
    {
        return new ProcessMemory(kibibytes(status, "VmRSS:") * 1024, kibibytes(status, "VmSize:") * 1024);
    }

    private static long kibibytes(List<String> status, String key)
    {
        for (String line : status)
        {
            if (line.startsWith(key))
            {
                String[] words = line.substring(key.length()).trim().split("\\s+");
                return Long.parseLong(words[0]);
            }
        }
        return 0;
    }
}

package io.github.jettyuwsgi.launcher.stats;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The memory sizes of {@code /proc/self/status}, in bytes as uWSGI reports them.
 */
public class ProcessMemoryTest
{
    @Test
    public void testKibibytesToBytes()
    {
        ProcessMemory memory = ProcessMemory.parse(List.of("Name:\tjava", "VmPeak:\t 9000000 kB", "VmSize:\t 8123456 kB", "VmRSS:\t   51200 kB"));

        assertEquals(51200L * 1024, memory.rss());
        assertEquals(8123456L * 1024, memory.vsz());
    }

    @Test
    public void testMissingLinesAreZero()
    {
        assertEquals(new ProcessMemory(0, 0), ProcessMemory.parse(List.of("Name:\tkthreadd")));
    }
}

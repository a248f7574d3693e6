package io.github.jettyuwsgi.launcher.emperor;

import java.nio.file.Path;
import java.util.List;

import io.github.jettyuwsgi.launcher.options.LauncherOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;

public class EmperorOptionsTest
{
    @TempDir
    Path vassals;

    @Test
    public void testDefaultsAreUwsgis()
    {
        LauncherOptions options = LauncherOptions.parse("--emperor", vassals.toString());

        assertEquals(List.of(), options.validate());
        // uWSGI 2.0.21 core/init.c: emperor_throttle = 1000, emperor_max_throttle = 1000 * 180, emperor_freq = 3
        assertEquals(1000, options.getEmperorThrottle());
        assertEquals(180_000, options.getEmperorMaxThrottle());
        assertEquals(3, options.getEmperorFreq());
    }

    @Test
    public void testKeysAreRead()
    {
        LauncherOptions options = LauncherOptions.parse("--emperor", vassals.toString(), "--emperor-throttle", "500",
            "--emperor-max-throttle", "2000", "--emperor-freq", "1");

        assertEquals(List.of(), options.validate());
        assertEquals(500, options.getEmperorThrottle());
        assertEquals(2000, options.getEmperorMaxThrottle());
        assertEquals(1, options.getEmperorFreq());
    }

    @Test
    public void testAFrequencyOfZeroIsRefused()
    {
        LauncherOptions options = LauncherOptions.parse("--emperor", vassals.toString(), "--emperor-freq", "0");

        assertEquals(List.of("--emperor-freq: '0' (expected: a whole number from 1 to 3600)"), options.validate());
    }
}

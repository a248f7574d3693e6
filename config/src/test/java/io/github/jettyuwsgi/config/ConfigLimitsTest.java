package io.github.jettyuwsgi.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The bounds of {@link ConfigLimits} that uWSGI does not have: a loop that would add billions of options and a file
 * that never ends stop with a {@link ConfigException} naming the source line, in well under a second, at the default
 * limits; a configuration just under a limit loads whole. A file name no file system accepts (a NUL byte) is a
 * configuration error too, not the JDK's {@code InvalidPathException}.
 */
class ConfigLimitsTest
{
    private static final Duration QUICKLY = Duration.ofSeconds(10);

    @TempDir
    Path temp;

    @Test
    void aForTimesLoopInTheBillionsStopsAtTheEntryLimit()
    {
        ConfigFixture fixture = new ConfigFixture(temp).file("loop.ini", ConfigFixture.ini("[uwsgi]", "for-times = 2147483647", "env = N%(_)", "endfor ="));
        ConfigException x = assertTimeoutPreemptively(QUICKLY, () -> assertThrows(ConfigException.class, () -> fixture.load("--ini", "loop.ini")));
        assertTrue(x.getMessage().startsWith("loop.ini:3: more than " + ConfigLimits.DEFAULT_MAX_ENTRIES + " options (expected: at most "), x.getMessage());
    }

    @Test
    void aDeclaredOptionThatExpandsIntoItselfIsAnError()
    {
        // uWSGI itself recurses until its stack overflows; the fuzz run's declared-option-expands-into-itself
        ConfigFixture fixture = new ConfigFixture(temp).file("self.ini", ConfigFixture.ini("[uwsgi]", "declare-option = a=b=$1",
            "declare-option = b=env=A;a=$1", "a = x"));
        ConfigException x = assertTimeoutPreemptively(QUICKLY, () -> assertThrows(ConfigException.class, () -> fixture.load("--ini", "self.ini")));
        assertEquals("self.ini:4: a: declare-option expands into itself: a -> b -> a (expected: options that end in uWSGI's own)", x.getMessage());
    }

    @Test
    void aDeclaredOptionThatDoublesAtEveryLevelStopsAtTheEntryLimit()
    {
        // twenty levels of two: a million options from one line, without a cycle
        ConfigFixture fixture = new ConfigFixture(temp).file("double.ini", ConfigFixture.ini("[uwsgi]",
            IntStream.range(0, 20).mapToObj(n -> n < 19 ? "declare-option = d" + n + "=d" + (n + 1) + "=$1;d" + (n + 1) + "=$1" :
                "declare-option = d19=env=N$1").collect(Collectors.joining("\n")), "d0 = x"));
        ConfigException x = assertTimeoutPreemptively(QUICKLY, () -> assertThrows(ConfigException.class, () -> fixture.load("--ini", "double.ini")));
        assertTrue(x.getMessage().startsWith("double.ini:22: more than " + ConfigLimits.DEFAULT_MAX_ENTRIES + " options (expected: at most "), x.getMessage());
    }

    @Test
    void aLoopUnderTheLimitAddsEveryEntry()
    {
        UwsgiConfig config = new ConfigFixture(temp).file("loop.ini", ConfigFixture.ini("[uwsgi]", "for-times = 50000", "env = N%(_)", "endfor ="))
            .load("--ini", "loop.ini");
        assertEquals(50_000, config.getAll("env").size());
    }

    @Test
    void anAtFileThatNeverEndsStopsAtTheFileLimit()
    {
        ConfigFixture fixture = new ConfigFixture(temp).file("zero.ini", ConfigFixture.ini("[uwsgi]", "env = Z=@(/dev/zero)"));
        ConfigException x = assertTimeoutPreemptively(QUICKLY, () -> assertThrows(ConfigException.class, () -> fixture.load("--ini", "zero.ini")));
        assertTrue(x.getMessage().contains("zero: more than " + ConfigLimits.DEFAULT_MAX_FILE_BYTES + " bytes (expected: at most "), x.getMessage());
    }

    @Test
    void aReadlineFileOverTheFileLimitStops() throws IOException
    {
        Files.write(temp.resolve("lines.txt"), new byte[ConfigLimits.DEFAULT_MAX_FILE_BYTES + 1]);
        ConfigFixture fixture = new ConfigFixture(temp).file("lines.ini", ConfigFixture.ini("[uwsgi]", "for-readline = lines.txt", "env = L%(_)", "endfor ="));
        ConfigException x = assertThrows(ConfigException.class, () -> fixture.load("--ini", "lines.ini"));
        assertTrue(x.getMessage().contains("lines.txt: more than " + ConfigLimits.DEFAULT_MAX_FILE_BYTES + " bytes"), x.getMessage());
    }

    @Test
    void aFileNameWithANulByteIsAConfigError()
    {
        ConfigFixture fixture = new ConfigFixture(temp).file("nul.ini", ConfigFixture.ini("[uwsgi]", "if-exists = a\u0000b", "env = X=1", "endif ="));
        ConfigException x = assertThrows(ConfigException.class, () -> fixture.load("--ini", "nul.ini"));
        assertTrue(x.getMessage().startsWith("nul.ini:3: file name: 'a?b' (expected: a file path; "), x.getMessage());
    }

    @Test
    void anIncludedFileNameWithANulByteIsAConfigError()
    {
        ConfigFixture fixture = new ConfigFixture(temp).file("nul.ini", ConfigFixture.ini("[uwsgi]", "ini = a\u0000b.ini"));
        ConfigException x = assertThrows(ConfigException.class, () -> fixture.load("--ini", "nul.ini"));
        assertTrue(x.getMessage().startsWith("nul.ini:2: file name: 'a?b.ini' (expected: a file path; "), x.getMessage());
    }

    @Test
    void aPlaceholderInEveryOneOfTheMostEntriesExpandsQuickly()
    {
        // every %(abc) is looked up once: a walk over all entries per lookup would make this 10 billion comparisons
        int times = ConfigLimits.DEFAULT_MAX_ENTRIES - 10;
        ConfigFixture fixture = new ConfigFixture(temp).file("many.ini",
            ConfigFixture.ini("[uwsgi]", "for-times = " + times, "env = N%(_)=%(abc)", "endfor =", "abc = x"));
        UwsgiConfig config = assertTimeoutPreemptively(QUICKLY, () -> fixture.load("--ini", "many.ini"));
        assertEquals("N" + times + "=x", config.getAll("env").get(times - 1));
    }
}

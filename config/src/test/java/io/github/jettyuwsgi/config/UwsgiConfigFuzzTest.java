package io.github.jettyuwsgi.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Coverage-guided fuzzing of the uWSGI configuration loader. One input is up to three files, split at {@code "\n--8<--\n"}:
 * {@code main.ini} (or {@code main.json} when it starts with a brace), {@code inc.ini} and {@code data.txt}, written
 * to a directory of their own, so that {@code @(file)}, {@code ini = inc.ini}, {@code for-readline} and
 * {@code if-exists} read the real file system. Magic variables, placeholders, math and logic blocks all run. Only
 * {@link ConfigException} may escape, and no input makes the loader allocate more than a fixed budget: a loop count,
 * a chain of placeholders, an include cycle or a file that never ends is bounded by the loader's {@link ConfigLimits},
 * never by the heap.
 */
public class UwsgiConfigFuzzTest
{
    private static final String SEPARATOR = "\n--8<--\n";
    /** Far beyond any real configuration (uWSGI's own are a few KB), far below what would hurt a launcher's start. */
    private static final long MAX_ALLOCATED_BYTES = 256L * 1024 * 1024;
    /**
     * Whether Jazzer is fuzzing (the fuzz profile) rather than replaying the corpus. Fuzzing instruments every class and
     * hooks the JDK's string comparisons, which copy the strings they compare: the allocation measured there is the
     * instrumentation's too (28.7 GB for the committed {@code placeholders-over-several-values}, which allocates less than
     * the bound when replayed). So the bound is checked where it measures the loader alone: in every build's replay of
     * the seeds and committed inputs; a finding of the fuzzing mode is committed and replayed there.
     */
    /**
     * The loader's bounds, lowered: the same paths (a loop at its entry limit, a value at its length, an expansion at
     * its copy budget) are reached with a few thousand characters rather than millions, so an input that finds a
     * bound costs milliseconds and the run tries thousands of inputs per second instead of a few.
     */
    private static final ConfigLimits LIMITS = new ConfigLimits(500, 200, 4 << 10, 32L << 10, 8, 64 << 10);
    private static final boolean FUZZING = System.getProperty("JAZZER_FUZZ") != null || System.getenv("JAZZER_FUZZ") != null;
    private static final Path DIRECTORY = directory();
    /** What each file holds now: most inputs change one file, and each write is an open, a truncation and a close. */
    private static final Map<String, String> WRITTEN = new HashMap<>();

    private static Path directory()
    {
        try
        {
            // in memory where the system has it: a disk file system journals every truncation, which made a third of a
            // fuzzing run's time kernel time
            Path memory = Path.of("/dev/shm");
            Path directory = (Files.isDirectory(memory) && Files.isWritable(memory)
                ? Files.createTempDirectory(memory, "uwsgi-config-fuzz") : Files.createTempDirectory("uwsgi-config-fuzz")).toRealPath();
            directory.toFile().deleteOnExit();
            return directory;
        }
        catch (IOException x)
        {
            throw new UncheckedIOException(x);
        }
    }

    static Stream<Arguments> seeds()
    {
        return Stream.of(
            String.join("\n", "[uwsgi]", "socket = 127.0.0.1:%(port)", "port = 3031", "threads = %(%k + 1)",
                "print = %o %x %n %d %c %h %v %k", "ini = inc.ini", "set-placeholder = a=%(b)", "b = x%(c)", "c = %d"),
            String.join("\n", "[uwsgi]", "for = a b c", "print = %(_)", "endfor =", "for-times = 3", "print = t%(_)",
                "endfor =", "if-env = HOME", "print = home %(_)", "endif =", "if-exists = data.txt", "print = yes",
                "endif =", "for-readline = data.txt", "print = line %(_)", "endfor =") + SEPARATOR + "[uwsgi]\nx = 1\n"
                + SEPARATOR + "one\ntwo\n",
            String.join("\n", "[uwsgi]", "a = xxxxxxxxxxxxxxxx", "b = %(a)%(a)%(a)%(a)%(a)%(a)%(a)%(a)",
                "c = %(b)%(b)%(b)%(b)%(b)%(b)%(b)%(b)", "d = %(c)%(c)%(c)%(c)%(c)%(c)%(c)%(c)",
                "e = %(d)%(d)%(d)%(d)%(d)%(d)%(d)%(d)", "print = %(e)"),
            String.join("\n", "[uwsgi]", "env = X=$(HOME)", "inherit = inc.ini", "module = @(data.txt)",
                "processes = %(2 * 3)", "if-opt = processes=6", "print = six", "endif =") + SEPARATOR + "[uwsgi]\nini = main.ini\n",
            "{\"uwsgi\": {\"socket\": [\":3031\", \":3032\"], \"master\": true, \"processes\": 4, \"print\": \"%(socket)\"}}",
            "[uwsgi]\n%(\n\\\n;\n[\nfor=\n").map(text -> Arguments.of((Object)text.getBytes(StandardCharsets.UTF_8)));
    }

    @MethodSource("seeds")
    @DictionaryEntries({"[uwsgi]", "%(", ")", "$(", "@(", "%k", "%d", "%o", "%x", "%n", "for =", "for-times =",
        "for-readline =", "endfor =", "if-env =", "if-exists =", "if-opt =", "endif =", "ini =", "json =",
        "inherit =", "set-placeholder =", "\\x0a--8<--\\x0a", "inc.ini", "main.ini", "data.txt", " + ", " * ", "2147483647"})
    @FuzzTest(maxDuration = "15s")
    public void load(byte[] input)
    {
        List<String> files = split(new String(input, StandardCharsets.UTF_8));
        String main = files.get(0).stripLeading().startsWith("{") ? "main.json" : "main.ini";
        write("main.ini", main.equals("main.ini") ? files.get(0) : "");
        write("main.json", main.equals("main.json") ? files.get(0) : "{}");
        write("inc.ini", files.size() > 1 ? files.get(1) : "");
        write("data.txt", files.size() > 2 ? files.get(2) : "");

        Map<String, String> environment = new LinkedHashMap<>();
        environment.put("HOME", "/root");
        environment.put("FOO", "bar");
        HostFacts facts = new HostFacts(DIRECTORY, environment, "vm", 2, 0, "root", 0, "root", 1_700_000_000_123_456L,
            "2.0.21-debian", "/usr/bin/uwsgi-core", false);
        long before = allocatedBytes();
        try
        {
            UwsgiConfig config = new UwsgiConfigLoader(facts, UwsgiOptions.defaults(), LIMITS).load(main.equals("main.json") ? "--json" : "--ini", main);
            config.showConfig();
        }
        catch (ConfigException x)
        {
            // a configuration error, with its source and line
        }
        long allocated = allocatedBytes() - before;
        assertTrue(FUZZING || allocated <= MAX_ALLOCATED_BYTES, "loading allocated " + allocated + " bytes for " + input.length + " input bytes");
    }

    private static List<String> split(String text)
    {
        List<String> parts = new ArrayList<>();
        int from = 0;
        while (parts.size() < 2)
        {
            int at = text.indexOf(SEPARATOR, from);
            if (at < 0)
                break;
            parts.add(text.substring(from, at));
            from = at + SEPARATOR.length();
        }
        parts.add(text.substring(from));
        return parts;
    }

    private static void write(String name, String content)
    {
        if (content.equals(WRITTEN.get(name)))
            return;
        try
        {
            Path file = DIRECTORY.resolve(name);
            Files.writeString(file, content, StandardCharsets.UTF_8);
            // deleted before the directory (deleteOnExit runs in reverse order), which /dev/shm would otherwise keep in memory
            if (WRITTEN.put(name, content) == null)
                file.toFile().deleteOnExit();
        }
        catch (IOException x)
        {
            throw new UncheckedIOException(x);
        }
    }

    private static long allocatedBytes()
    {
        return ((com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
    }
}

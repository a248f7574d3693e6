package io.github.jettyuwsgi.it;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * <p>{@code --show-config} of the launcher against a live uWSGI 2.0.21 (Debian {@code uwsgi-core}) on the same files,
 * in the same directory, with the same environment: an operator must be able to diff the two. Each case is a directory
 * under {@value #CASES} holding config files, an {@code args} file (the command line, one word per line) and an
 * optional {@code env} file ({@code NAME=value} lines added to the environment). The cases cover every magic variable
 * that does not change between two runs on one host, includes and sections, placeholders and their math, logic
 * blocks, {@code UWSGI_*} options with {@code $(ENV)} and {@code @(file)}, and command-line flags mirroring ini keys.</p>
 *
 * <p>{@code %V} and {@code %b} are left out on purpose: they name the program that reads the file (uWSGI's own
 * version string and binary, the launcher's dialect version and {@code java}), see docs/configuration.md.</p>
 */
class ShowConfigDifferentialIT
{
    static final String CASES = "/show-config";
    private static final String FIRST_LINE = ";uWSGI instance configuration";
    private static final String LAST_LINE = ";end of configuration";
    private static final long TIMEOUT_SECONDS = 60;

    static Stream<String> cases() throws IOException, URISyntaxException
    {
        try (Stream<Path> directories = Files.list(casesRoot()))
        {
            List<String> names = directories.filter(Files::isDirectory).map(path -> path.getFileName().toString()).sorted().toList();
            assertTrue(names.size() >= 6, () -> "cases found in " + CASES + ": " + names);
            return names.stream();
        }
    }

    private static Path casesRoot() throws URISyntaxException
    {
        return Path.of(ShowConfigDifferentialIT.class.getResource(CASES).toURI());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void testShowConfigIsUwsgis(String name) throws Exception
    {
        ItSettings settings = ItSettings.fromSystemProperties();
        Path work = Files.createDirectories(settings.workDir().resolve("show-config"));
        Path caseDir = Files.createTempDirectory(work, name + "-");
        copyTree(casesRoot().resolve(name), caseDir);
        List<String> args = Files.readAllLines(caseDir.resolve("args"));
        Map<String, String> env = readEnv(caseDir.resolve("env"));

        List<String> uwsgi = new ArrayList<>(List.of(FrontendProcess.findExecutable("uwsgi", "uwsgi-core").toString(), "--show-config"));
        uwsgi.addAll(args);
        List<String> launcher = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-jar", settings.launcherJar().toString(), "--show-config"));
        launcher.addAll(args);

        // one after the other: both may try to bind the same sockets once they have printed
        String expected = shownConfig(uwsgi, caseDir, env);
        String actual = shownConfig(launcher, caseDir, env);

        assertTrue(expected.startsWith(FIRST_LINE + "\n[uwsgi]\n"), () -> "uWSGI printed no configuration:\n" + expected);
        assertEquals(expected, actual, () -> name + ": launcher --show-config differs from uwsgi --show-config " + String.join(" ", args));
    }

    /**
     * Runs the program until it has printed its configuration, then kills it (and what it forked): uWSGI goes on to
     * start once it has printed, and takes SIGTERM as a reload, not a stop.
     *
     * @return the lines from {@link #FIRST_LINE} to {@link #LAST_LINE}, from standard output and error alike (uWSGI
     * prints it on standard error, the launcher on standard output)
     */
    private static String shownConfig(List<String> command, Path directory, Map<String, String> env) throws Exception
    {
        ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true)
            .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        builder.environment().putAll(env);
        Process process = builder.start();
        StringBuilder all = new StringBuilder();
        CompletableFuture<String> shown = CompletableFuture.supplyAsync(() -> readShownConfig(process, all));
        try
        {
            return shown.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        }
        catch (TimeoutException | ExecutionException x)
        {
            throw new AssertionError(command.get(0) + " printed no complete configuration within " + TIMEOUT_SECONDS + " s; output:\n" + all, x);
        }
        finally
        {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        }
    }

    private static String readShownConfig(Process process, StringBuilder all)
    {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8)))
        {
            StringBuilder shown = null;
            for (String line = reader.readLine(); line != null; line = reader.readLine())
            {
                synchronized (all)
                {
                    all.append(line).append('\n');
                }
                if (line.equals(FIRST_LINE))
                    shown = new StringBuilder();
                if (shown != null)
                {
                    shown.append(line).append('\n');
                    if (line.equals(LAST_LINE))
                        return shown.toString();
                }
            }
            throw new IllegalStateException("output ended before " + LAST_LINE);
        }
        catch (IOException x)
        {
            throw new UncheckedIOException(x);
        }
    }

    private static Map<String, String> readEnv(Path file) throws IOException
    {
        if (!Files.exists(file))
            return Map.of();
        Map<String, String> env = new LinkedHashMap<>();
        for (String line : Files.readAllLines(file))
        {
            int equals = line.indexOf('=');
            if (equals > 0)
                env.put(line.substring(0, equals), line.substring(equals + 1));
        }
        return env;
    }

    private static void copyTree(Path from, Path to) throws IOException
    {
        try (Stream<Path> paths = Files.walk(from))
        {
            for (Path path : (Iterable<Path>)paths::iterator)
            {
                Path target = to.resolve(from.relativize(path).toString());
                if (Files.isDirectory(path))
                    Files.createDirectories(target);
                else
                    Files.copy(path, target);
            }
        }
    }
}

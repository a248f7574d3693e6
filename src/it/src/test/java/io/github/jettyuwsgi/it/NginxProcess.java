package io.github.jettyuwsgi.it;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * <p>A private nginx, the frontend of an end-to-end test: its configuration is rendered from a template on the test
 * classpath into a prefix directory of its own (under target/), which also holds its pid file, logs and temp
 * files, so nothing of the system nginx (/etc/nginx, /var/log/nginx, /var/lib/nginx) is read or written.</p>
 * <p>Templates name their values as {@code {{NAME}}}; a name without a value fails the start. Paths in a template
 * are relative to the prefix, except those that point elsewhere (a backend's Unix socket). The template is
 * expected to say {@code daemon off; master_process off;} so that this process is the whole nginx.</p>
 */
public final class NginxProcess extends ListeningProcess
{
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{([A-Z0-9_]+)}}");
    private static final String INSTALL_HINT = "run scripts/install-system-deps.sh as root to install it";

    private final Path nginx;
    private final Path prefix;

    private NginxProcess(Path nginx, Path prefix, Map<String, Integer> ports)
    {
        super("nginx", command(nginx, prefix), prefix, prefix.resolve("logs/nginx.out"), ports);
        this.nginx = nginx;
        this.prefix = prefix;
    }

    /**
     * @param prefix the directory nginx runs in (its {@code -p}); emptied and recreated
     */
    public static Builder builder(Path prefix)
    {
        return new Builder(prefix);
    }

    /**
     * Finds the nginx binary: the system property {@code it.nginx}, else {@code nginx} on PATH or in the sbin
     * directories, which are not on every user's PATH.
     *
     * @throws IllegalStateException when there is none; the tests fail (not skip) so a broken CI setup shows
     */
    public static Path findExecutable()
    {
        String configured = System.getProperty("it.nginx");
        if (configured != null && !configured.isBlank())
        {
            if (!Files.isExecutable(Path.of(configured)))
                throw new IllegalStateException("-Dit.nginx=" + configured + " is not an executable file (expected: an nginx binary; " + INSTALL_HINT + ")");
            return Path.of(configured);
        }
        return findOnPath("nginx")
            .orElseThrow(() -> new IllegalStateException("nginx not found on PATH nor in /usr/sbin, /usr/local/sbin, /usr/local/nginx/sbin " +
                "(expected: an nginx binary; " + INSTALL_HINT + ", or set -Dit.nginx=/path/to/nginx)"));
    }

    /**
     * @return the version of {@link #findExecutable()}, from {@code nginx -v}, as {major, minor, patch}
     */
    public static int[] version()
    {
        Path nginx = findExecutable();
        try
        {
            Process process = new ProcessBuilder(nginx.toString(), "-v").redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            process.waitFor();
            Matcher matcher = Pattern.compile("nginx/(\\d+)\\.(\\d+)\\.(\\d+)").matcher(output);
            if (!matcher.find())
                throw new IllegalStateException(nginx + " -v: " + output.strip() + " (expected: nginx version: nginx/X.Y.Z)");
            return new int[]{Integer.parseInt(matcher.group(1)), Integer.parseInt(matcher.group(2)), Integer.parseInt(matcher.group(3))};
        }
        catch (IOException x)
        {
            throw new UncheckedIOException(nginx + " -v failed", x);
        }
        catch (InterruptedException x)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", x);
        }
    }

    static Optional<Path> findOnPath(String program)
    {
        List<String> directories = new ArrayList<>(List.of(System.getenv().getOrDefault("PATH", "").split(":")));
        directories.addAll(List.of("/usr/sbin", "/usr/local/sbin", "/sbin", "/usr/local/nginx/sbin"));
        return directories.stream()
            .filter(directory -> !directory.isEmpty())
            .map(directory -> Path.of(directory, program))
            .filter(Files::isExecutable)
            .findFirst();
    }

    public Path prefix()
    {
        return prefix;
    }

    public Path errorLog()
    {
        return prefix.resolve("logs/error.log");
    }

    @Override
    public String describeLog()
    {
        return super.describeLog() + "\n" + describeFile("nginx error log", errorLog());
    }

    /**
     * {@code nginx -s quit} (finish the requests in flight, then exit), then a kill if that took longer than
     * {@code grace}.
     */
    @Override
    public void stop(Duration grace)
    {
        if (isAlive())
        {
            List<String> quit = new ArrayList<>(command(nginx, prefix));
            quit.add("-s");
            quit.add("quit");
            try
            {
                new ProcessBuilder(quit).directory(prefix.toFile()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile().toFile())).start().waitFor();
            }
            catch (IOException x)
            {
                // The kill below still stops it.
            }
            catch (InterruptedException x)
            {
                Thread.currentThread().interrupt();
            }
            waitFor(grace);
        }
        super.stop(Duration.ofSeconds(2));
    }

    private static List<String> command(Path nginx, Path prefix)
    {
        // -e: nginx opens its compiled-in error log before reading the configuration; send that to the prefix too.
        return List.of(nginx.toString(), "-p", prefix + "/", "-c", "conf/nginx.conf", "-e", "logs/error.log");
    }

    static String render(String template, Map<String, String> values)
    {
        TreeSet<String> missing = new TreeSet<>();
        Matcher matcher = PLACEHOLDER.matcher(template);
        StringBuilder rendered = new StringBuilder();
        while (matcher.find())
        {
            String value = values.get(matcher.group(1));
            if (value == null)
                missing.add(matcher.group(1));
            matcher.appendReplacement(rendered, Matcher.quoteReplacement(value == null ? "" : value));
        }
        matcher.appendTail(rendered);
        if (!missing.isEmpty())
            throw new IllegalArgumentException("nginx template values missing: " + missing + " (given: " + values.keySet() + ")");
        return rendered.toString();
    }

    static String resource(String name)
    {
        try (InputStream in = NginxProcess.class.getResourceAsStream(name))
        {
            if (in == null)
                throw new IllegalArgumentException("resource not found on the test classpath: " + name);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        catch (IOException x)
        {
            throw new UncheckedIOException(x);
        }
    }

    /**
     * The configuration (a template and the files it includes) and the values filled in.
     */
    public static final class Builder extends TemplateBuilder<Builder>
    {
        private final Path prefix;
        private String template;
        private final Map<String, String> includes = new LinkedHashMap<>();

        private Builder(Path prefix)
        {
            this.prefix = prefix;
        }

        /**
         * @param resource the classpath resource rendered to {@code conf/nginx.conf}
         */
        public Builder template(String resource)
        {
            template = resource(resource);
            return this;
        }

        /**
         * @param fileName the name under {@code conf/}, as the template's {@code include} says
         * @param resource the classpath resource copied there, unchanged
         */
        public Builder include(String fileName, String resource)
        {
            includes.put(fileName, resource(resource));
            return this;
        }

        @Override
        protected Builder self()
        {
            return this;
        }

        /**
         * Writes the prefix directory, starts nginx and waits until it accepts on every {@link #listen} port.
         */
        public NginxProcess start()
        {
            Path nginx = findExecutable();
            if (template == null)
                throw new IllegalStateException("nginx template not set (expected: template(resource))");
            String config = render(template, values);
            try
            {
                deleteRecursively(prefix);
                for (String directory : List.of("conf", "logs", "temp/client_body", "temp/proxy", "temp/uwsgi", "temp/fastcgi", "temp/scgi"))
                {
                    Files.createDirectories(prefix.resolve(directory));
                }
                Files.writeString(prefix.resolve("conf/nginx.conf"), config);
                for (Map.Entry<String, String> include : includes.entrySet())
                {
                    Files.writeString(prefix.resolve("conf").resolve(include.getKey()), include.getValue());
                }
            }
            catch (IOException x)
            {
                throw new UncheckedIOException("cannot write the nginx prefix " + prefix, x);
            }
            return awaitAccepting(new NginxProcess(nginx, prefix, ports));
        }
    }

    static void deleteRecursively(Path directory) throws IOException
    {
        if (!Files.exists(directory))
            return;
        try (Stream<Path> paths = Files.walk(directory))
        {
            for (Path path : paths.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList())
            {
                Files.delete(path);
            }
        }
    }
}

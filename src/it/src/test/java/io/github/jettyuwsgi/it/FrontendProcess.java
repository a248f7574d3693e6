package io.github.jettyuwsgi.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * <p>A private frontend server of an end-to-end test other than the nginx of {@link NginxProcess} (Apache httpd,
 * lighttpd, a uWSGI router): its configuration file is rendered from a template on the test classpath into a
 * directory of its own (under target/), which also holds its logs, pid file and temp files, and the program runs in
 * the foreground with that file, so nothing of the system installation (/etc, /var/log) is read or written.</p>
 * <p>Templates name their values as {@code {{NAME}}} (rendered as {@link NginxProcess} does: a name without a value
 * fails the start); {@code {{ROOT}}} is always the directory itself, for programs that want absolute paths.</p>
 */
public final class FrontendProcess extends ListeningProcess
{
    private static final String INSTALL_HINT = "run scripts/install-system-deps.sh as root to install it";

    private final Path root;

    private FrontendProcess(String name, List<String> command, Path root, Map<String, Integer> ports)
    {
        super(name, command, root, root.resolve("logs/" + name + ".out"), ports);
        this.root = root;
    }

    /**
     * @param name the program's name in messages and log file names ("apache2", "lighttpd", "uwsgi-http")
     * @param root the directory it runs in; emptied and recreated
     */
    public static Builder builder(String name, Path root)
    {
        return new Builder(name, root);
    }

    /**
     * Finds {@code program} on PATH or in the sbin directories (where Debian puts apache2 and lighttpd).
     *
     * @param debianPackage the package that provides it, for the message
     * @throws IllegalStateException when there is none; the tests fail (not skip) so that a broken setup shows
     */
    public static Path findExecutable(String program, String debianPackage)
    {
        return NginxProcess.findOnPath(program)
            .orElseThrow(() -> new IllegalStateException(program + " not found on PATH nor in /usr/sbin, /usr/local/sbin, /sbin " +
                "(expected: the Debian package " + debianPackage + "; " + INSTALL_HINT + ")"));
    }

    public Path root()
    {
        return root;
    }

    /**
     * @return the log tails of the process output and of every other file in its {@code logs/} directory
     */
    @Override
    public String describeLog()
    {
        StringBuilder description = new StringBuilder(super.describeLog());
        try (var files = Files.list(root.resolve("logs")))
        {
            for (Path file : files.sorted().toList())
            {
                if (!file.equals(logFile()) && file.toString().endsWith(".log"))
                    description.append('\n').append(describeFile(name() + " " + file.getFileName(), file));
            }
        }
        catch (IOException x)
        {
            description.append("\n(logs directory unreadable: ").append(x).append(')');
        }
        return description.toString();
    }

    /**
     * The configuration file, the command line and the values filled in.
     */
    public static final class Builder extends TemplateBuilder<Builder>
    {
        private final String name;
        private final Path root;
        private final Map<String, String> files = new LinkedHashMap<>();
        private final List<String> command = new ArrayList<>();

        private Builder(String name, Path root)
        {
            this.name = name;
            this.root = root;
            values.put("ROOT", root.toString());
        }

        /**
         * @param fileName the name under {@code conf/}
         * @param resource the classpath resource rendered there
         */
        public Builder template(String fileName, String resource)
        {
            files.put(fileName, NginxProcess.resource(resource));
            return this;
        }

        /**
         * @param command the command line; its arguments are rendered like the templates, so that they can name
         * {@code {{ROOT}}}
         */
        public Builder command(Path executable, String... arguments)
        {
            command.clear();
            command.add(executable.toString());
            command.addAll(List.of(arguments));
            return this;
        }

        @Override
        protected Builder self()
        {
            return this;
        }

        /**
         * Writes the directory ({@code conf/}, {@code logs/}, {@code temp/}, {@code docroot/}), starts the program and
         * waits until it accepts on every {@link #listen} port.
         */
        public FrontendProcess start()
        {
            if (command.isEmpty())
                throw new IllegalStateException(name + " command not set (expected: command(executable, arguments...))");
            List<String> rendered = new ArrayList<>();
            for (String argument : command)
            {
                rendered.add(NginxProcess.render(argument, values));
            }
            try
            {
                NginxProcess.deleteRecursively(root);
                for (String directory : List.of("conf", "logs", "temp", "docroot"))
                {
                    Files.createDirectories(root.resolve(directory));
                }
                for (Map.Entry<String, String> file : files.entrySet())
                {
                    Files.writeString(root.resolve("conf").resolve(file.getKey()), NginxProcess.render(file.getValue(), values));
                }
            }
            catch (IOException x)
            {
                throw new UncheckedIOException("cannot write the " + name + " directory " + root, x);
            }
            return awaitAccepting(new FrontendProcess(name, rendered, root, ports));
        }
    }
}

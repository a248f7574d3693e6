package io.github.jettyuwsgi.config;

/**
 * Where one configuration value came from: a file and line, a command-line argument or an environment variable.
 * Every {@link ConfigEntry} carries one, so that an error about a value can point the operator at the line to fix.
 *
 * @param source the file name as given (or {@code command line}, {@code environment UWSGI_X})
 * @param line the 1-based line in {@code source}, or 0 when the source has no lines
 */
public record Origin(String source, int line)
{
    static Origin commandLine(String argument)
    {
        return new Origin("command line " + argument, 0);
    }

    static Origin environment(String variable)
    {
        return new Origin("environment " + variable, 0);
    }

    @Override
    public String toString()
    {
        return line > 0 ? source + ":" + line : source;
    }
}

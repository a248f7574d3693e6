package io.github.jettyuwsgi.config;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The table of option names the loader knows: whether a key is an option or a placeholder, whether it takes an
 * argument on the command line, whether uWSGI applies it while reading the file (and so never expands it), and which
 * known name an unknown key was probably meant to be.
 *
 * <p>The uWSGI part is the option list of uWSGI 2.0.21 as Debian's {@code uwsgi-core} prints it with {@code --help}
 * (resource {@code uwsgi-2.0.21-options.txt}); {@link #LAUNCHER_OPTIONS} are the keys jetty-uwsgi adds.</p>
 */
public final class UwsgiOptions
{
    /**
     * Keys that are not uWSGI 2.0.21 core options but that the jetty-uwsgi launcher reads ({@code jwsgi} is the JVM
     * plugin's option; {@code war} and {@code app} are ours).
     */
    public static final Set<String> LAUNCHER_OPTIONS = Set.of("war", "app", "jwsgi");

    /**
     * A suggestion is offered only within this many single-character edits, and within one edit per four characters
     * of the key: two edits would turn any short placeholder name ({@code base}) into some option ({@code pause}).
     */
    private static final int MAX_SUGGESTION_DISTANCE = 2;

    private static final String RESOURCE = "uwsgi-2.0.21-options.txt";

    private static final UwsgiOptions DEFAULT = load();

    /**
     * How an option takes its value on the command line, as in getopt_long.
     */
    public enum Argument
    {
        /** {@code --master}; {@code --master=x} is an error */
        NO,
        /** {@code --threads 8} or {@code --threads=8} */
        REQUIRED,
        /** {@code --chmod-socket} or {@code --chmod-socket=660}, never a separate word */
        OPTIONAL
    }

    private record Option(Argument argument, boolean immediate)
    {
    }

    private final Map<String, Option> options;

    private UwsgiOptions(Map<String, Option> options)
    {
        this.options = Collections.unmodifiableMap(options);
    }

    /**
     * @return uWSGI 2.0.21's options plus {@link #LAUNCHER_OPTIONS}
     */
    public static UwsgiOptions defaults()
    {
        return DEFAULT;
    }

    /**
     * @param extra more keys that take one argument and must not be reported as unknown
     * @return a table with these keys added
     */
    public UwsgiOptions with(Set<String> extra)
    {
        return with(extra, Argument.REQUIRED);
    }

    /**
     * @param extra more keys that must not be reported as unknown
     * @param argument how they take their value on the command line ({@link Argument#NO} for a flag such as
     * {@code --dry-run})
     * @return a table with these keys added; a key already known keeps its uWSGI meaning
     */
    public UwsgiOptions with(Set<String> extra, Argument argument)
    {
        Map<String, Option> copy = new LinkedHashMap<>(options);
        extra.forEach(name -> copy.putIfAbsent(name, new Option(argument, false)));
        return new UwsgiOptions(copy);
    }

    public boolean isKnown(String key)
    {
        return options.containsKey(key);
    }

    /**
     * @return whether uWSGI runs the option while the file is read ({@code UWSGI_OPT_IMMEDIATE}): its value is
     * never expanded by {@code $()}, {@code @()} or {@code %()}
     */
    public boolean isImmediate(String key)
    {
        Option option = options.get(key);
        return option != null && option.immediate();
    }

    /**
     * @return how the option takes its argument, or empty for an unknown key
     */
    public Optional<Argument> argument(String key)
    {
        return Optional.ofNullable(options.get(key)).map(Option::argument);
    }

    /**
     * @return the known option closest to {@code key} by edit distance, if it is close enough to be a typo
     * ({@code thread} → {@code threads}, {@code post buffering} → {@code post-buffering}); the first in table
     * order among equally close ones
     */
    public Optional<String> suggest(String key)
    {
        String best = null;
        int bestDistance = Math.min(MAX_SUGGESTION_DISTANCE, Math.max(1, key.length() / 4)) + 1;
        for (String name : options.keySet())
        {
            if (Math.abs(name.length() - key.length()) >= bestDistance)
                continue;
            int distance = levenshtein(key, name, bestDistance);
            if (distance < bestDistance)
            {
                best = name;
                bestDistance = distance;
            }
        }
        return Optional.ofNullable(best);
    }

    static int levenshtein(String a, String b)
    {
        return levenshtein(a, b, Integer.MAX_VALUE);
    }

    /**
     * The edit distance of a and b, or some value of at least {@code limit} once a row of the table has no cell below it:
     * a cell never falls below the smallest of the row above, so no later row can. A key unlike every option is then
     * settled after a row or two per name rather than the whole table.
     */
    static int levenshtein(String a, String b, int limit)
    {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++)
            previous[j] = j;
        for (int i = 1; i <= a.length(); i++)
        {
            current[0] = i;
            int rowMinimum = i;
            for (int j = 1; j <= b.length(); j++)
            {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
                rowMinimum = Math.min(rowMinimum, current[j]);
            }
            if (rowMinimum >= limit)
                return rowMinimum;
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }

    private static UwsgiOptions load()
    {
        Map<String, Option> options = new LinkedHashMap<>();
        try (InputStream in = UwsgiOptions.class.getResourceAsStream(RESOURCE))
        {
            if (in == null)
                throw new IllegalStateException("missing resource " + RESOURCE);
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line = reader.readLine(); line != null; line = reader.readLine())
            {
                if (line.isBlank() || line.startsWith("#"))
                    continue;
                String[] fields = line.trim().split(" ");
                Argument argument = Argument.valueOf(fields[1].toUpperCase(java.util.Locale.ROOT));
                options.put(fields[0], new Option(argument, fields.length > 2 && fields[2].equals("immediate")));
            }
        }
        catch (IOException x)
        {
            throw new UncheckedIOException(x);
        }
        LAUNCHER_OPTIONS.forEach(name -> options.putIfAbsent(name, new Option(Argument.REQUIRED, false)));
        return new UwsgiOptions(options);
    }
}

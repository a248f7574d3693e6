package io.github.jettyuwsgi.captures;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The packets real frontends sent and real uWSGI answered, read from the class path: the test vectors that the
 * connector's codec and connection tests, the launcher's subscription tests and the benchmarks all start from.
 *
 * <p>The files sit beside this class ({@code io/github/jettyuwsgi/captures/}); {@code index.txt} names them because a
 * directory inside a jar cannot be listed. The module's README says what each file is and how it was recorded.</p>
 */
public final class Captures
{
    private static final String INDEX = "index.txt";
    private static final List<String> REQUEST_PREFIXES = List.of("nginx-", "apache-", "lighttpd-", "uwsgi-http-router-");

    private Captures()
    {
    }

    /**
     * @param name a file of the index, e.g. {@code nginx-get.bin}
     * @return its bytes, a fresh copy
     * @throws IllegalArgumentException if there is no such capture
     */
    public static byte[] read(String name)
    {
        try (InputStream in = Captures.class.getResourceAsStream(name))
        {
            if (in == null)
                throw new IllegalArgumentException("capture: " + name + " (expected: one of " + names() + ")");
            return in.readAllBytes();
        }
        catch (IOException x)
        {
            throw new UncheckedIOException("capture " + name, x);
        }
    }

    /**
     * @return every capture's file name, sorted
     */
    public static List<String> names()
    {
        try (InputStream in = Captures.class.getResourceAsStream(INDEX))
        {
            if (in == null)
                throw new IllegalStateException("captures: no " + INDEX + " beside " + Captures.class.getName() + " on the class path");
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)))
            {
                return reader.lines().map(String::strip).filter(line -> !line.isEmpty()).sorted().toList();
            }
        }
        catch (IOException x)
        {
            throw new UncheckedIOException("captures " + INDEX, x);
        }
    }

    /**
     * @return the captures that are one HTTP request packet (optionally followed by its body), sorted
     */
    public static List<String> requestPackets()
    {
        return names().stream()
            .filter(name -> name.endsWith(".bin"))
            .filter(name -> REQUEST_PREFIXES.stream().anyMatch(name::startsWith))
            .toList();
    }
}

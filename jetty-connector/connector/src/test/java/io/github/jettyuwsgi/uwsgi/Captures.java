package io.github.jettyuwsgi.uwsgi;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.stream.Stream;

/**
 * The real packets recorded from nginx, Apache, lighttpd and uWSGI in {@code shared/captures}, the project's test vectors.
 */
public final class Captures
{
    private Captures()
    {
    }

    public static Path directory()
    {
        String configured = System.getProperty("uwsgi.captures");
        if (configured != null && Files.isDirectory(Paths.get(configured)))
            return Paths.get(configured);
        // Run from an IDE or another directory: walk up to the checkout that has ../shared beside it.
        for (Path dir = Paths.get("").toAbsolutePath(); dir != null; dir = dir.getParent())
        {
            Path candidate = dir.resolveSibling("shared").resolve("captures");
            if (Files.isDirectory(candidate) && Files.exists(dir.resolve("pom.xml")))
                return candidate;
        }
        throw new IllegalStateException("shared/captures: not found (expected: the shared directory beside the checkout, or -Duwsgi.captures=DIR)");
    }

    public static byte[] read(String name)
    {
        try
        {
            return Files.readAllBytes(directory().resolve(name));
        }
        catch (IOException x)
        {
            throw new UncheckedIOException(x);
        }
    }

    /**
     * @return the file names of every capture that is one HTTP request packet (optionally followed by its body)
     */
    public static List<String> requestPackets()
    {
        try (Stream<Path> files = Files.list(directory()))
        {
            return files.map(p -> p.getFileName().toString())
                .filter(n -> n.endsWith(".bin"))
                .filter(n -> n.startsWith("nginx-") || n.startsWith("apache-") || n.startsWith("lighttpd-") || n.startsWith("uwsgi-http-router-"))
                .sorted()
                .toList();
        }
        catch (IOException x)
        {
            throw new UncheckedIOException(x);
        }
    }
}

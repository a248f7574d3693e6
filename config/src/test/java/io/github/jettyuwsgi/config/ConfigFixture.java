package io.github.jettyuwsgi.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A directory of config files and fixed host facts, so that every expected value recorded from uWSGI 2.0.21 can be
 * compared without depending on this machine. The recordings were made on a host named {@code vm} with 2 CPUs, as
 * root, with Debian's {@code uwsgi-core 2.0.21-5.1}.
 */
final class ConfigFixture
{
    static final long START_MICROS = 1_700_000_000_123_456L;

    final Path root;
    final Map<String, String> environment = new LinkedHashMap<>();
    Path cwd;
    boolean reload;

    ConfigFixture(Path root)
    {
        this.root = root;
        this.cwd = root;
        environment.put("HOME", "/root");
    }

    ConfigFixture file(String name, String content)
    {
        try
        {
            Path path = root.resolve(name);
            Files.createDirectories(path.getParent());
            Files.writeString(path, content, StandardCharsets.UTF_8);
            return this;
        }
        catch (IOException x)
        {
            throw new UncheckedIOException(x);
        }
    }

    ConfigFixture cwd(String relative)
    {
        cwd = root.resolve(relative);
        return this;
    }

    ConfigFixture env(String name, String value)
    {
        environment.put(name, value);
        return this;
    }

    HostFacts facts()
    {
        return new HostFacts(cwd, environment, "vm", 2, 0, "root", 0, "root", START_MICROS, "2.0.21-debian",
            "/usr/bin/uwsgi-core", reload);
    }

    UwsgiConfig load(String... args)
    {
        return new UwsgiConfigLoader(facts()).load(args);
    }

    static String ini(String... lines)
    {
        return String.join("\n", lines) + "\n";
    }
}

package io.github.jettyuwsgi.config;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributes;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The facts about the running process that uWSGI's process-wide magic variables and {@code $(ENV)} read: working
 * directory ({@code %v}), hostname ({@code %h}), CPU count ({@code %k}), user and group ({@code %u %U %g %G}), start
 * time ({@code %t %T}), version ({@code %V}), binary ({@code %b}) and the environment. {@link #current()} reads them
 * from the JVM; tests pass fixed ones so that expected values do not depend on the machine.
 *
 * @param workingDirectory uWSGI's {@code cwd}; relative config paths, {@code @(file)} and {@code if-exists} resolve
 * against it
 * @param environment the environment seen at config time ({@code $(X)}, {@code if-env}, {@code UWSGI_*} options)
 * @param hostname {@code %h}
 * @param cpus {@code %k}
 * @param uid {@code %u}
 * @param user {@code %U}
 * @param gid {@code %g}
 * @param group {@code %G}
 * @param startMicros the instance start time in microseconds since the epoch ({@code %T}; {@code %t} is in seconds)
 * @param version {@code %V}
 * @param binaryPath {@code %b}
 * @param reload whether this load is a reload ({@code if-reload})
 */
public record HostFacts(Path workingDirectory, Map<String, String> environment, String hostname, int cpus, long uid,
                        String user, long gid, String group, long startMicros, String version, String binaryPath,
                        boolean reload)
{
    /**
     * The value of {@code %V} by default: the uWSGI version whose dialect this library implements, so that configs
     * testing it keep working.
     */
    public static final String UWSGI_DIALECT_VERSION = "2.0.21";

    public HostFacts
    {
        Objects.requireNonNull(workingDirectory, "workingDirectory");
        // keep the caller's order: UWSGI_* options are applied in environ order, as uWSGI walks environ
        environment = Collections.unmodifiableMap(new LinkedHashMap<>(environment));
    }

    /**
     * @return the facts of this JVM process
     */
    public static HostFacts current()
    {
        Path cwd = Path.of("").toAbsolutePath();
        long uid = -1;
        long gid = -1;
        String group = null;
        try
        {
            // /proc/self belongs to the process's effective uid and gid: the JDK has no getuid().
            Path self = Path.of("/proc/self");
            uid = ((Number)Files.getAttribute(self, "unix:uid")).longValue();
            gid = ((Number)Files.getAttribute(self, "unix:gid")).longValue();
            GroupPrincipal principal = Files.readAttributes(self, PosixFileAttributes.class).group();
            group = principal.getName();
        }
        catch (IOException | UnsupportedOperationException | IllegalArgumentException x)
        {
            // not Linux: leave the numeric ids unknown rather than guess
        }
        String user = System.getProperty("user.name");
        String binary = ProcessHandle.current().info().command().orElse("java");
        long micros = System.currentTimeMillis() * 1000L;
        return new HostFacts(cwd, environmentInEnvironOrder(), kernelHostname(), Runtime.getRuntime().availableProcessors(), uid,
            user, gid, group == null ? Long.toString(gid) : group, micros, UWSGI_DIALECT_VERSION, binary, false);
    }

    /**
     * @return this process's environment in the order of its environ array (Linux's /proc/self/environ), which is the
     * order uWSGI sees {@code UWSGI_*} options in; variables the file does not list (set since start) follow, sorted
     */
    static Map<String, String> environmentInEnvironOrder()
    {
        Map<String, String> current = System.getenv();
        Map<String, String> ordered = new LinkedHashMap<>();
        try
        {
            String environ = new String(Files.readAllBytes(Path.of("/proc/self/environ")), StandardCharsets.UTF_8);
            for (String entry : environ.split("\0"))
            {
                int equals = entry.indexOf('=');
                String name = equals < 0 ? entry : entry.substring(0, equals);
                if (current.containsKey(name))
                    ordered.put(name, current.get(name));
            }
        }
        catch (IOException | UnsupportedOperationException x)
        {
            // not Linux: no environ order to follow
        }
        new TreeMap<>(current).forEach(ordered::putIfAbsent);
        return ordered;
    }

    private static String kernelHostname()
    {
        // uWSGI uses gethostname(2); on Linux that is the kernel's hostname, which a DNS lookup could rename.
        try
        {
            // by lines: procfs reports a size of 0, and a one-byte read at a time is not what sysctl files are made for
            return Files.readAllLines(Path.of("/proc/sys/kernel/hostname")).get(0).strip();
        }
        catch (IOException | IndexOutOfBoundsException x)
        {
            try
            {
                return InetAddress.getLocalHost().getHostName();
            }
            catch (IOException y)
            {
                return "localhost";
            }
        }
    }
}

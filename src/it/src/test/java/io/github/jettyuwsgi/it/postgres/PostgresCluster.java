package io.github.jettyuwsgi.it.postgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * <p>A private PostgreSQL for one test class: a cluster made by {@code initdb} in a temporary directory, run by
 * {@code pg_ctl} on a free loopback port (its Unix socket in the same directory), without fsync, and removed by
 * {@link #close()}. PostgreSQL refuses to run as root, and CI runs as root: then every command runs as the
 * {@value #SYSTEM_USER} user that Debian's {@code postgresql} package creates (scripts/install-system-deps.sh), through
 * {@code runuser}.</p>
 * <p>The database is {@code postgres}, the user {@value #USER} with trust authentication; {@link #jdbcUrl()} says how to
 * reach it. {@link #stop()} and {@link #start()} take it down and up again on the same port, for the tests of a
 * database that goes away while the launcher runs.</p>
 */
public final class PostgresCluster implements AutoCloseable
{
    /** The system user the cluster runs as when the tests run as root. */
    public static final String SYSTEM_USER = "postgres";
    /** The database user of the JDBC URL. */
    public static final String USER = "postgres";
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final Path binDirectory;
    private final Path directory;
    private final int port;
    private final boolean asRoot;

    private PostgresCluster(Path binDirectory, Path directory, int port, boolean asRoot)
    {
        this.binDirectory = binDirectory;
        this.directory = directory;
        this.port = port;
        this.asRoot = asRoot;
    }

    /**
     * Makes a cluster with {@code initdb} and starts it.
     *
     * @param port a free loopback port
     */
    public static PostgresCluster start(int port)
    {
        Path bin = findBinDirectory();
        boolean asRoot = "root".equals(System.getProperty("user.name"));
        try
        {
            Path directory = Files.createTempDirectory("jetty-uwsgi-pg-");
            if (asRoot)
            {
                UserPrincipalLookupService users = directory.getFileSystem().getUserPrincipalLookupService();
                Files.setOwner(directory, users.lookupPrincipalByName(SYSTEM_USER));
                Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwx------"));
            }
            PostgresCluster cluster = new PostgresCluster(bin, directory, port, asRoot);
            cluster.run("initdb", "-D", cluster.dataDirectory().toString(), "-U", USER, "-A", "trust", "-E", "UTF8", "--no-sync", "--no-instructions");
            cluster.start();
            return cluster;
        }
        catch (IOException x)
        {
            throw new UncheckedIOException("cannot make a PostgreSQL cluster", x);
        }
    }

    /**
     * @return {@code jdbc:postgresql://127.0.0.1:PORT/postgres?user=postgres}
     */
    public String jdbcUrl()
    {
        return "jdbc:postgresql://127.0.0.1:" + port + "/postgres?user=" + USER;
    }

    public int port()
    {
        return port;
    }

    /**
     * Starts the cluster (again) and waits until it accepts connections.
     */
    public void start()
    {
        run("pg_ctl", "-D", dataDirectory().toString(), "-l", directory.resolve("postgres.log").toString(), "-w", "-t", String.valueOf(TIMEOUT.toSeconds()),
            "-o", "-c listen_addresses=127.0.0.1 -p " + port + " -k " + directory + " -c fsync=off -c full_page_writes=off",
            "start");
    }

    /**
     * Stops the cluster at once (as a crash would: {@code -m immediate}), keeping its data for {@link #start()}.
     */
    public void stop()
    {
        run("pg_ctl", "-D", dataDirectory().toString(), "-m", "immediate", "-w", "stop");
    }

    /**
     * @return whether it accepts TCP connections
     */
    public boolean isUp()
    {
        try (Socket socket = new Socket())
        {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        }
        catch (IOException x)
        {
            return false;
        }
    }

    /**
     * @return the tail of the server's log, for failure messages
     */
    public String describeLog()
    {
        try
        {
            List<String> lines = Files.readAllLines(directory.resolve("postgres.log"), StandardCharsets.UTF_8);
            return "---- postgres.log ----\n" + String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        }
        catch (IOException x)
        {
            return "(no postgres.log: " + x.getMessage() + ")";
        }
    }

    @Override
    public void close()
    {
        try
        {
            if (Files.exists(dataDirectory().resolve("postmaster.pid")))
                stop();
        }
        finally
        {
            try (Stream<Path> files = Files.walk(directory))
            {
                for (Path file : files.sorted(Comparator.reverseOrder()).toList())
                {
                    Files.deleteIfExists(file);
                }
            }
            catch (IOException x)
            {
                // a leftover temporary directory harms nothing
            }
        }
    }

    private Path dataDirectory()
    {
        return directory.resolve("data");
    }

    private void run(String program, String... arguments)
    {
        List<String> command = new ArrayList<>();
        if (asRoot)
            command.addAll(List.of("runuser", "-u", SYSTEM_USER, "--"));
        command.add(binDirectory.resolve(program).toString());
        command.addAll(List.of(arguments));
        try
        {
            Path output = Files.createTempFile("jetty-uwsgi-pg-", ".out");
            try
            {
                Process process = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true)
                    .redirectOutput(output.toFile()).start();
                if (!process.waitFor(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS))
                {
                    process.destroyForcibly();
                    throw new IllegalStateException(String.join(" ", command) + ": still running after " + TIMEOUT.toSeconds() + " s");
                }
                if (process.exitValue() != 0)
                    throw new IllegalStateException(String.join(" ", command) + ": exit " + process.exitValue() + "\n" + Files.readString(output) + "\n" + describeLog());
            }
            finally
            {
                Files.deleteIfExists(output);
            }
        }
        catch (IOException x)
        {
            throw new UncheckedIOException("cannot run " + String.join(" ", command), x);
        }
        catch (InterruptedException x)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted: " + String.join(" ", command), x);
        }
    }

    /**
     * Debian keeps the server programs out of PATH, in /usr/lib/postgresql/VERSION/bin: the newest version there,
     * else the directory of an initdb on PATH.
     */
    private static Path findBinDirectory()
    {
        Path debian = Path.of("/usr/lib/postgresql");
        if (Files.isDirectory(debian))
        {
            try (Stream<Path> versions = Files.list(debian))
            {
                var newest = versions.filter(version -> Files.isExecutable(version.resolve("bin/initdb")))
                    .max(Comparator.comparingInt(version -> parseVersion(version.getFileName().toString())));
                if (newest.isPresent())
                    return newest.get().resolve("bin");
            }
            catch (IOException x)
            {
                throw new UncheckedIOException(x);
            }
        }
        for (String entry : System.getenv().getOrDefault("PATH", "").split(":"))
        {
            Path initdb = Path.of(entry, "initdb");
            if (Files.isExecutable(initdb))
                return initdb.toAbsolutePath().getParent();
        }
        throw new IllegalStateException("initdb not found in /usr/lib/postgresql/*/bin nor on PATH (expected: PostgreSQL's server, installed by scripts/install-system-deps.sh)");
    }

    private static int parseVersion(String name)
    {
        try
        {
            return Integer.parseInt(name);
        }
        catch (NumberFormatException x)
        {
            return -1;
        }
    }
}

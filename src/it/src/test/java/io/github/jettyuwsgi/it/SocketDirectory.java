package io.github.jettyuwsgi.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * <p>Where a rig's launcher puts its uwsgi Unix socket ({@link FrontendRig}, {@link NginxLauncherRig}): under the
 * rig's work directory when the socket's path fits in {@code sun_path}, else in a temporary directory, which
 * {@link #delete()} removes again.</p>
 */
final class SocketDirectory
{
    /**
     * sun_path holds 108 bytes on Linux; deeper work directories put the socket in the temp directory instead.
     */
    private static final int MAX_UNIX_SOCKET_PATH = 100;

    private final Path directory;
    private final boolean temporary;

    private SocketDirectory(Path directory, boolean temporary)
    {
        this.directory = directory;
        this.temporary = temporary;
    }

    static SocketDirectory create(Path workDir)
    {
        try
        {
            Path directory = workDir.resolve("sockets");
            if (directory.resolve("uwsgi.sock").toString().length() <= MAX_UNIX_SOCKET_PATH)
            {
                Files.createDirectories(directory);
                return new SocketDirectory(directory, false);
            }
            Path temporary = Files.createTempDirectory("jetty-uwsgi-it-");
            // createTempDirectory makes it 700: a frontend that dropped root (Apache) could not reach the socket.
            Files.setPosixFilePermissions(temporary, PosixFilePermissions.fromString("rwxr-xr-x"));
            return new SocketDirectory(temporary, true);
        }
        catch (IOException x)
        {
            throw new UncheckedIOException(x);
        }
    }

    /**
     * @return the path of the launcher's uwsgi Unix socket
     */
    Path socket()
    {
        return directory.resolve("uwsgi.sock");
    }

    /**
     * Deletes the socket file, and the directory when it is a temporary one; call it once the launcher has stopped.
     */
    void delete()
    {
        try
        {
            Files.deleteIfExists(socket());
            if (temporary)
                Files.deleteIfExists(directory);
        }
        catch (IOException x)
        {
            // A leftover socket file in a temp directory harms nothing; the launcher replaces a stale one.
        }
    }
}

package io.github.jettyuwsgi.launcher.options;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Objects;

/**
 * One place the launcher listens on, as written after {@code --socket} or {@code --http-socket}: a TCP
 * {@code HOST:PORT} (host empty for all interfaces, as uWSGI's {@code :3031}) or a Unix socket path. Parsed by
 * {@link LauncherOptions}, turned into a connector by {@code ServerAssembler}.
 *
 * <p>The rule is uWSGI's: a value with a {@code /} or without a {@code :} is a Unix socket path, anything else is
 * TCP. A bare number is refused rather than taken as a file name, since {@code --socket 3031} almost always means a
 * port.</p>
 */
public final class ListenAddress
{
    /** The longest Unix socket path Linux accepts, in bytes (sun_path is 108 bytes with the terminating NUL). */
    public static final int MAX_UNIX_PATH_BYTES = 107;

    private final String text;
    private final String host;
    private final int port;
    private final Path unixPath;

    private ListenAddress(String text, String host, int port, Path unixPath)
    {
        this.text = text;
        this.host = host;
        this.port = port;
        this.unixPath = unixPath;
    }

    /**
     * @param text the option value, e.g. {@code 127.0.0.1:3031}, {@code :3031}, {@code [::1]:3031} or {@code /run/app.sock}
     * @return the address
     * @throws IllegalArgumentException with a message "what: actual (expected: ...)" if the value is malformed
     */
    public static ListenAddress parse(String text)
    {
        if (text.isBlank())
            throw new IllegalArgumentException("empty address (expected: HOST:PORT, :PORT or a Unix socket path)");
        if (text.chars().allMatch(Character::isDigit))
            throw new IllegalArgumentException("'" + text + "' is not an address (expected: HOST:PORT, :PORT or a Unix socket path; did you mean 127.0.0.1:" + text + "?)");
        if (text.indexOf('/') >= 0 || text.indexOf(':') < 0)
            return unix(text);
        return tcp(text);
    }

    private static ListenAddress unix(String text)
    {
        Path path = Path.of(text).toAbsolutePath().normalize();
        int length = path.toString().getBytes(StandardCharsets.UTF_8).length;
        if (length > MAX_UNIX_PATH_BYTES)
            throw new IllegalArgumentException("Unix socket path " + path + " is " + length + " bytes long (expected: at most " + MAX_UNIX_PATH_BYTES + ")");
        return new ListenAddress(text, null, -1, path);
    }

    private static ListenAddress tcp(String text)
    {
        int colon = text.lastIndexOf(':');
        String host = text.substring(0, colon);
        String portText = text.substring(colon + 1);
        if (host.startsWith("["))
        {
            if (!host.endsWith("]") || host.length() < 3)
                throw new IllegalArgumentException("'" + text + "' has a malformed IPv6 host (expected: [ADDRESS]:PORT, e.g. [::1]:3031)");
            host = host.substring(1, host.length() - 1);
        }
        else if (host.indexOf(':') >= 0)
        {
            throw new IllegalArgumentException("'" + text + "' has an IPv6 host without brackets (expected: [ADDRESS]:PORT, e.g. [::1]:3031)");
        }
        int port;
        try
        {
            port = Integer.parseInt(portText);
        }
        catch (NumberFormatException x)
        {
            port = -1;
        }
        if (port < 0 || port > 65535 || !portText.chars().allMatch(Character::isDigit))
            throw new IllegalArgumentException("'" + text + "' has port '" + portText + "' (expected: 0 to 65535, 0 for any free port)");
        return new ListenAddress(text, host.isEmpty() ? null : host, port, null);
    }

    /**
     * @return true for a Unix socket path, false for TCP
     */
    public boolean isUnix()
    {
        return unixPath != null;
    }

    /**
     * @return the TCP host to bind, or null for all interfaces (and for Unix sockets)
     */
    public String getHost()
    {
        return host;
    }

    /**
     * @return the TCP port (0 = any free port), or -1 for Unix sockets
     */
    public int getPort()
    {
        return port;
    }

    /**
     * @return the absolute Unix socket path, or null for TCP
     */
    public Path getUnixPath()
    {
        return unixPath;
    }

    /**
     * @return true when a TCP address binds every interface ({@code :3031}, {@code 0.0.0.0:3031}, {@code [::]:3031}):
     * then any host that reaches the port can send requests, including forged uwsgi vars
     */
    public boolean isAllInterfaces()
    {
        return !isUnix() && (host == null || "0.0.0.0".equals(host) || "::".equals(host) || "0:0:0:0:0:0:0:0".equals(host));
    }

    /**
     * @return true when a TCP address can be reached from this machine only: {@code 127.0.0.0/8}, {@code ::1}, or a
     * name all of whose addresses are loopback ({@code localhost}); false for all interfaces, any other address, a
     * name that does not resolve, and Unix sockets (which the file's mode protects instead)
     */
    public boolean isLoopback()
    {
        if (isUnix() || isAllInterfaces())
            return false;
        try
        {
            // a literal is parsed, not looked up; a name is resolved as the bind will resolve it
            InetAddress[] addresses = InetAddress.getAllByName(host);
            for (InetAddress address : addresses)
            {
                if (!address.isLoopbackAddress())
                    return false;
            }
            return addresses.length > 0;
        }
        catch (UnknownHostException x)
        {
            return false;
        }
    }

    @Override
    public boolean equals(Object other)
    {
        if (!(other instanceof ListenAddress that))
            return false;
        return port == that.port && Objects.equals(host, that.host) && Objects.equals(unixPath, that.unixPath);
    }

    @Override
    public int hashCode()
    {
        return Objects.hash(host, port, unixPath);
    }

    /**
     * @return the address as the user wrote it
     */
    @Override
    public String toString()
    {
        return text;
    }
}

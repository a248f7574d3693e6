package io.github.jettyuwsgi.launcher.server;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channel;
import java.nio.channels.ServerSocketChannel;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.github.jettyuwsgi.launcher.options.ListenAddress;
import io.github.jettyuwsgi.launcher.options.UsageException;

/**
 * Socket activation for {@link Connectors}: a listening socket that a service manager (systemd's
 * {@code StandardInput=socket}, inetd, a supervisor) bound and handed over on file descriptor 0 is taken by the
 * {@code socket} or {@code http-socket} with the same address, as uWSGI takes one, instead of binding a new one. The
 * socket then outlives the process: connections that arrive while the launcher restarts wait in its backlog.
 *
 * <p>A JVM can take an inherited socket only on fd 0 ({@link System#inheritedChannel()}); it has no public way to adopt
 * the fds from 3 that systemd's {@code LISTEN_FDS} protocol passes. Such a start is refused with the way out (one
 * socket on {@code StandardInput=socket}, or a shell that moves fd 3 to fd 0) rather than binding a second socket
 * next to the one systemd holds. An inherited socket that no option names is refused too, as uWSGI refuses an fd it
 * was not told about.</p>
 */
final class SocketActivation
{
    private final SocketAddress inherited;
    private boolean taken;

    private SocketActivation(SocketAddress inherited)
    {
        this.inherited = inherited;
    }

    /**
     * @param inherited what the JVM found on fd 0 ({@link System#inheritedChannel()}), or null
     * @param environment the process environment, for {@code LISTEN_FDS} and {@code LISTEN_PID}
     * @param pid this process's id
     * @throws UsageException if systemd passed sockets this JVM cannot take
     */
    static SocketActivation of(Channel inherited, Map<String, String> environment, long pid) throws UsageException
    {
        SocketAddress address = null;
        if (inherited instanceof ServerSocketChannel channel)
        {
            try
            {
                address = channel.getLocalAddress();
            }
            catch (IOException x)
            {
                throw new UsageException(List.of("inherited socket on fd 0: " + x.getMessage() + " (expected: a listening socket)"));
            }
        }
        int passed = listenFds(environment, pid);
        if (passed > 1)
            throw new UsageException(List.of("LISTEN_FDS: " + passed + " sockets passed from fd 3 (expected: one socket, as standard input: " +
                "StandardInput=socket in the service unit; a JVM can take an inherited socket only on fd 0)"));
        if (passed == 1 && address == null)
            throw new UsageException(List.of("LISTEN_FDS: 1 socket passed as fd 3, which a JVM cannot take (expected: StandardInput=socket in the service unit, " +
                "or ExecStart=/bin/sh -c 'exec java -jar jetty-uwsgi-launcher.jar ... <&3' to move it to fd 0)"));
        return new SocketActivation(address);
    }

    /**
     * @return the number of sockets systemd passed to this process, 0 when the variables are absent or meant for
     * another process (a child inherits them with a {@code LISTEN_PID} that is not its own)
     */
    static int listenFds(Map<String, String> environment, long pid)
    {
        String fds = environment.get("LISTEN_FDS");
        String listenPid = environment.get("LISTEN_PID");
        if (fds == null || listenPid == null || !listenPid.trim().equals(Long.toString(pid)))
            return 0;
        try
        {
            return Integer.parseInt(fds.trim());
        }
        catch (NumberFormatException x)
        {
            return 0;
        }
    }

    /**
     * @return the inherited socket's address, if there is one
     */
    Optional<SocketAddress> inherited()
    {
        return Optional.ofNullable(inherited);
    }

    /**
     * @return whether {@code address} is the inherited socket's and no earlier address took it; the connector for it
     * then inherits the channel ({@code setInheritChannel(true)})
     */
    boolean take(ListenAddress address)
    {
        if (inherited == null || taken || !matches(address, inherited))
            return false;
        taken = true;
        return true;
    }

    /**
     * @throws UsageException if a socket was inherited and no address took it
     */
    void checkTaken() throws UsageException
    {
        if (inherited != null && !taken)
            throw new UsageException(List.of("inherited socket on fd 0: " + describe(inherited) +
                " is named by no socket or http-socket option (expected: --socket or --http-socket " + describe(inherited) + ")"));
    }

    static boolean matches(ListenAddress address, SocketAddress inherited)
    {
        if (inherited instanceof UnixDomainSocketAddress unix)
            return address.isUnix() && address.getUnixPath().equals(unix.getPath().toAbsolutePath().normalize());
        if (inherited instanceof InetSocketAddress inet && !address.isUnix())
        {
            if (address.getPort() != inet.getPort())
                return false;
            // systemd's ListenStream=3031 is the wildcard address, which the launcher's :3031 means too
            if (address.getHost() == null || address.isAllInterfaces())
                return inet.getAddress().isAnyLocalAddress();
            return new InetSocketAddress(address.getHost(), address.getPort()).equals(inet);
        }
        return false;
    }

    static String describe(SocketAddress address)
    {
        if (address instanceof UnixDomainSocketAddress unix)
            return unix.getPath().toString();
        if (address instanceof InetSocketAddress inet)
            return (inet.getAddress().isAnyLocalAddress() ? "" : inet.getAddress().getHostAddress()) + ":" + inet.getPort();
        return String.valueOf(address);
    }
}

package io.github.jettyuwsgi.launcher.stats;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.stream.Stream;

/**
 * The accept queues of the listening TCP sockets of this machine, as Linux shows them in {@code /proc/net/tcp} and
 * {@code /proc/net/tcp6}: for a socket in state LISTEN the {@code rx_queue} column is the number of connections
 * waiting to be accepted, the number uWSGI reads with {@code TCP_INFO} ({@code tcpi_unacked}) for a socket's
 * {@code queue}. (The backlog limit, uWSGI's {@code max_queue}, is not in these files: {@link #somaxconn()} caps it.)
 * Read once per stats document; empty where the files do not exist.
 */
public final class ListenBacklogs
{
    private static final String LISTEN = "0A";
    private static final Path SOMAXCONN = Path.of("/proc/sys/net/core/somaxconn");

    /**
     * @return the kernel's cap on every listen backlog ({@code net.core.somaxconn}), empty where it cannot be read
     */
    public static OptionalInt somaxconn()
    {
        try
        {
            // by lines: Files.readString trusts the size procfs reports, and reads "4" of "4096"
            return OptionalInt.of(Integer.parseInt(Files.readAllLines(SOMAXCONN).get(0).strip()));
        }
        catch (IOException | NumberFormatException | IndexOutOfBoundsException x)
        {
            // not Linux
            return OptionalInt.empty();
        }
    }

    /**
     * @param address where the socket listens
     * @param queue connections waiting to be accepted
     */
    record Backlog(InetSocketAddress address, long queue)
    {
    }

    private final List<Backlog> listening;

    private ListenBacklogs(List<Backlog> listening)
    {
        this.listening = listening;
    }

    static ListenBacklogs current()
    {
        List<String> lines = new ArrayList<>();
        for (String file : List.of("/proc/net/tcp", "/proc/net/tcp6"))
        {
            try (Stream<String> content = Files.lines(Path.of(file)))
            {
                content.skip(1).forEach(lines::add);
            }
            catch (IOException | RuntimeException x)
            {
                // not Linux, or no IPv6: those sockets are simply not found
            }
        }
        return parse(lines, ByteOrder.nativeOrder());
    }

    /**
     * @param lines the lines of {@code /proc/net/tcp} and {@code /proc/net/tcp6} without their header line
     * @param order the byte order of the kernel that wrote them (it prints addresses as native 32-bit words)
     */
    static ListenBacklogs parse(List<String> lines, ByteOrder order)
    {
        List<Backlog> listening = new ArrayList<>();
        for (String line : lines)
        {
            // sl local_address rem_address st tx_queue:rx_queue ...
            String[] columns = line.trim().split("\\s+");
            if (columns.length < 5 || !LISTEN.equals(columns[3]))
                continue;
            int colon = columns[1].indexOf(':');
            int queueColon = columns[4].indexOf(':');
            if (colon < 0 || queueColon < 0)
                continue;
            try
            {
                InetAddress address = address(columns[1].substring(0, colon), order);
                int port = Integer.parseInt(columns[1].substring(colon + 1), 16);
                long queue = Long.parseLong(columns[4].substring(queueColon + 1), 16);
                listening.add(new Backlog(new InetSocketAddress(address, port), queue));
            }
            catch (NumberFormatException | UnknownHostException x)
            {
                // a line of a format this does not know: skipped
            }
        }
        return new ListenBacklogs(listening);
    }

    private static InetAddress address(String hex, ByteOrder order) throws UnknownHostException
    {
        if (hex.length() != 8 && hex.length() != 32)
            throw new UnknownHostException(hex);
        byte[] bytes = new byte[hex.length() / 2];
        for (int word = 0; word < bytes.length / 4; word++)
        {
            for (int i = 0; i < 4; i++)
            {
                int index = order == ByteOrder.LITTLE_ENDIAN ? 3 - i : i;
                bytes[word * 4 + i] = (byte)Integer.parseInt(hex.substring(word * 8 + index * 2, word * 8 + index * 2 + 2), 16);
            }
        }
        // an IPv4-mapped IPv6 address (a Java socket bound to 127.0.0.1) comes back as the IPv4 address
        return InetAddress.getByAddress(bytes);
    }

    /**
     * @param bound the address a server socket is bound to; a wildcard address matches either family's wildcard
     * @return its backlog, or null when no listening socket of that address is known
     */
    Backlog find(InetSocketAddress bound)
    {
        for (Backlog backlog : listening)
        {
            if (backlog.address().getPort() != bound.getPort())
                continue;
            InetAddress address = backlog.address().getAddress();
            if (address.equals(bound.getAddress()) || address.isAnyLocalAddress() && bound.getAddress().isAnyLocalAddress())
                return backlog;
        }
        return null;
    }
}

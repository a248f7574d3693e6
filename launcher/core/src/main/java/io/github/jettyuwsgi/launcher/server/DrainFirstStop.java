package io.github.jettyuwsgi.launcher.server;

import java.io.Closeable;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.github.jettyuwsgi.uwsgi.UwsgiConnectionFactory;
import io.github.jettyuwsgi.uwsgi.UwsgiUnixDomainConnector;
import io.github.jettyuwsgi.uwsgi.codec.UwsgiGenerator;
import org.eclipse.jetty.server.AbstractConnector;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.IO;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The launcher's graceful stop (SIGTERM, {@code master-fifo q}), run by a shutdown hook in place of Jetty's: the
 * sockets that can be drained are drained first, and only then does Jetty's graceful stop begin, whose
 * {@code GracefulHandler} answers 503 to any request that still arrives. Draining serves every connection that
 * reached this process and lets none arrive after:
 *
 * <pre>
 * Unix socket the launcher bound   the socket file is renamed away: a frontend's connect now fails (ENOENT), which
 *                                  nginx retries on another server even for a POST; a uwsgi ping through the new
 *                                  name comes back once everything queued before it was accepted; then the
 *                                  connector stops accepting and waits until its connections are done
 * socket inherited (activation)    the connector closes its copy at once: new connections wait in the backlog of the
 *                                  socket the service manager holds, for the next process; it waits until its
 *                                  connections are done
 * TCP socket the launcher bound    Jetty's stop: closing it resets what is in its backlog (use socket activation)
 * </pre>
 *
 * <p>Everything is bounded by the server's stop timeout; a stop timeout of 0 ({@code master-fifo Q}) skips the
 * drain.</p>
 */
public final class DrainFirstStop
{
    private static final Logger LOG = LoggerFactory.getLogger(DrainFirstStop.class);
    /** How long the connections of a drained connector must stay at none before it counts as drained. */
    private static final long SETTLE_MILLIS = 50;

    private final Server server;

    DrainFirstStop(Server server)
    {
        this.server = server;
    }

    /**
     * Replaces Jetty's stop-at-shutdown with this stop.
     *
     * @param server the started server
     * @param beforeStop what to do first (tell the service manager)
     */
    public static void install(Server server, Runnable beforeStop)
    {
        server.setStopAtShutdown(false);
        DrainFirstStop stop = new DrainFirstStop(server);
        Runtime.getRuntime().addShutdownHook(new Thread(() ->
        {
            beforeStop.run();
            stop.stop();
        }, "jetty-uwsgi-stop"));
    }

    /**
     * Drains, then stops the server.
     */
    void stop()
    {
        try
        {
            long timeout = server.getStopTimeout();
            if (timeout > 0 && server.isStarted())
                drain(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeout));
        }
        catch (RuntimeException x)
        {
            LOG.warn("drain failed, stopping: {}", x.toString(), x);
        }
        try
        {
            server.stop();
        }
        catch (Exception x)
        {
            LOG.warn("stop failed: {}", x.toString(), x);
        }
    }

    void drain(long deadline)
    {
        long start = System.nanoTime();
        List<AbstractConnector> drained = new ArrayList<>();
        for (Connector connector : server.getConnectors())
        {
            if (connector instanceof UwsgiUnixDomainConnector unix && !unix.isInheritChannel())
            {
                closeDoor(unix, deadline);
                drained.add(unix);
            }
            else if (connector instanceof UwsgiUnixDomainConnector || connector instanceof ServerConnector tcp && tcp.isInheritChannel())
            {
                drained.add((AbstractConnector)connector);
            }
        }
        if (drained.isEmpty())
            return;
        // closed before the shutdown, which interrupts the acceptors: an interrupt that meets accept() as it returns a
        // connection loses that connection, a close does not
        drained.forEach(DrainFirstStop::closeListeningChannel);
        List<CompletableFuture<Void>> done = drained.stream().map(AbstractConnector::shutdown).toList();
        for (int i = 0; i < drained.size(); i++)
        {
            await(drained.get(i), done.get(i), deadline);
        }
        LOG.info("stop: {} socket(s) drained in {} ms, every connection they accepted served; now stopping", drained.size(),
            TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
    }

    /**
     * Moves the socket file away, so that no new connection arrives, and waits until the connections already queued
     * have been accepted.
     */
    private static void closeDoor(UwsgiUnixDomainConnector connector, long deadline)
    {
        Path path = connector.getUnixDomainPath();
        Path hidden = path.resolveSibling("." + path.getFileName() + ".draining-" + ProcessHandle.current().pid());
        try
        {
            Files.move(path, hidden, StandardCopyOption.ATOMIC_MOVE);
        }
        catch (IOException x)
        {
            LOG.warn("stop: cannot move {} away to drain it ({}); stopping it as it is", path, x.toString());
            return;
        }
        // the stop deletes this name, never a socket that a new process has meanwhile bound at the old path
        connector.setUnixDomainPath(hidden);
        if (connector.getConnectionFactory(UwsgiConnectionFactory.class) == null)
            return;
        try
        {
            ping(hidden, deadline);
        }
        catch (IOException | TimeoutException x)
        {
            LOG.warn("stop: {} did not answer a ping while draining ({}); stopping it", path, x.toString());
        }
    }

    /**
     * Stops this process's accepting; an inherited socket stays open in the service manager, with its backlog.
     */
    private static void closeListeningChannel(AbstractConnector connector)
    {
        if (connector instanceof ServerConnector tcp)
            tcp.close();
        else if (connector.getTransport() instanceof Closeable channel)
            IO.close(channel);
    }

    /**
     * A uwsgi ping on a new connection: the listening socket's queue is first in, first out, so once it is answered
     * every connection queued before it has been accepted.
     */
    static void ping(Path socket, long deadline) throws IOException, TimeoutException
    {
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX); Selector selector = Selector.open())
        {
            channel.connect(UnixDomainSocketAddress.of(socket));
            ByteBuffer ping = UwsgiGenerator.ping();
            while (ping.hasRemaining())
            {
                channel.write(ping);
            }
            channel.configureBlocking(false);
            channel.register(selector, SelectionKey.OP_READ);
            ByteBuffer pong = ByteBuffer.allocate(4);
            while (pong.hasRemaining())
            {
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0)
                    throw new TimeoutException("no pong before the stop timeout");
                selector.select(left);
                selector.selectedKeys().clear();
                if (channel.read(pong) < 0)
                    throw new IOException("closed after " + pong.position() + " bytes of the pong");
            }
        }
    }

    private static void await(AbstractConnector connector, CompletableFuture<Void> done, long deadline)
    {
        try
        {
            done.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            // an accepted connection reaches the connector's count from a selector thread: it must stay at none
            while (System.nanoTime() - deadline < 0)
            {
                Thread.sleep(SETTLE_MILLIS);
                if (connector.getConnectedEndPoints().isEmpty())
                    return;
            }
        }
        catch (TimeoutException x)
        {
            LOG.warn("stop: {} still has {} connection(s) at the stop timeout", connector, connector.getConnectedEndPoints().size());
        }
        catch (ExecutionException x)
        {
            LOG.warn("stop: draining {} failed: {}", connector, x.getCause().toString());
        }
        catch (InterruptedException x)
        {
            Thread.currentThread().interrupt();
        }
    }
}

package io.github.jettyuwsgi.launcher.server;

import java.io.Closeable;
import java.io.IOException;
import java.net.InetSocketAddress;
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
import io.github.jettyuwsgi.uwsgi.log.UwsgiRequestLog;
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
 * socket inherited (activation)    the connector stops accepting at once: new connections wait in the backlog of the
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
    /** A drained connector's connections must stay at none for SETTLE_ROUNDS checks SETTLE_MILLIS apart. */
    private static final long SETTLE_MILLIS = 50;
    private static final int SETTLE_ROUNDS = 3;

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
        // the lines of the requests drained are out before Jetty closes an inherited socket, after which the JDK points
        // standard output and error at /dev/null
        if (server.getRequestLog() instanceof UwsgiRequestLog requestLog)
            requestLog.flush();
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
        List<CompletableFuture<Void>> done = new ArrayList<>();
        for (Connector connector : server.getConnectors())
        {
            if (connector instanceof UwsgiUnixDomainConnector unix && !unix.isInheritChannel())
            {
                closeDoor(unix, deadline);
                // closed before the shutdown, which interrupts the acceptors: an interrupt that meets accept() as it
                // returns a connection loses that connection, a close does not
                IO.close((Closeable)unix.getTransport());
                drained.add(unix);
                done.add(unix.shutdown());
            }
            else if (connector instanceof UwsgiUnixDomainConnector || connector instanceof ServerConnector tcp && tcp.isInheritChannel())
            {
                AbstractConnector inherited = (AbstractConnector)connector;
                stopAccepting(inherited);
                drained.add(inherited);
                done.add(inherited.getConnectionFactory(UwsgiConnectionFactory.class) != null ? null : closeKeptAlive(inherited));
            }
        }
        if (drained.isEmpty())
            return;
        for (int i = 0; i < drained.size(); i++)
        {
            await(drained.get(i), done.get(i), deadline);
        }
        LOG.info("stop: {} socket(s) drained in {} ms, every connection they accepted served; now stopping", drained.size(),
            TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
    }

    /**
     * Stops the acceptors of an inherited socket without closing it: closing the channel the JVM inherited points its
     * standard output and error at /dev/null (the JDK detaches them, as for inetd), and interrupting an acceptor
     * blocked in accept() can lose the connection it is being handed. The acceptors are told to stop, and each is woken
     * by a connection of this process's own; after one more accept each waits, and what is queued behind stays in the
     * socket for the next launcher (the wake-up connections too, which it closes as empty).
     */
    private static void stopAccepting(AbstractConnector connector)
    {
        connector.setAccepting(false);
        for (int i = 0; i < Math.max(1, connector.getAcceptors()); i++)
        {
            try (SocketChannel wakeUp = connector instanceof UwsgiUnixDomainConnector unix ? SocketChannel.open(UnixDomainSocketAddress.of(unix.getUnixDomainPath())) :
                SocketChannel.open(new InetSocketAddress(wakeUpHost((ServerConnector)connector), ((ServerConnector)connector).getLocalPort())))
            {
                LOG.debug("stop: woke an acceptor of {} through {}", connector, wakeUp);
            }
            catch (IOException x)
            {
                LOG.warn("stop: cannot wake the acceptors of {} ({}); they stop with the server", connector, x.toString());
                return;
            }
        }
    }

    /**
     * HTTP keeps connections open between requests: the connector's shutdown makes every response close its
     * connection. It interrupts the acceptors, which must be waiting by then, not in accept().
     */
    private static CompletableFuture<Void> closeKeptAlive(AbstractConnector connector)
    {
        try
        {
            Thread.sleep(SETTLE_MILLIS * SETTLE_ROUNDS);
        }
        catch (InterruptedException x)
        {
            Thread.currentThread().interrupt();
        }
        return connector.shutdown();
    }

    private static String wakeUpHost(ServerConnector connector)
    {
        String host = connector.getHost();
        return host == null || host.isEmpty() || host.equals("0.0.0.0") || host.equals("::") ? "127.0.0.1" : host;
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

    /**
     * Waits until the connector's connections are done: its shutdown's future, or (null) its connection count, which
     * must then stay at none for a moment, as an acceptor may still hand one over.
     */
    private static void await(AbstractConnector connector, CompletableFuture<Void> done, long deadline)
    {
        try
        {
            if (done != null)
                done.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            // an accepted connection reaches the connector's count from a selector thread: it must stay at none
            int quiet = 0;
            while (quiet < SETTLE_ROUNDS)
            {
                if (System.nanoTime() - deadline > 0)
                    throw new TimeoutException();
                Thread.sleep(SETTLE_MILLIS);
                quiet = connector.getConnectedEndPoints().isEmpty() ? quiet + 1 : 0;
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

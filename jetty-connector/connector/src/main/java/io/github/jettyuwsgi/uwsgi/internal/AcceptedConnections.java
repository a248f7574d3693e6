package io.github.jettyuwsgi.uwsgi.internal;

import java.io.IOException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import io.github.jettyuwsgi.uwsgi.UwsgiConnectionFactory;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.io.ManagedSelector;
import org.eclipse.jetty.io.SelectorManager;
import org.eclipse.jetty.server.AbstractConnector;
import org.eclipse.jetty.util.IO;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens the connections a uwsgi connector's acceptors accept without going through the selector. An acceptor serves
 * the connection it accepted itself while another acceptor waits to accept (see {@link AcceptorThreads}): it makes the
 * {@link AcceptedEndPoint} and the connection and opens them, so the connection's first read (see
 * {@code UwsgiConnection.onOpen}), the request and the close happen on the thread that accepted, with no hand-off.
 * Otherwise it hands the channel to one pool thread, which does the same. The end point joins a selector of the
 * connector only if it has to wait.
 *
 * <p>It does for these connections what Jetty's selector does for the ones it accepts: the connector's idle timeout,
 * its default connection factory, the accept listeners among its beans, and its end-point bookkeeping (which graceful
 * shutdown waits on) when the end point opens and closes.</p>
 */
public final class AcceptedConnections
{
    private static final Logger LOG = LoggerFactory.getLogger(AcceptedConnections.class);

    private final AbstractConnector connector;
    private final Consumer<EndPoint> opened;
    private final Consumer<AcceptedEndPoint> closed;
    private final AtomicInteger nextSelector = new AtomicInteger();
    private final AcceptorThreads acceptors = new AcceptorThreads();
    private volatile ManagedSelector[] selectors = new ManagedSelector[0];
    private volatile List<SelectorManager.AcceptListener> acceptListeners = List.of();
    /** Decided at start, before the acceptors run (they read it): see {@link #isDirect()}. */
    private volatile boolean direct;

    /**
     * @param connector the connector that accepts
     * @param opened its {@code onEndPointOpened}
     * @param closed its {@code onEndPointClosed}
     */
    public AcceptedConnections(AbstractConnector connector, Consumer<EndPoint> opened, Consumer<EndPoint> closed)
    {
        this.connector = connector;
        this.opened = opened;
        this.closed = endPoint ->
        {
            Connection connection = endPoint.getConnection();
            try
            {
                if (connection != null)
                    connection.onClose(null);
            }
            catch (Throwable x)
            {
                LOG.warn("uwsgi: failure closing {}", connection, x);
            }
            finally
            {
                closed.accept(endPoint);
            }
        };
    }

    /**
     * Called when the connector starts, before its acceptors run: the selectors of a previous run are gone, and the new
     * ones are looked up when the first connection needs one (they start with the connector, after this).
     */
    public void start()
    {
        selectors = new ManagedSelector[0];
        direct = connector.getDefaultConnectionFactory() instanceof UwsgiConnectionFactory && connector.getAcceptors() > 0;
        acceptors.start(connector.getAcceptors());
        // what the selector manager would tell of each accepted socket (connection limits, accept counters)
        acceptListeners = List.copyOf(connector.getBeans(SelectorManager.AcceptListener.class));
    }

    /**
     * How a connector sets up a socket it accepted (buffer sizes, no-delay...), as its own {@code configure} does.
     */
    @FunctionalInterface
    public interface SocketSetup
    {
        void configure(SocketChannel channel) throws IOException;
    }

    /**
     * One turn of a uwsgi connector's acceptor: accepts a connection on the listening channel, sets it up as the
     * connector would, and serves it on this thread when another acceptor is waiting to accept (see
     * {@link AcceptorThreads}), or else hands it to {@link #serve(SocketChannel)}. Both connectors call it from their
     * {@code accept(int)}, since their Jetty superclasses share no place to put it.
     *
     * @param acceptorID the id Jetty gives the calling acceptor
     * @param transport the connector's listening channel; nothing is done once it is closed
     * @param setup the connector's own socket set-up
     * @throws IOException if the accept or the set-up fails (the accepted channel is closed)
     */
    public void accept(int acceptorID, Object transport, SocketSetup setup) throws IOException
    {
        if (!(transport instanceof ServerSocketChannel server) || !server.isOpen())
            return;
        AcceptorThreads.Slot acceptor = acceptors.begin(acceptorID);
        SocketChannel channel;
        try
        {
            // checked again now that a stop can see this acceptor: Jetty's loop checked before it could
            if (!connector.isRunning() || connector.isShutdown())
                return;
            channel = server.accept();
        }
        finally
        {
            acceptor.accepted();
        }
        try
        {
            channel.configureBlocking(false);
            setup.configure(channel);
        }
        catch (IOException x)
        {
            channel.close();
            throw x;
        }
        if (!acceptor.serveHere())
        {
            serve(channel);
            return;
        }
        try
        {
            open(channel);
        }
        finally
        {
            acceptor.served();
        }
    }

    /**
     * @return whether the connector's acceptors call {@link #accept(int, Object, SocketSetup)}: its default protocol is
     * uwsgi and it has acceptor threads; else it accepts as Jetty's connector does
     */
    public boolean isDirect()
    {
        return direct;
    }

    /**
     * What the connectors' {@code interruptAcceptors()} does: interrupts the acceptors that are not serving a
     * connection (all of them when the connector is not {@link #isDirect() direct}, since none ever serves).
     *
     * @param interruptAll Jetty's own, which interrupts them all
     */
    public void interruptAcceptors(Runnable interruptAll)
    {
        if (direct)
            acceptors.interrupt(interruptAll);
        else
            interruptAll.run();
    }

    private ManagedSelector nextSelector()
    {
        ManagedSelector[] all = selectors;
        if (all.length == 0)
        {
            all = List.copyOf(connector.getContainedBeans(ManagedSelector.class)).toArray(ManagedSelector[]::new);
            if (all.length == 0)
                throw new IllegalStateException("selectors of " + connector + ": none (expected: a started connector)");
            selectors = all;
        }
        return all[Math.floorMod(nextSelector.getAndIncrement(), all.length)];
    }

    /**
     * @param channel a channel the acceptor has just accepted and configured, in non-blocking mode
     */
    public void serve(SocketChannel channel)
    {
        try
        {
            connector.getExecutor().execute(() -> open(channel));
        }
        catch (RejectedExecutionException x)
        {
            LOG.warn("uwsgi: no thread to serve an accepted connection on {}; closing it", connector);
            IO.close(channel);
        }
    }

    private void open(SocketChannel channel)
    {
        for (SelectorManager.AcceptListener listener : acceptListeners)
        {
            try
            {
                listener.onAccepting(channel);
                listener.onAccepted(channel);
            }
            catch (Throwable x)
            {
                LOG.warn("uwsgi: accept listener {} failed", listener, x);
            }
        }
        AcceptedEndPoint endPoint;
        Connection connection;
        try
        {
            endPoint = new AcceptedEndPoint(channel, nextSelector(), connector.getScheduler(), closed);
            endPoint.setIdleTimeout(connector.getIdleTimeout());
            connection = connector.getDefaultConnectionFactory().newConnection(connector, endPoint);
        }
        catch (Throwable x)
        {
            LOG.warn("uwsgi: could not make a connection for {}; closing it", channel, x);
            IO.close(channel);
            return;
        }
        endPoint.setConnection(connection);
        endPoint.onOpen();
        opened.accept(endPoint);
        try
        {
            connection.onOpen();
            // this thread leaves the connection: if it is still open (an async request, an upgrade), it may sit idle
            if (endPoint.isOpen())
                endPoint.startIdleTimeout();
        }
        catch (Throwable x)
        {
            if (connector.isRunning())
                LOG.warn("uwsgi: failure opening {}", connection, x);
            else if (LOG.isDebugEnabled())
                LOG.debug("uwsgi: failure opening {}", connection, x);
            endPoint.close(x);
        }
    }
}

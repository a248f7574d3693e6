package io.github.jettyuwsgi.uwsgi;

import java.io.IOException;

import io.github.jettyuwsgi.uwsgi.internal.AcceptedConnections;
import org.eclipse.jetty.server.ConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.ProcessorUtils;
import org.eclipse.jetty.util.annotation.ManagedObject;
import org.eclipse.jetty.util.annotation.Name;

/**
 * A TCP connector for uwsgi frontends: Jetty's {@link ServerConnector}, except that a connection accepted for the
 * {@link UwsgiConnectionFactory} is served before it is registered with a selector, by the acceptor that accepted it
 * while another acceptor waits to accept, else by a pool thread (frontends open one connection per request and write
 * the whole packet at once, so most requests are read, answered and closed on one thread without the selector). It
 * runs one acceptor per CPU (2 to 4) unless told otherwise. With another default protocol, or with no acceptor threads, it is a plain
 * {@code ServerConnector}.
 */
@ManagedObject("uwsgi TCP connector")
public class UwsgiServerConnector extends ServerConnector
{
    /** The most acceptor threads a uwsgi connector runs when not told how many. */
    public static final int MAX_DEFAULT_ACCEPTORS = 4;

    private final AcceptedConnections accepted = new AcceptedConnections(this, this::onEndPointOpened, this::onEndPointClosed);

    public UwsgiServerConnector(@Name("server") Server server, @Name("factories") ConnectionFactory... factories)
    {
        this(server, -1, -1, factories);
    }

    public UwsgiServerConnector(@Name("server") Server server, @Name("acceptors") int acceptors, @Name("selectors") int selectors, @Name("factories") ConnectionFactory... factories)
    {
        super(server, acceptors < 0 ? defaultAcceptors() : acceptors, selectors, factories);
    }

    /**
     * The acceptor threads of a uwsgi connector not told how many (TCP or Unix): one per CPU, at least two and at most
     * {@value #MAX_DEFAULT_ACCEPTORS}, so that some serve the connections they accepted while another accepts the
     * next; one on a single CPU (connections are then handed to the pool), since Jetty warns of more acceptors than
     * CPUs.
     *
     * @return the number of acceptors
     */
    public static int defaultAcceptors()
    {
        int cpus = ProcessorUtils.availableProcessors();
        return cpus < 2 ? 1 : Math.min(MAX_DEFAULT_ACCEPTORS, cpus);
    }

    @Override
    protected void doStart() throws Exception
    {
        accepted.start();
        super.doStart();
    }

    @Override
    public void accept(int acceptorID) throws IOException
    {
        if (!accepted.isDirect())
        {
            super.accept(acceptorID);
            return;
        }
        accepted.accept(acceptorID, getTransport(), channel -> configure(channel.socket()));
    }

    /**
     * Leaves an acceptor that is serving a connection alone: the interrupt would reach the application running on it.
     */
    @Override
    protected void interruptAcceptors()
    {
        accepted.interruptAcceptors(super::interruptAcceptors);
    }
}

package io.github.jettyuwsgi.uwsgi;

import java.io.IOException;

import io.github.jettyuwsgi.uwsgi.internal.AcceptedConnections;
import org.eclipse.jetty.server.ConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
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
    private final AcceptedConnections accepted = new AcceptedConnections(this, this::onEndPointOpened, this::onEndPointClosed);
    /** Decided before the acceptors start (they read it), from the default protocol. */
    private boolean direct;

    public UwsgiServerConnector(@Name("server") Server server, @Name("factories") ConnectionFactory... factories)
    {
        this(server, -1, -1, factories);
    }

    public UwsgiServerConnector(@Name("server") Server server, @Name("acceptors") int acceptors, @Name("selectors") int selectors, @Name("factories") ConnectionFactory... factories)
    {
        super(server, AcceptedConnections.acceptors(acceptors), selectors, factories);
    }

    @Override
    protected void doStart() throws Exception
    {
        accepted.start();
        direct = getDefaultConnectionFactory() instanceof UwsgiConnectionFactory && getAcceptors() > 0;
        super.doStart();
    }

    @Override
    public void accept(int acceptorID) throws IOException
    {
        if (!direct)
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
        accepted.interruptAcceptors(direct, super::interruptAcceptors);
    }
}

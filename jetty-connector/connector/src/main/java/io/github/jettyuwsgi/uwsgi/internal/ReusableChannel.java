package io.github.jettyuwsgi.uwsgi.internal;

import java.net.SocketAddress;
import java.util.Set;

import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.server.ConnectionMetaData;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpChannel;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.util.HostPort;

/**
 * A Jetty {@link HttpChannel} and a {@link ResponseSender} that serve the requests of many uwsgi connections, one after
 * another, as a keepalive HTTP connection's channel and sender serve its requests: with the {@code ConnectionMetaData}
 * the channel was made with, which answers for the connection it is {@linkplain #bind bound} to.
 *
 * <p>A channel is made with the metadata of its connection and cannot be given another, and a uwsgi connection carries
 * one request, so without this every request would make a channel and its parts (locks, invokers, the response's
 * header list) for a single use. {@link ChannelPool} hands one to each request and takes it back once the request is
 * complete and its channel recycled; what may still reach a channel after that is shut out by
 * {@link UwsgiConnection}, which stops passing events to it before it gives it back.</p>
 */
final class ReusableChannel implements ConnectionMetaData
{
    private static final HttpChannel.Factory CHANNEL_FACTORY = new HttpChannel.DefaultFactory();

    /** The channel runs its tasks on this connector's executor, which it takes when it is made. */
    private final Connector connector;
    private final HttpChannel channel;
    /** The writer of the responses: like the channel, used by one request at a time. */
    private final ResponseSender sender = new ResponseSender();
    private UwsgiConnection connection;

    /**
     * @param connection the connection whose request the new channel serves first
     */
    ReusableChannel(UwsgiConnection connection)
    {
        this.connection = connection;
        this.connector = connection.getConnector();
        this.channel = CHANNEL_FACTORY.newHttpChannel(this);
    }

    /**
     * @return whether the channel may serve a request of {@code connection}: one of the connector it was made for
     */
    boolean fits(UwsgiConnection connection)
    {
        return connection.getConnector() == connector;
    }

    /**
     * @param connection the connection whose request the channel serves next; what that connection tells Jetty about
     * itself, the channel now tells too
     */
    void bind(UwsgiConnection connection)
    {
        this.connection = connection;
    }

    HttpChannel channel()
    {
        return channel;
    }

    /**
     * @return the sender for the response of the request the channel serves, bound to its connection
     */
    ResponseSender sender()
    {
        return sender.bind(connection.getEndPoint(), connection.getBufferPool(), connection.isUseOutputDirectByteBuffers(),
            connection.getHttpConfiguration(), connection::countOut);
    }

    void unbind()
    {
        connection = null;
    }

    @Override
    public String getId()
    {
        return connection.getId();
    }

    @Override
    public HttpConfiguration getHttpConfiguration()
    {
        return connection.getHttpConfiguration();
    }

    @Override
    public HttpVersion getHttpVersion()
    {
        return connection.getHttpVersion();
    }

    @Override
    public String getProtocol()
    {
        return connection.getProtocol();
    }

    @Override
    public Connection getConnection()
    {
        return connection;
    }

    @Override
    public Connector getConnector()
    {
        return connection.getConnector();
    }

    @Override
    public boolean isPersistent()
    {
        return connection.isPersistent();
    }

    @Override
    public boolean isSecure()
    {
        return connection.isSecure();
    }

    @Override
    public SocketAddress getRemoteSocketAddress()
    {
        return connection.getRemoteSocketAddress();
    }

    @Override
    public SocketAddress getLocalSocketAddress()
    {
        return connection.getLocalSocketAddress();
    }

    @Override
    public HostPort getServerAuthority()
    {
        return connection.getServerAuthority();
    }

    @Override
    public Object removeAttribute(String name)
    {
        return connection.removeAttribute(name);
    }

    @Override
    public Object setAttribute(String name, Object attribute)
    {
        return connection.setAttribute(name, attribute);
    }

    @Override
    public Object getAttribute(String name)
    {
        return connection.getAttribute(name);
    }

    @Override
    public Set<String> getAttributeNameSet()
    {
        return connection.getAttributeNameSet();
    }

    @Override
    public void clearAttributes()
    {
        connection.clearAttributes();
    }

    @Override
    public String toString()
    {
        return "%s@%x[%s]".formatted(getClass().getSimpleName(), hashCode(), connection);
    }
}

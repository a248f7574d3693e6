package io.github.jettyuwsgi.uwsgi.internal;

import java.net.SocketAddress;
import java.util.Set;
import java.util.function.LongConsumer;

import io.github.jettyuwsgi.uwsgi.UwsgiRequest;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.server.ConnectionMetaData;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpChannel;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.util.Attributes;
import org.eclipse.jetty.util.StringUtil;

/**
 * A Jetty {@link HttpChannel} and a {@link ResponseSender} that serve the requests of many uwsgi connections, one after
 * another, as a keepalive HTTP connection's channel and sender serve its requests; and the {@code ConnectionMetaData}
 * the channel was made with, which answers Jetty's questions about the connection of the request it is
 * {@linkplain #bind bound} to: the client's address, the protocol and security from the packet's vars rather than from
 * the socket, which only ever sees the frontend.
 *
 * <p>A channel is made with the metadata of its connection and cannot be given another, and a uwsgi connection carries
 * one request, so without this every request would make a channel and its parts (locks, invokers, the response's
 * header list) for a single use. {@link ChannelPool} hands one to each request and takes it back once the request is
 * complete and its channel recycled; what may still reach a channel after that is shut out by
 * {@link HttpStreamOverUwsgi}, which stops passing events to it before it is given back.</p>
 */
final class ReusableChannel implements ConnectionMetaData
{
    private static final HttpChannel.Factory CHANNEL_FACTORY = new HttpChannel.DefaultFactory();

    /** The channel runs its tasks on this connector's executor, which it takes when it is made. */
    private final Connector connector;
    private final HttpChannel channel;
    /** The writer of the responses: like the channel, used by one request at a time. */
    private final ResponseSender sender = new ResponseSender();
    /** The bytes the sender writes, counted by the bound connection: made once, not per request. */
    private final LongConsumer bytesOut = bytes -> this.connection.countOut(bytes);
    private UwsgiConnection connection;
    /** The request as the frontend received it, or null for a packet whose vars describe none (answered 400). */
    private UwsgiRequest request;
    /** Made when Jetty first asks: most requests never do, and a random id per request is measurable. */
    private String id;
    /** Made when the first is set: hardly any request sets one. Guarded by this. */
    private Attributes attributes;

    /**
     * @param connection the connection whose request the new channel serves first
     * @param request that request
     */
    ReusableChannel(UwsgiConnection connection, UwsgiRequest request)
    {
        this.connection = connection;
        this.request = request;
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
     * @param connection the connection whose request the channel serves next
     * @param request that request, or null when its vars describe none
     */
    void bind(UwsgiConnection connection, UwsgiRequest request)
    {
        this.connection = connection;
        this.request = request;
        this.id = null;
        synchronized (this)
        {
            attributes = null;
        }
    }

    void unbind()
    {
        bind(null, null);
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
            connection.getHttpConfiguration(), bytesOut);
    }

    @Override
    public String getId()
    {
        if (id == null)
            id = StringUtil.randomAlphaNumeric(16);
        return id;
    }

    @Override
    public HttpConfiguration getHttpConfiguration()
    {
        return connection.getHttpConfiguration();
    }

    @Override
    public HttpVersion getHttpVersion()
    {
        return request == null ? HttpVersion.HTTP_1_1 : request.metaData().getHttpVersion();
    }

    @Override
    public String getProtocol()
    {
        return request == null ? HttpVersion.HTTP_1_1.asString() : request.protocol();
    }

    @Override
    public Connection getConnection()
    {
        return connection;
    }

    @Override
    public Connector getConnector()
    {
        return connector;
    }

    /**
     * @return false: a uwsgi connection carries one request
     */
    @Override
    public boolean isPersistent()
    {
        return false;
    }

    @Override
    public boolean isSecure()
    {
        return request != null && request.secure();
    }

    @Override
    public SocketAddress getRemoteSocketAddress()
    {
        return request != null && request.remoteAddress() != null ? request.remoteAddress() : connection.getEndPoint().getRemoteSocketAddress();
    }

    @Override
    public SocketAddress getLocalSocketAddress()
    {
        return request != null && request.localAddress() != null ? request.localAddress() : connection.getEndPoint().getLocalSocketAddress();
    }

    @Override
    public Object removeAttribute(String name)
    {
        Attributes current = attributes(false);
        return current == null ? null : current.removeAttribute(name);
    }

    @Override
    public Object setAttribute(String name, Object attribute)
    {
        return attributes(true).setAttribute(name, attribute);
    }

    @Override
    public Object getAttribute(String name)
    {
        Attributes current = attributes(false);
        return current == null ? null : current.getAttribute(name);
    }

    @Override
    public Set<String> getAttributeNameSet()
    {
        Attributes current = attributes(false);
        return current == null ? Set.of() : current.getAttributeNameSet();
    }

    @Override
    public void clearAttributes()
    {
        Attributes current = attributes(false);
        if (current != null)
            current.clearAttributes();
    }

    private synchronized Attributes attributes(boolean make)
    {
        if (attributes == null && make)
            attributes = new Attributes.Lazy();
        return attributes;
    }

    @Override
    public String toString()
    {
        return "%s@%x[%s]".formatted(getClass().getSimpleName(), hashCode(), connection);
    }
}

package io.github.jettyuwsgi.uwsgi;

import java.net.InetSocketAddress;
import java.util.function.Function;

import io.github.jettyuwsgi.uwsgi.codec.BodyFraming;
import io.github.jettyuwsgi.uwsgi.codec.UwsgiVars;
import org.eclipse.jetty.http.MetaData;
import org.eclipse.jetty.server.ConnectionMetaData;
import org.eclipse.jetty.server.HttpChannel;
import org.eclipse.jetty.server.HttpStream;

/**
 * One uwsgi packet's vars, read as the HTTP request the frontend received: the output of {@link UwsgiRequestMapping}.
 *
 * <p>{@link #dispatch} puts it into Jetty, the one way both the uwsgi connection and the in-process gateway host do
 * it; they answer Jetty's connection questions (remote address, secure, protocol) from the other fields, so both paths
 * see one request the same way.</p>
 *
 * @param metaData method, URI (with scheme and authority), version, headers and content length for Jetty
 * @param protocol the request protocol as the client spoke it ({@code SERVER_PROTOCOL}, e.g. {@code HTTP/2.0}); what
 * {@code ServletRequest.getProtocol()} returns
 * @param secure whether the client's connection to the frontend was HTTPS
 * @param remoteAddress the client address ({@code REMOTE_ADDR}/{@code REMOTE_PORT}), or null when the frontend sent none
 * @param localAddress the address the client connected to ({@code SERVER_ADDR}/{@code SERVER_PORT}), or null when unknown
 * @param framing how the body after the vars is delimited
 * @param vars the vars themselves, for the read-only request attribute
 */
public record UwsgiRequest(
    MetaData.Request metaData,
    String protocol,
    boolean secure,
    InetSocketAddress remoteAddress,
    InetSocketAddress localAddress,
    BodyFraming framing,
    UwsgiVars vars)
{
    /** Stateless, so one for every request rather than one per connection. */
    private static final HttpChannel.Factory CHANNEL_FACTORY = new HttpChannel.DefaultFactory();

    /**
     * Puts this request into Jetty: a new {@link HttpChannel} for {@code connection}, the stream that carries the
     * request's body and response, and the vars as the read-only request attribute
     * {@value UwsgiConnectionFactory#VARS_ATTRIBUTE}.
     *
     * @param connection the connection's metadata, answered from this request
     * @param streamFor makes the stream of the new channel (and may feed it the first content before the request runs)
     * @return the task that handles the request: run it to call the server's handlers
     */
    public Runnable dispatch(ConnectionMetaData connection, Function<HttpChannel, HttpStream> streamFor)
    {
        return dispatch(CHANNEL_FACTORY.newHttpChannel(connection), streamFor);
    }

    /**
     * Puts this request into Jetty on a channel that has no request: a new one, or one recycled after its last request.
     *
     * @param channel the channel, whose connection metadata answers from this request
     * @param streamFor makes the stream of the channel (and may feed it the first content before the request runs)
     * @return the task that handles the request: run it to call the server's handlers
     */
    public Runnable dispatch(HttpChannel channel, Function<HttpChannel, HttpStream> streamFor)
    {
        channel.setHttpStream(streamFor.apply(channel));
        Runnable task = channel.onRequest(metaData);
        channel.getRequest().setAttribute(UwsgiConnectionFactory.VARS_ATTRIBUTE, vars.asMap());
        return task;
    }
}

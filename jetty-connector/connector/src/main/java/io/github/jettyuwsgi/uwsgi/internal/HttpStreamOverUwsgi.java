package io.github.jettyuwsgi.uwsgi.internal;

import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.http.MetaData;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.HttpChannel;
import org.eclipse.jetty.server.HttpStream;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.Invocable;
import org.eclipse.jetty.util.thread.ThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Jetty's view of the one request on a {@link UwsgiConnection}: it hands body chunks to the application on demand and
 * passes the response to the {@link ResponseSender}.
 *
 * <p>Interim responses are swallowed here: nginx and Apache take any {@code 1xx} from a uwsgi backend as the final status
 * and the real response becomes garbage, and the frontend has already answered {@code Expect: 100-continue} itself. The
 * one exception is the {@code 101} of an upgrade (a WebSocket handshake), which {@link SwitchingProtocols} writes and
 * after which the connection becomes a tunnel.</p>
 */
class HttpStreamOverUwsgi implements HttpStream
{
    private static final Logger LOG = LoggerFactory.getLogger(HttpStreamOverUwsgi.class);
    /** Numbers the streams of the process, as Jetty's HTTP/1 connection numbers its own. */
    private static final AtomicLong STREAMS = new AtomicLong();

    private final long id = STREAMS.incrementAndGet();
    /** Made by the first demand that has to wait for bytes: most requests have their whole body, or none, at once. */
    private Callback demandCallback;
    private final UwsgiConnection connection;
    private final HttpChannel channel;
    private final ResponseSender sender;
    private Content.Chunk chunk;
    /** The 101 of an upgrade was sent: at completion the end point goes to the connection the application chose. */
    private boolean upgrading;
    /** The idle timeout of the request while it is not waiting for body bytes (then it is socket-timeout). */
    private volatile long idleTimeout;
    private volatile boolean awaitingBody;
    /** Set once the channel may go to another request: no event reaches it from this stream after. Guarded by this. */
    private boolean retired;

    /**
     * @param connection the connection of the request
     * @param reusable the channel the request runs on, and its response sender, both bound to {@code connection}
     */
    HttpStreamOverUwsgi(UwsgiConnection connection, ReusableChannel reusable)
    {
        this.connection = connection;
        this.channel = reusable.channel();
        this.sender = reusable.sender();
        // Dispatched: the application's time and the response are the request idle timeout's, not socket-timeout's.
        this.idleTimeout = connection.getRequestIdleTimeout();
        connection.getEndPoint().setIdleTimeout(idleTimeout);
    }

    /**
     * Passes an event from outside the request's own flow (the connection closing, the idle timeout, a failed read) to
     * the channel, unless the request is over and the channel may already serve another connection's request.
     *
     * @return what the channel returned, or null when the stream is retired
     */
    <T> T toChannel(Function<HttpChannel, T> event)
    {
        synchronized (this)
        {
            return retired ? null : event.apply(channel);
        }
    }

    /**
     * Called by the connection once the request is complete: from now on {@link #toChannel} passes nothing on, and an
     * event already passing has finished.
     */
    void retire()
    {
        synchronized (this)
        {
            retired = true;
        }
    }

    boolean hasChunk()
    {
        return chunk != null;
    }

    /**
     * Jetty asks for it with every request (its request id, and the Servlet request id after the connection's): a number,
     * unique in the process, where the connection's random id cost about 5% of a hello request's allocation.
     */
    @Override
    public String getId()
    {
        return Long.toString(id);
    }

    void onContent(Content.Chunk content)
    {
        // Retained because it is kept until the application reads it.
        content.retain();
        if (chunk != null)
            chunk.release();
        chunk = content;
    }

    @Override
    public Content.Chunk read()
    {
        if (chunk == null)
            connection.parseAndFill();
        Content.Chunk result = chunk;
        chunk = Content.Chunk.next(result);
        if (LOG.isDebugEnabled())
            LOG.debug("read {} on {}", result, this);
        return result;
    }

    @Override
    public void demand()
    {
        if (LOG.isDebugEnabled())
            LOG.debug("demand chunk={} on {}", chunk, this);
        if (chunk != null)
        {
            notifyContentAvailable();
            return;
        }
        connection.parseAndFill();
        if (chunk != null)
        {
            notifyContentAvailable();
            return;
        }
        awaitBody();
        if (demandCallback == null)
            demandCallback = new DemandCallback();
        connection.tryFillInterested(demandCallback);
    }

    /**
     * The application waits for body bytes the frontend has not sent: as while the packet arrived, the wait is bounded
     * by socket-timeout (uWSGI bounds its body reads the same way), so a stalled body cannot hold a blocked reader.
     */
    private void awaitBody()
    {
        awaitingBody = true;
        connection.getEndPoint().setIdleTimeout(connection.getSocketTimeout());
    }

    private void bodyArrived()
    {
        awaitingBody = false;
        connection.getEndPoint().setIdleTimeout(idleTimeout);
    }

    boolean isAwaitingBody()
    {
        return awaitingBody;
    }

    private void notifyContentAvailable()
    {
        Runnable onContentAvailable = toChannel(HttpChannel::onContentAvailable);
        if (onContentAvailable != null)
            onContentAvailable.run();
    }

    @Override
    public void prepareResponse(HttpFields.Mutable headers)
    {
    }

    @Override
    public void send(MetaData.Request request, MetaData.Response response, boolean last, ByteBuffer content, Callback callback)
    {
        if (response != null && HttpStatus.isInformational(response.getStatus()))
        {
            if (SwitchingProtocols.isUpgrade(channel.getRequest(), response))
            {
                upgrading = true;
                SwitchingProtocols.sendHead(connection, response, callback);
                return;
            }
            if (LOG.isDebugEnabled())
                LOG.debug("uwsgi: not sending interim response {} on {}", response.getStatus(), connection);
            callback.succeeded();
            return;
        }
        sender.send(request, response, last, content, callback);
    }

    @Override
    public Runnable cancelSend(Throwable cause, Callback appCallback)
    {
        // One response per connection: a cancelled send leaves nothing worth keeping. Closing fails any pending write,
        // which fails the send's own callback.
        return () ->
        {
            connection.getEndPoint().close(cause);
            appCallback.failed(cause);
        };
    }

    @Override
    public long getIdleTimeout()
    {
        return idleTimeout;
    }

    @Override
    public void setIdleTimeout(long idleTimeoutMs)
    {
        idleTimeout = idleTimeoutMs;
        if (!awaitingBody)
            connection.getEndPoint().setIdleTimeout(idleTimeoutMs);
    }

    @Override
    public boolean isCommitted()
    {
        return upgrading || sender.isCommitted();
    }

    @Override
    public Throwable consumeAvailable()
    {
        Throwable result = HttpStream.consumeAvailable(this, channel.getConnectionMetaData().getHttpConfiguration());
        if (result != null)
        {
            if (chunk != null)
                chunk.release();
            chunk = Content.Chunk.from(result, true);
        }
        return result;
    }

    @Override
    public void succeeded()
    {
        releaseChunk();
        Connection upgraded = upgrading ? SwitchingProtocols.upgradeConnection(channel.getRequest()) : null;
        if (upgraded != null)
        {
            // As Jetty's HTTP/1.1 connection: hand the end point over first, then recycle the finished channel.
            connection.upgrade(upgraded);
            channel.recycle();
            return;
        }
        channel.recycle();
        connection.onCompleted(null);
    }

    @Override
    public void failed(Throwable x)
    {
        if (LOG.isDebugEnabled())
            LOG.debug("uwsgi: request failed on {}", connection, x);
        releaseChunk();
        connection.onCompleted(x);
    }

    private void releaseChunk()
    {
        if (chunk != null)
        {
            chunk.release();
            chunk = null;
        }
    }

    @Override
    public String toString()
    {
        return "%s@%x[%s]".formatted(getClass().getSimpleName(), hashCode(), connection);
    }

    private class DemandCallback implements Callback
    {
        @Override
        public void succeeded()
        {
            bodyArrived();
            connection.parseAndFill();
            if (chunk != null)
                notifyContentAvailable();
            else
            {
                awaitBody();
                connection.tryFillInterested(this);
            }
        }

        @Override
        public void failed(Throwable x)
        {
            Runnable task = toChannel(httpChannel -> httpChannel.onFailure(x));
            if (task != null)
                ThreadPool.executeImmediately(connection.executor(), task);
        }

        @Override
        public InvocationType getInvocationType()
        {
            return Invocable.getInvocationType(channel);
        }
    }
}

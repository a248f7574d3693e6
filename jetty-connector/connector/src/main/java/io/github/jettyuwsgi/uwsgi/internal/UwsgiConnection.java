package io.github.jettyuwsgi.uwsgi.internal;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.concurrent.atomic.AtomicLongFieldUpdater;

import io.github.jettyuwsgi.uwsgi.UwsgiConfiguration;
import io.github.jettyuwsgi.uwsgi.UwsgiConnectionFactory;
import io.github.jettyuwsgi.uwsgi.UwsgiRequest;
import io.github.jettyuwsgi.uwsgi.UwsgiRequestMapping;
import io.github.jettyuwsgi.uwsgi.codec.BodyFraming;
import io.github.jettyuwsgi.uwsgi.codec.KnownVars;
import io.github.jettyuwsgi.uwsgi.codec.Uwsgi;
import io.github.jettyuwsgi.uwsgi.codec.UwsgiException;
import io.github.jettyuwsgi.uwsgi.codec.UwsgiGenerator;
import io.github.jettyuwsgi.uwsgi.codec.UwsgiParser;
import io.github.jettyuwsgi.uwsgi.codec.UwsgiVars;
import io.github.jettyuwsgi.uwsgi.trust.FrontendTrust;
import org.eclipse.jetty.http.HttpException;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.io.AbstractConnection;
import org.eclipse.jetty.io.ByteBufferPool;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.io.RetainableByteBuffer;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpChannel;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.ThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One uwsgi connection from a frontend: reads exactly one packet, runs it through Jetty as a request, writes the HTTP
 * response and closes. What Jetty asks of the request's connection (the client's address, the protocol, security) the
 * request's {@link ReusableChannel} answers, from the packet's vars rather than from the socket, which only ever sees
 * the frontend.
 *
 * <p>Flow: {@code onFillable} fills the pooled input buffer and feeds the {@link UwsgiParser}; when the vars are complete
 * the request is mapped by {@link UwsgiRequestMapping} and dispatched in this thread. From then on the application pulls
 * the body through {@link HttpStreamOverUwsgi#read()}, which parses more only when asked (back-pressure). After the
 * response the output is shut down and the input drained until the frontend closes, so that unread body bytes never turn
 * the close into a reset that would cut the response short.</p>
 *
 * <p>How long the request's bytes may keep the connection waiting is {@code socket-timeout}, applied through the end
 * point's idle timeout while the packet arrives and while the application waits for body bytes (see
 * {@link #setSocketTimeout}); the rest of the time the connector's idle timeout applies, as to any Jetty request.</p>
 *
 * <p>The one exception to "one response, then close" is an upgrade: after the {@code 101} of a WebSocket handshake the
 * end point is handed to the connection the application chose ({@link SwitchingProtocols}).</p>
 */
public class UwsgiConnection extends AbstractConnection implements Connection.UpgradeFrom
{
    private static final Logger LOG = LoggerFactory.getLogger(UwsgiConnection.class);
    private static final AtomicLongFieldUpdater<UwsgiConnection> BYTES_IN =
        AtomicLongFieldUpdater.newUpdater(UwsgiConnection.class, "bytesIn");
    private static final AtomicLongFieldUpdater<UwsgiConnection> BYTES_OUT =
        AtomicLongFieldUpdater.newUpdater(UwsgiConnection.class, "bytesOut");
    private static final AtomicIntegerFieldUpdater<UwsgiConnection> COMPLETED =
        AtomicIntegerFieldUpdater.newUpdater(UwsgiConnection.class, "completed");

    private final Callback fillableCallback;
    /** Made by the first drain: most connections close without one. */
    private Callback drainCallback;
    private final Connector connector;
    private final HttpConfiguration httpConfiguration;
    private final ByteBufferPool bufferPool;
    private final UwsgiParser parser;
    private final FrontendTrust frontendTrust;
    private final ChannelPool channels;
    /** The channel of this connection's request, from {@link #channels}. */
    private ReusableChannel channel;
    private boolean useInputDirectByteBuffers;
    private boolean useOutputDirectByteBuffers;
    private RetainableByteBuffer inputBuffer;
    private HttpStreamOverUwsgi stream;
    private Runnable pendingTask;
    /** 1 once the response is complete (or failed, or the connection upgraded). */
    private volatile int completed;
    /**
     * Bytes read and written, as Jetty's ConnectionStatistics reads them when the connection closes: atomic adds on
     * fields, not counter objects, since one connection's reads (and writes) take turns rather than contend.
     */
    private volatile long bytesIn;
    private volatile long bytesOut;
    private boolean closeAfterParse;
    /** Set by onClose: no input buffer is taken after it. Guarded by this. */
    private boolean inputClosed;
    /** See {@link #setSocketTimeout}. */
    private long socketTimeout;
    private long requestIdleTimeout;
    private SocketTimeouts socketTimeouts;
    private volatile boolean socketTimedOut;

    public UwsgiConnection(Connector connector, EndPoint endPoint, HttpConfiguration httpConfiguration, UwsgiConfiguration uwsgiConfiguration,
                           KnownVars knownVars, ChannelPool channels)
    {
        super(endPoint, connector.getExecutor());
        this.connector = connector;
        this.httpConfiguration = httpConfiguration;
        this.fillableCallback = new FillableCallback();
        this.bufferPool = connector.getByteBufferPool();
        this.parser = new UwsgiParser(new ParserListener(), uwsgiConfiguration.getMaxVarsSize(), knownVars);
        this.frontendTrust = uwsgiConfiguration.getFrontendTrust();
        this.channels = channels;
    }

    public void setUseInputDirectByteBuffers(boolean useInputDirectByteBuffers)
    {
        this.useInputDirectByteBuffers = useInputDirectByteBuffers;
    }

    public boolean isUseOutputDirectByteBuffers()
    {
        return useOutputDirectByteBuffers;
    }

    public void setUseOutputDirectByteBuffers(boolean useOutputDirectByteBuffers)
    {
        this.useOutputDirectByteBuffers = useOutputDirectByteBuffers;
    }

    ByteBufferPool getBufferPool()
    {
        return bufferPool;
    }

    public Connector getConnector()
    {
        return connector;
    }

    public HttpConfiguration getHttpConfiguration()
    {
        return httpConfiguration;
    }

    // ---- reading ----

    @Override
    public void onOpen()
    {
        super.onOpen();
        // A frontend writes the whole packet as soon as it has connected, and every uwsgi request is a new connection.
        // Jetty opens a connection on a pool thread that may block (the selector hands the accepted channel over), so
        // read here at once: it usually finds the packet there, and the request runs without another hand-off or a
        // selector round trip. onFillable registers fill interest itself when nothing has arrived yet, which also
        // arms the idle timeout for a connection that never sends a packet.
        onFillable();
    }

    @Override
    public void onFillable()
    {
        try
        {
            while (true)
            {
                if (inputBuffer == null || inputBuffer.isEmpty())
                {
                    int filled = fill();
                    if (filled == 0)
                    {
                        releaseInputBufferIfEmpty();
                        fillInterested(fillableCallback);
                        return;
                    }
                    if (filled < 0)
                    {
                        onEndOfInput();
                        return;
                    }
                }
                boolean stop = parser.parse(inputBuffer.getByteBuffer());
                Runnable task = pendingTask;
                pendingTask = null;
                if (task != null)
                {
                    // Dispatched: from now on the application pulls the body through the stream.
                    releaseInputBufferIfEmpty();
                    task.run();
                    return;
                }
                if (stop || closeAfterParse)
                {
                    releaseInputBufferIfEmpty();
                    if (closeAfterParse)
                        closeUnread();
                    return;
                }
            }
        }
        catch (Throwable x)
        {
            LOG.warn("uwsgi: unexpected failure on {}", this, x);
            releaseInputBuffer();
            getEndPoint().close(x);
        }
    }

    private void onEndOfInput()
    {
        releaseInputBuffer();
        UwsgiException truncated = parser.atEOF();
        // a connection closed by socket-timeout has been reported already
        if (truncated != null && !socketTimedOut)
            LOG.warn("uwsgi: broken packet from {}: {}; closing", frontend(), truncated.getMessage());
        else if (LOG.isDebugEnabled())
            LOG.debug("uwsgi: frontend closed {} without sending a packet", this);
        getEndPoint().close();
    }

    /**
     * Parses and fills until the stream has a chunk or no more bytes are available now; it never registers for fill
     * interest, because the stream does that itself when the application demands more.
     */
    void parseAndFill()
    {
        HttpStreamOverUwsgi current = stream;
        while (current != null && !current.hasChunk())
        {
            if (inputBuffer != null && inputBuffer.hasRemaining())
            {
                parser.parse(inputBuffer.getByteBuffer());
                continue;
            }
            if (parser.getState() == UwsgiParser.State.END || parser.getState() == UwsgiParser.State.FAILED)
                return;
            int filled = fill();
            if (filled == 0)
            {
                releaseInputBufferIfEmpty();
                return;
            }
            if (filled < 0)
            {
                releaseInputBuffer();
                UwsgiException truncated = parser.atEOF();
                if (truncated != null)
                {
                    // The frontend gave up on the request (its client went away): as over HTTP, not worth a warning.
                    LOG.debug("uwsgi: early EOF from {}: {}", frontend(), truncated.getMessage());
                    current.onContent(Content.Chunk.from(new EarlyEofException(), true));
                }
                return;
            }
        }
    }

    private int countIn(int filled)
    {
        if (filled > 0)
            BYTES_IN.addAndGet(this, filled);
        return filled;
    }

    /**
     * @param bytes bytes handed to the end point for writing
     */
    void countOut(long bytes)
    {
        BYTES_OUT.addAndGet(this, bytes);
    }

    @Override
    public long getBytesIn()
    {
        return bytesIn;
    }

    @Override
    public long getBytesOut()
    {
        return bytesOut;
    }

    private int fill()
    {
        // A buffer still referenced by a chunk the application holds must not be overwritten: take a fresh one.
        if (inputBuffer != null && inputBuffer.isRetained() && inputBuffer.isEmpty())
            releaseInputBuffer();
        if (!acquireInputBuffer())
            return -1;
        try
        {
            return countIn(getEndPoint().fill(inputBuffer.getByteBuffer()));
        }
        catch (Throwable x)
        {
            if (LOG.isDebugEnabled())
                LOG.debug("uwsgi: could not fill {}", this, x);
            return -1;
        }
    }

    /**
     * @return whether there is an input buffer to fill: none once the connection is closed, because onClose, on
     * another thread, has released the last one
     */
    private synchronized boolean acquireInputBuffer()
    {
        if (inputClosed)
            return false;
        // Until the vars are parsed, read into the heap: the parser then decodes the vars in place instead of copying the
        // block out of a direct buffer (the JDK reads through its own cached direct buffer either way). The body, which
        // the application copies out anyway, is read into what the configuration asks for.
        if (inputBuffer == null)
            inputBuffer = bufferPool.acquire(getInputBufferSize(), useInputDirectByteBuffers && parser.isVarsComplete());
        return true;
    }

    private synchronized void releaseInputBufferIfEmpty()
    {
        if (inputBuffer != null && inputBuffer.isEmpty())
            releaseInputBuffer();
    }

    // Synchronized: the thread serving the connection and onClose (after a close from elsewhere: idle timeout, stop)
    // may both let go of the buffer; exactly one of them releases it.
    private synchronized void releaseInputBuffer()
    {
        if (inputBuffer != null)
        {
            inputBuffer.release();
            inputBuffer = null;
        }
    }

    /**
     * @return the frontend's end of the socket, for log lines: "127.0.0.1:40236", or "unix:/run/app.sock"
     */
    private String frontend()
    {
        SocketAddress peer = getEndPoint().getRemoteSocketAddress();
        if (peer instanceof InetSocketAddress inet)
            return inet.getHostString() + ":" + inet.getPort();
        SocketAddress local = getEndPoint().getLocalSocketAddress();
        return "unix:" + (local == null ? "?" : local.toString());
    }

    // ---- completion ----

    /**
     * Called by the stream when the response is complete (or failed). uwsgi has no keep-alive: close. When the
     * application left part of the body unread, shut the output first so the frontend sees the end of the response,
     * then read and discard until the frontend closes, so that the unread bytes cannot make the close a reset.
     */
    void onCompleted(Throwable failure)
    {
        if (COMPLETED.getAndSet(this, 1) == 1)
            return;
        HttpStreamOverUwsgi finished = stream;
        stream = null;
        releaseInputBuffer();
        if (failure != null)
        {
            getEndPoint().close(failure);
            return;
        }
        releaseChannel(finished);
        if (parser.getState() == UwsgiParser.State.END)
        {
            // The whole packet was read, so no unread bytes can turn the close into a reset: close at once and spare
            // a selector round trip on every request.
            getEndPoint().close();
            return;
        }
        getEndPoint().shutdownOutput();
        // waiting for the frontend to send the rest of the body or close is waiting for request bytes
        getEndPoint().setIdleTimeout(getSocketTimeout());
        drain();
    }

    /**
     * Gives the channel of a request that completed to the pool, once nothing of this connection can reach it any more:
     * the stream passes no event to it after {@link HttpStreamOverUwsgi#retire()}, and a read the application asked for
     * and never took (fill interest still pending) keeps the channel out of the pool, as Jetty's HTTP connection then
     * does not reuse its channel either.
     */
    private void releaseChannel(HttpStreamOverUwsgi finished)
    {
        ReusableChannel reusable = channel;
        channel = null;
        if (reusable == null || finished == null)
            return;
        finished.retire();
        if (!isFillInterested())
            channels.release(reusable);
    }

    /**
     * Closes after a packet that is refused with part of it unread: a close with unread bytes would be a reset, which can
     * reach the frontend before it has read the end of the stream, so shut the output and discard until the frontend
     * closes (or the idle timeout does).
     */
    private void closeUnread()
    {
        releaseInputBuffer();
        getEndPoint().shutdownOutput();
        drain();
    }

    /**
     * Reads and discards until the frontend closes. It uses a buffer of its own for each call, so a drain can never
     * race with anything that still holds the connection's input buffer.
     */
    private void drain()
    {
        RetainableByteBuffer scratch = bufferPool.acquire(getInputBufferSize(), false);
        try
        {
            while (true)
            {
                int filled;
                try
                {
                    filled = countIn(getEndPoint().fill(scratch.getByteBuffer()));
                }
                catch (IOException x)
                {
                    filled = -1;
                }
                scratch.clear();
                if (filled == 0)
                {
                    if (drainCallback == null)
                        drainCallback = new DrainCallback();
                    fillInterested(drainCallback);
                    return;
                }
                if (filled < 0)
                {
                    getEndPoint().close();
                    return;
                }
            }
        }
        finally
        {
            scratch.release();
        }
    }

    // ---- upgrade (WebSocket): see SwitchingProtocols ----

    /**
     * Called by the stream instead of {@link #onCompleted} once the {@code 101} of an upgrade is written: the end point
     * goes to the connection that takes over, and this one is closed as a connection without closing the socket.
     */
    void upgrade(Connection upgraded)
    {
        if (COMPLETED.getAndSet(this, 1) == 1)
            return;
        stream = null;
        getEndPoint().upgrade(upgraded);
    }

    @Override
    public ByteBuffer onUpgradeFrom()
    {
        ByteBuffer unread = SwitchingProtocols.copyUnread(inputBuffer);
        releaseInputBuffer();
        return unread;
    }

    // ---- socket-timeout: how long the request's bytes may keep the connection waiting ----

    /**
     * Called by the factory before the connection opens. Until the packet's vars are complete, and whenever the
     * application waits for body bytes, the end point's idle timeout is {@code socketTimeout}; while the application
     * runs and writes, it is the idle timeout the connector gave the end point (which Jetty may change per request
     * through {@code HttpConfiguration.setIdleTimeout}).
     *
     * @param socketTimeout milliseconds, or 0 to keep the connector's idle timeout throughout
     * @param socketTimeouts where connections closed by the timeout are counted and logged
     */
    public void setSocketTimeout(long socketTimeout, SocketTimeouts socketTimeouts)
    {
        this.socketTimeouts = socketTimeouts;
        this.requestIdleTimeout = getEndPoint().getIdleTimeout();
        this.socketTimeout = socketTimeout > 0 ? socketTimeout : requestIdleTimeout;
        getEndPoint().setIdleTimeout(this.socketTimeout);
    }

    // Without setSocketTimeout (a connection made by hand), the connector's idle timeout applies throughout.
    long getSocketTimeout()
    {
        return socketTimeouts == null ? getEndPoint().getIdleTimeout() : socketTimeout;
    }

    long getRequestIdleTimeout()
    {
        return socketTimeouts == null ? getEndPoint().getIdleTimeout() : requestIdleTimeout;
    }

    /**
     * Counts and logs a connection whose request stalled, once per connection.
     */
    private void onSocketTimeout(String stalled)
    {
        if (socketTimedOut)
            return;
        socketTimedOut = true;
        if (socketTimeouts != null)
            socketTimeouts.closed(frontend(), stalled, socketTimeout);
    }

    @Override
    public boolean onIdleExpired(TimeoutException timeout)
    {
        HttpStreamOverUwsgi current = stream;
        if (current == null)
        {
            // After the response, the drain waited for the frontend to close: nothing to report.
            UwsgiParser.State state = parser.getState();
            if (completed == 1 || state == UwsgiParser.State.FAILED)
                return true;
            // A whole packet is being dispatched (or a ping answered): the connection waits for no byte, a thread works.
            if (parser.isVarsComplete() || state == UwsgiParser.State.END)
                return false;
            onSocketTimeout(state == UwsgiParser.State.HEADER && getBytesIn() == 0 ? "nothing received" : "a partial packet (" + state + ")");
            return true;
        }
        if (current.isAwaitingBody())
            onSocketTimeout("the request body stalled");
        HttpChannel.IdleTimeoutTask task = current.toChannel(httpChannel -> httpChannel.onIdleTimeout(timeout));
        // the request completed meanwhile: as after the response, nothing to report
        if (task == null)
            return true;
        boolean handlingRequest = task.handlingRequest();
        if (handlingRequest)
            ThreadPool.executeImmediately(getExecutor(), task.action());
        return !handlingRequest;
    }

    @Override
    public void close()
    {
        try
        {
            HttpStreamOverUwsgi current = stream;
            if (current != null)
            {
                Runnable task = current.toChannel(HttpChannel::onClose);
                if (task != null)
                    task.run();
            }
        }
        finally
        {
            releaseInputBuffer();
            super.close();
        }
    }

    @Override
    public void onClose(Throwable cause)
    {
        synchronized (this)
        {
            inputClosed = true;
            releaseInputBuffer();
        }
        super.onClose(cause);
    }

    @Override
    public String toConnectionString()
    {
        return "%s@%x[%s]".formatted(getClass().getSimpleName(), hashCode(), parser.getState());
    }

    Executor executor()
    {
        return getExecutor();
    }

    // ---- dispatch ----

    private void dispatch(UwsgiVars vars, BodyFraming framing)
    {
        if (!frontendTrust.admits(vars, this::frontend))
        {
            pendingTask = this::refuse;
            return;
        }
        InetSocketAddress peer = getEndPoint().getRemoteSocketAddress() instanceof InetSocketAddress inet ? inet : null;
        UwsgiRequest mapped;
        try
        {
            mapped = UwsgiRequestMapping.map(vars, framing, peer);
        }
        catch (UwsgiException x)
        {
            badRequest(x);
            return;
        }
        channel = channels.acquire(this, mapped);
        ReusableChannel reusable = channel;
        pendingTask = mapped.dispatch(reusable.channel(), httpChannel ->
        {
            stream = new HttpStreamOverUwsgi(this, reusable);
            if (mapped.framing().kind() == BodyFraming.Kind.NONE)
                stream.onContent(Content.Chunk.EOF);
            return stream;
        });
    }

    /**
     * The vars were complete but describe no valid request: answer 400 through Jetty's error handling (a short page,
     * never a stack trace), the way Jetty's HTTP connection answers a bad request line: the channel first gets the
     * same stand-in request ({@code BAD /badMessage}), without which it could not complete the stream after the error
     * page (no compliance listener), and the connection would stay open until its idle timeout.
     */
    private void badRequest(UwsgiException failure)
    {
        LOG.warn("uwsgi: bad request from {}: {}", frontend(), failure.getMessage());
        channel = channels.acquire(this, null);
        HttpChannel httpChannel = channel.channel();
        stream = new HttpStreamOverUwsgi(this, channel);
        httpChannel.setHttpStream(stream);
        stream.onContent(Content.Chunk.EOF);
        httpChannel.onRequest(new org.eclipse.jetty.http.MetaData.Request(org.eclipse.jetty.util.NanoTime.now(), "BAD",
            org.eclipse.jetty.http.HttpURI.from("/badMessage"), HttpVersion.HTTP_1_0, org.eclipse.jetty.http.HttpFields.EMPTY));
        pendingTask = httpChannel.onFailure(new HttpException.RuntimeException(HttpStatus.BAD_REQUEST_400, failure.getMessage()));
    }

    /**
     * The packet lacks the frontend secret: a bare 403, as Tomcat's AJP connector answers, then the same close as after
     * a response (the unread body drained), without Jetty's handlers ever seeing the request.
     */
    private void refuse()
    {
        ByteBuffer forbidden = FrontendTrust.forbiddenResponse();
        countOut(forbidden.remaining());
        getEndPoint().write(Callback.from(() -> onCompleted(null), x -> getEndPoint().close(x)), forbidden);
    }

    private void answerPing()
    {
        if (LOG.isDebugEnabled())
            LOG.debug("uwsgi: ping from {}", frontend());
        ByteBuffer pong = UwsgiGenerator.pong();
        countOut(pong.remaining());
        getEndPoint().write(Callback.from(() -> getEndPoint().close(), x -> getEndPoint().close(x)), pong);
    }

    private class ParserListener implements UwsgiParser.Listener
    {
        @Override
        public boolean onHeader(int modifier1, int datasize, int modifier2)
        {
            if (LOG.isDebugEnabled())
                LOG.debug("<< {} on {}", Uwsgi.headerLog(modifier1, datasize, modifier2), UwsgiConnection.this);
            if (Uwsgi.isHttpRequest(modifier1))
                return false;
            if (modifier1 == Uwsgi.MODIFIER1_PING && modifier2 == Uwsgi.MODIFIER2_PING && datasize == 0)
            {
                // after onFillable has let go of the input buffer: the pong's write may close the connection at once
                pendingTask = UwsgiConnection.this::answerPing;
                return true;
            }
            LOG.warn("uwsgi: unsupported packet from {}: modifier1 {} modifier2 {} (expected: modifier1 0, 5, 7 or 8 for a request, or 100/0 ping); closing",
                frontend(), modifier1, modifier2);
            closeAfterParse = true;
            return true;
        }

        @Override
        public boolean onVars(UwsgiVars vars, BodyFraming framing)
        {
            dispatch(vars, framing);
            return true;
        }

        @Override
        public boolean onContent(ByteBuffer content, boolean last)
        {
            HttpStreamOverUwsgi current = stream;
            if (current == null)
                return true;
            Content.Chunk chunk = content.hasRemaining() ? Content.Chunk.asChunk(content, last, inputBuffer) : (last ? Content.Chunk.EOF : Content.Chunk.EMPTY);
            current.onContent(chunk);
            // Stop until the application has taken this chunk: that is the back-pressure.
            return true;
        }

        @Override
        public void onFailure(UwsgiException failure)
        {
            HttpStreamOverUwsgi current = stream;
            if (current != null)
            {
                LOG.warn("uwsgi: broken request body from {}: {}", frontend(), failure.getMessage());
                current.onContent(Content.Chunk.from(new HttpException.RuntimeException(HttpStatus.BAD_REQUEST_400, failure.getMessage()), true));
            }
            else if (parser.isVarsComplete())
            {
                badRequest(failure);
            }
            else
            {
                LOG.warn("uwsgi: broken packet from {}: {}; closing", frontend(), failure.getMessage());
                closeAfterParse = true;
            }
        }
    }

    private class FillableCallback implements Callback
    {
        private final InvocationType invocationType = getConnector().getServer().getInvocationType();

        @Override
        public void succeeded()
        {
            onFillable();
        }

        @Override
        public void failed(Throwable x)
        {
            onFillInterestedFailed(x);
        }

        @Override
        public InvocationType getInvocationType()
        {
            return invocationType;
        }
    }

    private class DrainCallback implements Callback
    {
        @Override
        public void succeeded()
        {
            drain();
        }

        @Override
        public void failed(Throwable x)
        {
            getEndPoint().close(x);
        }

        @Override
        public InvocationType getInvocationType()
        {
            return InvocationType.NON_BLOCKING;
        }
    }
}

package io.github.jettyuwsgi.launcher.stats;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

import org.eclipse.jetty.io.AbstractConnection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client of a raw stats socket ({@code stats} without {@code stats-http}), made by {@link StatsConnectionFactory}:
 * as uWSGI, it writes the document as soon as the client has connected, reads nothing, and closes.
 */
class StatsConnection extends AbstractConnection
{
    private static final Logger LOG = LoggerFactory.getLogger(StatsConnection.class);

    private final Supplier<String> document;

    StatsConnection(EndPoint endPoint, Executor executor, Supplier<String> document)
    {
        super(endPoint, executor);
        this.document = document;
    }

    @Override
    public void onOpen()
    {
        super.onOpen();
        start();
    }

    /**
     * What the connection does once open: here, send the document.
     */
    protected void start()
    {
        // building the document reads /proc: not on the selector's thread
        getExecutor().execute(() -> send(ByteBuffer.wrap(render(document).getBytes(StandardCharsets.UTF_8))));
    }

    @Override
    public void onFillable()
    {
        // never asked for: a raw stats client sends nothing
    }

    /**
     * Writes the buffers, then closes the connection whatever happened.
     */
    protected void send(ByteBuffer... buffers)
    {
        getEndPoint().write(Callback.from(this::close, failure ->
        {
            LOG.debug("stats document not sent to {}", getEndPoint().getRemoteSocketAddress(), failure);
            close();
        }), buffers);
    }

    /**
     * @return what builds the document each connection sends
     */
    protected Supplier<String> getDocument()
    {
        return document;
    }

    /**
     * @return the document, or an empty JSON object (after a warning) if building it failed
     */
    protected static String render(Supplier<String> document)
    {
        try
        {
            return document.get();
        }
        catch (RuntimeException x)
        {
            LOG.warn("cannot build the stats document", x);
            return "{}";
        }
    }
}

package io.github.jettyuwsgi.gateway.host;

import java.io.EOFException;
import java.io.IOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

import io.github.jettyuwsgi.gateway.GatewayInput;
import io.github.jettyuwsgi.gateway.Header;
import io.github.jettyuwsgi.gateway.ResponseRules;
import io.github.jettyuwsgi.gateway.StartResponse;
import io.github.jettyuwsgi.uwsgi.UwsgiRequest;
import io.github.jettyuwsgi.uwsgi.codec.BodyFraming;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.http.MetaData;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.ConnectionMetaData;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpChannel;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpStream;
import org.eclipse.jetty.util.Attributes;
import org.eclipse.jetty.util.Callback;

/**
 * One gateway call seen by Jetty as one request on one connection: the {@link ConnectionMetaData} answers from the mapped
 * request (remote address, secure, protocol), the {@link HttpStream} pulls the body from {@code gateway.input} and
 * pushes the response to {@code start_response} and its {@code write} callable.
 *
 * <p>Reads block the thread that asks (a gateway input is a blocking source), and every write is transmitted by the
 * outer server before Jetty's callback completes, so a slow client slows the servlet down instead of filling memory.</p>
 */
final class InProcessExchange extends Attributes.Lazy implements HttpStream, ConnectionMetaData
{
    private static final AtomicLong IDS = new AtomicLong();
    private static final int READ_SIZE = 16 * 1024;

    private final String id = "gateway-" + IDS.incrementAndGet();
    private final Connector connector;
    private final HttpConfiguration httpConfiguration;
    private final UwsgiRequest request;
    private final GatewayInput input;
    private final StartResponse startResponse;
    private final CompletableFuture<Void> completion = new CompletableFuture<>();
    private HttpChannel channel;
    private long remaining;
    private boolean inputEnded;
    private volatile boolean committed;
    private StartResponse.Write write;
    private long idleTimeout;

    InProcessExchange(Connector connector, HttpConfiguration httpConfiguration, UwsgiRequest request, GatewayInput input, StartResponse startResponse)
    {
        this.connector = connector;
        this.httpConfiguration = httpConfiguration;
        this.request = request;
        this.input = input;
        this.startResponse = startResponse;
        BodyFraming framing = request.framing();
        this.remaining = framing.kind() == BodyFraming.Kind.CHUNKED ? Long.MAX_VALUE : framing.contentLength();
        this.inputEnded = remaining == 0;
        this.idleTimeout = connector.getIdleTimeout();
    }

    void attach(HttpChannel channel)
    {
        this.channel = channel;
    }

    /**
     * @return completes when Jetty has finished the exchange, normally or with the failure that aborted it
     */
    CompletableFuture<Void> completion()
    {
        return completion;
    }

    // ---- ConnectionMetaData

    @Override
    public String getId()
    {
        return id;
    }

    @Override
    public HttpConfiguration getHttpConfiguration()
    {
        return httpConfiguration;
    }

    @Override
    public HttpVersion getHttpVersion()
    {
        return request.metaData().getHttpVersion();
    }

    @Override
    public String getProtocol()
    {
        return request.protocol();
    }

    @Override
    public Connection getConnection()
    {
        // No transport: nothing can be upgraded or tunnelled through an environ.
        return null;
    }

    @Override
    public Connector getConnector()
    {
        return connector;
    }

    @Override
    public boolean isPersistent()
    {
        return false;
    }

    @Override
    public boolean isSecure()
    {
        return request.secure();
    }

    @Override
    public SocketAddress getRemoteSocketAddress()
    {
        return request.remoteAddress();
    }

    @Override
    public SocketAddress getLocalSocketAddress()
    {
        return request.localAddress();
    }

    // ---- HttpStream: request body

    @Override
    public Content.Chunk read()
    {
        if (inputEnded)
            return Content.Chunk.EOF;
        int size = (int)Math.min(READ_SIZE, remaining);
        byte[] bytes = new byte[size];
        int read;
        try
        {
            read = input.read(bytes, 0, size);
        }
        catch (RuntimeException x)
        {
            inputEnded = true;
            return Content.Chunk.from(x, true);
        }
        if (read <= 0)
        {
            inputEnded = true;
            if (remaining == Long.MAX_VALUE)
                return Content.Chunk.EOF;
            return Content.Chunk.from(new EOFException("request body: ended " + remaining + " bytes early (expected: CONTENT_LENGTH bytes)"), true);
        }
        if (remaining != Long.MAX_VALUE)
            remaining -= read;
        inputEnded = remaining == 0;
        return Content.Chunk.from(ByteBuffer.wrap(bytes, 0, read), inputEnded);
    }

    @Override
    public void demand()
    {
        // The next read() blocks until bytes come, so content is always "available".
        Runnable task = channel.onContentAvailable();
        if (task != null)
            task.run();
    }

    // ---- HttpStream: response

    @Override
    public void prepareResponse(HttpFields.Mutable headers)
    {
    }

    @Override
    public void send(MetaData.Request metaData, MetaData.Response response, boolean last, ByteBuffer content, Callback callback)
    {
        try
        {
            if (response != null)
            {
                if (HttpStatus.isInformational(response.getStatus()))
                {
                    // The outer server decides about interim responses; a gateway application has no way to send one.
                    callback.succeeded();
                    return;
                }
                write = startResponse.start(status(response), headers(response));
                committed = true;
            }
            if (content != null && content.hasRemaining())
            {
                byte[] bytes = new byte[content.remaining()];
                content.get(bytes);
                write.write(bytes);
            }
            callback.succeeded();
        }
        catch (IOException | RuntimeException x)
        {
            callback.failed(x);
        }
    }

    private static String status(MetaData.Response response)
    {
        int code = response.getStatus();
        String reason = ResponseRules.reasonPhrase(code);
        return code + " " + (reason == null || reason.isEmpty() ? "Unknown" : reason);
    }

    private static List<Header> headers(MetaData.Response response)
    {
        List<Header> headers = new ArrayList<>(response.getHttpFields().size() + 1);
        boolean hasLength = false;
        for (HttpField field : response.getHttpFields())
        {
            // Connection management belongs to the outer server (PEP 3333); Jetty's own Connection: close is for a
            // connection that does not exist here.
            if (ResponseRules.isHopByHop(field.getName()))
                continue;
            hasLength |= field.is("Content-Length");
            headers.add(new Header(field.getName(), field.getValue()));
        }
        if (!hasLength && response.getContentLength() >= 0)
            headers.add(new Header("Content-Length", Long.toString(response.getContentLength())));
        return headers;
    }

    @Override
    public Runnable cancelSend(Throwable cause, Callback appCallback)
    {
        // Sends complete synchronously, so there is never one in progress to cancel.
        return () -> appCallback.failed(cause);
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
    }

    @Override
    public boolean isCommitted()
    {
        return committed;
    }

    @Override
    public Throwable consumeAvailable()
    {
        return HttpStream.consumeAvailable(this, httpConfiguration);
    }

    @Override
    public void succeeded()
    {
        channel.recycle();
        completion.complete(null);
    }

    @Override
    public void failed(Throwable x)
    {
        completion.completeExceptionally(x);
    }
}

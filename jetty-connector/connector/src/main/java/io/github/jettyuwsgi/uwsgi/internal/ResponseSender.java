package io.github.jettyuwsgi.uwsgi.internal;

import java.nio.ByteBuffer;
import java.util.function.LongConsumer;

import org.eclipse.jetty.http.HttpException;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpGenerator;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.http.MetaData;
import org.eclipse.jetty.io.ByteBufferPool;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.io.EofException;
import org.eclipse.jetty.io.RetainableByteBuffer;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.IteratingCallback;

/**
 * Writes the HTTP/1.x response of a uwsgi request with Jetty's own {@link HttpGenerator}, set non-persistent, so the
 * body is delimited by {@code Content-Length} when it is known and by the connection close otherwise.
 *
 * <p>It never chunks: nginx and Apache read a uwsgi response as HTTP but do not decode chunked framing, so chunk sizes
 * would reach the client as body bytes. An application's own {@code Transfer-Encoding} header and trailers are therefore
 * removed before generation.</p>
 */
class ResponseSender extends IteratingCallback
{
    private final HttpGenerator generator = new HttpGenerator();
    private EndPoint endPoint;
    private ByteBufferPool bufferPool;
    private boolean directBuffers;
    private HttpConfiguration config;
    private LongConsumer bytesWritten;
    private MetaData.Response info;
    private boolean head;
    private ByteBuffer content;
    private boolean last;
    private Callback callback;
    private RetainableByteBuffer header;
    private boolean committed;

    ResponseSender()
    {
        super(true);
    }

    /**
     * Readies the sender for the response of one request: a new one, or one whose last response was written whole (the
     * sender goes with its {@link ReusableChannel} from request to request).
     *
     * @param endPoint where the response goes
     * @param bufferPool where the header buffers come from
     * @param directBuffers whether the header buffers are direct
     * @param config the response header sizes
     * @param bytesWritten told the bytes of every write, for the connection's statistics
     * @return this sender
     */
    ResponseSender bind(EndPoint endPoint, ByteBufferPool bufferPool, boolean directBuffers, HttpConfiguration config, LongConsumer bytesWritten)
    {
        this.endPoint = endPoint;
        this.bufferPool = bufferPool;
        this.directBuffers = directBuffers;
        this.config = config;
        this.bytesWritten = bytesWritten;
        generator.reset();
        generator.setPersistent(false);
        info = null;
        head = false;
        content = null;
        last = false;
        committed = false;
        return this;
    }

    boolean isCommitted()
    {
        return committed;
    }

    void send(MetaData.Request request, MetaData.Response response, boolean last, ByteBuffer content, Callback callback)
    {
        if (!reset())
        {
            callback.failed(isClosed() ? new EofException() : new IllegalStateException("uwsgi: write pending"));
            return;
        }
        if (response != null)
        {
            this.info = withoutChunking(response);
            committed = true;
        }
        this.head = request != null && HttpMethod.HEAD.is(request.getMethod());
        this.content = content == null ? BufferUtil.EMPTY_BUFFER : content;
        this.last = last;
        this.callback = callback;
        iterate();
    }

    private static MetaData.Response withoutChunking(MetaData.Response response)
    {
        HttpFields fields = response.getHttpFields();
        if (response.getTrailersSupplier() == null && (fields == null || !fields.contains(HttpHeader.TRANSFER_ENCODING)))
            return response;
        HttpFields.Mutable cleaned = HttpFields.build(fields);
        cleaned.remove(HttpHeader.TRANSFER_ENCODING);
        return new MetaData.Response(response.getStatus(), response.getReason(), response.getHttpVersion(), cleaned, response.getContentLength());
    }

    @Override
    protected Action process() throws Exception
    {
        if (callback == null)
            return Action.IDLE;
        while (true)
        {
            ByteBuffer headerBuffer = header == null ? null : header.getByteBuffer();
            HttpGenerator.Result result = generator.generateResponse(info, head, headerBuffer, null, content, last);
            switch (result)
            {
                case NEED_INFO -> throw new EofException("uwsgi: response content before response head");
                case NEED_HEADER ->
                {
                    generator.setMaxHeaderBytes(Math.max(config.getMaxResponseHeaderSize(), config.getResponseHeaderSize()));
                    header = bufferPool.acquire(config.getResponseHeaderSize(), directBuffers);
                }
                case HEADER_OVERFLOW ->
                {
                    int max = config.getMaxResponseHeaderSize();
                    if (max > header.capacity())
                    {
                        generator.reset();
                        generator.setPersistent(false);
                        header.release();
                        header = bufferPool.acquire(max, directBuffers);
                    }
                    else
                    {
                        throw new HttpException.RuntimeException(HttpStatus.INTERNAL_SERVER_ERROR_500, "Response Header Fields Too Large");
                    }
                }
                case NEED_CHUNK, NEED_CHUNK_TRAILER -> throw new IllegalStateException("uwsgi: chunking requested for " + info);
                case FLUSH ->
                {
                    if (head || generator.isNoContent())
                        BufferUtil.clear(content);
                    boolean hasHeader = BufferUtil.hasContent(headerBuffer);
                    boolean hasContent = BufferUtil.hasContent(content);
                    bytesWritten.accept((long)BufferUtil.length(headerBuffer) + BufferUtil.length(content));
                    if (hasHeader && hasContent)
                        endPoint.write(this, headerBuffer, content);
                    else if (hasHeader)
                        endPoint.write(this, headerBuffer);
                    else if (hasContent)
                        endPoint.write(this, content);
                    else
                        continue;
                    return Action.SCHEDULED;
                }
                case SHUTDOWN_OUT, CONTINUE ->
                {
                    // the connection shuts the output itself once the whole response is written
                }
                case DONE ->
                {
                    return Action.SUCCEEDED;
                }
            }
        }
    }

    @Override
    protected void onCompleteSuccess()
    {
        releaseHeader();
        Callback completed = callback;
        callback = null;
        completed.succeeded();
    }

    @Override
    protected void onCompleteFailure(Throwable cause)
    {
        releaseHeader();
        Callback failed = callback;
        callback = null;
        if (failed != null)
            failed.failed(cause);
    }

    private void releaseHeader()
    {
        if (header != null)
        {
            header.release();
            header = null;
        }
    }

    @Override
    public InvocationType getInvocationType()
    {
        Callback current = callback;
        return current == null ? InvocationType.NON_BLOCKING : current.getInvocationType();
    }
}

package io.github.jettyuwsgi.uwsgi.codec;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import org.eclipse.jetty.http.HttpException;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpParser;
import org.eclipse.jetty.http.HttpVersion;

/**
 * Decodes the raw chunked body that uWSGI's HTTP router forwards with {@code --http-chunked-input}, by reusing Jetty's own
 * {@link HttpParser} rather than writing a second chunk parser.
 *
 * <p>The parser is primed with a synthetic request head announcing {@code Transfer-Encoding: chunked}; every chunk of data it
 * then finds is handed on as a slice of the caller's buffer (no copy). Chunk extensions, trailers, size overflow and
 * malformed framing are all handled, and reported, by Jetty's code.</p>
 */
final class ChunkedBodyDecoder
{
    private static final byte[] SYNTHETIC_HEAD =
        "POST / HTTP/1.1\r\nHost: uwsgi\r\nTransfer-Encoding: chunked\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    /** Receives the decoded content. */
    interface Sink
    {
        /**
         * @param content decoded bytes, a view of the input buffer valid until the call returns or the content is consumed
         * @return true to stop decoding (back-pressure)
         */
        boolean onContent(ByteBuffer content);
    }

    private final Handler handler = new Handler();
    private final HttpParser parser = new HttpParser(handler);
    private Sink sink;
    private boolean complete;
    private HttpException failure;

    ChunkedBodyDecoder()
    {
        ByteBuffer head = ByteBuffer.wrap(SYNTHETIC_HEAD);
        while (head.hasRemaining() && !parser.parseNext(head))
        {
            // parse until the head is complete
        }
        if (!parser.isState(HttpParser.State.CHUNKED_CONTENT) && !parser.isState(HttpParser.State.CHUNK_SIZE))
            throw new IllegalStateException("chunked decoder priming: parser in state " + parser.getState());
    }

    /**
     * Decodes from the buffer until it is empty, the sink asks to stop, or the body is complete.
     *
     * @param buffer raw chunked bytes
     * @param sink where decoded content goes
     * @return true when the sink asked to stop or the body is complete
     * @throws UwsgiException on malformed chunk framing
     */
    boolean decode(ByteBuffer buffer, Sink sink)
    {
        this.sink = sink;
        try
        {
            while (buffer.hasRemaining() && !complete)
            {
                int before = buffer.position();
                boolean stop = parser.parseNext(buffer);
                if (failure != null)
                    throw new UwsgiException("chunked body: " + failure.getReason() + " (expected: valid chunked transfer coding)");
                if (stop)
                    return true;
                // The parser made no progress and asked for nothing: it is closed, so nothing more can be decoded.
                if (buffer.position() == before)
                    throw new UwsgiException("chunked body: parser stuck in state " + parser.getState() + " (expected: valid chunked transfer coding)");
            }
            return complete;
        }
        finally
        {
            this.sink = null;
        }
    }

    boolean isComplete()
    {
        return complete;
    }

    private final class Handler implements HttpParser.RequestHandler
    {
        @Override
        public void startRequest(String method, String uri, HttpVersion version)
        {
        }

        @Override
        public void parsedHeader(HttpField field)
        {
        }

        @Override
        public boolean headerComplete()
        {
            return false;
        }

        @Override
        public boolean content(ByteBuffer item)
        {
            return sink != null && item.hasRemaining() && sink.onContent(item);
        }

        @Override
        public boolean contentComplete()
        {
            return false;
        }

        @Override
        public boolean messageComplete()
        {
            complete = true;
            return true;
        }

        @Override
        public void earlyEOF()
        {
            // Once the (synthetic) head is complete, HttpParser reports any framing error as an early EOF; we never
            // signal a real end of stream to it, so this is always malformed input.
            failure = new HttpException.RuntimeException(400, "malformed chunk framing");
        }

        @Override
        public void badMessage(HttpException x)
        {
            failure = x;
        }
    }
}

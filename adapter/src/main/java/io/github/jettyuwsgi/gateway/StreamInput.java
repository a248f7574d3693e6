package io.github.jettyuwsgi.gateway;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * <p>The {@link GatewayInput} over an {@link InputStream}: simulates the end of input at CONTENT_LENGTH (PEP 3333:
 * the server "should simulate an end-of-file condition" there) and buffers internally so that {@code readline}
 * does not cost one stream call per byte. An I/O failure (a client that went away mid-upload) is an
 * {@link UncheckedIOException}, since PEP's read methods have no checked errors.</p>
 */
final class StreamInput implements GatewayInput
{
    private static final int BUFFER_SIZE = 8192;

    private final InputStream body;
    /** Made at the first read, no larger than the body: most requests (a GET) never read theirs. */
    private byte[] buffer;
    private int bufferStart;
    private int bufferEnd;
    /** Bytes of the body not yet pulled from the stream, or -1 when it ends at the end of the stream. */
    private long unread;
    private boolean ended;

    StreamInput(InputStream body, long contentLength)
    {
        this.body = Objects.requireNonNull(body, "body");
        if (contentLength < -1)
            throw new IllegalArgumentException("contentLength: " + contentLength + " (expected: -1 or >= 0)");
        this.unread = contentLength;
        this.ended = contentLength == 0;
    }

    /**
     * @return whether the buffer holds at least one byte, filling it from the stream if needed
     */
    private boolean fill()
    {
        if (bufferStart < bufferEnd)
            return true;
        if (ended)
            return false;
        if (buffer == null)
            buffer = new byte[unread < 0 ? BUFFER_SIZE : (int)Math.min(BUFFER_SIZE, unread)];
        int wanted = unread < 0 ? buffer.length : (int)Math.min(buffer.length, unread);
        int count;
        try
        {
            count = body.read(buffer, 0, wanted);
        }
        catch (IOException x)
        {
            throw new UncheckedIOException("request body: read failed", x);
        }
        if (count < 0)
        {
            ended = true;
            return false;
        }
        bufferStart = 0;
        bufferEnd = count;
        if (unread > 0)
        {
            unread -= count;
            if (unread == 0)
                ended = true;
        }
        return count > 0 || fill();
    }

    @Override
    public int read(byte[] target, int offset, int length)
    {
        Objects.checkFromIndexSize(offset, length, target.length);
        if (length == 0)
            return 0;
        if (!fill())
            return -1;
        int count = Math.min(length, bufferEnd - bufferStart);
        System.arraycopy(buffer, bufferStart, target, offset, count);
        bufferStart += count;
        return count;
    }

    @Override
    public byte[] read(int size)
    {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        long left = size < 0 ? Long.MAX_VALUE : size;
        while (left > 0 && fill())
        {
            int count = (int)Math.min(left, bufferEnd - bufferStart);
            out.write(buffer, bufferStart, count);
            bufferStart += count;
            left -= count;
        }
        return out.toByteArray();
    }

    @Override
    public byte[] read()
    {
        return read(-1);
    }

    @Override
    public byte[] readline(int size)
    {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        long left = size < 0 ? Long.MAX_VALUE : size;
        while (left > 0 && fill())
        {
            int end = bufferStart;
            int limit = bufferStart + (int)Math.min(bufferEnd - bufferStart, left);
            while (end < limit && buffer[end] != '\n')
            {
                end++;
            }
            boolean newline = end < limit;
            if (newline)
                end++;
            out.write(buffer, bufferStart, end - bufferStart);
            left -= end - bufferStart;
            bufferStart = end;
            if (newline)
                break;
        }
        return out.toByteArray();
    }

    @Override
    public byte[] readline()
    {
        return readline(-1);
    }

    @Override
    public List<byte[]> readlines(int hint)
    {
        List<byte[]> lines = new ArrayList<>();
        long total = 0;
        while (true)
        {
            byte[] line = readline();
            if (line.length == 0)
                return lines;
            lines.add(line);
            total += line.length;
            if (hint > 0 && total >= hint)
                return lines;
        }
    }


}

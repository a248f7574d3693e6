package io.github.jettyuwsgi.gateway;

import java.io.InputStream;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * <p>The request body as PEP 3333's {@code wsgi.input} ({@link EnvironKeys#INPUT}): {@code read(size)},
 * {@code read()}, {@code readline([size])}, {@code readlines([hint])} and iteration by lines, plus a bulk
 * {@link #read(byte[], int, int)} for Java callers. It ends at CONTENT_LENGTH, or at the end of the stream when
 * {@link EnvironKeys#INPUT_TERMINATED} is true (chunked uploads); at the end every read returns an empty array.
 * Applications never close it: the server does, which is why there is no {@code close()}.</p>
 */
public interface GatewayInput extends Iterable<byte[]>
{
    /**
     * @param size the most bytes to return; negative reads to the end
     * @return up to {@code size} bytes, fewer only at the end; empty at the end
     */
    byte[] read(int size);

    /**
     * @return all remaining bytes
     */
    byte[] read();

    /**
     * @param buffer where to put the bytes
     * @param offset the first index to fill
     * @param length the most bytes to read
     * @return the number of bytes read, at least 1, or -1 at the end
     */
    int read(byte[] buffer, int offset, int length);

    /**
     * @param size the most bytes to return; negative means no limit
     * @return the next line including its {@code \n}, or fewer bytes at the end or at {@code size}; empty at the end
     */
    byte[] readline(int size);

    /**
     * @return the next line including its {@code \n}; empty at the end
     */
    byte[] readline();

    /**
     * @param hint ignored except that a positive hint stops once that many bytes were read, as Python's does
     * @return the remaining lines
     */
    List<byte[]> readlines(int hint);

    /**
     * @return the remaining lines
     */
    default List<byte[]> readlines()
    {
        return readlines(-1);
    }

    /**
     * @return an iterator over the remaining lines; it reads through {@link #readline()}, so a wrapper that checks
     * {@code readline} checks iteration too
     */
    @Override
    default Iterator<byte[]> iterator()
    {
        return new Iterator<>()
        {
            private byte[] next;

            @Override
            public boolean hasNext()
            {
                if (next == null)
                    next = readline();
                return next.length > 0;
            }

            @Override
            public byte[] next()
            {
                if (!hasNext())
                    throw new NoSuchElementException("input: no more lines");
                byte[] line = next;
                next = null;
                return line;
            }
        };
    }

    /**
     * @param body the request body stream; the returned input never closes it
     * @param contentLength the body length, or -1 when the body ends at the end of the stream
     * @return an input that reads at most {@code contentLength} bytes of {@code body}
     */
    static GatewayInput of(InputStream body, long contentLength)
    {
        return new StreamInput(body, contentLength);
    }
}

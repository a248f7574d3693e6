package io.github.jettyuwsgi.gateway.host;

import java.io.IOException;
import java.io.InputStream;

/**
 * <p>The two streams of a {@link ResponsePipe} (the response body uWSGI reads, the request body the application
 * reads) can only move whole chunks between threads, so every read, a single byte or an empty one included, goes
 * through one bulk {@link #readSome(byte[], int, int)} that is never asked for zero bytes.</p>
 */
abstract class BulkInputStream extends InputStream
{
    @Override
    public int read() throws IOException
    {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException
    {
        if (length == 0)
            return 0;
        return readSome(buffer, offset, length);
    }

    /**
     * @param buffer where the bytes go
     * @param offset where in the buffer
     * @param length at most this many bytes, at least one
     * @return how many bytes were read, at least one, or -1 at the end
     * @throws IOException when the other thread failed or went away
     */
    abstract int readSome(byte[] buffer, int offset, int length) throws IOException;
}

package io.github.jettyuwsgi.gateway;

import java.io.Closeable;
import java.io.IOException;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;

/**
 * <p>What a {@link GatewayApplication} returns: the body as chunks of bytes, pulled one at a time by the server, which
 * transmits each chunk before asking for the next one. Empty chunks are allowed and send nothing, not even the
 * headers. {@link #close()} is called by the server exactly once at the end of the request, whether the body was
 * fully read, the application failed while producing it, or the client went away.</p>
 * <p>The server calls {@link #iterator()} once; {@link StartResponse} may be called from within the first
 * {@code next()} (a lazily computed body).</p>
 */
public interface ResponseBody extends Iterable<byte[]>, Closeable
{
    /**
     * <p>The number of chunks this body will yield, PEP 3333's {@code len(iterable)}, or {@code -1} if unknown. When
     * known it must be exact: with one chunk and no {@code write()} the server sets Content-Length from it.</p>
     *
     * @return the exact chunk count, or -1
     */
    default int chunkCount()
    {
        return -1;
    }

    /**
     * <p>Releases what the body holds. Called exactly once by the server; the default does nothing.</p>
     */
    @Override
    default void close() throws IOException
    {
    }

    /**
     * @return a body with no chunk
     */
    static ResponseBody empty()
    {
        return of(List.of());
    }

    /**
     * @param chunks the chunks, in order
     * @return a body of exactly those chunks, with a known {@link #chunkCount()}
     */
    static ResponseBody of(byte[]... chunks)
    {
        return of(List.of(chunks));
    }

    /**
     * @param chunks the chunks, in order
     * @return a body of exactly those chunks, with a known {@link #chunkCount()}
     */
    static ResponseBody of(List<byte[]> chunks)
    {
        List<byte[]> copy = List.copyOf(chunks);
        return new ResponseBody()
        {
            @Override
            public Iterator<byte[]> iterator()
            {
                return copy.iterator();
            }

            @Override
            public int chunkCount()
            {
                return copy.size();
            }
        };
    }

    /**
     * @param chunks a source of chunks, possibly lazy and endless
     * @param onClose what {@link #close()} runs
     * @return a body over those chunks
     */
    static ResponseBody of(Iterable<byte[]> chunks, Closeable onClose)
    {
        Objects.requireNonNull(chunks, "chunks");
        Objects.requireNonNull(onClose, "onClose");
        return new ResponseBody()
        {
            @Override
            public Iterator<byte[]> iterator()
            {
                return chunks.iterator();
            }

            @Override
            public void close() throws IOException
            {
                onClose.close();
            }
        };
    }
}

package io.github.jettyuwsgi.gateway;

import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

/**
 * <p>A response body that counts its {@code close()} calls and yields chunks from a function of the chunk index,
 * which may call start_response, throw, or return {@code null} to end the body.</p>
 */
class TrackedBody implements ResponseBody
{
    final AtomicInteger closes = new AtomicInteger();
    final AtomicInteger pulled = new AtomicInteger();
    private final IntFunction<byte[]> chunkAt;

    TrackedBody(IntFunction<byte[]> chunkAt)
    {
        this.chunkAt = chunkAt;
    }

    static TrackedBody of(String... chunks)
    {
        List<String> list = List.of(chunks);
        return new TrackedBody(i -> i < list.size() ? list.get(i).getBytes(StandardCharsets.ISO_8859_1) : null);
    }

    @Override
    public Iterator<byte[]> iterator()
    {
        return new Iterator<>()
        {
            private byte[] next;
            private int index;

            @Override
            public boolean hasNext()
            {
                if (next == null)
                    next = chunkAt.apply(index);
                return next != null;
            }

            @Override
            public byte[] next()
            {
                if (!hasNext())
                    throw new NoSuchElementException();
                byte[] chunk = next;
                next = null;
                index++;
                pulled.incrementAndGet();
                return chunk;
            }
        };
    }

    @Override
    public void close()
    {
        closes.incrementAndGet();
    }
}

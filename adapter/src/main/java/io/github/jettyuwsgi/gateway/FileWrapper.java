package io.github.jettyuwsgi.gateway;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * <p>PEP 3333's {@code wsgi.file_wrapper} ({@link EnvironKeys#FILE_WRAPPER}): turns an open file into a
 * {@link ResponseBody} that reads it block by block, and closes the file when the server closes the body. Nothing is
 * read before the server starts iterating the returned body.</p>
 */
@FunctionalInterface
public interface FileWrapper
{
    /** The block size used when the application does not choose one. */
    int DEFAULT_BLOCK_SIZE = 8192;

    /** Reads blocks on demand; a server may replace it with one that knows a faster path. */
    FileWrapper BLOCKS = FileWrapper::blocks;

    /**
     * @param file the open file (or any stream); the body owns it from now on
     * @param blockSize the most bytes per chunk, positive
     * @return a body yielding the file's content
     */
    ResponseBody wrap(InputStream file, int blockSize);

    /**
     * @param file the open file (or any stream); the body owns it from now on
     * @return a body yielding the file's content in {@link #DEFAULT_BLOCK_SIZE} chunks
     */
    default ResponseBody wrap(InputStream file)
    {
        return wrap(file, DEFAULT_BLOCK_SIZE);
    }

    private static ResponseBody blocks(InputStream file, int blockSize)
    {
        if (blockSize <= 0)
            throw new GatewayException("file_wrapper block size: " + blockSize + " (expected: > 0)");
        Iterator<byte[]> chunks = new Iterator<>()
        {
            private byte[] next;
            private boolean ended;

            @Override
            public boolean hasNext()
            {
                if (next == null && !ended)
                {
                    try
                    {
                        byte[] block = new byte[blockSize];
                        int count = file.readNBytes(block, 0, blockSize);
                        if (count == 0)
                            ended = true;
                        else
                            next = count == blockSize ? block : Arrays.copyOf(block, count);
                    }
                    catch (IOException x)
                    {
                        throw new UncheckedIOException("file_wrapper: read failed", x);
                    }
                }
                return next != null;
            }

            @Override
            public byte[] next()
            {
                if (!hasNext())
                    throw new NoSuchElementException("file_wrapper: no more blocks");
                byte[] block = next;
                next = null;
                return block;
            }
        };
        return ResponseBody.of(() -> chunks, file);
    }
}

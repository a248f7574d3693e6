package io.github.jettyuwsgi.uwsgi.internal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.eclipse.jetty.io.ArrayByteBufferPool;
import org.eclipse.jetty.server.Server;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The leak check of the connection tests: every buffer a connection took from the pool is back once the connections
 * have closed, which they do a little after the client has seen its answer.
 */
final class BufferLeaks
{
    private BufferLeaks()
    {
    }

    static void assertNone(ArrayByteBufferPool.Tracking bufferPool) throws InterruptedException
    {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!bufferPool.getLeaks().isEmpty() && System.nanoTime() < deadline)
            Thread.sleep(50);
        assertTrue(bufferPool.getLeaks().isEmpty(), "buffer leaks: " + bufferPool.dumpLeaks());
    }

    /**
     * The end of a connection test: the leak check, then, whatever it found, the server stopped and its socket files
     * deleted (the socket first, then its directory).
     */
    static void assertNoneThenStop(ArrayByteBufferPool.Tracking bufferPool, Server server, Path... files) throws Exception
    {
        try
        {
            assertNone(bufferPool);
        }
        finally
        {
            server.stop();
            for (Path file : files)
                Files.deleteIfExists(file);
        }
    }
}

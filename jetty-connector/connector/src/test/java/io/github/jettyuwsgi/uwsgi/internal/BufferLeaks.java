package io.github.jettyuwsgi.uwsgi.internal;

import java.util.concurrent.TimeUnit;

import org.eclipse.jetty.io.ArrayByteBufferPool;

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
}

package io.github.jettyuwsgi.gateway.host;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.github.jettyuwsgi.gateway.GatewayExchange;
import io.github.jettyuwsgi.gateway.Header;
import io.github.jettyuwsgi.gateway.ResponseRules;

/**
 * <p>Joins the two threads of a JWSGI call: uWSGI's request thread, which must do every read of {@code jwsgi.input}
 * (its native methods find the request through the calling thread and crash the worker on any other thread), and the
 * thread that runs the gateway exchange, which pushes the response.</p>
 *
 * <p>One bounded queue carries, towards the uWSGI thread, the response head, the body chunks, the end (or failure),
 * and requests to read the request body. The uWSGI thread takes from it while it waits for the head (in
 * {@link JwsgiEntry}) and while uWSGI reads the body {@link InputStream} this pipe is, running each read request as it
 * comes. So a slow client slows the application down, and nothing is buffered beyond a few chunks. Closing the stream
 * before its end (uWSGI does so after a write error) makes the application's next chunk fail as a client disconnect,
 * which ends the exchange and closes the application's body.</p>
 */
final class ResponsePipe extends BulkInputStream implements GatewayExchange.Sink
{
    /** The head of a response: what JWSGI returns besides the body. */
    record Head(int status, List<Header> headers)
    {
    }

    private record Failure(Throwable cause)
    {
    }

    private static final byte[] END = new byte[0];
    private static final long POLL_MILLIS = 100;

    private final BlockingQueue<Object> queue = new ArrayBlockingQueue<>(8);
    private final InputStream requestBody;
    private volatile boolean closed;
    private byte[] current;
    private int position;
    private boolean ended;

    /**
     * @param requestBody uWSGI's {@code jwsgi.input}, read only on the uWSGI thread
     */
    ResponsePipe(InputStream requestBody)
    {
        this.requestBody = requestBody;
    }

    /**
     * @return the request body as the exchange thread reads it: each read is relayed to the uWSGI thread
     */
    InputStream relayedRequestBody()
    {
        return new RelayedInput();
    }

    // ---- exchange thread

    @Override
    public void sendHeaders(ResponseRules.Status status, List<Header> headers) throws IOException
    {
        put(new Head(status.code(), new ArrayList<>(headers)));
    }

    @Override
    public void sendChunk(byte[] chunk) throws IOException
    {
        put(chunk);
    }

    /** The exchange ended normally: the reader sees the end of the stream. */
    void end() throws IOException
    {
        put(END);
    }

    /** The exchange failed: before the head, the uWSGI thread gets the failure; after, an IOException from read. */
    void fail(Throwable cause)
    {
        try
        {
            put(new Failure(cause));
        }
        catch (IOException x)
        {
            // Closed: nobody is waiting any more.
        }
    }

    private void put(Object item) throws IOException
    {
        try
        {
            while (!queue.offer(item, POLL_MILLIS, TimeUnit.MILLISECONDS))
            {
                if (closed)
                    throw new IOException("response body: closed by uWSGI before its end (expected: the client to read it all)");
            }
            if (closed)
                throw new IOException("response body: closed by uWSGI before its end (expected: the client to read it all)");
        }
        catch (InterruptedException x)
        {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("response pipe: interrupted while waiting for uWSGI");
        }
    }

    // ---- uWSGI thread

    /**
     * Serves request-body reads until the application's status and headers arrive.
     *
     * @return the head
     * @throws ExecutionException with the application's failure, when it could not even be answered with a 500
     */
    Head awaitHead() throws InterruptedException, ExecutionException
    {
        while (true)
        {
            Object item = queue.take();
            if (item instanceof ReadRequest read)
                read.run();
            else if (item instanceof Head head)
                return head;
            else if (item instanceof Failure failure)
                throw new ExecutionException(failure.cause());
            else
                throw new IllegalStateException("response pipe: " + item + " before the head (expected: the head first)");
        }
    }

    @Override
    int readSome(byte[] buffer, int offset, int length) throws IOException
    {
        while (current == null || position == current.length)
        {
            if (ended)
                return -1;
            Object item;
            try
            {
                item = queue.take();
            }
            catch (InterruptedException x)
            {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("response body: interrupted while waiting for the application");
            }
            if (item instanceof ReadRequest read)
            {
                read.run();
            }
            else if (item instanceof Failure failure)
            {
                ended = true;
                throw new IOException("response body: the application failed after the headers were sent", failure.cause());
            }
            else if (item == END)
            {
                ended = true;
                return -1;
            }
            else
            {
                current = (byte[])item;
                position = 0;
            }
        }
        int count = Math.min(length, current.length - position);
        System.arraycopy(current, position, buffer, offset, count);
        position += count;
        return count;
    }

    @Override
    public void close()
    {
        closed = true;
        // The request is over for uWSGI: pending reads fail, and a producer waiting for room sees the pipe closed.
        List<Object> left = new ArrayList<>();
        queue.drainTo(left);
        for (Object item : left)
        {
            if (item instanceof ReadRequest read)
                read.result.completeExceptionally(new IOException("request body: the request is over (expected: reads before the response ends)"));
        }
    }

    /** One read of the request body, done by the uWSGI thread for the exchange thread. */
    private final class ReadRequest implements Runnable
    {
        private final int length;
        private final CompletableFuture<byte[]> result = new CompletableFuture<>();

        ReadRequest(int length)
        {
            this.length = length;
        }

        @Override
        public void run()
        {
            try
            {
                byte[] bytes = new byte[length];
                // read(byte[]) is the native bulk read of uWSGI's body class; read(byte[], int, int) would go byte by byte.
                int read = requestBody.read(bytes);
                result.complete(read <= 0 ? END : Arrays.copyOf(bytes, read));
            }
            catch (Throwable x)
            {
                result.completeExceptionally(x);
            }
        }
    }

    /** The exchange thread's view of the request body. */
    private final class RelayedInput extends BulkInputStream
    {
        @Override
        int readSome(byte[] buffer, int offset, int length) throws IOException
        {
            ReadRequest request = new ReadRequest(length);
            put(request);
            try
            {
                while (true)
                {
                    try
                    {
                        byte[] bytes = request.result.get(POLL_MILLIS, TimeUnit.MILLISECONDS);
                        if (bytes == END)
                            return -1;
                        System.arraycopy(bytes, 0, buffer, offset, bytes.length);
                        return bytes.length;
                    }
                    catch (TimeoutException x)
                    {
                        if (closed && !request.result.isDone())
                            throw new IOException("request body: the request is over (expected: reads before the response ends)");
                    }
                }
            }
            catch (InterruptedException x)
            {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("request body: interrupted while waiting for uWSGI");
            }
            catch (ExecutionException x)
            {
                throw x.getCause() instanceof IOException io ? io : new IOException("request body: " + x.getCause(), x.getCause());
            }
        }
    }
}

package io.github.jettyuwsgi.gateway;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;

/**
 * <p>The server half of one application call, independent of any container: it is the {@link StartResponse} the
 * application gets, holds the status and headers until the first non-empty chunk, pulls the body one chunk at a time
 * into a {@link Sink}, and closes the body exactly once. Servlet bridges (and any other server) only supply the
 * {@link Sink}.</p>
 * <p>Blocking servers call {@link #run(GatewayApplication, Environ)}; non-blocking ones call
 * {@link #begin(GatewayApplication, Environ)}, then {@link #step()} whenever the connection can take a chunk, then
 * {@link #finish()}, and {@link #close()} on every path. A {@link Sink} failure is taken as the client going away:
 * iteration stops, the body is closed, and it is not an error.</p>
 */
public final class GatewayExchange implements StartResponse
{
    private static final System.Logger LOG = System.getLogger(GatewayExchange.class.getName());
    private static final byte[] ERROR_BODY = "Internal Server Error\n".getBytes(StandardCharsets.US_ASCII);

    private final Sink sink;
    private boolean started;
    private ResponseRules.Status status;
    private List<Header> headers;
    private long declaredLength = -1;
    private boolean headersSent;
    private long bytesSent;
    private boolean writeCalled;
    private boolean returned;
    private boolean singleChunk;
    private boolean truncated;
    private boolean disconnected;
    private ResponseBody body;
    private Iterator<byte[]> chunks;
    private boolean closed;

    /**
     * @param sink where the response goes
     */
    public GatewayExchange(Sink sink)
    {
        this.sink = Objects.requireNonNull(sink, "sink");
    }

    /**
     * <p>Runs the whole call on the current thread. Returns normally when the response was sent or the client went
     * away; otherwise throws the application's failure, and the caller answers with {@link #sendInternalError()} if
     * that is still possible, or aborts the connection if not.</p>
     *
     * @param application the application
     * @param environ its environ
     * @throws Exception what the application threw, or a {@link GatewayException} for a broken rule
     */
    public void run(GatewayApplication application, Environ environ) throws Exception
    {
        try
        {
            begin(application, environ);
            while (step())
            {
                // Each step transmits one chunk; the loop asks for the next one only after that.
            }
            finish();
        }
        catch (Exception | Error x)
        {
            if (!isDisconnected())
                throw x;
            LOG.log(Level.DEBUG, "client went away during the response", x);
        }
        finally
        {
            close();
        }
    }

    /**
     * <p>Calls the application, which may call {@link #start} and {@code write()}, and keeps the body it returns.</p>
     *
     * @param application the application
     * @param environ its environ
     * @throws Exception what the application threw
     */
    public void begin(GatewayApplication application, Environ environ) throws Exception
    {
        ResponseBody result = application.call(environ, this);
        synchronized (this)
        {
            returned = true;
            if (result == null)
                throw new GatewayException("application result: null (expected: a ResponseBody, if only ResponseBody.empty())");
            body = result;
            if (closed)
            {
                // Closed meanwhile (an async timeout): the body must still be closed once.
                closeBody(result);
                return;
            }
            singleChunk = result.chunkCount() == 1 && !writeCalled;
            chunks = result.iterator();
        }
    }

    /**
     * <p>Pulls the next chunk and transmits it.</p>
     *
     * @return false when the body is exhausted, truncated at Content-Length, closed, or the client went away
     * @throws IOException never for the client going away, only for what the body's iterator throws as such
     */
    public synchronized boolean step() throws IOException
    {
        if (closed || disconnected || truncated || chunks == null || !chunks.hasNext())
            return false;
        byte[] chunk = chunks.next();
        if (chunk == null)
            throw new GatewayException("body chunk: null (expected: a byte[], possibly empty)");
        if (chunk.length > 0 && !started)
            throw new GatewayException("body chunk before start_response: " + chunk.length + " bytes (expected: start_response called before or during the first chunk)");
        send(chunk);
        return !disconnected && !truncated;
    }

    /**
     * <p>Ends a response whose body is exhausted: sends the headers if no chunk did, and checks the length.</p>
     *
     * @throws GatewayException when start_response was never called, or fewer bytes than Content-Length were sent
     */
    public synchronized void finish()
    {
        if (disconnected)
            return;
        if (!started)
            throw new GatewayException("response: the application ended without calling start_response (expected: one call)");
        if (!headersSent)
            sendHeaders();
        if (!disconnected && declaredLength >= 0 && bytesSent < declaredLength)
            throw new GatewayException("response body shorter than Content-Length: " + bytesSent + " bytes (expected: " + declaredLength + ")");
    }

    /**
     * <p>Closes the body if the application returned one; later calls do nothing. Safe from any thread.</p>
     */
    public void close()
    {
        ResponseBody toClose;
        synchronized (this)
        {
            if (closed)
                return;
            closed = true;
            toClose = body;
        }
        if (toClose != null)
            closeBody(toClose);
    }

    private static void closeBody(ResponseBody body)
    {
        try
        {
            body.close();
        }
        catch (Exception | Error x)
        {
            LOG.log(Level.WARNING, "response body close() failed", x);
        }
    }

    /**
     * <p>Answers 500 with a generic {@code text/plain} body, never the failure's message, if nothing was sent yet.</p>
     *
     * @return true if sent, false if the headers were already sent (the caller must then abort the connection)
     */
    public synchronized boolean sendInternalError()
    {
        if (headersSent)
            return false;
        if (disconnected)
            return true;
        status = new ResponseRules.Status(500, "Internal Server Error");
        headers = new ArrayList<>(List.of(new Header("Content-Type", "text/plain; charset=utf-8"),
            new Header("Content-Length", Integer.toString(ERROR_BODY.length))));
        declaredLength = ERROR_BODY.length;
        started = true;
        truncated = false;
        send(ERROR_BODY);
        return true;
    }

    /**
     * @return whether the status and headers went out
     */
    public synchronized boolean isHeadersSent()
    {
        return headersSent;
    }

    /**
     * @return whether the sink failed, i.e. the client went away
     */
    public synchronized boolean isDisconnected()
    {
        return disconnected;
    }

    @Override
    public synchronized Write start(String status, List<Header> headers, Throwable excInfo)
    {
        if (excInfo != null && headersSent)
            throw reRaise(excInfo);
        if (started && excInfo == null)
            throw new GatewayException("start_response: called again without excInfo (expected: excInfo on every call after the first)");
        // Counted before the checks: after a first call that threw, a second one still needs excInfo.
        started = true;
        ResponseRules.Status parsed = ResponseRules.parseStatus(status);
        List<Header> checked = ResponseRules.checkHeaders(headers);
        long length = -1;
        for (Header header : checked)
        {
            if (header.is("Content-Length"))
            {
                long value = parseLength(header.value());
                if (length >= 0 && value != length)
                    throw new GatewayException("Content-Length: " + length + " and " + value + " (expected: one value)");
                length = value;
            }
        }
        this.status = parsed;
        this.headers = checked;
        this.declaredLength = length;
        return this::write;
    }

    private static RuntimeException reRaise(Throwable excInfo)
    {
        if (excInfo instanceof Error error)
            throw error;
        if (excInfo instanceof RuntimeException runtime)
            return runtime;
        return new GatewayException("start_response with excInfo after the headers were sent: re-raised " + excInfo, excInfo);
    }

    private static long parseLength(String value)
    {
        if (value.isEmpty() || value.length() > 18 || !value.chars().allMatch(c -> c >= '0' && c <= '9'))
            throw new GatewayException("Content-Length: \"" + value + "\" (expected: a decimal number of bytes)");
        return Long.parseLong(value);
    }

    private synchronized void write(byte[] chunk) throws IOException
    {
        if (chunk == null)
            throw new GatewayException("write(): null (expected: a byte[])");
        if (returned)
            throw new GatewayException("write(): called after the application returned (expected: only during call(), never from the body)");
        if (!started)
            throw new GatewayException("write(): called before start_response (expected: after)");
        writeCalled = true;
        send(chunk);
        if (disconnected)
            throw new IOException("client went away");
    }

    private void send(byte[] chunk)
    {
        if (chunk.length == 0 || disconnected)
            return;
        if (!headersSent)
        {
            if (singleChunk && declaredLength < 0 && !ResponseRules.forbidsBody(status.code()))
            {
                // PEP 3333: a body of exactly one chunk (and no write()) gives its Content-Length away.
                headers.add(new Header("Content-Length", Integer.toString(chunk.length)));
                declaredLength = chunk.length;
            }
            sendHeaders();
            if (disconnected)
                return;
        }
        int length = chunk.length;
        if (declaredLength >= 0 && bytesSent + length > declaredLength)
        {
            length = (int)(declaredLength - bytesSent);
            truncated = true;
            LOG.log(Level.WARNING, "response body longer than Content-Length: truncated at {0} bytes", declaredLength);
        }
        if (length == 0)
            return;
        try
        {
            sink.sendChunk(length == chunk.length ? chunk : Arrays.copyOf(chunk, length));
            bytesSent += length;
        }
        catch (IOException x)
        {
            disconnect(x);
        }
    }

    private void sendHeaders()
    {
        headersSent = true;
        try
        {
            sink.sendHeaders(status, List.copyOf(headers));
        }
        catch (IOException x)
        {
            disconnect(x);
        }
    }

    private void disconnect(IOException cause)
    {
        disconnected = true;
        LOG.log(Level.DEBUG, "client went away", cause);
    }

    /**
     * <p>Where an exchange sends the response: a servlet response, a socket, a test recorder. Each method transmits
     * before returning (PEP 3333 forbids delaying a chunk). An {@link IOException} means the client went away.</p>
     */
    public interface Sink
    {
        /**
         * @param status the checked status
         * @param headers the checked headers, Content-Length included when known
         * @throws IOException when the client went away
         */
        void sendHeaders(ResponseRules.Status status, List<Header> headers) throws IOException;

        /**
         * @param chunk a non-empty chunk, to be transmitted (flushed) before returning
         * @throws IOException when the client went away
         */
        void sendChunk(byte[] chunk) throws IOException;
    }
}

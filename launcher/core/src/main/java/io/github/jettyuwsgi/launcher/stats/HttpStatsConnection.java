package io.github.jettyuwsgi.launcher.stats;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.eclipse.jetty.http.HttpException;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.HttpParser;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.NanoTime;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client of a stats socket with {@code stats-http}, made by {@link StatsConnectionFactory}: reads the request head
 * with Jetty's {@link HttpParser} (whatever the path, as uWSGI), answers {@code GET} and {@code HEAD} with the
 * document as an {@code application/json} response, anything else with 405, a malformed or oversized head with
 * Jetty's 400 or 431, and closes. Reading the head first matters: a socket closed with unread input is reset, and the
 * client would lose the response.
 *
 * <p>The whole head must arrive within the socket's idle timeout of the connection's start: the idle timeout alone
 * restarts with every byte, so a client sending its head a byte at a time would hold the connection for ever. Waiting
 * costs no thread: the connection reads only when the selector says there are bytes.</p>
 */
class HttpStatsConnection extends StatsConnection implements HttpParser.RequestHandler
{
    /** Far more than any monitoring client sends; a longer head gets 431. */
    static final int MAX_HEAD_BYTES = 8192;
    private static final Logger LOG = LoggerFactory.getLogger(HttpStatsConnection.class);

    private final HttpParser parser = new HttpParser(this, MAX_HEAD_BYTES);
    private final ByteBuffer input = BufferUtil.allocate(1024);
    private String method;
    private boolean headComplete;
    private boolean answered;
    /** When the head must have arrived, in {@link NanoTime}; set when the connection opens. */
    private long headDeadline;

    HttpStatsConnection(EndPoint endPoint, Executor executor, Supplier<String> document)
    {
        super(endPoint, executor, document);
    }

    @Override
    protected void start()
    {
        headDeadline = NanoTime.now() + TimeUnit.MILLISECONDS.toNanos(getEndPoint().getIdleTimeout());
        fillInterested();
    }

    @Override
    public void onFillable()
    {
        try
        {
            while (!answered)
            {
                int filled = getEndPoint().fill(input);
                if (filled < 0)
                    parser.atEOF();
                parser.parseNext(input);
                if (answered)
                    return;
                if (headComplete)
                {
                    answer();
                    return;
                }
                if (filled < 0)
                {
                    close();
                    return;
                }
                if (filled == 0)
                {
                    long left = NanoTime.millisUntil(headDeadline);
                    if (left <= 0)
                    {
                        LOG.debug("stats-http: no complete request head from {} by the deadline", getEndPoint().getRemoteSocketAddress());
                        close();
                        return;
                    }
                    // what is left of the deadline, since the next byte would restart a full idle timeout
                    getEndPoint().setIdleTimeout(left);
                    fillInterested();
                    return;
                }
            }
        }
        catch (IOException x)
        {
            close();
        }
    }

    private void answer()
    {
        answered = true;
        if (HttpMethod.GET.is(method) || HttpMethod.HEAD.is(method))
        {
            byte[] body = render(getDocument()).getBytes(StandardCharsets.UTF_8);
            ByteBuffer head = head(HttpStatus.OK_200, "application/json", body.length, "");
            if (HttpMethod.HEAD.is(method))
                send(head);
            else
                send(head, ByteBuffer.wrap(body));
            return;
        }
        error(HttpStatus.METHOD_NOT_ALLOWED_405, "Allow: GET, HEAD\r\n");
    }

    private void error(int status, String extraHeaders)
    {
        answered = true;
        byte[] body = (status + " " + HttpStatus.getMessage(status) + "\n").getBytes(StandardCharsets.US_ASCII);
        send(head(status, "text/plain", body.length, extraHeaders), ByteBuffer.wrap(body));
    }

    private static ByteBuffer head(int status, String contentType, int contentLength, String extraHeaders)
    {
        // HTTP/1.0 and Connection: close, as uWSGI's stats-http: one response, then the connection ends
        String head = "HTTP/1.0 " + status + " " + HttpStatus.getMessage(status) + "\r\n" +
            "Content-Type: " + contentType + "\r\n" +
            "Content-Length: " + contentLength + "\r\n" +
            "Connection: close\r\n" +
            extraHeaders +
            "\r\n";
        return ByteBuffer.wrap(head.getBytes(StandardCharsets.US_ASCII));
    }

    @Override
    public void startRequest(String method, String uri, HttpVersion version)
    {
        this.method = method;
    }

    @Override
    public void parsedHeader(HttpField field)
    {
    }

    @Override
    public boolean headerComplete()
    {
        headComplete = true;
        return true;
    }

    @Override
    public boolean content(ByteBuffer item)
    {
        return false;
    }

    @Override
    public boolean contentComplete()
    {
        return false;
    }

    @Override
    public boolean messageComplete()
    {
        return true;
    }

    @Override
    public void earlyEOF()
    {
    }

    @Override
    public void badMessage(HttpException failure)
    {
        error(failure.getCode(), "");
    }
}

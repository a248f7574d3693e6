package io.github.jettyuwsgi.examples.streaming;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * <p>{@code GET /async?delay=MS}: suspends the request with {@code startAsync()}, releases the container thread, and
 * after MS milliseconds writes {@code async ok after MS ms} and completes the request from a timer thread of its own.
 * It shows that a response produced outside the container's dispatch still reaches the frontend.</p>
 */
public class AsyncDelayServlet extends HttpServlet
{
    static final long MAX_DELAY = 60_000;
    /**
     * Time the container waits beyond the requested delay before it times the request out itself: a backstop in
     * case the timer never runs (the webapp was stopped meanwhile), not a limit a working request can hit.
     */
    private static final long TIMEOUT_MARGIN = 30_000;

    private ScheduledExecutorService timer;

    @Override
    public void init()
    {
        timer = Executors.newSingleThreadScheduledExecutor(task ->
        {
            Thread thread = new Thread(task, "async-delay-" + getServletName());
            // Must not keep a JVM alive whose server has stopped.
            thread.setDaemon(true);
            return thread;
        });
    }

    @Override
    public void destroy()
    {
        timer.shutdownNow();
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException
    {
        long delay;
        try
        {
            delay = Parameters.longParameter(request, "delay", 0, 0, MAX_DELAY);
        }
        catch (IllegalArgumentException x)
        {
            Parameters.sendBadRequest(response, x.getMessage());
            return;
        }

        AsyncContext async = request.startAsync();
        async.setTimeout(delay + TIMEOUT_MARGIN);
        timer.schedule(() -> finish(async, delay), delay, TimeUnit.MILLISECONDS);
    }

    private void finish(AsyncContext async, long delay)
    {
        try
        {
            byte[] body = ("async ok after " + delay + " ms").getBytes(StandardCharsets.UTF_8);
            HttpServletResponse response = (HttpServletResponse)async.getResponse();
            response.setContentType("text/plain; charset=UTF-8");
            response.setContentLength(body.length);
            response.getOutputStream().write(body);
        }
        catch (IOException x)
        {
            // The client went away while we waited; there is nobody left to tell.
            log("async response after " + delay + " ms: not written", x);
        }
        finally
        {
            async.complete();
        }
    }
}

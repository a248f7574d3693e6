package io.github.jettyuwsgi.examples.streaming;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * <p>{@code GET /sse?events=N&interval=MS}: a server-sent event stream of N events, {@code data: event i of N},
 * flushed one by one MS milliseconds apart. Watching them arrive one at a time (for example with {@code curl -N})
 * shows that each flush travels through the connector and the frontend instead of waiting for the end of the
 * response.</p>
 */
public class EventStreamServlet extends HttpServlet
{
    static final long MAX_EVENTS = 10_000;
    static final long MAX_INTERVAL = 60_000;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException
    {
        long events;
        long interval;
        try
        {
            events = Parameters.longParameter(request, "events", 10, 0, MAX_EVENTS);
            interval = Parameters.longParameter(request, "interval", 1000, 0, MAX_INTERVAL);
        }
        catch (IllegalArgumentException x)
        {
            Parameters.sendBadRequest(response, x.getMessage());
            return;
        }

        response.setContentType("text/event-stream; charset=UTF-8");
        response.setHeader("Cache-Control", "no-cache");
        // nginx buffers upstream responses (uwsgi_buffering on) unless the upstream says otherwise with this header;
        // without it the events would arrive all at once, at the end.
        response.setHeader("X-Accel-Buffering", "no");
        ServletOutputStream output = response.getOutputStream();
        // Commit the headers now, so the client sees the stream open before the first event.
        response.flushBuffer();
        for (long event = 1; event <= events; event++)
        {
            if (event > 1 && !sleep(interval))
                return;
            output.write(("data: event " + event + " of " + events + "\n\n").getBytes(StandardCharsets.UTF_8));
            output.flush();
        }
    }

    /**
     * Sleeps, and returns false if the thread was interrupted (the server is stopping), with the interrupt kept.
     */
    private static boolean sleep(long millis)
    {
        try
        {
            Thread.sleep(millis);
            return true;
        }
        catch (InterruptedException x)
        {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}

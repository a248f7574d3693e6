package io.github.jettyuwsgi.examples.features;

import java.io.IOException;

import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Answers after {@code ?millis=N} (at most {@value #MAX_MILLIS}): a request that is still in flight when the server
 * is told to stop, to show that a graceful stop lets it finish.
 */
@WebServlet("/slow")
public class SlowServlet extends HttpServlet
{
    static final long MAX_MILLIS = 10_000;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException
    {
        long millis;
        try
        {
            millis = Math.min(MAX_MILLIS, Math.max(0, Long.parseLong(request.getParameter("millis"))));
        }
        catch (NumberFormatException x)
        {
            response.sendError(HttpServletResponse.SC_BAD_REQUEST, "millis: '" + request.getParameter("millis") + "' (expected: a number of milliseconds)");
            return;
        }
        try
        {
            Thread.sleep(millis);
        }
        catch (InterruptedException x)
        {
            Thread.currentThread().interrupt();
            response.sendError(HttpServletResponse.SC_SERVICE_UNAVAILABLE, "interrupted");
            return;
        }
        Responses.text(response, "slept " + millis + " ms");
    }
}

package io.github.jettyuwsgi.examples.echo;

import java.util.ArrayList;
import java.util.List;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * <p>The query parameters that shape the echo response rather than its content: {@code status=NNN},
 * {@code setHeader=Name:Value} (repeatable) and {@code pad=N}. {@link EchoServlet} parses them before the dump, so
 * that a malformed control is answered with a 400 instead of a half-applied response, and applies them after.</p>
 *
 * @param status the response status
 * @param headers the response headers to add, each a {@code {name, value}} pair, in request order
 * @param pad the number of padding characters to add under the {@code "pad"} key, or -1 for no {@code "pad"} key
 */
public record ResponseControls(int status, List<String[]> headers, int pad)
{
    /**
     * The largest padding accepted: enough to push a response through every buffer of a frontend, small enough that
     * one request cannot exhaust the heap, since the echo response is built in memory to know its Content-Length.
     */
    public static final int MAX_PAD = 16 * 1024 * 1024;

    /**
     * Reads the controls of {@code request}.
     *
     * @throws IllegalArgumentException with a message for the client when a control is malformed
     */
    public static ResponseControls of(HttpServletRequest request)
    {
        int status = HttpServletResponse.SC_OK;
        String statusValue = request.getParameter("status");
        if (statusValue != null)
        {
            // No 1xx: the uwsgi response is a single HTTP response, interim responses are not part of it.
            status = parseInt("status", statusValue, 200, 599);
        }

        List<String[]> headers = new ArrayList<>();
        String[] headerValues = request.getParameterValues("setHeader");
        if (headerValues != null)
        {
            for (String header : headerValues)
            {
                int colon = header.indexOf(':');
                if (colon <= 0)
                    throw new IllegalArgumentException("setHeader: \"" + header + "\" (expected: Name:Value)");
                headers.add(new String[]{header.substring(0, colon).trim(), header.substring(colon + 1).trim()});
            }
        }

        String padValue = request.getParameter("pad");
        int pad = padValue == null ? -1 : parseInt("pad", padValue, 0, MAX_PAD);

        return new ResponseControls(status, List.copyOf(headers), pad);
    }

    private static int parseInt(String name, String value, int min, int max)
    {
        String expected = " (expected: an integer from " + min + " to " + max + ")";
        try
        {
            int number = Integer.parseInt(value.trim());
            if (number < min || number > max)
                throw new IllegalArgumentException(name + ": " + number + expected);
            return number;
        }
        catch (NumberFormatException x)
        {
            throw new IllegalArgumentException(name + ": \"" + value + "\"" + expected, x);
        }
    }
}

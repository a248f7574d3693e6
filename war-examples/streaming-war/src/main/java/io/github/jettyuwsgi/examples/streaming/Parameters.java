package io.github.jettyuwsgi.examples.streaming;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * <p>Reads the numeric query parameters of the streaming servlets and answers a bad one with a 400, so every
 * servlet validates its input the same way before it commits to a response.</p>
 */
final class Parameters
{
    private Parameters()
    {
    }

    /**
     * Returns the parameter {@code name} as a long in {@code [min, max]}, or {@code defaultValue} when it is absent.
     *
     * @throws IllegalArgumentException with a message for the client when the value is malformed or out of range
     */
    static long longParameter(HttpServletRequest request, String name, long defaultValue, long min, long max)
    {
        String value = request.getParameter(name);
        if (value == null || value.isEmpty())
            return defaultValue;
        String expected = " (expected: an integer from " + min + " to " + max + ")";
        long number;
        try
        {
            number = Long.parseLong(value.trim());
        }
        catch (NumberFormatException x)
        {
            throw new IllegalArgumentException(name + ": \"" + value + "\"" + expected, x);
        }
        if (number < min || number > max)
            throw new IllegalArgumentException(name + ": " + number + expected);
        return number;
    }

    /**
     * Returns the parameter {@code name} as a long in {@code [min, max]}; it must be present.
     */
    static long requiredLongParameter(HttpServletRequest request, String name, long min, long max)
    {
        if (request.getParameter(name) == null)
            throw new IllegalArgumentException(name + ": missing (expected: an integer from " + min + " to " + max + ")");
        return longParameter(request, name, 0, min, max);
    }

    /**
     * Returns whether the parameter {@code name} is {@code true} (case-insensitive); absent means false.
     */
    static boolean booleanParameter(HttpServletRequest request, String name)
    {
        String value = request.getParameter(name);
        if (value == null || value.equalsIgnoreCase("false"))
            return false;
        if (value.equalsIgnoreCase("true"))
            return true;
        throw new IllegalArgumentException(name + ": \"" + value + "\" (expected: true or false)");
    }

    /**
     * Answers with 400 and {@code message} as one line of text.
     */
    static void sendBadRequest(HttpServletResponse response, String message) throws IOException
    {
        byte[] body = (message + "\n").getBytes(StandardCharsets.UTF_8);
        response.setStatus(HttpServletResponse.SC_BAD_REQUEST);
        response.setContentType("text/plain; charset=UTF-8");
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }
}

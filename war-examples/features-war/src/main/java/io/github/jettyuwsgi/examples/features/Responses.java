package io.github.jettyuwsgi.examples.features;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import jakarta.servlet.http.HttpServletResponse;

/**
 * The one way every servlet of this WAR answers: plain UTF-8 text with a Content-Length.
 */
final class Responses
{
    private Responses()
    {
    }

    static void text(HttpServletResponse response, String text) throws IOException
    {
        byte[] bytes = (text + "\n").getBytes(StandardCharsets.UTF_8);
        response.setContentType("text/plain; charset=UTF-8");
        response.setContentLength(bytes.length);
        response.getOutputStream().write(bytes);
    }
}

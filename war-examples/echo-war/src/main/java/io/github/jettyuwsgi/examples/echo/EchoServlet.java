package io.github.jettyuwsgi.examples.echo;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * <p>The echo WAR's only servlet, mapped to {@code /*}: answers a request of any method with a JSON dump of that
 * request ({@link RequestDump}), shaped by the {@link ResponseControls} in its query string. Integration tests put it
 * behind a uwsgi frontend and compare what they sent with what the servlet saw.</p>
 * <p>The response always has a Content-Length, because the body is built in memory first: a frontend then never has
 * to deal with a body delimited by the end of the connection unless a test asks for it elsewhere.</p>
 */
public class EchoServlet extends HttpServlet
{
    /**
     * Handles every method itself, instead of HttpServlet's per-method dispatch, so that PATCH, OPTIONS, TRACE and
     * methods HttpServlet does not know are echoed like GET rather than answered with 405 or a canned response.
     */
    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws ServletException, IOException
    {
        ResponseControls controls;
        try
        {
            controls = ResponseControls.of(request);
        }
        catch (IllegalArgumentException x)
        {
            sendBadRequest(response, x.getMessage());
            return;
        }

        JsonWriter json = new JsonWriter().beginObject();
        RequestDump.writeMembers(request, json);
        if (controls.pad() >= 0)
            json.name("pad").value("x".repeat(controls.pad()));
        byte[] body = json.endObject().toString().getBytes(StandardCharsets.UTF_8);

        response.setStatus(controls.status());
        response.setContentType("application/json; charset=UTF-8");
        // Added last so a test can also override the headers set above.
        for (String[] header : controls.headers())
        {
            response.addHeader(header[0], header[1]);
        }
        // 204 and 304 responses cannot carry a body (RFC 9110 sections 15.3.5 and 15.4.5).
        if (controls.status() == HttpServletResponse.SC_NO_CONTENT || controls.status() == HttpServletResponse.SC_NOT_MODIFIED)
            return;
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }

    private static void sendBadRequest(HttpServletResponse response, String message) throws IOException
    {
        byte[] body = (message + "\n").getBytes(StandardCharsets.UTF_8);
        response.setStatus(HttpServletResponse.SC_BAD_REQUEST);
        response.setContentType("text/plain; charset=UTF-8");
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }
}

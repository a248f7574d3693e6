package io.github.jettyuwsgi.examples.legacy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

/**
 * A {@code javax.servlet} servlet declared in web.xml: it loads at all only in a container that still speaks the
 * javax namespace (Jetty's ee8), and reports the Servlet API version it runs on.
 */
public class LegacyServlet extends HttpServlet
{
    private static final long serialVersionUID = 1L;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException
    {
        byte[] body = ("legacy javax servlet: servlet API " + getServletContext().getMajorVersion() + "." + getServletContext().getMinorVersion() + ", class " + HttpServlet.class.getName() + "\n").getBytes(StandardCharsets.UTF_8);
        response.setContentType("text/plain; charset=UTF-8");
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }
}

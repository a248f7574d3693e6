package io.github.jettyuwsgi.examples.features;

import java.io.IOException;

import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Shows the context init-parameter that only {@code WEB-INF/jetty-web.xml} sets, so a client can see whether the
 * container applied that file.
 */
@WebServlet("/jetty-web")
public class JettyWebXmlServlet extends HttpServlet
{
    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException
    {
        Responses.text(response, "features.jettyWebXml=" + getServletContext().getInitParameter("features.jettyWebXml"));
    }
}

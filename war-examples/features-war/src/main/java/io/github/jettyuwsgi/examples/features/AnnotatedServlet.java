package io.github.jettyuwsgi.examples.features;

import java.io.IOException;

import jakarta.servlet.annotation.WebInitParam;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Declared only by its annotation: it answers at all only if the container scanned WEB-INF/classes, and the
 * init-parameter proves the annotation was read whole, not just the URL pattern.
 */
@WebServlet(urlPatterns = "/annotated", initParams = @WebInitParam(name = "origin", value = "@WebServlet"))
public class AnnotatedServlet extends HttpServlet
{
    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException
    {
        Responses.text(response, "annotated servlet, init-param origin=" + getInitParameter("origin"));
    }
}

package io.github.jettyuwsgi.examples.features;

import java.io.IOException;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Neither annotated nor in web.xml: {@link FeaturesInitializer} registers it, so it answers only if the container ran
 * the WAR's {@code ServletContainerInitializer}.
 */
public class InitializerServlet extends HttpServlet
{
    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException
    {
        Responses.text(response, "registered by " + getServletContext().getAttribute(FeaturesInitializer.ATTRIBUTE));
    }
}

package io.github.jettyuwsgi.examples.middleware;

import java.io.IOException;
import java.util.Map;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * <p>An ordinary servlet behind the middleware WAR's filter: {@code GET /hello/NAME?lang=fr} greets NAME in one of a
 * few languages. It matches {@code lang} exactly; that {@code ?lang=FR} works too is the middleware's doing.</p>
 */
public class HelloServlet extends HttpServlet
{
    private static final Map<String, String> GREETINGS = Map.of("en", "Hello", "fr", "Bonjour", "de", "Hallo", "es", "Hola");

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException
    {
        String pathInfo = request.getPathInfo();
        String name = pathInfo == null || pathInfo.length() <= 1 ? "World" : pathInfo.substring(1);
        String lang = request.getParameter("lang");
        String greeting = GREETINGS.getOrDefault(lang == null ? "en" : lang, GREETINGS.get("en"));
        response.setContentType("text/plain; charset=utf-8");
        response.getWriter().print(greeting + ", " + name + "!\n");
    }
}

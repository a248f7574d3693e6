package io.github.jettyuwsgi.examples.middleware;

import java.io.IOException;
import java.util.List;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * <p>An ordinary servlet behind the middleware WAR's filter, a tiny read-only API: {@code GET /api/items} lists the
 * items, {@code GET /api/items/N} gives the N-th, anything else is a 404 by {@code sendError}. It only knows the
 * current paths: {@code /api/v1/items} works because the middleware retires the {@code /v1} prefix.</p>
 */
public class ItemsServlet extends HttpServlet
{
    private static final List<String> ITEMS = List.of("apple", "banana", "cherry");

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException
    {
        String path = request.getPathInfo() == null ? "" : request.getPathInfo();
        response.setContentType("text/plain; charset=utf-8");
        // Where the servlet believes it is mounted, and which API version the request asked for: both show what
        // the middleware rewrote.
        response.setHeader("X-Mounted-At", request.getContextPath() + request.getServletPath());
        String version = request.getHeader("X-Api-Version");
        response.setHeader("X-Api-Version", version == null ? "current" : version);
        if (path.equals("/items"))
        {
            response.getWriter().print(String.join("\n", ITEMS) + "\n");
            return;
        }
        if (path.startsWith("/items/"))
        {
            String index = path.substring("/items/".length());
            if (index.matches("[1-9][0-9]{0,8}") && Integer.parseInt(index) <= ITEMS.size())
            {
                response.getWriter().print(ITEMS.get(Integer.parseInt(index) - 1) + "\n");
                return;
            }
        }
        response.sendError(HttpServletResponse.SC_NOT_FOUND, "no item at " + path);
    }
}

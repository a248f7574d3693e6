package io.github.jettyuwsgi.gateway.servlet;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.github.jettyuwsgi.gateway.GatewayApplication;
import io.github.jettyuwsgi.gateway.GatewayMiddleware;
import io.github.jettyuwsgi.gateway.Header;
import io.github.jettyuwsgi.gateway.ResponseBody;
import jakarta.servlet.Filter;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * <p>The filter deployments of the contract, in context {@code /f}: a middleware filter in front of an ordinary
 * servlet, and gateway applications mounted as filters in both cascade modes behind an upstream filter that sets
 * a header and a cookie.</p>
 */
final class FilterDeployments
{
    private static final Map<String, String> STRICT = Map.of(GatewayInitParams.VALIDATE, "strict");

    private FilterDeployments()
    {
    }

    static void deploy(ServletContainer container)
    {
        container.addFilter("/f", "rewrite", new GatewayMiddlewareFilter(GatewayMiddleware.compose(rewriting(), new TestApps.Upper())), STRICT, "/down/*");
        container.addServlet("/f", "down", new Downstream(), Map.of(), "/down/*");

        container.addFilter("/f", "upstream", upstream(), Map.of(), "/*");
        container.addFilter("/f", "appFirst", new GatewayFilter(app()), Map.of(GatewayFilter.CASCADE, "app-first", GatewayInitParams.VALIDATE, "strict"), "/app/*");
        container.addFilter("/f", "chainFirst", new GatewayFilter(app()), Map.of(GatewayFilter.CASCADE, "chain-first", GatewayInitParams.VALIDATE, "strict"), "/chain/*");
        container.addServlet("/f", "fallback", new Fallback(), Map.of(), "/app/*", "/chain/*");
    }

    /**
     * <p>Rewrites the environ on the way in (adds a header, replaces the query) and the status and headers on the
     * way out.</p>
     */
    private static GatewayMiddleware rewriting()
    {
        return next -> (environ, startResponse) ->
        {
            environ.put("HTTP_X_ADDED", "by middleware");
            environ.put("QUERY_STRING", "q=rewritten");
            return next.call(environ, (status, headers, excInfo) ->
            {
                List<Header> more = new ArrayList<>(headers);
                more.add(new Header("X-Middleware", "seen " + status));
                return startResponse.start(status.startsWith("200") ? "203 Non-Authoritative Information" : status, more, excInfo);
            });
        };
    }

    /**
     * <p>Answers /hit itself, declines /miss with a 404 and /pass with X-Cascade.</p>
     */
    private static GatewayApplication app()
    {
        return (environ, startResponse) ->
        {
            String path = environ.get("PATH_INFO", "");
            List<Header> text = new ArrayList<>(TestApps.TEXT);
            switch (path)
            {
                case "/miss" -> startResponse.start("404 Not Found", text);
                case "/pass" ->
                {
                    text.add(new Header("X-Cascade", "pass"));
                    startResponse.start("200 OK", text);
                }
                default -> startResponse.start("200 OK", text);
            }
            return ResponseBody.of(TestApps.latin1("from app " + environ.get("SCRIPT_NAME") + " " + path));
        };
    }

    private static Filter upstream()
    {
        return (request, response, chain) ->
        {
            ((HttpServletResponse)response).setHeader("X-Upstream", "kept");
            ((HttpServletResponse)response).addCookie(new Cookie("up", "1"));
            chain.doFilter(request, response);
        };
    }

    /**
     * <p>An ordinary servlet reporting what it sees, in two flushed writes, with a header and a cookie.</p>
     */
    private static final class Downstream extends HttpServlet
    {
        private static final long serialVersionUID = 1L;

        @Override
        protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException
        {
            if ("/missing".equals(request.getPathInfo()))
            {
                response.sendError(404);
                return;
            }
            String body = new String(request.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            response.setContentType("text/plain; charset=utf-8");
            response.setHeader("X-Down", "1");
            response.setHeader("Connection", "close");
            response.addCookie(new Cookie("down", "2"));
            response.getWriter().write("method=" + request.getMethod() + " added=" + request.getHeader("X-Added") + " path=" + request.getPathInfo());
            response.flushBuffer();
            response.getWriter().write(" q=" + request.getParameter("q") + " body=" + body);
        }
    }

    /**
     * <p>The servlets behind the cascade filters: answers /gone with 404 and /nomethod with 405, the rest itself.</p>
     */
    private static final class Fallback extends HttpServlet
    {
        private static final long serialVersionUID = 1L;

        @Override
        protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException
        {
            switch (String.valueOf(request.getPathInfo()))
            {
                case "/gone" -> response.sendError(404);
                case "/nomethod" -> response.sendError(405);
                default ->
                {
                    response.setContentType("text/plain");
                    response.getWriter().write("from chain " + request.getServletPath() + " " + request.getPathInfo());
                }
            }
        }
    }
}

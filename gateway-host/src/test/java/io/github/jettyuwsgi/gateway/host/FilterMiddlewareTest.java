package io.github.jettyuwsgi.gateway.host;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.jettyuwsgi.gateway.GatewayApplication;
import io.github.jettyuwsgi.gateway.GatewayMiddleware;
import io.github.jettyuwsgi.gateway.GatewayValidator;
import io.github.jettyuwsgi.gateway.Header;
import io.github.jettyuwsgi.gateway.ResponseBody;
import io.github.jettyuwsgi.gateway.servlet.GatewayServlet;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * A servlet Filter as gateway middleware around a gateway application, mounted under {@code /mount} behind
 * {@code GatewayServlet}, with the strict validator on both sides of the middleware.
 */
public class FilterMiddlewareTest
{
    private final List<String> warnings = new CopyOnWriteArrayList<>();
    private final AtomicInteger closes = new AtomicInteger();
    private Server server;
    private HostedApplication filtered;

    @BeforeEach
    public void start() throws Exception
    {
        GatewayApplication app = (environ, startResponse) ->
        {
            String text = "script=" + environ.get("SCRIPT_NAME") + " path=" + environ.get("PATH_INFO") +
                " tag=" + environ.get("HTTP_X_TAG", "-") + " body=" + new String(environ.input().read(1024), StandardCharsets.UTF_8) + "\n";
            startResponse.start("200 OK", new ArrayList<>(List.of(new Header("Content-Type", "text/plain"))));
            return ResponseBody.of(List.of(text.getBytes(StandardCharsets.UTF_8)), closes::incrementAndGet);
        };
        filtered = new FilterMiddleware(new TaggingFilter()).wrap(validator().wrap(app));
        GatewayApplication outer = GatewayMiddleware.compose(validator()).wrap(filtered);

        server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler();
        context.addServlet(new ServletHolder(new GatewayServlet(outer)), "/mount/*");
        server.setHandler(context);
        server.start();
    }

    private GatewayValidator validator()
    {
        return new GatewayValidator(GatewayValidator.Profile.STRICT, warnings::add);
    }

    @AfterEach
    public void stop() throws Exception
    {
        server.stop();
        filtered.close();
        assertEquals(List.of(), warnings, "validator warnings");
    }

    @Test
    public void filterWrapsRequestAndResponseAroundTheApplication() throws Exception
    {
        RawHttp.Response response = exchange("POST /mount/caf%C3%A9/x?q=1 HTTP/1.1\r\nHost: app.example\r\nContent-Type: text/plain\r\nContent-Length: 5\r\nConnection: close\r\n\r\nhello");
        assertEquals(200, response.status(), response.text());
        // SCRIPT_NAME and PATH_INFO as GatewayServlet split them, in latin-1 bytes-as-chars; the header the filter's
        // request wrapper added; the body streamed through.
        assertEquals("script=/mount path=/caf\u00c3\u00a9/x tag=filtered body=hello\n", response.text());
        assertEquals("yes", response.header("X-Filter-Saw-Response"));
        assertEquals(1, closes.get(), "body close() calls");
    }

    @Test
    public void filterMayAnswerWithoutCallingTheApplication() throws Exception
    {
        RawHttp.Response response = exchange("GET /mount/forbidden HTTP/1.1\r\nHost: app.example\r\nConnection: close\r\n\r\n");
        assertEquals(403, response.status());
        assertEquals("text/plain;charset=utf-8", response.header("Content-Type").toLowerCase().replace(" ", ""));
        assertEquals("no entry\n", response.text());
        assertEquals(0, closes.get(), "the application was not called");
        assertNull(response.header("X-Filter-Saw-Response"));
    }

    private RawHttp.Response exchange(String request) throws IOException
    {
        return RawHttp.exchange(((ServerConnector)server.getConnectors()[0]).getLocalPort(), request, null);
    }

    /** Adds a request header through a wrapper, sets a response header, and refuses {@code /forbidden} itself. */
    private static final class TaggingFilter implements Filter
    {
        @Override
        public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain) throws IOException, ServletException
        {
            HttpServletRequest http = (HttpServletRequest)request;
            HttpServletResponse httpResponse = (HttpServletResponse)response;
            if (http.getRequestURI().endsWith("/forbidden"))
            {
                httpResponse.setStatus(403);
                httpResponse.setContentType("text/plain; charset=UTF-8");
                httpResponse.getWriter().print("no entry\n");
                return;
            }
            httpResponse.setHeader("X-Filter-Saw-Response", "yes");
            chain.doFilter(new HttpServletRequestWrapper(http)
            {
                @Override
                public String getHeader(String name)
                {
                    return name.equalsIgnoreCase("X-Tag") ? "filtered" : super.getHeader(name);
                }

                @Override
                public Enumeration<String> getHeaders(String name)
                {
                    return name.equalsIgnoreCase("X-Tag") ? Collections.enumeration(List.of("filtered")) : super.getHeaders(name);
                }

                @Override
                public Enumeration<String> getHeaderNames()
                {
                    List<String> names = new ArrayList<>(Collections.list(super.getHeaderNames()));
                    names.add("X-Tag");
                    return Collections.enumeration(names);
                }
            }, response);
        }
    }
}

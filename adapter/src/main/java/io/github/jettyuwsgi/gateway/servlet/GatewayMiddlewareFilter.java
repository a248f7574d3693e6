package io.github.jettyuwsgi.gateway.servlet;

import java.util.ArrayList;
import java.util.List;

import io.github.jettyuwsgi.gateway.Environ;
import io.github.jettyuwsgi.gateway.GatewayApplication;
import io.github.jettyuwsgi.gateway.GatewayMiddleware;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * <p>Gateway middleware deployed as a servlet {@link Filter}, wrapping the rest of the chain:
 * {@code doFilter = run(middleware(chainAsApp), environOf(request))}. The middleware sees the request as an environ
 * and may rewrite it (the downstream servlet then sees the rewrite, see {@link EnvironRequest}), and it sees the
 * servlet's response as {@code start_response} plus body, so it can rewrite status, headers and body
 * ({@link CapturingResponse}). With several middleware in the {@code middleware} init-param, or several such
 * filters in {@code web.xml}, the first declared is outermost, as for filters.</p>
 * <pre>
 * &lt;filter&gt;
 *   &lt;filter-name&gt;gzip&lt;/filter-name&gt;
 *   &lt;filter-class&gt;io.github.jettyuwsgi.gateway.servlet.GatewayMiddlewareFilter&lt;/filter-class&gt;
 *   &lt;init-param&gt;&lt;param-name&gt;middleware&lt;/param-name&gt;&lt;param-value&gt;com.example.Gzip&lt;/param-value&gt;&lt;/init-param&gt;
 * &lt;/filter&gt;
 * </pre>
 * <p>The downstream servlet must answer within {@code doFilter} (no {@code startAsync}); errors follow the servlet's
 * rule: a generic 500 before commit, an aborted connection after.</p>
 */
public class GatewayMiddlewareFilter extends AbstractGatewayFilter
{
    private GatewayMiddleware middleware;

    /**
     * <p>For {@code web.xml}: the middleware classes come from the {@value GatewayInitParams#MIDDLEWARE} init-param.</p>
     */
    public GatewayMiddlewareFilter()
    {
    }

    /**
     * @param middleware the middleware to apply (for programmatic registration and tests)
     */
    public GatewayMiddlewareFilter(GatewayMiddleware middleware)
    {
        this.middleware = middleware;
    }

    @Override
    void configure(FilterConfig config) throws ServletException
    {
        if (middleware == null)
        {
            if (params().middleware().isEmpty())
                throw new ServletException("init-param " + GatewayInitParams.MIDDLEWARE + ": absent (expected: one or more GatewayMiddleware class names)");
            List<GatewayMiddleware> loaded = new ArrayList<>();
            for (String name : params().middleware())
            {
                loaded.add(ApplicationLoader.instantiate(GatewayInitParams.MIDDLEWARE, name, GatewayMiddleware.class, context().getClassLoader()));
            }
            middleware = GatewayMiddleware.compose(loaded);
        }
    }

    @Override
    void filter(HttpServletRequest request, HttpServletResponse response, FilterChain chain, Environ environ) throws ServletException
    {
        // Validated on both sides when asked: the middleware as an application, and as a server of the chain.
        GatewayApplication downstream = Serving.validated(new ChainApplication(request, response, chain), params().validate(), context());
        GatewayApplication application = Serving.validated(middleware.wrap(downstream), params().validate(), context());
        Serving.serve(application, environ, response, failure ->
            context().log("gateway middleware filter failed: " + request.getMethod() + " " + request.getRequestURI(), failure));
    }
}

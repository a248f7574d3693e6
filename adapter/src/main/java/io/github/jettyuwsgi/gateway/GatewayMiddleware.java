package io.github.jettyuwsgi.gateway;

import java.util.List;
import java.util.Objects;

/**
 * <p>Gateway middleware: a function from application to application. It is a server to the application it wraps and
 * an application to its own server, so it can rewrite the environ on the way in and the status, headers and body on
 * the way out (PEP 3333, "Middleware: Components that Play Both Sides").</p>
 * <p>Ordering rule, the same as a servlet filter list: in {@link #compose(GatewayMiddleware...)} the <em>first
 * declared is outermost</em>; {@code compose(m1, m2, m3).wrap(app)} is {@code m1(m2(m3(app)))}, so {@code m1} sees the
 * request first and the response last, like the first {@code <filter-mapping>} of a {@code web.xml}.</p>
 */
@FunctionalInterface
public interface GatewayMiddleware
{
    /**
     * @param next the application this middleware wraps
     * @return the wrapped application
     */
    GatewayApplication wrap(GatewayApplication next);

    /**
     * @param outermostFirst the middleware, first declared = outermost
     * @return one middleware equivalent to nesting them in that order
     */
    static GatewayMiddleware compose(GatewayMiddleware... outermostFirst)
    {
        return compose(List.of(outermostFirst));
    }

    /**
     * @param outermostFirst the middleware, first declared = outermost
     * @return one middleware equivalent to nesting them in that order
     */
    static GatewayMiddleware compose(List<? extends GatewayMiddleware> outermostFirst)
    {
        List<GatewayMiddleware> stack = List.copyOf(outermostFirst);
        return application ->
        {
            GatewayApplication wrapped = Objects.requireNonNull(application, "application");
            // Wrap from the innermost outwards so that the first declared ends up outermost.
            for (int i = stack.size() - 1; i >= 0; i--)
            {
                GatewayMiddleware middleware = stack.get(i);
                wrapped = middleware.wrap(wrapped);
                if (wrapped == null)
                    throw new GatewayException("middleware returned no application: " + middleware.getClass().getName() + " returned null (expected: an application)");
            }
            return wrapped;
        };
    }
}

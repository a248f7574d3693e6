package io.github.jettyuwsgi.gateway.host;

import java.io.IOException;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import io.github.jettyuwsgi.gateway.GatewayApplication;
import io.github.jettyuwsgi.gateway.GatewayException;
import io.github.jettyuwsgi.gateway.GatewayMiddleware;
import io.github.jettyuwsgi.gateway.Latin1;
import io.github.jettyuwsgi.gateway.servlet.GatewayServlet;
import io.github.jettyuwsgi.uwsgi.UwsgiConnectionFactory;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;

/**
 * <p>A servlet {@link Filter} applied around a gateway application, as gateway middleware: the filter → middleware half
 * of the bridge ({@code GatewayMiddlewareFilter} in the adapter is the other).</p>
 *
 * <p>{@code wrap(app)} hosts, in a {@link HostedApplication}, a context where the filter is mapped to {@code /*} in
 * front of a {@code GatewayServlet} running {@code app}. So the environ becomes a real Jetty request (through the
 * connector's mapping), the filter sees it as in any container (it may wrap request and response, short-circuit, set
 * headers, go async), and the environ the application gets is derived again from whatever request reaches
 * {@code chain.doFilter}, so a filter's request wrapper is honoured. SCRIPT_NAME survives the trip: the hosted request's
 * context path is reported as the raw prefix of the URI that the incoming SCRIPT_NAME decodes to.</p>
 *
 * <p>The returned application is started and is {@link AutoCloseable}; closing it stops its server and destroys the
 * filter.</p>
 */
public final class FilterMiddleware implements GatewayMiddleware
{
    private final Filter filter;
    private final Map<String, String> initParameters;

    /**
     * @param filter the filter, initialized by the hosting context with an empty configuration
     */
    public FilterMiddleware(Filter filter)
    {
        this(filter, Map.of());
    }

    /**
     * @param filter the filter
     * @param initParameters its init-params
     */
    public FilterMiddleware(Filter filter, Map<String, String> initParameters)
    {
        this.filter = Objects.requireNonNull(filter, "filter");
        this.initParameters = Map.copyOf(initParameters);
    }

    @Override
    public HostedApplication wrap(GatewayApplication next)
    {
        ServletContextHandler context = new ServletContextHandler(ServletContextHandler.SESSIONS);
        context.setContextPath("/");
        FilterHolder filterHolder = new FilterHolder(filter);
        filterHolder.setInitParameters(initParameters);
        filterHolder.setAsyncSupported(true);
        context.addFilter(filterHolder, "/*", EnumSet.of(DispatcherType.REQUEST, DispatcherType.ASYNC));
        ServletHolder servletHolder = new ServletHolder(new ScriptNameServlet(new GatewayServlet(next)));
        servletHolder.setAsyncSupported(true);
        context.addServlet(servletHolder, "/*");
        HostedApplication hosted = new HostedApplication(context);
        try
        {
            return hosted.start();
        }
        catch (Exception x)
        {
            throw new GatewayException("filter middleware: " + filter.getClass().getName() + " failed to start: " + x, x);
        }
    }

    /**
     * Hands the request to the gateway servlet with the incoming SCRIPT_NAME as its context path, so the application
     * behind the filter sees the SCRIPT_NAME/PATH_INFO split it would see without the filter.
     */
    private static final class ScriptNameServlet extends HttpServlet
    {
        private final GatewayServlet gateway;

        ScriptNameServlet(GatewayServlet gateway)
        {
            this.gateway = gateway;
        }

        @Override
        public void init() throws ServletException
        {
            gateway.init(getServletConfig());
        }

        @Override
        public void destroy()
        {
            gateway.destroy();
        }

        @Override
        protected void service(HttpServletRequest request, HttpServletResponse response) throws ServletException, IOException
        {
            String prefix = rawPrefix(request.getRequestURI(), scriptName(request));
            // The public service(ServletRequest, ServletResponse), which dispatches to GatewayServlet's own.
            gateway.service((ServletRequest)(prefix == null ? request : new HttpServletRequestWrapper(request)
            {
                @Override
                public String getContextPath()
                {
                    return prefix;
                }
            }), (ServletResponse)response);
        }

        @SuppressWarnings("unchecked")
        private static String scriptName(HttpServletRequest request)
        {
            if (request.getAttribute(UwsgiConnectionFactory.VARS_ATTRIBUTE) instanceof Map<?, ?> vars &&
                vars.get("SCRIPT_NAME") instanceof List<?> values && !values.isEmpty())
                return (String)values.get(0);
            return "";
        }

        /**
         * @return the prefix of the raw URI, ending at a segment boundary, that decodes to the script name; null when
         * there is none (the script name is empty, or a filter rewrote the path)
         */
        private static String rawPrefix(String uri, String scriptName)
        {
            if (scriptName.isEmpty())
                return null;
            for (int i = 1; i <= uri.length(); i++)
            {
                if ((i == uri.length() || uri.charAt(i) == '/') && Latin1.decodePath(uri.substring(0, i)).equals(scriptName))
                    return uri.substring(0, i);
            }
            return null;
        }
    }
}

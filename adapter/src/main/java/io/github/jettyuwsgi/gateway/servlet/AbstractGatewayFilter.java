package io.github.jettyuwsgi.gateway.servlet;

import java.io.IOException;

import io.github.jettyuwsgi.gateway.Environ;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * <p>What {@link GatewayFilter} and {@link GatewayMiddlewareFilter} share on their way into the pipeline: the
 * {@link GatewayInitParams} and the context, read at {@code init}, and a {@code doFilter} that passes non-HTTP
 * requests down the chain untouched and hands each HTTP one on with its {@link ServletEnviron}.</p>
 */
abstract class AbstractGatewayFilter implements Filter
{
    private GatewayInitParams params;
    private ServletContext context;

    @Override
    public void init(FilterConfig config) throws ServletException
    {
        context = config.getServletContext();
        params = GatewayInitParams.from(config::getInitParameter);
        configure(config);
    }

    /**
     * <p>Called by {@code init} once {@link #params()} and {@link #context()} are set.</p>
     *
     * @param config the filter's configuration, for init-params of its own
     * @throws ServletException when the configuration is unusable
     */
    abstract void configure(FilterConfig config) throws ServletException;

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain) throws IOException, ServletException
    {
        if (!(request instanceof HttpServletRequest httpRequest) || !(response instanceof HttpServletResponse httpResponse))
        {
            chain.doFilter(request, response);
            return;
        }
        filter(httpRequest, httpResponse, chain, ServletEnviron.of(httpRequest, params.multiprocess()));
    }

    /**
     * @param request the HTTP request
     * @param response its response
     * @param chain the rest of the filter chain
     * @param environ the request as an environ
     */
    abstract void filter(HttpServletRequest request, HttpServletResponse response, FilterChain chain, Environ environ) throws IOException, ServletException;

    GatewayInitParams params()
    {
        return params;
    }

    ServletContext context()
    {
        return context;
    }
}

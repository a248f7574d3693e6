package io.github.jettyuwsgi.launcher.ee11;

import java.io.IOException;
import java.util.EnumSet;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import org.eclipse.jetty.ee11.servlet.FilterHolder;
import org.eclipse.jetty.ee11.servlet.FilterMapping;
import org.eclipse.jetty.ee11.servlet.ServletHandler;
import org.eclipse.jetty.ee11.websocket.servlet.WebSocketUpgradeFilter;
import org.eclipse.jetty.http.HttpHeader;

/**
 * Jetty's WebSocket upgrade filter, asking whether a request is a handshake before it wraps the request: the first
 * filter of every request to an ee11 WAR the launcher deploys.
 *
 * <p>Jetty 12.1's {@link WebSocketUpgradeFilter} wraps every request and response in core ones before it asks whether
 * the request is a WebSocket handshake, which costs every plain request of a WAR several objects (about 8% of what a
 * small uwsgi request allocates; {@code docs/performance.md}). Both of Jetty's handshakes (RFC 6455 over HTTP/1.1 and
 * RFC 8441 over HTTP/2) require a {@code Sec-WebSocket-Version} header, so a request without one goes straight on
 * down the chain, as Jetty's filter would send it after asking; a request with one goes through Jetty's filter
 * unchanged.</p>
 *
 * <p>{@link #register} puts it in a context before it starts, under the name of Jetty's filter and mapped as Jetty maps
 * it: Jetty's WebSocket initializers add their filter only where no filter of that name exists, so they configure this
 * one instead.</p>
 */
public class CheckFirstWebSocketUpgradeFilter extends WebSocketUpgradeFilter
{
    /** The name Jetty's initializers look their filter up by. */
    static final String NAME = WebSocketUpgradeFilter.class.getName();

    /**
     * Adds the filter first in the chain of {@code servletHandler}'s context, for {@code REQUEST} dispatches of every
     * path, as Jetty's own {@code WebSocketUpgradeFilter.ensureFilter} does.
     */
    static void register(ServletHandler servletHandler)
    {
        FilterHolder holder = new FilterHolder(new CheckFirstWebSocketUpgradeFilter());
        holder.setName(NAME);
        holder.setAsyncSupported(true);
        FilterMapping mapping = new FilterMapping();
        mapping.setFilterName(NAME);
        mapping.setPathSpec("/*");
        mapping.setDispatcherTypes(EnumSet.of(DispatcherType.REQUEST));
        servletHandler.prependFilter(holder);
        servletHandler.prependFilterMapping(mapping);
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain) throws IOException, ServletException
    {
        if (request instanceof HttpServletRequest http && http.getHeader(HttpHeader.SEC_WEBSOCKET_VERSION.asString()) == null)
        {
            // what Jetty's filter does with a request that is not a handshake
            if (!response.isCommitted())
                chain.doFilter(request, response);
            return;
        }
        super.doFilter(request, response, chain);
    }
}

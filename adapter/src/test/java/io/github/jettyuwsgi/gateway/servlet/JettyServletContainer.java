package io.github.jettyuwsgi.gateway.servlet;

import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServlet;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.ee10.servlet.ServletMapping;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ContextHandlerCollection;

/**
 * <p>Embedded Jetty 12.1 ee10 behind the test's {@link ServletContainer} interface, on a random port.</p>
 */
public final class JettyServletContainer implements ServletContainer
{
    private final Server server = new Server();
    private final Map<String, ServletContextHandler> contexts = new LinkedHashMap<>();

    private ServletContextHandler context(String contextPath)
    {
        return contexts.computeIfAbsent(contextPath, path -> new ServletContextHandler(path.isEmpty() ? "/" : path));
    }

    @Override
    public void addServlet(String contextPath, String name, HttpServlet servlet, Map<String, String> initParams, String... mappings)
    {
        ServletHolder holder = new ServletHolder(name, servlet);
        holder.setAsyncSupported(true);
        holder.setInitParameters(initParams);
        ServletContextHandler context = context(contextPath);
        context.getServletHandler().addServlet(holder);
        context.getServletHandler().addServletMapping(mapping(name, mappings));
    }

    private static ServletMapping mapping(String name, String... patterns)
    {
        ServletMapping mapping = new ServletMapping();
        mapping.setServletName(name);
        mapping.setPathSpecs(patterns);
        return mapping;
    }

    @Override
    public void addFilter(String contextPath, String name, Filter filter, Map<String, String> initParams, String mapping)
    {
        FilterHolder holder = new FilterHolder(filter);
        holder.setName(name);
        holder.setAsyncSupported(true);
        holder.setInitParameters(initParams);
        context(contextPath).addFilter(holder, mapping, EnumSet.of(DispatcherType.REQUEST));
    }

    @Override
    public int start() throws Exception
    {
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        server.addConnector(connector);
        server.setHandler(new ContextHandlerCollection(contexts.values().toArray(ServletContextHandler[]::new)));
        server.start();
        return connector.getLocalPort();
    }

    @Override
    public void close() throws Exception
    {
        server.stop();
    }
}

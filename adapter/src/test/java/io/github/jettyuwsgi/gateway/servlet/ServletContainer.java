package io.github.jettyuwsgi.gateway.servlet;

import java.util.Map;

import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServlet;

/**
 * <p>An embedded Servlet 6 container for the tests, seen only through the Servlet API so that the same
 * {@link GatewayServletContract} runs on Jetty and on Tomcat.</p>
 */
public interface ServletContainer extends AutoCloseable
{
    /**
     * @param contextPath {@code ""} for the root context, else {@code /name}
     * @param name the servlet name
     * @param servlet the servlet instance
     * @param initParams its init-params
     * @param mappings its URL patterns
     */
    void addServlet(String contextPath, String name, HttpServlet servlet, Map<String, String> initParams, String... mappings);

    /**
     * @param contextPath the context
     * @param name the filter name
     * @param filter the filter instance, async-supported
     * @param initParams its init-params
     * @param mapping its URL pattern
     */
    void addFilter(String contextPath, String name, Filter filter, Map<String, String> initParams, String mapping);

    /**
     * @return the port the container listens on
     */
    int start() throws Exception;
}

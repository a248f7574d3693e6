package io.github.jettyuwsgi.launcher.deploy;

import org.eclipse.jetty.server.handler.ContextHandler;

/**
 * The service each EE environment module ({@code launcher-ee8}, {@code launcher-ee10}, {@code launcher-ee11})
 * implements once, compiled against that environment: it turns a WAR into a Jetty context. {@link EnvironmentLoader}
 * finds it with {@link java.util.ServiceLoader} in the environment's own class loader ({@code lib/eeN}), and
 * {@code HandlerChain} puts the contexts under the server, whatever their environment, as core {@link ContextHandler}s.
 *
 * <p>{@link #newContext(WebAppSpec)} is called with the environment's class loader as the thread context class loader,
 * which Jetty's contexts capture as their parent class loader; it must not start the context: the server does that,
 * and stops it gracefully. Login realms are not the deployer's business: they are {@code LoginService} beans of the
 * server, which Jetty's security handlers find by the WAR's {@code <realm-name>}.</p>
 */
public interface WebAppDeployer
{
    /**
     * @return the environment this deployer serves: {@code "ee8"}, {@code "ee10"} or {@code "ee11"}
     */
    String getEnvironment();

    /**
     * Creates, without starting it, the context serving one WAR with everything a real application expects:
     * annotations and {@code ServletContainerInitializer}s, JSP and JSTL, JNDI {@code env-entry}s,
     * {@code WEB-INF/jetty-web.xml} and container-managed security.
     *
     * @param spec what to deploy and where
     * @return the core context to add to the server; for the nested ee8 environment, the core handler it wraps
     * @throws Exception if the context cannot be created
     */
    ContextHandler newContext(WebAppSpec spec) throws Exception;

    /**
     * Creates, without starting it, a servlet context that serves one gateway application with the adapter's
     * {@code GatewayServlet} at {@code /*}; the context's class loader is the spec's, so the servlet finds the
     * application's classes there. Only the Jakarta environments can: the adapter is built on {@code jakarta.servlet}.
     *
     * @param spec the context path, class loader and servlet init-params
     * @return the core context to add to the server
     * @throws Exception if the context cannot be created
     */
    default ContextHandler newGatewayContext(GatewaySpec spec) throws Exception
    {
        throw new UnsupportedOperationException("environment " + getEnvironment() + " cannot serve gateway applications (expected: ee10 or ee11)");
    }
}

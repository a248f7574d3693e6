package io.github.jettyuwsgi.launcher.deploy;

import org.eclipse.jetty.server.handler.ContextHandler;

/**
 * One application of a deployment as {@link Deployment} made it, not started: its context, created in its environment,
 * and what the handler chain wraps it with needs (the {@code server} package's {@code HandlerChain} puts an
 * {@link ApplicationStartGuard} and an {@link EnvironmentScopedHandler} around it).
 *
 * @param what how the logs and the 503 page name it, e.g. {@code WAR shop.war at /shop}
 * @param environmentClassLoader the class loader of its environment ({@code lib/eeN})
 * @param context its context
 */
public record DeployedApplication(String what, ClassLoader environmentClassLoader, ContextHandler context)
{
}

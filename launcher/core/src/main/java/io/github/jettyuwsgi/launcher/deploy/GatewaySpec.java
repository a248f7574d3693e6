package io.github.jettyuwsgi.launcher.deploy;

import java.util.Map;
import java.util.Objects;

/**
 * What {@link Deployment} asks a {@link WebAppDeployer} to serve instead of a WAR: a gateway application (from
 * {@code --app} or {@code --jwsgi}) behind the adapter's {@code GatewayServlet}, kept in the launcher core so that
 * every environment module compiles against the same type.
 *
 * @param contextPath the context path, {@code /} for the root
 * @param classLoader the loader of the application's classes: a child of the environment's loader over {@code --classpath}
 * @param initParams the {@code GatewayServlet} init-params, e.g. {@code application} or {@code jwsgi}
 */
public record GatewaySpec(String contextPath, ClassLoader classLoader, Map<String, String> initParams)
{
    public GatewaySpec
    {
        Objects.requireNonNull(contextPath, "contextPath");
        Objects.requireNonNull(classLoader, "classLoader");
        initParams = Map.copyOf(initParams);
    }
}

package io.github.jettyuwsgi.launcher.webapps;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The values of {@code --mount-environment} ({@code /ctx=eeN}), read for the launcher's options: which environment the
 * WAR mounted at a context path is deployed in, whatever is detected or forced for the others. The deployment reads
 * the result through {@code deploy.WarEnvironment}.
 */
public final class MountEnvironments
{
    private MountEnvironments()
    {
    }

    /**
     * Reads {@code --mount-environment} values.
     *
     * @param values each {@code /ctx=eeN}
     * @return the environment of each context path, in the given order
     * @throws IllegalArgumentException naming the first value that is not {@code /ctx=eeN} with an environment the
     * launcher has
     */
    public static Map<String, String> parse(List<String> values)
    {
        Map<String, String> environments = new LinkedHashMap<>();
        for (String value : values)
        {
            int equals = value.indexOf('=');
            String contextPath = equals < 0 ? "" : value.substring(0, equals).trim();
            String environment = equals < 0 ? "" : value.substring(equals + 1).trim();
            if (!contextPath.startsWith("/"))
                throw new IllegalArgumentException("--mount-environment: '" + value + "' (expected: /CONTEXT=ENVIRONMENT, e.g. /shop=ee10)");
            if (!JettyDescriptors.ENVIRONMENTS.contains(environment))
                throw new IllegalArgumentException("--mount-environment: '" + value + "' names environment '" + environment + "' (expected: one of ee8, ee10, ee11)");
            if (contextPath.length() > 1 && contextPath.endsWith("/"))
                contextPath = contextPath.substring(0, contextPath.length() - 1);
            environments.put(contextPath, environment);
        }
        return environments;
    }
}

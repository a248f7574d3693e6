package io.github.jettyuwsgi.launcher.webapps;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * The server-wide defaults of Jetty's context attributes, from system properties of the same name
 * ({@code -Dorg.eclipse.jetty.containerInitializerExclusionPattern=com.example.*}): each environment's deployer sets
 * them on every WAR's context before the WAR's context XML file, which may override them, is applied (a
 * {@code ContainerIncludeJarPattern} is added to the environment's own, which finds the JSTL tag libraries).
 */
public final class ContextAttributeDefaults
{
    /** The context attributes Jetty reads while it configures a web application. */
    public static final List<String> ATTRIBUTES = List.of(
        "org.eclipse.jetty.server.webapp.ContainerIncludeJarPattern",
        "org.eclipse.jetty.server.webapp.WebInfIncludeJarPattern",
        "org.eclipse.jetty.containerInitializerExclusionPattern",
        "org.eclipse.jetty.containerInitializerOrder",
        "org.eclipse.jetty.annotations.maxWait",
        "org.eclipse.jetty.annotations.multiThreaded");

    private ContextAttributeDefaults()
    {
    }

    /**
     * @param system the system properties
     * @return the attributes they give a value, in {@link #ATTRIBUTES} order
     */
    public static Map<String, String> of(Properties system)
    {
        Map<String, String> defaults = new LinkedHashMap<>();
        for (String attribute : ATTRIBUTES)
        {
            String value = system.getProperty(attribute);
            if (value != null)
                defaults.put(attribute, value);
        }
        return defaults;
    }
}

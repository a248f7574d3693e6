package io.github.jettyuwsgi.launcher.webapps;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The catalogue behind {@code --jetty-module NAME}: the jetty-home modules a WAR may need, by the names jetty-home gives
 * them ({@code jsp}, or {@code ee10-jsp} for one environment), and how the launcher provides each. Jetty's
 * environment modules that WARs commonly need are on every environment's class path already, so naming one only
 * checks it and says so; a name the launcher does not know is a usage error that lists the known ones.
 */
public final class JettyModules
{
    private static final Pattern ENVIRONMENT_PREFIX = Pattern.compile("^(ee[0-9]+)-(.+)$");
    private static final Map<String, String> MODULES = modules();

    private JettyModules()
    {
    }

    private static Map<String, String> modules()
    {
        String everyEnvironment = "on every environment's class path (lib/ee8, lib/ee10, lib/ee11)";
        Map<String, String> modules = new LinkedHashMap<>();
        modules.put("servlets", "Jetty's standard filters (QoSFilter, DoSFilter, CrossOriginFilter, HeaderFilter...): " + everyEnvironment);
        modules.put("jsp", "Apache Jasper JSP: " + everyEnvironment);
        modules.put("jstl", "the JSTL implementation and its tag libraries: " + everyEnvironment);
        modules.put("annotations", "annotations and ServletContainerInitializer scanning: " + everyEnvironment);
        modules.put("plus", "JNDI env-entry, resource-ref and WEB-INF/jetty-env.xml: " + everyEnvironment);
        modules.put("jndi", "the JNDI naming context: " + everyEnvironment);
        modules.put("jaas", "JAASLoginService, for a context XML's security handler: in the launcher core (jetty-security); " +
            "give the JAAS configuration with -Djava.security.auth.login.config=FILE");
        return modules;
    }

    /**
     * @return the names {@code --jetty-module} accepts, without environment prefix
     */
    public static List<String> names()
    {
        return List.copyOf(MODULES.keySet());
    }

    /**
     * @param name a jetty-home module name, with or without an environment prefix ({@code jsp}, {@code ee10-jsp})
     * @return how the launcher provides it, for the log
     * @throws IllegalArgumentException if the launcher has no such module, with the known names
     */
    public static String describe(String name)
    {
        String module = name.trim();
        Matcher prefixed = ENVIRONMENT_PREFIX.matcher(module);
        if (prefixed.matches())
        {
            if (!JettyDescriptors.ENVIRONMENTS.contains(prefixed.group(1)))
                throw unknown(name);
            module = prefixed.group(2);
        }
        String description = MODULES.get(module);
        if (description == null)
            throw unknown(name);
        return description;
    }

    private static IllegalArgumentException unknown(String name)
    {
        return new IllegalArgumentException("--jetty-module: '" + name + "' is not a module the launcher has (expected: one of " +
            String.join(", ", MODULES.keySet()) + ", optionally prefixed with ee8-, ee10- or ee11-; " +
            "session stores and WebSocket have options of their own)");
    }
}

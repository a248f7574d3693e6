package io.github.jettyuwsgi.launcher.deploy;

import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.github.jettyuwsgi.launcher.options.LauncherOptions;
import io.github.jettyuwsgi.launcher.options.UsageException;
import io.github.jettyuwsgi.launcher.webapps.ContextXml;

/**
 * Reads every WAR's descriptor ({@link WebXml}) and chooses its environment ({@link EnvironmentDetector}) before
 * anything is created, so that all the mistakes a user can fix are reported together: the first step of a
 * {@link Deployment}.
 */
final class WarInspection
{
    /**
     * A WAR about to be deployed, with what was learnt from it beforehand.
     *
     * @param mount where the options deploy it
     * @param war its absolute path
     * @param environment the environment chosen, and why
     */
    record InspectedWar(LauncherOptions.Mount mount, Path war, EnvironmentDetector.Choice environment)
    {
    }

    private WarInspection()
    {
    }

    /**
     * @param mounts the WARs and their context paths
     * @param realms the realm names given ({@code realm})
     * @param environment the environment forced for every WAR, or null to detect it per WAR
     * @param mountEnvironments the environment given for a context path ({@code mount-environment})
     * @return the WARs, inspected
     * @throws UsageException with every WAR that cannot be read or asks for a realm not given
     */
    static List<InspectedWar> inspect(List<LauncherOptions.Mount> mounts, Set<String> realms, String environment, Map<String, String> mountEnvironments) throws UsageException
    {
        List<String> problems = new ArrayList<>();
        List<InspectedWar> webApps = new ArrayList<>();
        for (LauncherOptions.Mount given : mounts)
        {
            Path war = given.war().toAbsolutePath().normalize();
            String what = "WAR " + given.war() + " at " + given.contextPath();
            try
            {
                // A context XML file is read as jetty-home reads webapps/*.xml: the WAR it sets is the one inspected,
                // and the context path it sets wins.
                ContextXml contextXml = ContextXml.isContextXml(war) ? ContextXml.read(war) : null;
                Path inspected = contextXml == null ? war : contextXml.war();
                LauncherOptions.Mount mount = contextXml == null || contextXml.contextPath() == null ? given : new LauncherOptions.Mount(contextXml.contextPath(), given.war());
                Optional<WebXml> webXml = inspected == null ? Optional.empty() : WebXml.read(inspected);
                // A context XML that gives the context its own login service answers the WAR's realm itself.
                if (contextXml == null || !contextXml.setsLoginService())
                    webXml.flatMap(descriptor -> checkRealm(what, descriptor, realms)).ifPresent(problems::add);
                webApps.add(new InspectedWar(mount, war, WarEnvironment.choose(inspected, webXml, mountEnvironments.get(given.contextPath()), environment, contextXml)));
            }
            catch (IllegalArgumentException | UncheckedIOException x)
            {
                problems.add(what + ": " + x.getMessage());
            }
        }
        if (!problems.isEmpty())
            throw new UsageException(problems);
        return webApps;
    }

    private static Optional<String> checkRealm(String what, WebXml webXml, Set<String> realms)
    {
        if (!webXml.hasLoginConfig())
            return Optional.empty();
        if (webXml.realmName() != null && !realms.contains(webXml.realmName()))
            return Optional.of(what + ": " + WebXml.PATH + " asks for realm '" + webXml.realmName() + "' (expected: --realm " + webXml.realmName() + "=FILE" +
                (realms.isEmpty() ? ")" : "; given: " + String.join(", ", realms) + ")"));
        if (webXml.realmName() == null && realms.size() != 1)
            return Optional.of(what + ": " + WebXml.PATH + " has a login-config without realm-name, so it needs exactly one --realm (given: " + realms.size() + ")");
        return Optional.empty();
    }
}

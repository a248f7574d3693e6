package io.github.jettyuwsgi.launcher.deploy;

import java.nio.file.Path;
import java.util.Optional;

import io.github.jettyuwsgi.launcher.webapps.ContextXml;
import io.github.jettyuwsgi.launcher.webapps.JettyDescriptors;

/**
 * The environment of one WAR, decided as Jetty's deployer decides it, before the launcher deploys anything: the
 * environment given for its mount ({@code --mount-environment /ctx=eeN}), else the one forced for every WAR
 * ({@code --environment}), else the class a context XML file configures, else what the WAR's Jetty descriptor
 * ({@code jetty-eeN-web.xml}, {@code jetty-web.xml}) names, else {@link EnvironmentDetector}'s reading of
 * {@code web.xml} and classes ({@code javax.servlet} is ee8; anything else the default).
 */
public final class WarEnvironment
{
    private WarEnvironment()
    {
    }

    /**
     * @param war the WAR file or exploded directory (the one a context XML file sets, if it sets one), or null when a
     * context XML file sets none a reader can know
     * @param webXml the WAR's descriptor, already read
     * @param mountEnvironment the environment given for this mount, or null
     * @param forced the environment forced for every WAR, or null
     * @param contextXml the context XML file the WAR is deployed with, or null
     * @return the environment and why
     */
    public static EnvironmentDetector.Choice choose(Path war, Optional<WebXml> webXml, String mountEnvironment, String forced, ContextXml contextXml)
    {
        if (mountEnvironment != null)
            return new EnvironmentDetector.Choice(mountEnvironment, "given by --mount-environment");
        if (forced != null)
            return EnvironmentDetector.choose(war, webXml, forced);
        if (contextXml != null)
            return new EnvironmentDetector.Choice(contextXml.environment(), contextXml.file().getFileName() + " configures " + contextXml.configureClass());
        Optional<JettyDescriptors.Hint> hint = JettyDescriptors.of(war);
        if (hint.isPresent())
            return new EnvironmentDetector.Choice(hint.get().environment(), hint.get().reason());
        return EnvironmentDetector.choose(war, webXml, null);
    }
}

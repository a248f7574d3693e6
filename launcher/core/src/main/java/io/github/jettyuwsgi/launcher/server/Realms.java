package io.github.jettyuwsgi.launcher.server;

import java.nio.file.Path;
import java.util.Map;

import org.eclipse.jetty.security.HashLoginService;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.util.resource.ResourceFactory;

/**
 * The login realms of {@code realm}, as beans of the server, for {@link ServerAssembler}. Jetty's security handlers
 * look for a {@code LoginService} bean of the server named like the WAR's {@code <realm-name>}, or take the only one
 * when the WAR names none: exactly the rule the launcher promises (the deployment checks each WAR against it first).
 */
final class Realms
{
    private Realms()
    {
    }

    /**
     * @param server the server being assembled
     * @param realms realm name to properties file ({@code realm})
     */
    static void addTo(Server server, Map<String, Path> realms)
    {
        ResourceFactory resourceFactory = ResourceFactory.of(server);
        for (Map.Entry<String, Path> realm : realms.entrySet())
        {
            server.addBean(new HashLoginService(realm.getKey(), resourceFactory.newResource(realm.getValue().toAbsolutePath())));
        }
    }
}

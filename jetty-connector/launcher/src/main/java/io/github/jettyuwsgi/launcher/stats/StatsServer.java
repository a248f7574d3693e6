package io.github.jettyuwsgi.launcher.stats;

import io.github.jettyuwsgi.launcher.LauncherOptions;
import org.eclipse.jetty.server.Server;

/**
 * uWSGI's stats server for the launcher ({@code stats}, {@code stats-http}): attached to the assembled server by
 * {@code ServerAssembler}. Being written: until then {@link #attach} adds nothing.
 */
public final class StatsServer
{
    private StatsServer()
    {
    }

    /**
     * @param server the assembled server, its handler already set
     * @param options the launcher's options
     */
    public static void attach(Server server, LauncherOptions options)
    {
        // nothing yet
    }
}

package io.github.jettyuwsgi.launcher.subscribe;

import io.github.jettyuwsgi.launcher.LauncherOptions;
import org.eclipse.jetty.server.Server;

/**
 * uWSGI subscriptions for the launcher ({@code subscribe-to}, {@code subscribe2}, {@code subscribe-freq}): attached to
 * the assembled server by {@code ServerAssembler}. Being written: until then {@link #attach} adds nothing.
 */
public final class SubscriptionClient
{
    private SubscriptionClient()
    {
    }

    /**
     * @param server the assembled server
     * @param options the launcher's options
     */
    public static void attach(Server server, LauncherOptions options)
    {
        // nothing yet
    }
}

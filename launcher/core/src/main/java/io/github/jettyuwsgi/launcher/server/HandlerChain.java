package io.github.jettyuwsgi.launcher.server;

import java.util.List;

import io.github.jettyuwsgi.launcher.deploy.ApplicationStartGuard;
import io.github.jettyuwsgi.launcher.deploy.DeployedApplication;
import io.github.jettyuwsgi.launcher.deploy.EnvironmentScopedHandler;
import io.github.jettyuwsgi.launcher.deploy.ReloadableApplications;
import io.github.jettyuwsgi.launcher.deploy.StartedApplications;
import io.github.jettyuwsgi.launcher.harakiri.HarakiriHandler;
import io.github.jettyuwsgi.launcher.options.LauncherOptions;
import io.github.jettyuwsgi.launcher.session.SessionStores;
import io.github.jettyuwsgi.launcher.stats.ApplicationStatistics;
import io.github.jettyuwsgi.launcher.stats.RequestStatistics;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.handler.ContextHandlerCollection;
import org.eclipse.jetty.server.handler.GracefulHandler;

/**
 * The one place that builds the launcher's handler chain, for {@link ServerAssembler} at start and for each reload's
 * new deployment. This is the chain a request goes through, from the connector to the servlet; a part in brackets is
 * there only with its option:
 *
 * <pre>
 * Server.handler
 *  [RequestStatistics]          stats: the stats document's worker counts        {@link #server}
 *   GracefulHandler             SIGTERM: requests in flight finish, new ones get 503
 *    [HarakiriHandler]          harakiri: outside the reload, so a request keeps its deadline across one
 *     [SessionStoreGuard]      session-store file: or jdbc:: 503 when the store cannot load or save a session
 *      ReloadableApplications   SIGHUP, touch-reload, master-fifo r: swaps the deployment below, sockets kept
 *  ---------------------------------------------------------------------------- {@link #deployment}, per deployment
 *      StartedApplications      need-app: the deployment fails if no application started
 *       ContextHandlerCollection  by context path
 *        [ApplicationStatistics]  stats: one of the worker's apps                  {@link #countPerApplication}
 *         ApplicationStartGuard   503 at its path if the application did not start  {@link #application}
 *          EnvironmentScopedHandler  start, stop and destroy with lib/eeN's class loader
 *           the context            from the environment's WebAppDeployer (a WAR, or a GatewayServlet context)
 * </pre>
 */
public final class HandlerChain
{
    private HandlerChain()
    {
    }

    /**
     * @param options the launcher's options
     * @param sessions the session stores installed on the server, which guard the applications when they are shared
     * @param applications the reloadable applications, holding the first deployment
     * @return the server's handler, from the top of the chain down to {@code applications}
     */
    public static Handler server(LauncherOptions options, SessionStores sessions, ReloadableApplications applications)
    {
        Handler handler = sessions.guard(applications);
        if (options.getHarakiri() > 0)
            handler = new HarakiriHandler(options.getHarakiri(), handler);
        handler = new GracefulHandler(handler);
        if (options.getStats() != null)
            handler = new RequestStatistics(handler);
        return handler;
    }

    /**
     * @param options the launcher's options
     * @param applications one deployment's applications, not started
     * @return the deployment's handler, for {@link ReloadableApplications}
     */
    public static Handler deployment(LauncherOptions options, List<DeployedApplication> applications)
    {
        ContextHandlerCollection contexts = new ContextHandlerCollection();
        for (DeployedApplication application : applications)
        {
            contexts.addHandler(application(application));
        }
        countPerApplication(contexts, options);
        return new StartedApplications(contexts, options.isNeedApp());
    }

    /**
     * @return the application's context under its start guard and its environment's class loader
     */
    static Handler application(DeployedApplication application)
    {
        return new ApplicationStartGuard(application.what(), new EnvironmentScopedHandler(application.environmentClassLoader(), application.context()));
    }

    /**
     * Wraps each context of a deployment in its own {@link ApplicationStatistics}, so that the stats document's apps
     * have their own counts; does nothing without {@code stats}.
     *
     * @param contexts the deployment's contexts, not started
     * @param options the launcher's options
     */
    public static void countPerApplication(ContextHandlerCollection contexts, LauncherOptions options)
    {
        if (options.getStats() == null)
            return;
        List<Handler> counted = contexts.getHandlers().stream().map(context -> (Handler)new ApplicationStatistics(context)).toList();
        contexts.setHandlers(counted);
    }
}

package io.github.jettyuwsgi.launcher.server;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;

import io.github.jettyuwsgi.launcher.deploy.Deployment;
import io.github.jettyuwsgi.launcher.deploy.EnvironmentLoader;
import io.github.jettyuwsgi.launcher.deploy.ReloadableApplications;
import io.github.jettyuwsgi.launcher.options.LauncherOptions;
import io.github.jettyuwsgi.launcher.options.ListenAddress;
import io.github.jettyuwsgi.launcher.options.UsageException;
import io.github.jettyuwsgi.launcher.session.SessionStoreException;
import io.github.jettyuwsgi.launcher.session.SessionStores;
import io.github.jettyuwsgi.launcher.stats.StatsServer;
import io.github.jettyuwsgi.launcher.subscribe.SubscriptionClient;
import io.github.jettyuwsgi.uwsgi.log.UwsgiRequestLog;
import org.eclipse.jetty.jmx.MBeanContainer;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * Builds, without starting it, the Jetty server that {@link LauncherOptions} describe: the second step of the
 * launcher, between reading the options and {@code Launcher} running the server. Each part has its class:
 *
 * <pre>
 * Server
 *  +- threadPool: QueuedThreadPool                               {@link ThreadPoolSizing}: threads, plus the sockets' own
 *  +- connectors: ServerConnector(UwsgiConnectionFactory)       {@link Connectors}: one per TCP --socket
 *  |              UwsgiUnixDomainConnector(UwsgiConnectionFactory) one per Unix --socket
 *  |              ServerConnector(HttpConnectionFactory)         one per --http-socket
 *  +- beans:      HashLoginService                               {@link Realms}: one per --realm
 *  |              MBeanContainer                                 Jetty's beans in the platform MBeanServer
 *  |              the stats socket                               {@link StatsServer}, with --stats
 *  |              SubscriptionClient                             with --subscribe-to / --subscribe2
 *  +- requestLog: UwsgiRequestLog                                uWSGI's line or --log-format; none with --disable-logging
 *  +- handler:    {@link HandlerChain}, with the applications of a {@link Deployment}
 * </pre>
 */
public final class ServerAssembler
{
    private final LauncherOptions options;
    private final EnvironmentLoader environments;

    /**
     * @param options validated options
     * @param environments where the WARs' environments come from
     */
    public ServerAssembler(LauncherOptions options, EnvironmentLoader environments)
    {
        this.options = options;
        this.environments = environments;
    }

    /**
     * @return the server, with its connectors and contexts, not started; it stops gracefully on SIGTERM
     * @throws UsageException if a WAR cannot work with the options given (e.g. it asks for a realm not given)
     * @throws Exception if an environment cannot create a context
     */
    public Server assemble() throws Exception
    {
        QueuedThreadPool threadPool = ThreadPoolSizing.newPool(options.getThreads());
        Server server = new Server(threadPool);
        new Connectors(options).addTo(server);
        Realms.addTo(server, options.getRealms());
        // Jetty's session machinery as Server beans, which the contexts of every environment use
        SessionStores sessions = installSessionStores(server);
        server.setHandler(HandlerChain.server(options, sessions, new ReloadableApplications(newApplications())));
        // As uWSGI: one line per request unless disable-logging; the line goes to SLF4J like the rest of the log.
        if (!options.isDisableLogging())
            server.setRequestLog(new UwsgiRequestLog(options.getLogFormat()));
        // Jetty's own beans in the platform MBeanServer (jconsole, JMX exporters), for every launcher; InheritedListener
        // registers the whole tree, contexts deployed later by a reload included
        server.addBean(new MBeanContainer(ManagementFactory.getPlatformMBeanServer()));
        StatsServer.attach(server, options);
        SubscriptionClient.attach(server, options);
        // last: the pool gets the threads of every socket above on top of the request threads
        ThreadPoolSizing.fit(threadPool, server, options.getThreads());
        server.setStopTimeout(LauncherOptions.STOP_TIMEOUT_MILLIS);
        server.setStopAtShutdown(true);
        return server;
    }

    private SessionStores installSessionStores(Server server) throws UsageException
    {
        List<ListenAddress> sockets = new ArrayList<>(options.getUwsgiSockets());
        sockets.addAll(options.getHttpSockets());
        try
        {
            SessionStores sessions = SessionStores.of(options.getSessionSettings(), sockets.isEmpty() ? null : sockets.get(0).toString(), options.getClasspath());
            sessions.install(server);
            return sessions;
        }
        catch (SessionStoreException x)
        {
            throw new UsageException(x.getProblems());
        }
    }

    /**
     * @return the handler of every application of the options, not started: at start, and again for each reload
     * @throws UsageException if an application cannot work with the options given
     * @throws Exception if an environment cannot create a context
     */
    public Handler newApplications() throws Exception
    {
        return HandlerChain.deployment(options, new Deployment(options, environments).newApplications());
    }
}

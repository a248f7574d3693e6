package io.github.jettyuwsgi.launcher.stats;

import io.github.jettyuwsgi.config.HostFacts;
import io.github.jettyuwsgi.launcher.options.LauncherOptions;
import io.github.jettyuwsgi.launcher.options.ListenAddress;
import io.github.jettyuwsgi.uwsgi.UwsgiUnixDomainConnector;
import org.eclipse.jetty.server.AbstractConnector;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.HostPort;
import org.eclipse.jetty.util.component.ContainerLifeCycle;
import org.eclipse.jetty.util.component.LifeCycle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * uWSGI's stats server for the launcher ({@code stats}, {@code stats-http}): the stats socket, attached by
 * {@code ServerAssembler} to the server it has built, before it starts. The counting is in the handler chain
 * ({@code HandlerChain}): a {@link RequestStatistics} at its top (the document's worker) and an
 * {@link ApplicationStatistics} per deployed context (one of the worker's apps). With {@code stats}:
 *
 * <pre>
 * Server
 *  +- handler:    RequestStatistics -> ... -> per deployed context: ApplicationStatistics -> ...
 *  +- bean:       StatsSocket -> the stats socket's own connector, outside {@link Server#getConnectors()} and every
 *                 handler, whose {@link StatsConnectionFactory} sends {@link StatsDocument} to each client and closes
 * </pre>
 *
 * <p>The stats socket is bound when the server starts and closed when it stops; a reload (SIGHUP) leaves it open and
 * the document lists the new deployment's apps.</p>
 */
public final class StatsServer
{
    private static final Logger LOG = LoggerFactory.getLogger(StatsServer.class);
    /** A stats client reads one document at once: one that stays silent this long is dropped. */
    static final long IDLE_TIMEOUT_MILLIS = 10_000;

    private StatsServer()
    {
    }

    /**
     * @param server the assembled server, its connectors and handler already set; with {@code stats}, its handler is
     * the chain's {@link RequestStatistics}
     * @param options the launcher's options
     */
    public static void attach(Server server, LauncherOptions options)
    {
        ListenAddress address = options.getStats();
        if (address == null)
            return;
        if (!(server.getHandler() instanceof RequestStatistics requests))
            throw new IllegalStateException("stats: the server's handler is " + server.getHandler() + " (expected: the handler chain's RequestStatistics)");
        HostFacts facts = HostFacts.current();
        StatsDocument document = new StatsDocument(server, requests, facts.uid(), facts.gid(), options.getThreads());
        server.addBean(new StatsSocket(newConnector(server, address, options.getChmodSocket(), new StatsConnectionFactory(document::toJson, options.isStatsHttp()))));
    }

    /**
     * Holds the stats socket's connector as a bean of the server: the server starts the connectors of
     * {@link Server#getConnectors()} itself and skips any other connector among its beans, while this container starts
     * and stops its own like any bean. Jetty's Server.doStop finds it among its contained connectors and closes it with
     * the others at the start of a graceful stop.
     */
    private static final class StatsSocket extends ContainerLifeCycle
    {
        private StatsSocket(AbstractConnector connector)
        {
            addBean(connector, true);
        }
    }

    private static AbstractConnector newConnector(Server server, ListenAddress address, String socketMode, StatsConnectionFactory factory)
    {
        String kind = factory.getProtocol().endsWith("http") ? " (HTTP)" : "";
        // No acceptor thread: the one selector accepts, so the stats socket costs one thread of the pool.
        if (address.isUnix())
        {
            UwsgiUnixDomainConnector connector = new UwsgiUnixDomainConnector(server, 0, 1, factory);
            connector.setUnixDomainPath(address.getUnixPath());
            // uWSGI applies chmod-socket to its stats socket too
            connector.setSocketMode(socketMode);
            connector.setIdleTimeout(IDLE_TIMEOUT_MILLIS);
            connector.addEventListener(new LifeCycle.Listener()
            {
                @Override
                public void lifeCycleStarted(LifeCycle event)
                {
                    LOG.info("stats socket bound: {}{}", address.getUnixPath(), kind);
                }
            });
            return connector;
        }

        if (address.isAllInterfaces())
            LOG.warn("stats socket {} listens on all interfaces: any host that reaches it can read the server's statistics (pid, cwd, applications); use 127.0.0.1:{} for local monitoring",
                address, address.getPort());
        ServerConnector connector = new ServerConnector(server, 0, 1, factory);
        connector.setHost(address.getHost());
        connector.setPort(address.getPort());
        connector.setIdleTimeout(IDLE_TIMEOUT_MILLIS);
        connector.addEventListener(new LifeCycle.Listener()
        {
            @Override
            public void lifeCycleStarted(LifeCycle event)
            {
                String host = address.getHost() == null ? "*" : HostPort.normalizeHost(address.getHost());
                LOG.info("stats socket bound: {}:{}{}", host, connector.getLocalPort(), kind);
            }
        });
        return connector;
    }
}

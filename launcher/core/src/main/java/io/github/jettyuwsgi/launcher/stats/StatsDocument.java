package io.github.jettyuwsgi.launcher.stats;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.github.jettyuwsgi.launcher.deploy.ReloadableApplications;
import io.github.jettyuwsgi.launcher.harakiri.HarakiriHandler;
import io.github.jettyuwsgi.launcher.listeners.TrustedFastCgiConnectionFactory;
import io.github.jettyuwsgi.uwsgi.UwsgiConnectionFactory;
import io.github.jettyuwsgi.uwsgi.trust.FrontendTrust;
import org.eclipse.jetty.fcgi.server.ServerFCGIConnectionFactory;
import org.eclipse.jetty.server.AbstractConnector;
import org.eclipse.jetty.server.ConnectionFactory;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.server.handler.ContextHandler;
import org.eclipse.jetty.unixdomain.server.UnixDomainServerConnector;
import org.eclipse.jetty.util.HostPort;
import org.eclipse.jetty.util.Jetty;
import org.eclipse.jetty.util.ajax.JSON;

/**
 * Builds uWSGI's stats document (the JSON that {@code uwsgitop} and the Prometheus uwsgi exporters read) from
 * Jetty's own statistics of a running server: the middle of the stats server, between the numbers Jetty and Linux
 * keep ({@link RequestStatistics}, the thread pool, {@code /proc}) and
 * {@link StatsConnectionFactory}, which sends the document.
 *
 * <p>The keys, their nesting and their JSON types are uWSGI 2.0.21's. The JVM is one process, so the document has
 * one worker (id 1, the JVM's pid), whose cores are the request threads of Jetty's pool, and one app per deployed
 * context. Every listener is a socket ({@code socket}, {@code http-socket}, {@code https-socket},
 * {@code fastcgi-socket}), with counters of ours beside uWSGI's keys. {@code docs/configuration.md} (section Stats)
 * has the mapping of every key.</p>
 */
public final class StatsDocument
{
    /** The listen backlog Java asks for when a connector's accept queue size is 0 ({@code ServerSocketChannel.bind}). */
    private static final int JDK_DEFAULT_BACKLOG = 50;

    private final Server server;
    private final RequestStatistics requests;
    private final long uid;
    private final long gid;
    private final long spawnSeconds;
    private final int coreCount;

    /**
     * @param server the server described
     * @param requests the statistics around the server's whole handler
     * @param uid the process's uid, -1 if unknown
     * @param gid the process's gid, -1 if unknown
     * @param cores the request threads ({@code threads}): the pool also holds the sockets' threads, which are no cores
     */
    public StatsDocument(Server server, RequestStatistics requests, long uid, long gid, int cores)
    {
        this.server = server;
        this.coreCount = cores;
        this.requests = requests;
        this.uid = uid;
        this.gid = gid;
        this.spawnSeconds = ManagementFactory.getRuntimeMXBean().getStartTime() / 1000;
    }

    /**
     * @return the document as uWSGI's stats server sends it, UTF-8 JSON
     */
    public String toJson()
    {
        return new JSON().toJSON(build());
    }

    /**
     * @return the document as nested maps (in uWSGI's key order), lists, strings and longs
     */
    public Map<String, Object> build()
    {
        List<Map<String, Object>> sockets = sockets(ListenBacklogs.current());
        long longestQueue = 0;
        for (Map<String, Object> socket : sockets)
        {
            longestQueue = Math.max(longestQueue, (Long)socket.get("queue"));
        }

        Map<String, Object> document = new LinkedHashMap<>();
        document.put("version", version());
        // uWSGI's master takes the longest accept queue of its sockets, for both
        document.put("listen_queue", longestQueue);
        document.put("listen_queue_errors", 0L);
        document.put("signal_queue", 0L);
        document.put("load", longestQueue);
        document.put("pid", ProcessHandle.current().pid());
        document.put("uid", uid);
        document.put("gid", gid);
        document.put("cwd", Path.of("").toAbsolutePath().toString());
        // uWSGI's locks are its own shared-memory locks; Jetty has none of them
        document.put("locks", List.of());
        document.put("sockets", sockets);
        document.put("workers", List.of(worker()));
        return document;
    }

    private static String version()
    {
        String ours = StatsDocument.class.getPackage().getImplementationVersion();
        return "jetty-uwsgi" + (ours == null ? "" : " " + ours) + " (Jetty " + Jetty.VERSION + ")";
    }

    private List<Map<String, Object>> sockets(ListenBacklogs backlogs)
    {
        List<Map<String, Object>> sockets = new ArrayList<>();
        for (Connector connector : server.getConnectors())
        {
            Map<String, Object> socket = new LinkedHashMap<>();
            long queue = 0;
            long maxQueue = 0;
            String name;
            if (connector instanceof ServerConnector tcp)
            {
                String host = tcp.getHost() == null ? "" : HostPort.normalizeHost(tcp.getHost());
                name = host + ":" + tcp.getLocalPort();
                maxQueue = kernelBacklog(tcp.getAcceptQueueSize());
                ListenBacklogs.Backlog backlog = backlogs.find(localAddress(tcp));
                if (backlog != null)
                    queue = backlog.queue();
            }
            else if (connector instanceof UnixDomainServerConnector unix)
            {
                // Linux shows no accept queue for Unix sockets outside sock_diag, which Java cannot reach: queue stays 0
                name = String.valueOf(unix.getUnixDomainPath());
                maxQueue = kernelBacklog(unix.getAcceptQueueSize());
            }
            else
            {
                name = connector.getName();
            }
            socket.put("name", name);
            socket.put("proto", protocol(connector.getDefaultConnectionFactory()));
            socket.put("queue", queue);
            socket.put("max_queue", maxQueue);
            socket.put("shared", 0L);
            socket.put("can_offload", 0L);
            putCounters(connector, socket);
            // ours, not uWSGI's: connections closed because their request stalled for socket-timeout
            UwsgiConnectionFactory uwsgi = connector.getConnectionFactory(UwsgiConnectionFactory.class);
            if (uwsgi != null)
                socket.put("socket_timeouts", uwsgi.getSocketTimeouts());
            sockets.add(socket);
        }
        return sockets;
    }

    /**
     * Ours, beside uWSGI's keys (readers ignore keys they do not know): the connections the listener accepted and has
     * open, and what its frontend checks refused (uwsgi sockets, and FastCGI sockets' allow list; 0 elsewhere).
     */
    private static void putCounters(Connector connector, Map<String, Object> socket)
    {
        AcceptCounter accepted = connector instanceof AbstractConnector container ? container.getBean(AcceptCounter.class) : null;
        socket.put("connections", accepted == null ? 0L : accepted.getAccepted());
        socket.put("open_connections", (long)connector.getConnectedEndPoints().size());
        UwsgiConnectionFactory uwsgi = connector.getConnectionFactory(UwsgiConnectionFactory.class);
        TrustedFastCgiConnectionFactory fastcgi = connector.getConnectionFactory(TrustedFastCgiConnectionFactory.class);
        FrontendTrust trust = uwsgi != null ? uwsgi.getUwsgiConfiguration().getFrontendTrust() : fastcgi != null ? fastcgi.getFrontendTrust() : FrontendTrust.NONE;
        socket.put("refused_frontends", trust.getRefusedAddresses());
        socket.put("refused_packets", trust.getRefusedPackets());
    }

    private static InetSocketAddress localAddress(ServerConnector connector)
    {
        try
        {
            if (connector.getTransport() instanceof ServerSocketChannel channel && channel.getLocalAddress() instanceof InetSocketAddress address)
                return address;
        }
        catch (IOException x)
        {
            // closed meanwhile: no backlog to show
        }
        return new InetSocketAddress(0);
    }

    /**
     * @return the backlog limit Linux applies to a connector's socket: what Jetty asked for, at most somaxconn
     */
    private static long kernelBacklog(int acceptQueueSize)
    {
        long asked = acceptQueueSize < 1 ? JDK_DEFAULT_BACKLOG : acceptQueueSize;
        return Math.min(asked, ListenBacklogs.somaxconn().orElse(Integer.MAX_VALUE));
    }

    private static String protocol(ConnectionFactory factory)
    {
        if (factory instanceof HttpConnectionFactory)
            return "http";
        // uWSGI's names for its https-socket and fastcgi-socket
        if (factory instanceof SslConnectionFactory)
            return "https";
        if (factory instanceof ServerFCGIConnectionFactory)
            return "fastcgi";
        return factory == null ? "" : factory.getProtocol().toLowerCase(Locale.ROOT);
    }

    private Map<String, Object> worker()
    {
        ProcessMemory memory = ProcessMemory.current();
        long active = requests.getRequestsActive();
        double meanNanos = requests.getRequestTimeMean();

        Map<String, Object> worker = new LinkedHashMap<>();
        worker.put("id", 1L);
        worker.put("pid", ProcessHandle.current().pid());
        worker.put("accepting", isAccepting() ? 1L : 0L);
        worker.put("requests", (long)requests.getRequestTotal());
        // uWSGI: requests since this worker was spawned; the JVM is never respawned
        worker.put("delta_requests", (long)requests.getRequestTotal());
        worker.put("exceptions", requests.getExceptions());
        HarakiriHandler harakiri = server.getDescendant(HarakiriHandler.class);
        worker.put("harakiri_count", harakiri == null ? 0L : harakiri.getCount());
        worker.put("signals", 0L);
        worker.put("signal_queue", 0L);
        worker.put("status", active > 0 ? "busy" : "idle");
        worker.put("rss", memory.rss());
        worker.put("vsz", memory.vsz());
        // microseconds, as uWSGI: the time spent in requests, and their mean
        worker.put("running_time", requests.getRequestTimeTotal() / 1000);
        worker.put("last_spawn", spawnSeconds);
        worker.put("respawn_count", 1L);
        // Response bodies as written (uWSGI adds the header bytes). Not the connectors' ConnectionStatistics: it adds a
        // connection's bytes only when the connection closes, so an HTTP keep-alive connection would count late.
        worker.put("tx", requests.getBytesWritten());
        worker.put("avg_rt", Double.isFinite(meanNanos) ? Math.round(meanNanos / 1000) : 0L);
        worker.put("apps", apps());
        worker.put("cores", cores(active));
        return worker;
    }

    private boolean isAccepting()
    {
        if (!server.isStarted())
            return false;
        for (Connector connector : server.getConnectors())
        {
            if (connector instanceof AbstractConnector abstractConnector && abstractConnector.isAccepting())
                return true;
        }
        return false;
    }

    private List<Map<String, Object>> apps()
    {
        // During a reload the previous deployment drains beside the new one: only the current one is shown.
        ReloadableApplications reloadable = server.getDescendant(ReloadableApplications.class);
        List<ApplicationStatistics> deployed = new ArrayList<>();
        if (reloadable != null)
        {
            for (Handler handler : reloadable.getHandlers())
            {
                if (handler instanceof ApplicationStatistics statistics)
                    deployed.add(statistics);
                else if (handler instanceof Handler.Container container)
                    deployed.addAll(container.getDescendants(ApplicationStatistics.class));
            }
        }
        else
        {
            deployed.addAll(requests.getDescendants(ApplicationStatistics.class));
        }

        List<Map<String, Object>> apps = new ArrayList<>();
        for (ApplicationStatistics statistics : deployed)
        {
            ContextHandler context = statistics.getContext();
            String contextPath = context == null ? "" : context.getContextPath();
            Map<String, Object> app = new LinkedHashMap<>();
            app.put("id", (long)apps.size());
            app.put("modifier1", 0L);
            // uWSGI's default app has the empty mountpoint; a mounted one has its path, as a context path
            app.put("mountpoint", "/".equals(contextPath) ? "" : contextPath);
            app.put("startup_time", statistics.getStartupSeconds());
            app.put("requests", (long)statistics.getRequestTotal());
            app.put("exceptions", statistics.getExceptions());
            app.put("chdir", "");
            apps.add(app);
        }
        return apps;
    }

    /**
     * uWSGI's cores are a worker's request slots, one per thread. Jetty's requests are not bound to a thread (an async
     * request holds none), so a core here is one of the {@code threads} request slots: the first {@code active} of them
     * are in a request, and per-core counters, which Jetty does not keep, are 0.
     */
    private List<Map<String, Object>> cores(long active)
    {
        int slots = coreCount;
        List<Map<String, Object>> cores = new ArrayList<>(slots);
        for (int id = 0; id < slots; id++)
        {
            Map<String, Object> core = new LinkedHashMap<>();
            core.put("id", (long)id);
            core.put("requests", 0L);
            core.put("static_requests", 0L);
            core.put("routed_requests", 0L);
            core.put("offloaded_requests", 0L);
            core.put("write_errors", 0L);
            core.put("read_errors", 0L);
            core.put("in_request", id < active ? 1L : 0L);
            core.put("vars", List.of());
            core.put("req_info", Map.of());
            cores.add(core);
        }
        return cores;
    }
}

package io.github.jettyuwsgi.launcher.subscribe;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import io.github.jettyuwsgi.launcher.options.LauncherOptions;
import io.github.jettyuwsgi.launcher.options.SubscriptionParser;
import io.github.jettyuwsgi.launcher.options.SubscriptionSpec;
import io.github.jettyuwsgi.launcher.options.UsageException;
import io.github.jettyuwsgi.uwsgi.UwsgiConnectionFactory;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.unixdomain.server.UnixDomainServerConnector;
import org.eclipse.jetty.util.HostPort;
import org.eclipse.jetty.util.component.ContainerLifeCycle;
import org.eclipse.jetty.util.component.LifeCycle;
import org.eclipse.jetty.util.thread.AutoLock;
import org.eclipse.jetty.util.thread.ScheduledExecutorScheduler;
import org.eclipse.jetty.util.thread.Scheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * uWSGI subscriptions for the launcher ({@code subscribe-to}, {@code subscribe2}, {@code subscribe-freq}), attached to
 * the assembled server by {@code ServerAssembler}: it tells uWSGI routers (a fastrouter or http router with a
 * subscription server) to route virtual hosts to this instance, and to stop doing so before it stops.
 *
 * <pre>
 * server started  (sockets bound)  subscribe every key, then again every subscribe-freq seconds
 * server stopping (SIGTERM, q)     unsubscribe every key, wait {@value #UNSUBSCRIBE_GRACE_MILLIS} ms, then the graceful stop
 *                                  (503 to new requests, in-flight ones finish) begins; Q (stop timeout 0) does not wait
 * SIGHUP reload                    nothing: the server and its sockets keep running, so do the subscriptions
 * </pre>
 *
 * <p>The unsubscribe goes out in {@link #lifeCycleStopping}, which Jetty runs before {@code Server.doStop()}: the
 * router stops choosing this node while it still answers, and the grace lets the requests the router had already
 * sent here arrive and be served rather than meet the {@code GracefulHandler}'s 503. Sending is UDP through
 * {@link RouterChannel}: nothing here ever blocks or throws into the server.</p>
 */
public final class SubscriptionClient extends ContainerLifeCycle implements LifeCycle.Listener
{
    /**
     * How long the stop waits after the unsubscribe before the server stops taking requests: a uWSGI router acts on
     * the datagram at once, so this only has to cover the requests it had routed here just before (and a datagram's
     * way to a router on another machine).
     */
    public static final long UNSUBSCRIBE_GRACE_MILLIS = 1000;
    /**
     * uWSGI's default {@code subscription-tolerance}: a router marks a node failed after this many seconds without an
     * announce.
     */
    static final int ROUTER_TOLERANCE_SECONDS = 17;

    private static final Logger LOG = LoggerFactory.getLogger(SubscriptionClient.class);

    private final Server server;
    private final List<SubscriptionSpec> specs;
    private final int frequencySeconds;
    private final int cores;
    private final Scheduler scheduler = new ScheduledExecutorScheduler("jetty-uwsgi-subscriptions", true);
    private final Map<String, RouterChannel> routers = new LinkedHashMap<>();
    /** Each subscription with the address it announces, known once the sockets are bound; empty until then. */
    private final List<Subscribed> subscribed = new ArrayList<>();
    private final Set<SubscriptionSpec> warned = new HashSet<>();
    /** Orders the announces of the scheduler's thread and the unsubscribe of the stopping thread. */
    private final AutoLock lock = new AutoLock();
    private Scheduler.Task next;
    private boolean stopping;

    private SubscriptionClient(Server server, List<SubscriptionSpec> specs, int frequencySeconds, int cores)
    {
        this.server = server;
        this.specs = specs;
        this.frequencySeconds = frequencySeconds;
        this.cores = cores;
        addBean(scheduler);
        for (SubscriptionSpec spec : specs)
        {
            routers.computeIfAbsent(spec.router(), router -> new RouterChannel(spec.routerHost(), spec.routerPort()));
        }
    }

    /**
     * Adds the subscriptions of {@code options}, if any, to {@code server}: they start with it and end before it stops.
     *
     * @param server the assembled server, with its connectors (the uwsgi ones first) and its {@code GracefulHandler}
     * @param options the launcher's options
     * @throws UsageException if a subscription cannot be sent ({@link LauncherOptions#validate()} reports the same)
     */
    public static void attach(Server server, LauncherOptions options) throws UsageException
    {
        if (options.getSubscriptions().isEmpty())
            return;
        List<String> problems = SubscriptionSpec.problems(options.getSubscriptions(), options.getUwsgiSockets().size());
        if (!problems.isEmpty())
            throw new UsageException(problems);
        List<SubscriptionSpec> specs = options.getSubscriptions().stream().map(SubscriptionParser::parse).toList();
        if (options.getSubscribeFreq() > ROUTER_TOLERANCE_SECONDS)
            LOG.warn("subscribe-freq {} is longer than uWSGI routers' default subscription-tolerance of {} s: between two announces the router marks this node failed " +
                "(expected: at most {}, or a larger subscription-tolerance on the router)", options.getSubscribeFreq(), ROUTER_TOLERANCE_SECONDS, ROUTER_TOLERANCE_SECONDS);
        SubscriptionClient client = new SubscriptionClient(server, specs, options.getSubscribeFreq(), options.getThreads());
        // a listener of the server, for the started and stopping events, and its bean, for the scheduler's life
        server.addEventListener(client);
    }

    @Override
    public void lifeCycleStarted(LifeCycle event)
    {
        if (event != server)
            return;
        try (AutoLock ignored = lock.lock())
        {
            List<String> sockets = uwsgiSocketAddresses();
            for (SubscriptionSpec spec : specs)
            {
                if (spec.announcesOwnSocket() && spec.socketIndex() >= sockets.size())
                {
                    // validate() counted the uwsgi sockets of the options; a server assembled otherwise (embedding) may differ
                    LOG.warn("{}: no uwsgi socket {} on this server ({} found); not subscribed", spec.source(), spec.socketIndex(), sockets.size());
                    continue;
                }
                String address = spec.announcesOwnSocket() ? sockets.get(spec.socketIndex()) : spec.address();
                subscribed.add(new Subscribed(spec, address));
                LOG.info("subscribing to router {}: {} => {}, every {} s", spec.router(), spec.key() != null ? spec.key() : "the keys of " + spec.keysFile(), address, frequencySeconds);
            }
        }
        announce();
    }

    @Override
    public void lifeCycleStopping(LifeCycle event)
    {
        if (event != server)
            return;
        try (AutoLock ignored = lock.lock())
        {
            if (stopping || subscribed.isEmpty())
                return;
            stopping = true;
            if (next != null)
                next.cancel();
            send(true);
        }
        // MasterFifo's Q (immediate stop) sets the stop timeout to 0: then nothing waits for anything
        boolean immediate = server.getStopTimeout() <= 0;
        LOG.info("unsubscribed from {} router(s){}", routers.size(), immediate ? "; immediate stop" :
            "; serving " + UNSUBSCRIBE_GRACE_MILLIS + " ms more for the requests they routed here before the graceful stop");
        if (immediate)
            return;
        try
        {
            Thread.sleep(UNSUBSCRIBE_GRACE_MILLIS);
        }
        catch (InterruptedException x)
        {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    protected void doStop() throws Exception
    {
        super.doStop();
        try (AutoLock ignored = lock.lock())
        {
            routers.values().forEach(RouterChannel::close);
        }
    }

    private void announce()
    {
        try (AutoLock ignored = lock.lock())
        {
            if (stopping)
                return;
            try
            {
                send(false);
            }
            finally
            {
                next = scheduler.schedule(this::announce, frequencySeconds, TimeUnit.SECONDS);
            }
        }
    }

    /**
     * One datagram per key to its router; any failure is logged, never thrown.
     */
    private void send(boolean unsubscribe)
    {
        long load = currentLoad();
        for (Subscribed entry : subscribed)
        {
            SubscriptionSpec spec = entry.spec();
            try
            {
                // uWSGI's check=FILE: while the file exists, this subscription sends nothing (not even an unsubscribe)
                if (spec.check() != null && Files.exists(spec.check()))
                {
                    LOG.debug("{}: {} exists, nothing sent", spec.source(), spec.check());
                    continue;
                }
                for (SubscriptionParser.KeyLine key : spec.keys())
                {
                    Announcement announcement = new Announcement(key.key(), entry.address(), key.modifier1(), spec.modifier2(), cores, load, spec.weight(),
                        spec.sniKey(), spec.sniCrt(), spec.sniCa());
                    routers.get(spec.router()).send(announcement.encode(unsubscribe), (unsubscribe ? "unsubscribe " : "") + announcement);
                }
            }
            catch (IOException | RuntimeException x)
            {
                // a keys file that became unreadable or got a bad line: the other subscriptions go on
                if (warned.add(spec))
                    LOG.warn("{}: not sent: {}", spec.source(), x.getMessage() != null ? x.getMessage() : x.toString());
                else
                    LOG.debug("{}: not sent", spec.source(), x);
            }
        }
    }

    /**
     * @return requests being served now, uWSGI's {@code load}; 0 when the handler tree has no GracefulHandler
     */
    private long currentLoad()
    {
        GracefulHandler graceful = server.getDescendant(GracefulHandler.class);
        return graceful == null ? 0 : graceful.getCurrentRequestCount();
    }

    /**
     * @return the address of each uwsgi socket as a uWSGI router connects to it, in configuration order: the bound
     * {@code IPv4:PORT} (so that port 0 and host names become what the router can use), {@code :PORT} for all
     * interfaces (uWSGI's own form: the router connects to its own machine), or the absolute Unix socket path
     */
    private List<String> uwsgiSocketAddresses()
    {
        List<String> addresses = new ArrayList<>();
        for (Connector connector : server.getConnectors())
        {
            if (connector.getConnectionFactory(UwsgiConnectionFactory.class) == null)
                continue;
            if (connector instanceof UnixDomainServerConnector unix)
                addresses.add(unix.getUnixDomainPath().toAbsolutePath().toString());
            else if (connector instanceof ServerConnector tcp)
                addresses.add(tcpAddress(tcp));
        }
        return addresses;
    }

    private static String tcpAddress(ServerConnector connector)
    {
        try
        {
            InetSocketAddress bound = (InetSocketAddress)((ServerSocketChannel)connector.getTransport()).getLocalAddress();
            if (bound.getAddress().isAnyLocalAddress())
                return ":" + bound.getPort();
            if (!(bound.getAddress() instanceof Inet4Address))
                LOG.warn("uwsgi socket {} is IPv6, which uWSGI 2.0 routers cannot connect to (expected: an IPv4 socket, or addr=IPv4:PORT in subscribe2)", bound);
            return HostPort.normalizeHost(bound.getAddress().getHostAddress()) + ":" + bound.getPort();
        }
        catch (IOException | RuntimeException x)
        {
            // the connector is open (the server has started): this would be a bug; announce what was configured
            LOG.debug("bound address of {}", connector, x);
            return (connector.getHost() == null ? "" : connector.getHost()) + ":" + connector.getLocalPort();
        }
    }

    /**
     * A subscription and the address it announces.
     */
    private record Subscribed(SubscriptionSpec spec, String address)
    {
    }
}

package io.github.jettyuwsgi.launcher.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.Channel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import io.github.jettyuwsgi.launcher.listeners.ListenerFactories;
import io.github.jettyuwsgi.launcher.options.HttpsSocketSpec;
import io.github.jettyuwsgi.launcher.options.LauncherOptions;
import io.github.jettyuwsgi.launcher.options.ListenAddress;
import io.github.jettyuwsgi.launcher.options.UsageException;
import io.github.jettyuwsgi.launcher.stats.AcceptCounter;
import io.github.jettyuwsgi.launcher.stats.ListenBacklogs;
import io.github.jettyuwsgi.uwsgi.UwsgiConfiguration;
import io.github.jettyuwsgi.uwsgi.UwsgiConnectionFactory;
import io.github.jettyuwsgi.uwsgi.UwsgiServerConnector;
import io.github.jettyuwsgi.uwsgi.UwsgiUnixDomainConnector;
import io.github.jettyuwsgi.uwsgi.trust.FrontendAllowList;
import io.github.jettyuwsgi.uwsgi.trust.FrontendTrust;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.server.AbstractConnector;
import org.eclipse.jetty.server.ConnectionFactory;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.HostPort;
import org.eclipse.jetty.util.component.LifeCycle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's sockets, for {@link ServerAssembler}: a {@link ServerConnector} per TCP address and a
 * {@link UwsgiUnixDomainConnector} per Unix socket path, with a {@link UwsgiConnectionFactory} for each
 * {@code socket}, an {@link HttpConnectionFactory} for each {@code http-socket} ({@code http}), TLS then HTTP for each
 * {@code https-socket} ({@code https}) and Jetty's FastCGI server for each {@code fastcgi-socket}. Every connector shares one
 * {@link HttpConfiguration}, so a request means the same over uwsgi and over HTTP, and {@code socket-timeout} bounds the
 * wait for a request on each of them. Each uwsgi socket gets the frontend checks ({@code frontend-secret},
 * {@code allow-frontend}) with counters of its own. It logs one line per socket bound, and warns about a socket on all
 * interfaces that nothing protects and a backlog the kernel caps.
 */
final class Connectors
{
    private static final Logger LOG = LoggerFactory.getLogger(Connectors.class);

    private final LauncherOptions options;

    /**
     * @param options the launcher's options
     */
    Connectors(LauncherOptions options)
    {
        this.options = options;
    }

    /**
     * @param server the server being assembled, which gets the uwsgi sockets first, then the HTTP, HTTPS and FastCGI ones
     * @throws UsageException if an HTTPS socket's certificate or key cannot be used
     */
    void addTo(Server server) throws UsageException
    {
        warnIfBacklogCapped(options.getListen());
        HttpConfiguration httpConfiguration = newHttpConfiguration();
        SocketActivation activation = SocketActivation.of(inheritedChannel(), System.getenv(), ProcessHandle.current().pid());
        for (ListenAddress address : options.getUwsgiSockets())
        {
            server.addConnector(inherit(newConnector(server, "uwsgi", address, new UwsgiConnectionFactory(httpConfiguration, newUwsgiConfiguration())), activation.take(address)));
        }
        for (ListenAddress address : options.getHttpSockets())
        {
            server.addConnector(inherit(newConnector(server, "http", address, ListenerFactories.http(httpConfiguration)), activation.take(address)));
        }
        activation.checkTaken();
        for (HttpsSocketSpec https : options.getHttpsSockets())
        {
            try
            {
                server.addConnector(newConnector(server, "https", https.address(), ListenerFactories.https(httpConfiguration, https)));
            }
            catch (IllegalArgumentException | UncheckedIOException x)
            {
                throw new UsageException(List.of(x.getMessage()));
            }
        }
        for (ListenAddress address : options.getFastcgiSockets())
        {
            server.addConnector(newConnector(server, "fastcgi", address, ListenerFactories.fastcgi(httpConfiguration, newAllowList())));
        }
    }

    private static Channel inheritedChannel() throws UsageException
    {
        try
        {
            return System.inheritedChannel();
        }
        catch (IOException x)
        {
            throw new UsageException(List.of("inherited channel on fd 0: " + x.getMessage() + " (expected: a listening socket, or none)"));
        }
    }

    /**
     * Socket activation ({@link SocketActivation}): the connector takes the socket on fd 0 instead of binding one.
     */
    private static AbstractConnector inherit(AbstractConnector connector, boolean inherit)
    {
        if (!inherit)
            return connector;
        if (connector instanceof ServerConnector tcp)
            tcp.setInheritChannel(true);
        else if (connector instanceof UwsgiUnixDomainConnector unix)
            unix.setInheritChannel(true);
        LOG.info("{}: taking the listening socket inherited on fd 0 (socket activation)", connector);
        return connector;
    }

    /**
     * @return the wire settings of one uwsgi socket, with frontend checks of its own so that the stats document counts
     * refusals per socket
     */
    private UwsgiConfiguration newUwsgiConfiguration()
    {
        UwsgiConfiguration uwsgiConfiguration = new UwsgiConfiguration();
        uwsgiConfiguration.setMaxVarsSize(options.getBufferSize());
        uwsgiConfiguration.setSocketTimeout(TimeUnit.SECONDS.toMillis(options.getSocketTimeout()));
        if (options.getFrontendSecret() != null || !options.getAllowFrontends().isEmpty())
        {
            uwsgiConfiguration.setFrontendTrust(new FrontendTrust(options.getFrontendSecret(), newAllowList()));
        }
        return uwsgiConfiguration;
    }

    /**
     * @return the {@code allow-frontend} list, or null for none; one per socket, so that the stats document counts
     * refusals per socket
     */
    private FrontendAllowList newAllowList()
    {
        return options.getAllowFrontends().isEmpty() ? null : FrontendAllowList.of(options.getAllowFrontends());
    }

    /**
     * uWSGI refuses to start when {@code listen} exceeds the kernel's limit; the kernel silently caps the backlog, so a
     * warning says what the sockets really get.
     */
    private static void warnIfBacklogCapped(int listen)
    {
        OptionalInt somaxconn = ListenBacklogs.somaxconn();
        if (somaxconn.isPresent() && listen > somaxconn.getAsInt())
            LOG.warn("listen = {} is more than the kernel allows (net.core.somaxconn = {}): the sockets get a backlog of {}; raise it with sysctl", listen, somaxconn.getAsInt(), somaxconn.getAsInt());
    }

    private HttpConfiguration newHttpConfiguration()
    {
        HttpConfiguration httpConfiguration = new HttpConfiguration();
        // A backend behind a frontend has no reason to advertise its version to the world.
        httpConfiguration.setSendServerVersion(false);
        httpConfiguration.setSendXPoweredBy(false);
        // uWSGI's buffer-size limits the request head whatever the socket: the same headers that pass over uwsgi must
        // pass over the http-socket too (Jetty's own default is 8 KiB).
        httpConfiguration.setRequestHeaderSize(options.getBufferSize());
        // socket-timeout is the connectors' idle timeout for HTTP, HTTPS and FastCGI, which bounds the wait for a request;
        // a request being handled gets Jetty's default back, so socket-timeout never limits an application's time.
        httpConfiguration.setIdleTimeout(LauncherOptions.REQUEST_IDLE_TIMEOUT_MILLIS);
        // uWSGI hands a WSGI application an encoded slash (PATH_INFO decoded, REQUEST_URI raw), and a path whose bytes are
        // no UTF-8 (PATH_INFO as latin-1 chars): so does the launcher to its gateway applications. ee10 and ee11 WARs
        // still refuse an encoded slash in their servlet layer; ee8 WARs get it decoded.
        if (!options.getGateways().isEmpty())
            httpConfiguration.setUriCompliance(UriCompliance.DEFAULT.with("GATEWAY", UriCompliance.Violation.AMBIGUOUS_PATH_SEPARATOR,
                UriCompliance.Violation.BAD_UTF8_ENCODING));
        return httpConfiguration;
    }

    private AbstractConnector newConnector(Server server, String kind, ListenAddress address, ConnectionFactory... factory)
    {
        AbstractConnector connector = newListener(server, kind, address, factory);
        // A uwsgi connection applies socket-timeout itself (UwsgiConfiguration), so its idle timeout stays the request's.
        connector.setIdleTimeout("uwsgi".equals(kind) ? LauncherOptions.REQUEST_IDLE_TIMEOUT_MILLIS : TimeUnit.SECONDS.toMillis(options.getSocketTimeout()));
        return connector;
    }

    /**
     * A uwsgi socket's acceptors also serve what they accept (frontends open a connection per request); the other
     * protocols keep Jetty's one acceptor, since their connections go through the selector.
     */
    private int acceptors(String kind)
    {
        return "uwsgi".equals(kind) ? options.getAcceptors() : 1;
    }

    private AbstractConnector newListener(Server server, String kind, ListenAddress address, ConnectionFactory... factory)
    {
        if (address.isUnix())
        {
            // Also for plain HTTP: the subclass only adds stale-socket removal and the socket mode.
            UwsgiUnixDomainConnector connector = new UwsgiUnixDomainConnector(server, acceptors(kind), -1, factory);
            connector.addBean(new AcceptCounter());
            connector.setUnixDomainPath(address.getUnixPath());
            connector.setSocketMode(options.getChmodSocket());
            connector.setSocketOwner(options.getChownSocket());
            connector.setAcceptQueueSize(options.getListen());
            connector.addEventListener(new LifeCycle.Listener()
            {
                @Override
                public void lifeCycleStarted(LifeCycle event)
                {
                    LOG.info("{} socket bound: {} (mode {})", kind, address.getUnixPath(), describeMode(address.getUnixPath()));
                }
            });
            return connector;
        }

        boolean trusted = "uwsgi".equals(kind) && (options.getFrontendSecret() != null || !options.getAllowFrontends().isEmpty())
            || "fastcgi".equals(kind) && !options.getAllowFrontends().isEmpty();
        if (address.isAllInterfaces() && !trusted)
            LOG.warn("{} socket {} listens on all interfaces: any host that reaches it can send requests{}; use 127.0.0.1:{} when the frontend runs on this machine",
                kind, address, "uwsgi".equals(kind) || "fastcgi".equals(kind) ? " with forged REMOTE_ADDR and HTTPS vars" : "", address.getPort());
        ServerConnector connector = new UwsgiServerConnector(server, acceptors(kind), -1, factory);
        connector.addBean(new AcceptCounter());
        connector.setHost(address.getHost());
        connector.setPort(address.getPort());
        connector.setAcceptQueueSize(options.getListen());
        connector.addEventListener(new LifeCycle.Listener()
        {
            @Override
            public void lifeCycleStarted(LifeCycle event)
            {
                String host = address.getHost() == null ? "*" : HostPort.normalizeHost(address.getHost());
                LOG.info("{} socket bound: {}:{}{}", kind, host, connector.getLocalPort(), address.isAllInterfaces() ? " (all interfaces)" : "");
            }
        });
        return connector;
    }

    private static String describeMode(Path socket)
    {
        try
        {
            Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(socket);
            int mode = 0;
            for (PosixFilePermission permission : permissions)
            {
                mode |= 1 << (8 - permission.ordinal());
            }
            return String.format("%03o", mode);
        }
        catch (IOException | UnsupportedOperationException x)
        {
            return "unknown";
        }
    }
}

package io.github.jettyuwsgi.uwsgi;

import java.util.Objects;

import io.github.jettyuwsgi.uwsgi.codec.KnownVars;
import io.github.jettyuwsgi.uwsgi.internal.ChannelPool;
import io.github.jettyuwsgi.uwsgi.internal.SocketTimeouts;
import io.github.jettyuwsgi.uwsgi.internal.UwsgiConnection;
import io.github.jettyuwsgi.uwsgi.trust.FrontendTrust;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.AbstractConnectionFactory;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.util.annotation.ManagedAttribute;
import org.eclipse.jetty.util.annotation.ManagedObject;
import org.eclipse.jetty.util.annotation.Name;

/**
 * The entry point of the uwsgi protocol into Jetty: put it on a {@code ServerConnector} (TCP) or a
 * {@link UwsgiUnixDomainConnector} and every accepted connection reads one uwsgi packet and serves it as a normal Jetty
 * request, so any handler or WAR runs behind nginx {@code uwsgi_pass}, Apache {@code mod_proxy_uwsgi} or a uWSGI router.
 *
 * <pre>
 * ServerConnector connector = new ServerConnector(server, new UwsgiConnectionFactory(httpConfig));
 * connector.setHost("127.0.0.1"); // the vars are trusted: only the frontend may reach this port
 * connector.setPort(3031);
 * </pre>
 *
 * <p>The vars of each request are available to applications, read-only, as the request attribute
 * {@value #VARS_ATTRIBUTE}; no var ever becomes an attribute under its own name.</p>
 */
@ManagedObject("uwsgi protocol connection factory")
public class UwsgiConnectionFactory extends AbstractConnectionFactory
{
    /** The protocol name in a connector's protocol list. */
    public static final String PROTOCOL = "uwsgi";
    /**
     * The request attribute holding all vars of the packet as an unmodifiable {@code Map<String, List<String>>}, in
     * arrival order. One attribute under our own name, never one per var: a var named like a container attribute
     * ({@code jakarta.servlet.include.request_uri}) must have no effect (the Ghostcat lesson).
     */
    public static final String VARS_ATTRIBUTE = "io.github.jettyuwsgi.uwsgi.vars";

    private final HttpConfiguration httpConfiguration;
    private final UwsgiConfiguration uwsgiConfiguration;
    private final SocketTimeouts socketTimeouts = new SocketTimeouts();
    /** The var values the frontend repeats, remembered across this factory's connections (one packet each). */
    private final KnownVars knownVars = new KnownVars();
    /** The channels of finished requests, for the next requests of the same threads. */
    private final ChannelPool channels = new ChannelPool();

    public UwsgiConnectionFactory()
    {
        this(new HttpConfiguration());
    }

    public UwsgiConnectionFactory(@Name("config") HttpConfiguration httpConfiguration)
    {
        this(httpConfiguration, new UwsgiConfiguration());
    }

    public UwsgiConnectionFactory(@Name("config") HttpConfiguration httpConfiguration, @Name("uwsgiConfig") UwsgiConfiguration uwsgiConfiguration)
    {
        super(PROTOCOL);
        this.httpConfiguration = Objects.requireNonNull(httpConfiguration, "httpConfiguration");
        this.uwsgiConfiguration = Objects.requireNonNull(uwsgiConfiguration, "uwsgiConfiguration");
        installBean(httpConfiguration);
        installBean(uwsgiConfiguration);
    }

    @ManagedAttribute("The HTTP configuration applied to requests read from uwsgi packets")
    public HttpConfiguration getHttpConfiguration()
    {
        return httpConfiguration;
    }

    @ManagedAttribute("The uwsgi wire settings")
    public UwsgiConfiguration getUwsgiConfiguration()
    {
        return uwsgiConfiguration;
    }

    /**
     * @return the connections of this factory closed because their request stalled for
     * {@link UwsgiConfiguration#getSocketTimeout() socket-timeout}: nothing received, part of a packet, or a body that
     * stopped coming while the application waited for it
     */
    @ManagedAttribute("Connections closed because their request stalled for socket-timeout")
    public long getSocketTimeouts()
    {
        return socketTimeouts.getCount();
    }

    @Override
    protected void doStart() throws Exception
    {
        uwsgiConfiguration.validate();
        super.doStart();
    }

    @Override
    public Connection newConnection(Connector connector, EndPoint endPoint)
    {
        FrontendTrust trust = uwsgiConfiguration.getFrontendTrust();
        if (!trust.admits(endPoint.getRemoteSocketAddress()))
            return configure(FrontendTrust.refusedConnection(endPoint, connector.getExecutor()), connector, endPoint);
        UwsgiConnection connection = new UwsgiConnection(connector, endPoint, httpConfiguration, uwsgiConfiguration, knownVars, channels);
        connection.setUseInputDirectByteBuffers(httpConfiguration.isUseInputDirectByteBuffers());
        connection.setUseOutputDirectByteBuffers(httpConfiguration.isUseOutputDirectByteBuffers());
        connection.setSocketTimeout(uwsgiConfiguration.getSocketTimeout(), socketTimeouts);
        return configure(connection, connector, endPoint);
    }
}

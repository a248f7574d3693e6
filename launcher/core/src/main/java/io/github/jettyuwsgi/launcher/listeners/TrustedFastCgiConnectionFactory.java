package io.github.jettyuwsgi.launcher.listeners;

import io.github.jettyuwsgi.uwsgi.trust.FrontendTrust;
import org.eclipse.jetty.fcgi.server.ServerFCGIConnectionFactory;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpConfiguration;

/**
 * Jetty's FastCGI server for a {@code fastcgi-socket} with {@code allow-frontend}: a connection from an address outside
 * the list is closed before anything is read, counted and logged as on a uwsgi socket, because the FastCGI params are
 * believed as the uwsgi vars are ({@code REMOTE_ADDR} through {@link FastCgiClientAddress}, {@code HTTPS}).
 */
public class TrustedFastCgiConnectionFactory extends ServerFCGIConnectionFactory
{
    private final FrontendTrust trust;

    /**
     * @param configuration the FastCGI listener's HTTP configuration
     * @param trust the allow list's checks and counters
     */
    public TrustedFastCgiConnectionFactory(HttpConfiguration configuration, FrontendTrust trust)
    {
        super(configuration);
        this.trust = trust;
    }

    /**
     * @return the checks, whose counters the stats document reads
     */
    public FrontendTrust getFrontendTrust()
    {
        return trust;
    }

    @Override
    public Connection newConnection(Connector connector, EndPoint endPoint)
    {
        if (!trust.admits(endPoint.getRemoteSocketAddress()))
            return configure(FrontendTrust.refusedConnection(endPoint, connector.getExecutor()), connector, endPoint);
        return super.newConnection(connector, endPoint);
    }
}

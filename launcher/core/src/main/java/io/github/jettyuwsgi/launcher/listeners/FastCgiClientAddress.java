package io.github.jettyuwsgi.launcher.listeners;

import java.net.InetSocketAddress;
import java.net.SocketAddress;

import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.server.ConnectionMetaData;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.util.StringUtil;

/**
 * The client address of a request that came over {@code fastcgi-socket}: Jetty's FastCGI server makes every param a
 * request attribute but answers the remote address from its socket, which only ever sees the frontend (and nothing at
 * all over a Unix socket). This customizer of the FastCGI listener's {@link HttpConfiguration} answers it from the
 * {@code REMOTE_ADDR} and {@code REMOTE_PORT} params instead, as the uwsgi connector does from its vars and as Jetty's
 * own {@code ForwardedRequestCustomizer} does from {@code Forwarded}: by wrapping the request's
 * {@link ConnectionMetaData}.
 */
public final class FastCgiClientAddress implements HttpConfiguration.Customizer
{
    /** The param (and so the request attribute) with the client's address, as nginx's {@code fastcgi_params} sends it. */
    public static final String REMOTE_ADDR = "REMOTE_ADDR";
    /** The param with the client's port. */
    public static final String REMOTE_PORT = "REMOTE_PORT";

    @Override
    public Request customize(Request request, HttpFields.Mutable responseHeaders)
    {
        if (!(request.getAttribute(REMOTE_ADDR) instanceof String address) || address.isEmpty())
            return request;
        int port = request.getAttribute(REMOTE_PORT) instanceof String text ? port(text) : 0;
        // Unresolved on purpose: a literal from the frontend must never trigger a DNS lookup.
        InetSocketAddress remote = InetSocketAddress.createUnresolved(address, port);
        ConnectionMetaData connection = new ConnectionMetaData.Wrapper(request.getConnectionMetaData())
        {
            @Override
            public SocketAddress getRemoteSocketAddress()
            {
                return remote;
            }
        };
        return new Request.Wrapper(request)
        {
            @Override
            public ConnectionMetaData getConnectionMetaData()
            {
                return connection;
            }
        };
    }

    private static int port(String text)
    {
        if (text.isEmpty() || text.length() > 5 || !text.chars().allMatch(c -> c >= '0' && c <= '9'))
            return 0;
        int port = StringUtil.toInt(text, 0);
        return port <= 0xFFFF ? port : 0;
    }
}

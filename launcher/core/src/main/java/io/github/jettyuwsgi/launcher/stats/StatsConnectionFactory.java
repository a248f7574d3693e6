package io.github.jettyuwsgi.launcher.stats;

import java.util.function.Supplier;

import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.AbstractConnectionFactory;
import org.eclipse.jetty.server.Connector;

/**
 * The protocol of uWSGI's stats socket, for the stats socket's own connector: each client that connects gets the
 * current stats document and the connection closes, the last step of the stats server. Raw, as uWSGI's
 * {@code stats}, the document is written as soon as the client connects and the client sends nothing; with
 * {@code stats-http} the client's HTTP request head is read first and the document is the body of an HTTP response.
 */
public class StatsConnectionFactory extends AbstractConnectionFactory
{
    private final Supplier<String> document;
    private final boolean http;

    /**
     * @param document builds the document, once per connection
     * @param http true to answer an HTTP request ({@code stats-http}), false to write the bare document
     */
    public StatsConnectionFactory(Supplier<String> document, boolean http)
    {
        super(http ? "uwsgi-stats-http" : "uwsgi-stats");
        this.document = document;
        this.http = http;
    }

    @Override
    public Connection newConnection(Connector connector, EndPoint endPoint)
    {
        if (http)
            return configure(new HttpStatsConnection(endPoint, connector.getExecutor(), document), connector, endPoint);
        return configure(new StatsConnection(endPoint, connector.getExecutor(), document), connector, endPoint);
    }
}

package io.github.jettyuwsgi.uwsgi.jmh;

import java.nio.ByteBuffer;

import org.eclipse.jetty.http.HostPortHttpField;
import org.eclipse.jetty.http.HttpException;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpParser;
import org.eclipse.jetty.http.HttpScheme;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.http.MetaData;
import org.eclipse.jetty.util.URIUtil;

/**
 * The HTTP side of the comparison: receives {@link HttpParser} events and builds the {@code MetaData.Request} at
 * {@code headerComplete}, doing the work Jetty's HTTP/1.1 connection does there (fields into one reused
 * {@link HttpFields.Mutable}, the Host field as the URI's authority, the scheme, the content length), and nothing more.
 *
 * <p>It stops the parser at the end of the head, as Jetty's connection does before it dispatches, and as the uwsgi
 * benchmark stops at {@code onVars}.</p>
 */
final class MetaDataRequestHandler implements HttpParser.RequestHandler
{
    private final HttpFields.Mutable fields = HttpFields.build();
    private HttpParser parser;
    private String method;
    private HttpURI.Mutable uri;
    private HttpVersion version;
    private HostPortHttpField host;
    private long contentLength;
    private MetaData.Request request;

    void setParser(HttpParser parser)
    {
        this.parser = parser;
    }

    /**
     * @return the request built at the last {@code headerComplete}, or null; the handler forgets it
     */
    MetaData.Request takeRequest()
    {
        MetaData.Request result = request;
        request = null;
        return result;
    }

    @Override
    public void startRequest(String method, String uri, HttpVersion version)
    {
        this.method = method;
        this.uri = HttpURI.build(method, uri);
        this.version = version;
        host = null;
        contentLength = -1;
        fields.clear();
    }

    @Override
    public void parsedHeader(HttpField field)
    {
        HttpHeader header = field.getHeader();
        if (header == HttpHeader.HOST)
        {
            if (!(field instanceof HostPortHttpField))
                field = new HostPortHttpField(field.getValue());
            host = (HostPortHttpField)field;
        }
        else if (header == HttpHeader.CONTENT_LENGTH)
        {
            contentLength = field.getLongValue();
        }
        fields.add(field);
    }

    @Override
    public boolean headerComplete()
    {
        if (!uri.isAbsolute())
            uri.scheme(HttpScheme.HTTP);
        if (uri.getAuthority() == null && host != null)
        {
            int port = host.getPort();
            uri.authority(host.getHost(), port == URIUtil.getDefaultPortForScheme(uri.getScheme()) ? -1 : port);
        }
        if (uri.getPath() == null)
            uri.path("/");
        request = new MetaData.Request(parser.getBeginNanoTime(), method, uri.asImmutable(), version, fields.asImmutable(), contentLength);
        return true;
    }

    @Override
    public boolean content(ByteBuffer item)
    {
        return true;
    }

    @Override
    public boolean contentComplete()
    {
        return false;
    }

    @Override
    public boolean messageComplete()
    {
        return true;
    }

    @Override
    public void earlyEOF()
    {
        throw new IllegalStateException("HTTP request head: end of input before the head was complete (expected: a complete head)");
    }

    @Override
    public void badMessage(HttpException failure)
    {
        throw new IllegalStateException("HTTP request head: " + failure.getCode() + " " + failure.getReason() + " from Jetty's parser (expected: a valid request)",
            failure instanceof Throwable cause ? cause : null);
    }
}

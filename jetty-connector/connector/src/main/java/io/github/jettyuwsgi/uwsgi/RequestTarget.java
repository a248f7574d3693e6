package io.github.jettyuwsgi.uwsgi;

import java.nio.charset.StandardCharsets;

import io.github.jettyuwsgi.uwsgi.codec.UwsgiException;
import org.eclipse.jetty.http.HostPortHttpField;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.HttpScheme;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.util.StringUtil;
import org.eclipse.jetty.util.URIUtil;
import org.eclipse.jetty.util.Utf8StringBuilder;

/**
 * The request target of a uwsgi request, read as Jetty's HTTP/1 connection reads the target of a request line, for
 * {@link UwsgiRequestMapping}: nginx, Apache and uWSGI's router pass {@code REQUEST_URI} as the client sent it, so it
 * gets the same byte rules as {@link org.eclipse.jetty.http.HttpParser}'s request line (no space, no control character;
 * other bytes decoded as UTF-8 the same way) and the same parse, {@link HttpURI#build(String, String)}, so that it
 * carries the same {@link HttpURI#getViolations() violations} ({@code \}, {@code #fragment}, {@code %2F}, user info...)
 * and Jetty's request handling then judges them by the connector's {@code UriCompliance} exactly as it would over HTTP.
 * What differs on purpose: the scheme and the authority are always the frontend's ({@code HTTPS}, {@code HTTP_HOST}),
 * never an absolute-form target's, and {@code CONNECT} is refused (a uwsgi frontend does not tunnel).
 */
final class RequestTarget
{
    private RequestTarget()
    {
    }

    /**
     * @param method the request's method, already a valid token
     * @param requestUri the raw {@code REQUEST_URI} (bytes as ISO-8859-1), or null or empty without one
     * @param scriptName {@code SCRIPT_NAME}, used only without {@code REQUEST_URI}
     * @param pathInfo {@code PATH_INFO}, used only without {@code REQUEST_URI}
     * @param queryString {@code QUERY_STRING}, used only without {@code REQUEST_URI}
     * @param scheme the scheme the frontend was reached with
     * @param authority the authority the client named, or null
     * @return the request's URI
     * @throws UwsgiException for a target Jetty's HTTP connection would have refused to parse; the caller answers 400
     */
    static HttpURI of(String method, String requestUri, String scriptName, String pathInfo, String queryString, HttpScheme scheme, HostPortHttpField authority)
    {
        String name;
        String target;
        if (requestUri != null && !requestUri.isEmpty())
        {
            name = "REQUEST_URI";
            target = checkTarget(name, utf8(requestUri));
        }
        else
        {
            if ((scriptName == null || scriptName.isEmpty()) && (pathInfo == null || pathInfo.isEmpty()))
                throw new UwsgiException("REQUEST_URI: missing, and no SCRIPT_NAME or PATH_INFO (expected: the request target)");
            name = "SCRIPT_NAME + PATH_INFO";
            // both are decoded already: encoded again, so that a '?' or '%' in them stays part of the path
            String path = utf8((scriptName == null ? "" : scriptName) + (pathInfo == null ? "" : pathInfo));
            target = URIUtil.encodePath(path.startsWith("/") ? path : "/" + path);
            if (queryString != null && !queryString.isEmpty())
                target = target + "?" + checkTarget("QUERY_STRING", utf8(queryString));
        }
        if (HttpMethod.CONNECT.is(method))
            throw new UwsgiException("REQUEST_METHOD: CONNECT to '" + target + "' (expected: a method a uwsgi frontend forwards; it does not tunnel)");

        HttpURI.Mutable uri;
        try
        {
            uri = HttpURI.build(method, target);
        }
        catch (IllegalArgumentException x) // a bad %-escape (NumberFormatException is one), a bad authority: Jetty's HTTP connection answers 400 too
        {
            throw new UwsgiException(name + ": '" + target + "' (expected: a valid request target; " + x.getMessage() + ")", x);
        }
        // "http://host" has no path: "/" as over HTTP
        if (StringUtil.isEmpty(uri.getPath()) && uri.getScheme() != null && uri.hasAuthority())
            uri.path("/");
        if (uri.getPath() != null && !uri.getPath().startsWith("/") && !uri.getPath().equals("*"))
            throw new UwsgiException(name + ": '" + target + "' (expected: an origin-form or absolute-form request target, or *)");
        // The authority is the client's Host, as the frontend saw it, also for an absolute-form target: the frontend
        // routed the request by its own rules, and an application must not build links to a host named in a request
        // line. The violations of the whole target (user info, fragment) stay, so they are judged as over HTTP.
        uri.scheme(scheme);
        if (authority == null)
            uri.authority(null, -1);
        else
            uri.authority(authority.getHost(), authority.getPort());
        if (uri.getPath() == null)
            uri.path("/");
        return uri.asImmutable();
    }

    /**
     * The bytes Jetty's HTTP parser takes into a request-target: anything above space but DEL. A space would have ended
     * the target and CR or LF the request line.
     */
    private static String checkTarget(String name, String target)
    {
        for (int i = 0; i < target.length(); i++)
        {
            char c = target.charAt(i);
            if (c <= ' ' || c == 0x7F)
                throw new UwsgiException(name + ": '" + target.replaceAll("\\p{Cntrl}", "?") + "' has " + String.format("0x%02x", (int)c) +
                    " at " + i + " (expected: no spaces or control characters)");
        }
        return target;
    }

    /**
     * Vars are bytes read as ISO-8859-1; a client may have sent raw UTF-8 in its request line, which Jetty's HTTP parser
     * reads with its {@link Utf8StringBuilder} (an invalid sequence becomes U+FFFD): so does this.
     */
    private static String utf8(String isoBytes)
    {
        for (int i = 0; i < isoBytes.length(); i++)
        {
            if (isoBytes.charAt(i) > 0x7F)
            {
                Utf8StringBuilder utf8 = new Utf8StringBuilder(isoBytes.length());
                utf8.append(isoBytes.getBytes(StandardCharsets.ISO_8859_1));
                return utf8.toCompleteString();
            }
        }
        return isoBytes;
    }
}

package io.github.jettyuwsgi.uwsgi;

import java.net.InetSocketAddress;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import io.github.jettyuwsgi.uwsgi.codec.BodyFraming;
import io.github.jettyuwsgi.uwsgi.codec.UwsgiException;
import io.github.jettyuwsgi.uwsgi.codec.UwsgiVars;
import org.eclipse.jetty.http.HostPortHttpField;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpParser;
import org.eclipse.jetty.http.HttpScheme;
import org.eclipse.jetty.http.HttpTokens;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.http.MetaData;
import org.eclipse.jetty.util.HostPort;
import org.eclipse.jetty.util.NanoTime;
import org.eclipse.jetty.util.StringUtil;

/**
 * The one mapping from uwsgi/CGI vars to the HTTP request a frontend received; pure, so it is tested on its own and reused
 * by the uwsgi connection and by the in-process gateway bridge.
 *
 * <p>The rules, each one a lesson from a real frontend (see {@code docs/protocol.md}):</p>
 * <ul>
 * <li>method from {@code REQUEST_METHOD}; the URI from the raw {@code REQUEST_URI} (nginx's {@code PATH_INFO} is already
 * decoded, so {@code %2F} and {@code /} could no longer be told apart), else {@code SCRIPT_NAME + PATH_INFO} re-encoded,
 * plus {@code QUERY_STRING}; read as Jetty's HTTP connection reads a request line's target
 * ({@link RequestTarget}), so Jetty's URI compliance judges it as for HTTP;</li>
 * <li>secure when {@code UWSGI_SCHEME} or {@code wsgi.url_scheme} says https, else when {@code HTTPS} is
 * {@code on}/{@code 1}/{@code true} ({@code off} is not secure), else when {@code REQUEST_SCHEME} says https;</li>
 * <li>the authority is the client's {@code HTTP_HOST} exactly as sent, so server name and port derive from it as over
 * Jetty's HTTP connector (no port: the scheme's default); only without {@code HTTP_HOST},
 * {@code SERVER_NAME:SERVER_PORT};</li>
 * <li>{@code HTTP_*} vars become headers, repeated vars repeated headers; {@code CONTENT_TYPE}/{@code CONTENT_LENGTH}
 * win over their {@code HTTP_} twins; {@code Transfer-Encoding} is kept only for a body that really is chunked;</li>
 * <li>{@code HTTP_PROXY} is dropped (httpoxy), and so is {@code HTTP_EXPECT}: the frontend has already answered
 * {@code 100-continue}, and an interim response sent back would be taken as the final one;</li>
 * <li>nothing else is read: {@code UWSGI_FILE}, {@code UWSGI_SCRIPT} and friends never load or run anything.</li>
 * </ul>
 */
public final class UwsgiRequestMapping
{
    private static final Map<String, HttpHeader> KNOWN_HEADERS = new HashMap<>();
    private static final Map<HttpHeader, Map<String, HttpField>> CACHED_FIELDS = cachedFields();

    static
    {
        for (HttpHeader header : HttpHeader.values())
        {
            if (!header.isPseudo())
                KNOWN_HEADERS.put("HTTP_" + header.asString().toUpperCase(Locale.ENGLISH).replace('-', '_'), header);
        }
    }

    private UwsgiRequestMapping()
    {
    }

    /**
     * @param vars a packet's vars
     * @param fallbackRemote the transport's peer address, used only when the vars carry no {@code REMOTE_ADDR}
     * @return the request the frontend received
     * @throws UwsgiException when the vars cannot describe a request (no method, no URI, conflicting lengths); the caller
     * answers 400
     */
    public static UwsgiRequest map(UwsgiVars vars, InetSocketAddress fallbackRemote)
    {
        return map(vars, BodyFraming.of(vars), fallbackRemote);
    }

    /**
     * @param vars a packet's vars
     * @param framing the body framing the parser already derived from the same vars with {@link BodyFraming#of}
     * @param fallbackRemote the transport's peer address, used only when the vars carry no {@code REMOTE_ADDR}
     * @return the request the frontend received
     * @throws UwsgiException when the vars cannot describe a request; the caller answers 400
     */
    public static UwsgiRequest map(UwsgiVars vars, BodyFraming framing, InetSocketAddress fallbackRemote)
    {
        CgiVars cgi = new CgiVars(vars);

        String method = cgi.method;
        if (method == null || method.isEmpty())
            throw new UwsgiException("REQUEST_METHOD: missing (expected: the HTTP method; does the frontend config include uwsgi_params?)");
        checkToken("REQUEST_METHOD", method);

        boolean secure = cgi.isSecure();
        HttpScheme scheme = secure ? HttpScheme.HTTPS : HttpScheme.HTTP;
        HostPortHttpField authority = authority(cgi.httpHost, cgi.serverName, cgi.serverPort);

        HttpURI uri = RequestTarget.of(method, cgi.requestUri, cgi.scriptName, cgi.pathInfo, cgi.queryString, scheme, authority);

        String protocol = cgi.protocol;
        if (protocol == null || protocol.isEmpty())
            protocol = HttpVersion.HTTP_1_0.asString(); // what uWSGI assumes too
        HttpVersion version = HttpVersion.CACHE.get(protocol);
        // A frontend speaks HTTP/1.x to us whatever the client spoke to it; HTTP/2 or 3 semantics do not apply to this hop.
        if (version != HttpVersion.HTTP_1_0)
            version = HttpVersion.HTTP_1_1;

        HttpFields.Mutable fields = HttpFields.build(vars.size());
        addHeaders(vars, cgi, framing, authority, fields);
        long contentLength = framing.kind() == BodyFraming.Kind.CHUNKED ? -1 : framing.contentLength();

        MetaData.Request request = new MetaData.Request(NanoTime.now(), method, uri, version, fields.asImmutable(), contentLength);
        return new UwsgiRequest(request, protocol, secure, remoteAddress(cgi, fallbackRemote), localAddress(cgi), framing, vars);
    }

    private static void checkToken(String name, String value)
    {
        checkToken(name, value, 0);
    }

    /**
     * Checks {@code value} from index {@code from} on, without a substring: every header var's name is checked this way.
     */
    private static void checkToken(String name, String value, int from)
    {
        if (value.length() == from)
            throw new UwsgiException(name + ": empty (expected: an HTTP token)");
        for (int i = from; i < value.length(); i++)
        {
            char c = value.charAt(i);
            if (c > 0x7F || HttpTokens.TOKENS[c].getType() != HttpTokens.Type.ALPHA && HttpTokens.TOKENS[c].getType() != HttpTokens.Type.DIGIT && HttpTokens.TOKENS[c].getType() != HttpTokens.Type.TCHAR)
                throw new UwsgiException(name + ": '" + value.substring(from) + "' (expected: an HTTP token)");
        }
    }

    /**
     * The CGI vars the mapping reads, picked out in one pass over the block. Vars that must mean one thing
     * ({@code REQUEST_URI}, {@code SERVER_PORT}, ...) may repeat only with the same value; for the others the first wins.
     */
    private static final class CgiVars
    {
        String method;
        String requestUri;
        String scriptName;
        String pathInfo;
        String queryString;
        String protocol;
        String serverName;
        String serverPort;
        String serverAddr;
        String remoteAddr;
        String remotePort;
        String httpHost;
        String contentType;
        String contentLength;
        String https;
        String uwsgiScheme;
        String wsgiScheme;
        String requestScheme;

        CgiVars(UwsgiVars vars)
        {
            for (int i = 0; i < vars.size(); i++)
            {
                String name = vars.name(i);
                String value = vars.value(i);
                switch (name)
                {
                    case "REQUEST_METHOD" -> method = single(name, method, value);
                    case "REQUEST_URI" -> requestUri = single(name, requestUri, value);
                    case "SCRIPT_NAME" -> scriptName = single(name, scriptName, value);
                    case "PATH_INFO" -> pathInfo = single(name, pathInfo, value);
                    case "QUERY_STRING" -> queryString = single(name, queryString, value);
                    case "SERVER_PROTOCOL" -> protocol = single(name, protocol, value);
                    case "SERVER_NAME" -> serverName = single(name, serverName, value);
                    case "SERVER_PORT" -> serverPort = single(name, serverPort, value);
                    case "SERVER_ADDR" -> serverAddr = single(name, serverAddr, value);
                    case "REMOTE_ADDR" -> remoteAddr = single(name, remoteAddr, value);
                    case "REMOTE_PORT" -> remotePort = single(name, remotePort, value);
                    case "HTTP_HOST" -> httpHost = first(httpHost, value);
                    case "CONTENT_TYPE" -> contentType = first(contentType, value);
                    case "CONTENT_LENGTH" -> contentLength = first(contentLength, value);
                    case "HTTPS" -> https = first(https, value);
                    case "UWSGI_SCHEME" -> uwsgiScheme = first(uwsgiScheme, value);
                    case "wsgi.url_scheme" -> wsgiScheme = first(wsgiScheme, value);
                    case "REQUEST_SCHEME" -> requestScheme = first(requestScheme, value);
                    default ->
                    {
                    }
                }
            }
        }

        private static String single(String name, String previous, String value)
        {
            if (previous != null && !previous.equals(value))
                throw new UwsgiException(name + ": '" + previous + "' and '" + value + "' (expected: one value)");
            return value;
        }

        private static String first(String previous, String value)
        {
            return previous == null ? value : previous;
        }

        boolean isSecure()
        {
            String explicit = uwsgiScheme != null ? uwsgiScheme : wsgiScheme;
            if (explicit != null && !explicit.isEmpty())
                return HttpScheme.HTTPS.is(explicit) || HttpScheme.WSS.is(explicit);
            if (https != null && !https.isEmpty())
                return https.equalsIgnoreCase("on") || https.equals("1") || https.equalsIgnoreCase("true");
            return HttpScheme.HTTPS.is(requestScheme);
        }
    }

    /**
     * The client's Host, never completed from {@code SERVER_PORT}: that is the port the frontend listens on, which behind
     * a port mapping (a container publishing 80 to 8080, a load balancer) is not the one the client named, and
     * {@code getServerPort()}, {@code getRequestURL()} and redirects must point where the client went.
     */
    private static HostPortHttpField authority(String httpHost, String serverName, String serverPort)
    {
        if (httpHost != null && !httpHost.isEmpty())
            return hostField(httpHost);
        if (serverName != null && !serverName.isEmpty())
            return new HostPortHttpField(serverName, parsePort(serverPort));
        return null;
    }

    private static HostPortHttpField hostField(String value)
    {
        try
        {
            // Jetty's HTTP parser takes a Host it has cached ("localhost") whatever the case sent, as for other fields
            return new HostPortHttpField(field(HttpHeader.HOST, value).getValue());
        }
        catch (RuntimeException x) // HostPort throws IllegalArgumentException or HttpException.RuntimeException
        {
            throw new UwsgiException("HTTP_HOST: '" + value + "' (expected: host[:port])", x);
        }
    }

    private static int parsePort(String value)
    {
        if (value == null || value.isEmpty() || value.length() > 5)
            return -1;
        // the leading digits, as before; StringUtil.toInt would throw for a value that starts with none
        if (value.charAt(0) < '0' || value.charAt(0) > '9')
            return -1;
        int port = StringUtil.toInt(value, 0);
        return port > 0 && port <= 0xFFFF ? port : -1;
    }

    private static void addHeaders(UwsgiVars vars, CgiVars cgi, BodyFraming framing, HostPortHttpField authority, HttpFields.Mutable fields)
    {
        String contentType = cgi.contentType;
        boolean cgiContentType = contentType != null && !contentType.isEmpty();
        for (int i = 0; i < vars.size(); i++)
        {
            String name = vars.name(i);
            if (!name.startsWith("HTTP_") || name.length() == 5)
                continue;
            String value = vars.value(i);
            checkField(name, value);
            HttpHeader header = KNOWN_HEADERS.get(name);
            String fieldName = null;
            if (header == null)
            {
                // A var in another case or with '-' for '_' (no frontend sends one; a forged packet could) names the same
                // header as the var a frontend sends, and must get the same treatment: HTTP_CONTENT-LENGTH must not add a
                // second length beside CONTENT_LENGTH's. Header names are case-insensitive, and so is Jetty's index.
                fieldName = headerName(name);
                header = HttpHeader.CACHE.get(fieldName);
            }
            if (header == null)
            {
                // httpoxy: a client "Proxy:" header must never look like a proxy setting to anyone downstream.
                if (fieldName.equalsIgnoreCase("Proxy"))
                    continue;
                fields.add(new HttpField(fieldName, value));
                continue;
            }
            switch (header)
            {
                // the first Host is the authority (a second one gets Jetty's 400 for duplicate Host headers)
                case HOST -> fields.add(cgi.httpHost == value ? authority : hostField(value));
                // The frontend already answered 100-continue; Jetty must not send an interim response the frontend would
                // take as the final one.
                case EXPECT ->
                {
                }
                // The length comes from CONTENT_LENGTH only (added below): a second, different length must not reach
                // the application.
                case CONTENT_LENGTH ->
                {
                }
                case CONTENT_TYPE ->
                {
                    if (!cgiContentType)
                        fields.add(field(header, value));
                }
                // nginx forwards the client's "chunked" after de-chunking and counting the body itself.
                case TRANSFER_ENCODING ->
                {
                    if (framing.kind() == BodyFraming.Kind.CHUNKED)
                        fields.add(field(header, value));
                }
                // Apache and uWSGI's router join repeated Cookie lines with ", "; a comma can never be part of an RFC 6265
                // cookie, but Jetty's parser would then keep only the cookies after the last one.
                case COOKIE -> fields.add(field(header, value.contains(", ") ? value.replace(", ", "; ") : value));
                default -> fields.add(field(header, value));
            }
        }
        if (cgiContentType)
        {
            checkField("CONTENT_TYPE", contentType);
            fields.add(field(HttpHeader.CONTENT_TYPE, contentType));
        }
        String contentLength = cgi.contentLength;
        if (framing.kind() != BodyFraming.Kind.CHUNKED && contentLength != null && !contentLength.isEmpty())
            fields.add(new HttpField.LongValueHttpField(HttpHeader.CONTENT_LENGTH, framing.contentLength()));
    }

    /**
     * A header var must make a field that Jetty's HTTP parser would have accepted in a head: a token for a name, and no
     * CR, LF, NUL or other control character but tab in a value (a frontend sends neither; a forged packet could).
     */
    private static void checkField(String varName, String value)
    {
        if (varName.startsWith("HTTP_"))
            checkToken(varName, varName, 5);
        if (!HttpTokens.isLegalFieldValue(value))
            throw new UwsgiException(varName + ": value '" + value.replaceAll("\\p{Cntrl}", "?") + "' (expected: no control characters but tab)");
    }

    /**
     * A well-known field from the cache Jetty's HTTP parser uses, so that common headers cost no allocation and an
     * application sees exactly the field objects (e.g. the parsed {@code Content-Type}) it would see over HTTP.
     */
    private static HttpField field(HttpHeader header, String value)
    {
        Map<String, HttpField> cached = CACHED_FIELDS.get(header);
        HttpField field = cached == null ? null : cached.get(value);
        return field != null ? field : new HttpField(header, value);
    }

    /**
     * {@link HttpParser#CACHE} regrouped by header, values compared case-insensitively as that cache does; looked up
     * without building a "Name: value" string for every header.
     */
    private static Map<HttpHeader, Map<String, HttpField>> cachedFields()
    {
        Map<HttpHeader, Map<String, HttpField>> byHeader = new EnumMap<>(HttpHeader.class);
        for (String key : HttpParser.CACHE.keySet())
        {
            HttpField field = HttpParser.CACHE.get(key);
            // entries with a placeholder value only name the header; they are no whole field
            if (field == null || field.getHeader() == null || field.getValue() == null || !key.endsWith(": " + field.getValue()))
                continue;
            byHeader.computeIfAbsent(field.getHeader(), h -> new TreeMap<>(String.CASE_INSENSITIVE_ORDER)).putIfAbsent(field.getValue(), field);
        }
        return byHeader;
    }

    /**
     * Converts e.g. {@code HTTP_X_REQUEST_ID} to {@code X-Request-Id}. CGI turned '-' into '_', so the reverse is a
     * guess: a header really named {@code X_Id} arrives as {@code X-Id}. Header names are case-insensitive anyway.
     */
    static String headerName(String varName)
    {
        StringBuilder name = new StringBuilder(varName.length() - 5);
        boolean upper = true;
        for (int i = 5; i < varName.length(); i++)
        {
            char c = varName.charAt(i);
            if (c == '_')
            {
                name.append('-');
                upper = true;
            }
            else
            {
                name.append(upper ? Character.toUpperCase(c) : Character.toLowerCase(c));
                upper = false;
            }
        }
        return name.toString();
    }

    private static InetSocketAddress remoteAddress(CgiVars cgi, InetSocketAddress fallback)
    {
        String address = cgi.remoteAddr;
        if (address == null || address.isEmpty())
            return fallback;
        int port = parsePort(cgi.remotePort);
        // Unresolved on purpose: the address is a literal from the frontend and must never trigger a DNS lookup.
        return InetSocketAddress.createUnresolved(address, Math.max(port, 0));
    }

    private static InetSocketAddress localAddress(CgiVars cgi)
    {
        // Apache and lighttpd send SERVER_ADDR; nginx does not, and then the caller keeps its own socket's address.
        String address = cgi.serverAddr;
        if (address == null || address.isEmpty())
            return null;
        return InetSocketAddress.createUnresolved(address, Math.max(parsePort(cgi.serverPort), 0));
    }
}

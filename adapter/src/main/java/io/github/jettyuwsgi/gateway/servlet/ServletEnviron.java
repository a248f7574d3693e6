package io.github.jettyuwsgi.gateway.servlet;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;

import io.github.jettyuwsgi.gateway.Environ;
import io.github.jettyuwsgi.gateway.EnvironKeys;
import io.github.jettyuwsgi.gateway.FileWrapper;
import io.github.jettyuwsgi.gateway.GatewayErrors;
import io.github.jettyuwsgi.gateway.GatewayInput;
import io.github.jettyuwsgi.gateway.Latin1;
import jakarta.servlet.ServletContext;
import jakarta.servlet.http.HttpServletMapping;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.MappingMatch;

/**
 * <p>Builds the {@link Environ} of a gateway application from an {@link HttpServletRequest}: the first step of
 * {@link GatewayServlet}. SCRIPT_NAME and PATH_INFO are cut from the <em>raw</em> request URI at the boundary the
 * servlet mapping gives (context path, plus the servlet path for {@code /x/*}, exact and extension mappings), then
 * percent-decoded bytewise into latin-1 chars; {@code getPathInfo()} is not used because the container decodes it
 * with its own charset and drops path parameters inconsistently. PATH_INFO is then what nginx passes to uWSGI
 * ({@code $document_uri}): dot segments removed after decoding, {@code ;parameters} kept. Repeated headers are joined with {@code ", "},
 * Cookie with {@code "; "}; {@code Proxy} is dropped (httpoxy) and so are header names with {@code _}, which would
 * be indistinguishable from their {@code -} twin once turned into {@code HTTP_*} keys.</p>
 * <p>The raw servlet request is not put in the environ: middleware may rewrite the environ, and an application
 * reading the request directly would bypass that (PEP 3333's "safe extension" rule).</p>
 */
public final class ServletEnviron
{
    /** Servlet 6.1's name for the TLS protocol attribute; older containers leave SSL_PROTOCOL out. */
    static final String SECURE_PROTOCOL_ATTRIBUTE = "jakarta.servlet.request.secure_protocol";

    private ServletEnviron()
    {
    }

    /**
     * @param request the request being served
     * @param multiprocess the value of {@code gateway.multiprocess}
     * @return a fresh environ for one application call
     */
    public static Environ of(HttpServletRequest request, boolean multiprocess)
    {
        Environ environ = new Environ();
        environ.put(EnvironKeys.REQUEST_METHOD, request.getMethod());
        String[] paths = scriptNameAndPathInfo(request);
        environ.put(EnvironKeys.SCRIPT_NAME, paths[0]);
        environ.put(EnvironKeys.PATH_INFO, paths[1]);
        String query = request.getQueryString();
        environ.put(EnvironKeys.QUERY_STRING, query == null ? "" : Latin1.fromText(query));
        environ.put(EnvironKeys.REQUEST_URI, Latin1.fromText(query == null ? request.getRequestURI() : request.getRequestURI() + "?" + query));
        String contentType = request.getContentType();
        if (contentType != null)
            environ.put(EnvironKeys.CONTENT_TYPE, Latin1.fromText(contentType));
        long contentLength = request.getContentLengthLong();
        if (contentLength >= 0)
            environ.put(EnvironKeys.CONTENT_LENGTH, Long.toString(contentLength));
        environ.put(EnvironKeys.SERVER_NAME, Latin1.fromText(request.getServerName()));
        environ.put(EnvironKeys.SERVER_PORT, Integer.toString(request.getServerPort()));
        environ.put(EnvironKeys.SERVER_PROTOCOL, request.getProtocol());
        ServletContext context = request.getServletContext();
        environ.put(EnvironKeys.SERVER_SOFTWARE, Latin1.fromText(context.getServerInfo()));
        environ.put(EnvironKeys.GATEWAY_INTERFACE, "CGI/1.1");
        putRemote(environ, request);
        if (request.isSecure())
            putTls(environ, request);
        putHeaders(environ, request);

        environ.put(EnvironKeys.VERSION, Environ.VERSION_1_0);
        environ.put(EnvironKeys.URL_SCHEME, request.getScheme().toLowerCase(Locale.ROOT));
        environ.put(EnvironKeys.INPUT, input(request));
        environ.put(EnvironKeys.ERRORS, GatewayErrors.lines(context::log));
        environ.put(EnvironKeys.MULTITHREAD, Boolean.TRUE);
        environ.put(EnvironKeys.MULTIPROCESS, multiprocess);
        environ.put(EnvironKeys.RUN_ONCE, Boolean.FALSE);
        // A ServletInputStream ends where the body ends, chunked uploads included.
        environ.put(EnvironKeys.INPUT_TERMINATED, Boolean.TRUE);
        environ.put(EnvironKeys.FILE_WRAPPER, FileWrapper.BLOCKS);
        return environ;
    }

    private static GatewayInput input(HttpServletRequest request)
    {
        try
        {
            return GatewayInput.of(request.getInputStream(), -1);
        }
        catch (IOException x)
        {
            throw new UncheckedIOException("request body: unavailable", x);
        }
    }

    /**
     * @param request a request
     * @return SCRIPT_NAME and PATH_INFO, decoded into latin-1 bytes-as-chars
     */
    static String[] scriptNameAndPathInfo(HttpServletRequest request)
    {
        String uri = request.getRequestURI();
        String contextPath = request.getContextPath();
        if (!uri.startsWith(contextPath))
        {
            // A container that canonicalized the URI differently: fall back to its decoded view.
            String pathInfo = request.getPathInfo();
            String script = contextPath + request.getServletPath();
            return new String[]{decode(script), pathInfo == null ? "" : Latin1.fromText(pathInfo)};
        }
        String rest = uri.substring(contextPath.length());
        int split = splitIndex(rest, request.getHttpServletMapping());
        return new String[]{decode(contextPath + rest.substring(0, split)), pathInfo(rest.substring(split))};
    }

    private static int splitIndex(String rest, HttpServletMapping mapping)
    {
        MappingMatch match = mapping == null ? null : mapping.getMappingMatch();
        if (match == null || match == MappingMatch.DEFAULT || match == MappingMatch.CONTEXT_ROOT)
            return 0;
        if (match == MappingMatch.EXACT || match == MappingMatch.EXTENSION)
            return rest.length();
        // PATH, "/x/y/*": the script part is as many raw segments as the pattern has before "/*".
        String pattern = mapping.getPattern();
        int segments = 0;
        for (int i = 0; i < pattern.length() - 2; i++)
        {
            if (pattern.charAt(i) == '/')
                segments++;
        }
        int index = 0;
        for (int i = 0; i < segments; i++)
        {
            int next = rest.indexOf('/', index + 1);
            if (next < 0)
                return rest.length();
            index = next;
        }
        return index;
    }

    /**
     * @param rawPathInfo the raw rest of the path after SCRIPT_NAME
     * @return it percent-decoded into bytes-as-chars, then without {@code .} and {@code ..} segments, as nginx
     * normalizes the path it passes as PATH_INFO ({@code /a%2F..%2Fb} is {@code /b} there too)
     */
    static String pathInfo(String rawPathInfo)
    {
        return removeDotSegments(Latin1.decodePath(rawPathInfo));
    }

    /** RFC 3986 section 5.2.4 on a path that starts with "/" or is empty; ".." never climbs above the start. */
    static String removeDotSegments(String path)
    {
        if (path.isEmpty() || (!path.contains("/.") && !path.equals(".")))
            return path;
        List<String> kept = new ArrayList<>();
        String[] segments = path.split("/", -1);
        for (int i = 1; i < segments.length; i++)
        {
            String segment = segments[i];
            boolean last = i == segments.length - 1;
            if (segment.equals("."))
            {
                if (last)
                    kept.add("");
            }
            else if (segment.equals(".."))
            {
                if (!kept.isEmpty())
                    kept.remove(kept.size() - 1);
                if (last)
                    kept.add("");
            }
            else
            {
                kept.add(segment);
            }
        }
        return "/" + String.join("/", kept);
    }

    /**
     * @param rawPath a raw path, possibly with {@code ;parameters} in its segments
     * @return the path without parameters, percent-decoded into bytes-as-chars
     */
    static String decode(String rawPath)
    {
        StringBuilder withoutParameters = new StringBuilder(rawPath.length());
        int index = 0;
        while (index < rawPath.length())
        {
            int semicolon = rawPath.indexOf(';', index);
            if (semicolon < 0)
            {
                withoutParameters.append(rawPath, index, rawPath.length());
                break;
            }
            withoutParameters.append(rawPath, index, semicolon);
            int slash = rawPath.indexOf('/', semicolon);
            if (slash < 0)
                break;
            index = slash;
        }
        return Latin1.decodePath(withoutParameters.toString());
    }

    private static void putRemote(Environ environ, HttpServletRequest request)
    {
        String address = request.getRemoteAddr();
        environ.put(EnvironKeys.REMOTE_ADDR, address);
        environ.put(EnvironKeys.REMOTE_PORT, Integer.toString(request.getRemotePort()));
        String host = request.getRemoteHost();
        if (host != null && !host.equals(address))
            environ.put(EnvironKeys.REMOTE_HOST, Latin1.fromText(host));
        if (request.getRemoteUser() != null)
            environ.put(EnvironKeys.REMOTE_USER, Latin1.fromText(request.getRemoteUser()));
        if (request.getAuthType() != null)
            environ.put(EnvironKeys.AUTH_TYPE, request.getAuthType());
    }

    private static void putTls(Environ environ, HttpServletRequest request)
    {
        environ.put(EnvironKeys.HTTPS, "on");
        putAttribute(environ, EnvironKeys.SSL_PROTOCOL, request.getAttribute(SECURE_PROTOCOL_ATTRIBUTE));
        putAttribute(environ, EnvironKeys.SSL_CIPHER, request.getAttribute("jakarta.servlet.request.cipher_suite"));
        putAttribute(environ, EnvironKeys.SSL_CIPHER_USEKEYSIZE, request.getAttribute("jakarta.servlet.request.key_size"));
        putAttribute(environ, EnvironKeys.SSL_SESSION_ID, request.getAttribute("jakarta.servlet.request.ssl_session_id"));
        if (request.getAttribute("jakarta.servlet.request.X509Certificate") instanceof X509Certificate[] chain && chain.length > 0)
        {
            X509Certificate client = chain[0];
            environ.put(EnvironKeys.SSL_CLIENT_S_DN, Latin1.fromText(client.getSubjectX500Principal().getName()));
            environ.put(EnvironKeys.SSL_CLIENT_I_DN, Latin1.fromText(client.getIssuerX500Principal().getName()));
            try
            {
                String base64 = Base64.getMimeEncoder(64, new byte[]{'\n'}).encodeToString(client.getEncoded());
                environ.put(EnvironKeys.SSL_CLIENT_CERT, "-----BEGIN CERTIFICATE-----\n" + base64 + "\n-----END CERTIFICATE-----\n");
            }
            catch (CertificateEncodingException x)
            {
                request.getServletContext().log("client certificate: cannot be encoded, SSL_CLIENT_CERT left out", x);
            }
        }
    }

    private static void putAttribute(Environ environ, String key, Object value)
    {
        if (value != null)
            environ.put(key, Latin1.fromText(value.toString()));
    }

    private static void putHeaders(Environ environ, HttpServletRequest request)
    {
        Enumeration<String> names = request.getHeaderNames();
        if (names == null)
            return;
        while (names.hasMoreElements())
        {
            String name = names.nextElement();
            if (name.equalsIgnoreCase("Content-Type") || name.equalsIgnoreCase("Content-Length") || name.indexOf('_') >= 0)
                continue;
            String key = EnvironKeys.httpKey(name);
            // httpoxy: an application would take HTTP_PROXY for the proxy environment variable.
            if (key.equals("HTTP_PROXY"))
                continue;
            String separator = key.equals("HTTP_COOKIE") ? "; " : ", ";
            String joined = join(request.getHeaders(name), separator);
            String previous = environ.get(key);
            environ.put(key, Latin1.fromText(previous == null ? joined : previous + separator + joined));
        }
    }

    /**
     * A header's values joined as one CGI value; a single value, the common case, as it is.
     */
    private static String join(Enumeration<String> values, String separator)
    {
        if (values == null || !values.hasMoreElements())
            return "";
        String first = values.nextElement();
        if (!values.hasMoreElements())
            return first;
        StringBuilder joined = new StringBuilder(first);
        while (values.hasMoreElements())
            joined.append(separator).append(values.nextElement());
        return joined.toString();
    }
}

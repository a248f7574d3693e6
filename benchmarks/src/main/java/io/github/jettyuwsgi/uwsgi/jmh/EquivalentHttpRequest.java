package io.github.jettyuwsgi.uwsgi.jmh;

import java.nio.charset.StandardCharsets;

import io.github.jettyuwsgi.uwsgi.codec.UwsgiVars;

/**
 * Rebuilds the HTTP/1.1 request head a frontend received from the vars it forwarded, so that Jetty's HTTP parser can be
 * measured on the very request the uwsgi benchmarks decode.
 *
 * <p>The request line is {@code REQUEST_METHOD REQUEST_URI SERVER_PROTOCOL}; every {@code HTTP_*} var becomes one header
 * line in arrival order ({@code HTTP_X_MULTI} becomes {@code X-Multi}; a var repeated by nginx stays a repeated line).
 * {@code Content-Type} and {@code Content-Length} come from the CGI vars when those are set, as the uwsgi request
 * mapping takes them, and are written last. The body is not included: both sides stop at the end of the head.</p>
 */
public final class EquivalentHttpRequest
{
    private EquivalentHttpRequest()
    {
    }

    /**
     * @param vars a captured packet's vars
     * @return the request line and header lines, ending with the empty line, as ISO-8859-1 bytes (one per char, as the vars were)
     */
    public static byte[] head(UwsgiVars vars)
    {
        String method = required(vars, "REQUEST_METHOD");
        String target = required(vars, "REQUEST_URI");
        String protocol = required(vars, "SERVER_PROTOCOL");
        String contentType = vars.get("CONTENT_TYPE");
        String contentLength = vars.get("CONTENT_LENGTH");
        boolean cgiContentType = contentType != null && !contentType.isEmpty();
        boolean cgiContentLength = contentLength != null && !contentLength.isEmpty();

        StringBuilder head = new StringBuilder(512);
        head.append(method).append(' ').append(target).append(' ').append(protocol).append("\r\n");
        for (int i = 0; i < vars.size(); i++)
        {
            String name = vars.name(i);
            if (!name.startsWith("HTTP_") || name.length() == 5)
                continue;
            if (cgiContentType && name.equals("HTTP_CONTENT_TYPE") || cgiContentLength && name.equals("HTTP_CONTENT_LENGTH"))
                continue;
            String value = vars.value(i);
            // Apache joined the client's Cookie lines with ", "; the client's own single line used "; " (RFC 6265).
            if (name.equals("HTTP_COOKIE"))
                value = value.replace(", ", "; ");
            head.append(headerName(name)).append(": ").append(value).append("\r\n");
        }
        if (cgiContentType)
            head.append("Content-Type: ").append(contentType).append("\r\n");
        if (cgiContentLength)
            head.append("Content-Length: ").append(contentLength).append("\r\n");
        head.append("\r\n");
        return head.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    private static String required(UwsgiVars vars, String name)
    {
        String value = vars.get(name);
        if (value == null || value.isEmpty())
            throw new IllegalArgumentException(name + ": missing (expected: a request packet from nginx, Apache or uWSGI)");
        return value;
    }

    /**
     * CGI turned a header name to upper case and '-' into '_'; this turns it back into the usual spelling, which is
     * what a client sends (Jetty matches names case-insensitively either way).
     */
    static String headerName(String varName)
    {
        StringBuilder name = new StringBuilder(varName.length() - 5);
        boolean wordStart = true;
        for (int i = 5; i < varName.length(); i++)
        {
            char c = varName.charAt(i);
            if (c == '_')
            {
                name.append('-');
                wordStart = true;
            }
            else
            {
                name.append(wordStart ? Character.toUpperCase(c) : Character.toLowerCase(c));
                wordStart = false;
            }
        }
        return name.toString();
    }
}

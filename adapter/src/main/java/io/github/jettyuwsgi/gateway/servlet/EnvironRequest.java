package io.github.jettyuwsgi.gateway.servlet;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.UnsupportedEncodingException;
import java.net.URLDecoder;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;

import io.github.jettyuwsgi.gateway.Environ;
import io.github.jettyuwsgi.gateway.EnvironKeys;
import io.github.jettyuwsgi.gateway.GatewayInput;
import io.github.jettyuwsgi.gateway.Latin1;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;

/**
 * <p>The request a downstream servlet sees when a gateway middleware runs as a filter: the original request, with
 * everything the environ describes read from the environ, so that what the middleware rewrote (method, headers,
 * query, SCRIPT_NAME/PATH_INFO, the body stream) is what the servlet gets. Header names come back in
 * {@code X-Foo} form, which loses the original case (HTTP names are case-insensitive). The body is always read
 * through {@code gateway.input}, so bytes a middleware consumed are not seen twice.</p>
 * <p>Parameters still come from the original request, unless QUERY_STRING was rewritten; then only the query is
 * parsed, and a form body is not.</p>
 */
final class EnvironRequest extends HttpServletRequestWrapper
{
    private final Environ environ;
    private final String originalScriptName;
    private final String originalPathInfo;
    private final String originalQuery;
    private ServletInputStream input;

    EnvironRequest(HttpServletRequest request, Environ environ)
    {
        super(request);
        this.environ = environ;
        String[] paths = ServletEnviron.scriptNameAndPathInfo(request);
        this.originalScriptName = paths[0];
        this.originalPathInfo = paths[1];
        String query = request.getQueryString();
        this.originalQuery = query == null ? "" : query;
    }

    private boolean pathRewritten()
    {
        return !originalScriptName.equals(environ.get(EnvironKeys.SCRIPT_NAME, "")) || !originalPathInfo.equals(environ.get(EnvironKeys.PATH_INFO, ""));
    }

    private static String text(String bytesAsChars)
    {
        return new String(bytesAsChars.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
    }

    @Override
    public String getMethod()
    {
        return environ.get(EnvironKeys.REQUEST_METHOD);
    }

    @Override
    public String getQueryString()
    {
        String query = environ.get(EnvironKeys.QUERY_STRING, "");
        return query.isEmpty() ? null : query;
    }

    @Override
    public String getRequestURI()
    {
        if (!pathRewritten())
            return super.getRequestURI();
        return Latin1.encodePath(environ.get(EnvironKeys.SCRIPT_NAME, "") + environ.get(EnvironKeys.PATH_INFO, ""));
    }

    @Override
    public StringBuffer getRequestURL()
    {
        return new StringBuffer(environ.requestUrl(false));
    }

    @Override
    public String getServletPath()
    {
        if (!pathRewritten())
            return super.getServletPath();
        String scriptName = text(environ.get(EnvironKeys.SCRIPT_NAME, ""));
        String contextPath = getContextPath();
        return scriptName.startsWith(contextPath) ? scriptName.substring(contextPath.length()) : scriptName;
    }

    @Override
    public String getPathInfo()
    {
        if (!pathRewritten())
            return super.getPathInfo();
        String pathInfo = environ.get(EnvironKeys.PATH_INFO, "");
        return pathInfo.isEmpty() ? null : text(pathInfo);
    }

    @Override
    public String getHeader(String name)
    {
        if (name.equalsIgnoreCase("Content-Type"))
            return environ.get(EnvironKeys.CONTENT_TYPE);
        if (name.equalsIgnoreCase("Content-Length"))
            return environ.get(EnvironKeys.CONTENT_LENGTH);
        return environ.get(EnvironKeys.httpKey(name));
    }

    @Override
    public Enumeration<String> getHeaders(String name)
    {
        String value = getHeader(name);
        return Collections.enumeration(value == null ? List.of() : List.of(value));
    }

    @Override
    public Enumeration<String> getHeaderNames()
    {
        List<String> names = new ArrayList<>();
        for (String key : environ.keys())
        {
            if (key.startsWith(EnvironKeys.HTTP_PREFIX) && environ.asMap().get(key) instanceof String)
                names.add(headerName(key.substring(EnvironKeys.HTTP_PREFIX.length())));
        }
        if (environ.has(EnvironKeys.CONTENT_TYPE))
            names.add("Content-Type");
        if (environ.has(EnvironKeys.CONTENT_LENGTH))
            names.add("Content-Length");
        return Collections.enumeration(names);
    }

    private static String headerName(String cgiName)
    {
        StringBuilder name = new StringBuilder(cgiName.length());
        boolean upper = true;
        for (char c : cgiName.toCharArray())
        {
            if (c == '_')
            {
                name.append('-');
                upper = true;
            }
            else
            {
                name.append(upper ? c : Character.toLowerCase(c));
                upper = false;
            }
        }
        return name.toString();
    }

    @Override
    public int getIntHeader(String name)
    {
        String value = getHeader(name);
        return value == null ? -1 : Integer.parseInt(value.trim());
    }

    @Override
    public long getDateHeader(String name)
    {
        String value = getHeader(name);
        if (value == null)
            return -1;
        try
        {
            return ZonedDateTime.parse(value.trim(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant().toEpochMilli();
        }
        catch (RuntimeException x)
        {
            throw new IllegalArgumentException("header " + name + ": " + value + " (expected: an RFC 1123 date)", x);
        }
    }

    @Override
    public String getContentType()
    {
        return environ.get(EnvironKeys.CONTENT_TYPE);
    }

    @Override
    public int getContentLength()
    {
        long length = getContentLengthLong();
        return length > Integer.MAX_VALUE ? -1 : (int)length;
    }

    @Override
    public long getContentLengthLong()
    {
        String length = environ.get(EnvironKeys.CONTENT_LENGTH, "");
        return length.isEmpty() ? -1 : Long.parseLong(length);
    }

    @Override
    public String getScheme()
    {
        return environ.urlScheme();
    }

    @Override
    public boolean isSecure()
    {
        return "https".equals(environ.urlScheme());
    }

    @Override
    public String getRemoteAddr()
    {
        return environ.get(EnvironKeys.REMOTE_ADDR, super.getRemoteAddr());
    }

    @Override
    public String getRemoteUser()
    {
        return environ.get(EnvironKeys.REMOTE_USER);
    }

    @Override
    public String getServerName()
    {
        return environ.get(EnvironKeys.SERVER_NAME, super.getServerName());
    }

    @Override
    public int getServerPort()
    {
        return Integer.parseInt(environ.get(EnvironKeys.SERVER_PORT, Integer.toString(super.getServerPort())));
    }

    @Override
    public String getParameter(String name)
    {
        String[] values = getParameterValues(name);
        return values == null ? null : values[0];
    }

    @Override
    public String[] getParameterValues(String name)
    {
        if (originalQuery.equals(environ.get(EnvironKeys.QUERY_STRING, "")))
            return super.getParameterValues(name);
        List<String> values = new ArrayList<>();
        for (String pair : environ.get(EnvironKeys.QUERY_STRING, "").split("&"))
        {
            int equals = pair.indexOf('=');
            String key = decodeForm(equals < 0 ? pair : pair.substring(0, equals));
            if (key.equals(name))
                values.add(equals < 0 ? "" : decodeForm(pair.substring(equals + 1)));
        }
        return values.isEmpty() ? null : values.toArray(String[]::new);
    }

    private static String decodeForm(String text)
    {
        return URLDecoder.decode(text, StandardCharsets.UTF_8);
    }

    @Override
    public ServletInputStream getInputStream()
    {
        if (input == null)
            input = new InputView(environ.input());
        return input;
    }

    @Override
    public BufferedReader getReader() throws UnsupportedEncodingException
    {
        String encoding = getCharacterEncoding();
        Charset charset;
        try
        {
            charset = Charset.forName(encoding == null ? "ISO-8859-1" : encoding);
        }
        catch (RuntimeException x)
        {
            throw new UnsupportedEncodingException(encoding);
        }
        return new BufferedReader(new InputStreamReader(getInputStream(), charset));
    }

    /**
     * <p>{@code gateway.input} as a blocking ServletInputStream.</p>
     */
    private static final class InputView extends ServletInputStream
    {
        private final GatewayInput input;
        private boolean finished;

        private InputView(GatewayInput input)
        {
            this.input = input;
        }

        @Override
        public int read()
        {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] buffer, int offset, int length)
        {
            int count = input.read(buffer, offset, length);
            if (count < 0)
                finished = true;
            return count;
        }

        @Override
        public boolean isFinished()
        {
            return finished;
        }

        @Override
        public boolean isReady()
        {
            return true;
        }

        @Override
        public void setReadListener(ReadListener listener)
        {
            throw new IllegalStateException("setReadListener: not supported behind a gateway middleware (expected: blocking reads)");
        }
    }

    @Override
    public String toString()
    {
        return "EnvironRequest[" + getMethod() + " " + getRequestURI() + "]@" + Integer.toHexString(hashCode());
    }
}

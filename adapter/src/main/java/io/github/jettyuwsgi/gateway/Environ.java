package io.github.jettyuwsgi.gateway;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * <p>The request as a gateway application sees it, PEP 3333's {@code environ}: CGI variables (names without a dot,
 * {@link String} values of latin-1 chars) and {@code gateway.*} keys (see {@link EnvironKeys}). The server builds a
 * fresh one per call; the application and middleware may change it freely, as PEP allows: a router moves a segment
 * from PATH_INFO to SCRIPT_NAME ({@link #shiftPathInfo()}).</p>
 * <p>It is a typed view over one mutable {@link HashMap}, which {@link #asMap()} exposes as is: exactly a
 * {@code HashMap}, as PEP's "a builtin dict" and uWSGI JWSGI's {@code application(HashMap)} require.</p>
 */
public final class Environ
{
    /** {@code wsgi.version}'s {@code (1, 0)}. */
    public static final Version VERSION_1_0 = new Version(1, 0);

    private final Map<String, Object> values;

    /**
     * <p>An empty environ over a new {@code HashMap}.</p>
     */
    public Environ()
    {
        this(new HashMap<>());
    }

    /**
     * @param values the live map this environ reads and writes; not copied
     */
    public Environ(Map<String, Object> values)
    {
        this.values = Objects.requireNonNull(values, "values");
    }

    /**
     * @return the live map, for code that needs the raw shape (JWSGI, the validator)
     */
    public Map<String, Object> asMap()
    {
        return values;
    }

    /**
     * @param key a key
     * @return its value, or {@code null} if absent
     * @throws GatewayException if the value is not a String
     */
    public String get(String key)
    {
        Object value = values.get(key);
        if (value == null || value instanceof String)
            return (String)value;
        throw new GatewayException("environ " + key + ": " + value.getClass().getName() + " (expected: String)");
    }

    /**
     * @param key a key
     * @param defaultValue what to return when the key is absent
     * @return its value, or {@code defaultValue}
     */
    public String get(String key, String defaultValue)
    {
        String value = get(key);
        return value == null ? defaultValue : value;
    }

    /**
     * @param key a key
     * @param type the expected type of the value
     * @param <T> that type
     * @return the value, or {@code null} if absent
     * @throws GatewayException if the value has another type
     */
    public <T> T get(String key, Class<T> type)
    {
        Object value = values.get(key);
        if (value == null || type.isInstance(value))
            return type.cast(value);
        throw new GatewayException("environ " + key + ": " + value.getClass().getName() + " (expected: " + type.getName() + ")");
    }

    /**
     * @param key a key
     * @param value its new value, or {@code null} to remove it
     * @return this environ
     */
    public Environ put(String key, Object value)
    {
        Objects.requireNonNull(key, "key");
        if (value == null)
            values.remove(key);
        else
            values.put(key, value);
        return this;
    }

    /**
     * @param key a key
     * @return whether it is present
     */
    public boolean has(String key)
    {
        return values.containsKey(key);
    }

    /**
     * @return the live key set
     */
    public Set<String> keys()
    {
        return values.keySet();
    }

    /**
     * @return a new environ over a shallow copy of this one's map (the input and error streams are shared)
     */
    public Environ copy()
    {
        return new Environ(new HashMap<>(values));
    }

    /**
     * @return the request body
     */
    public GatewayInput input()
    {
        return require(EnvironKeys.INPUT, GatewayInput.class);
    }

    /**
     * @return the error stream
     */
    public GatewayErrors errors()
    {
        return require(EnvironKeys.ERRORS, GatewayErrors.class);
    }

    /**
     * @return {@code "http"} or {@code "https"}
     */
    public String urlScheme()
    {
        return require(EnvironKeys.URL_SCHEME, String.class);
    }

    /**
     * @return the file wrapper the server offers, or a block-reading one when it offers none
     */
    public FileWrapper fileWrapper()
    {
        FileWrapper wrapper = get(EnvironKeys.FILE_WRAPPER, FileWrapper.class);
        return wrapper == null ? FileWrapper.BLOCKS : wrapper;
    }

    /**
     * @param key a {@code gateway.*} flag
     * @return its value, false when absent
     */
    public boolean flag(String key)
    {
        return Boolean.TRUE.equals(get(key, Boolean.class));
    }

    private <T> T require(String key, Class<T> type)
    {
        T value = get(key, type);
        if (value == null)
            throw new GatewayException("environ " + key + ": absent (expected: a " + type.getSimpleName() + ")");
        return value;
    }

    /**
     * <p>The request URL rebuilt as PEP 3333 ("URL Reconstruction") does it: scheme, {@code HTTP_HOST} (or
     * SERVER_NAME and a non-default SERVER_PORT), then SCRIPT_NAME and PATH_INFO percent-encoded again, then the
     * query.</p>
     *
     * @param withQuery whether to append {@code ?QUERY_STRING} when there is one
     * @return the URL
     */
    public String requestUrl(boolean withQuery)
    {
        StringBuilder url = new StringBuilder(urlScheme()).append("://");
        String host = get("HTTP_HOST");
        if (host != null)
        {
            url.append(host);
        }
        else
        {
            url.append(get(EnvironKeys.SERVER_NAME, ""));
            String port = get(EnvironKeys.SERVER_PORT, "");
            boolean defaultPort = "https".equals(urlScheme()) ? "443".equals(port) : "80".equals(port);
            if (!defaultPort && !port.isEmpty())
                url.append(':').append(port);
        }
        url.append(Latin1.encodePath(get(EnvironKeys.SCRIPT_NAME, "")));
        url.append(Latin1.encodePath(get(EnvironKeys.PATH_INFO, "")));
        String query = get(EnvironKeys.QUERY_STRING, "");
        if (withQuery && !query.isEmpty())
            url.append('?').append(query);
        return url.toString();
    }

    /**
     * <p>Moves the first segment of PATH_INFO to the end of SCRIPT_NAME, as {@code wsgiref.util.shift_path_info}:
     * routers mount sub-applications with it. Empty segments are skipped, and the moved segment is returned.</p>
     *
     * @return the moved segment, {@code ""} for a trailing slash, or {@code null} when PATH_INFO was empty
     */
    public String shiftPathInfo()
    {
        String pathInfo = get(EnvironKeys.PATH_INFO, "");
        if (pathInfo.isEmpty())
            return null;
        String scriptName = get(EnvironKeys.SCRIPT_NAME, "");
        int start = 0;
        while (start < pathInfo.length() && pathInfo.charAt(start) == '/')
        {
            start++;
        }
        int end = pathInfo.indexOf('/', start);
        if (end < 0)
            end = pathInfo.length();
        String segment = pathInfo.substring(start, end);
        String newScript = scriptName.endsWith("/") ? scriptName + segment : scriptName + "/" + segment;
        // SCRIPT_NAME is never "/": an empty segment at the root leaves it "".
        put(EnvironKeys.SCRIPT_NAME, "/".equals(newScript) ? "" : newScript);
        put(EnvironKeys.PATH_INFO, pathInfo.substring(end));
        return segment;
    }

    /**
     * <p>{@code wsgi.version}'s value.</p>
     *
     * @param major the major version, 1
     * @param minor the minor version, 0
     */
    public record Version(int major, int minor)
    {
    }
}

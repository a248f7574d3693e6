package io.github.jettyuwsgi.gateway;

import java.util.Locale;
import java.util.Set;

/**
 * <p>The names of the {@link Environ} keys: the CGI variables PEP 3333 requires or recommends, and the
 * {@code gateway.*} equivalents of its {@code wsgi.*} keys. CGI values are always {@link String}s of latin-1 chars
 * (one char per byte); {@code gateway.*} values have the types named below.</p>
 */
public final class EnvironKeys
{
    public static final String REQUEST_METHOD = "REQUEST_METHOD";
    /** The decoded path prefix that reaches the application: {@code ""} or {@code /...}, never {@code "/"}. */
    public static final String SCRIPT_NAME = "SCRIPT_NAME";
    /** The decoded rest of the path: {@code ""} or {@code /...}. */
    public static final String PATH_INFO = "PATH_INFO";
    /** The raw query, not decoded; {@code ""} when there is none. */
    public static final String QUERY_STRING = "QUERY_STRING";
    public static final String CONTENT_TYPE = "CONTENT_TYPE";
    public static final String CONTENT_LENGTH = "CONTENT_LENGTH";
    public static final String SERVER_NAME = "SERVER_NAME";
    public static final String SERVER_PORT = "SERVER_PORT";
    public static final String SERVER_PROTOCOL = "SERVER_PROTOCOL";
    public static final String SERVER_SOFTWARE = "SERVER_SOFTWARE";
    public static final String GATEWAY_INTERFACE = "GATEWAY_INTERFACE";
    /** The raw request target path and query as received, not decoded (nginx and uWSGI send it too). */
    public static final String REQUEST_URI = "REQUEST_URI";
    public static final String REMOTE_ADDR = "REMOTE_ADDR";
    public static final String REMOTE_PORT = "REMOTE_PORT";
    public static final String REMOTE_HOST = "REMOTE_HOST";
    public static final String REMOTE_USER = "REMOTE_USER";
    public static final String AUTH_TYPE = "AUTH_TYPE";
    /** {@code "on"} over TLS, absent otherwise. */
    public static final String HTTPS = "HTTPS";
    public static final String SSL_PROTOCOL = "SSL_PROTOCOL";
    public static final String SSL_CIPHER = "SSL_CIPHER";
    public static final String SSL_CIPHER_USEKEYSIZE = "SSL_CIPHER_USEKEYSIZE";
    public static final String SSL_SESSION_ID = "SSL_SESSION_ID";
    public static final String SSL_CLIENT_S_DN = "SSL_CLIENT_S_DN";
    public static final String SSL_CLIENT_I_DN = "SSL_CLIENT_I_DN";
    public static final String SSL_CLIENT_CERT = "SSL_CLIENT_CERT";

    /** {@code wsgi.version}: an {@link Environ.Version}, {@link Environ#VERSION_1_0}. */
    public static final String VERSION = "gateway.version";
    /** {@code wsgi.url_scheme}: {@code "http"} or {@code "https"}, always present. */
    public static final String URL_SCHEME = "gateway.url_scheme";
    /** {@code wsgi.input}: a {@link GatewayInput}. */
    public static final String INPUT = "gateway.input";
    /** {@code wsgi.errors}: a {@link GatewayErrors}. */
    public static final String ERRORS = "gateway.errors";
    /** {@code wsgi.multithread}: a {@link Boolean}, true when the same application object may run in other threads. */
    public static final String MULTITHREAD = "gateway.multithread";
    /** {@code wsgi.multiprocess}: a {@link Boolean}, true when an equivalent application may run in another process. */
    public static final String MULTIPROCESS = "gateway.multiprocess";
    /** {@code wsgi.run_once}: a {@link Boolean}, true when the server expects one call in this process. */
    public static final String RUN_ONCE = "gateway.run_once";
    /** {@code wsgi.input_terminated}: a {@link Boolean}, true when the input ends at EOF, whatever CONTENT_LENGTH says. */
    public static final String INPUT_TERMINATED = "gateway.input_terminated";
    /** {@code wsgi.file_wrapper}: a {@link FileWrapper}, optional. */
    public static final String FILE_WRAPPER = "gateway.file_wrapper";

    /** The prefix of the keys carrying request headers. */
    public static final String HTTP_PREFIX = "HTTP_";

    /** The keys every server must set (wsgiref.validate's list, plus the URL scheme and the two path keys it also needs). */
    public static final Set<String> REQUIRED = Set.of(REQUEST_METHOD, SERVER_NAME, SERVER_PORT, SCRIPT_NAME, PATH_INFO,
        VERSION, URL_SCHEME, INPUT, ERRORS, MULTITHREAD, MULTIPROCESS, RUN_ONCE);

    private EnvironKeys()
    {
    }

    /**
     * <p>The CGI key of a request header: {@code HTTP_} + the name upper-cased with {@code -} turned into
     * {@code _}, so {@code Accept-Encoding} is {@code HTTP_ACCEPT_ENCODING}. Content-Type and Content-Length are not
     * headers here: they are {@link #CONTENT_TYPE} and {@link #CONTENT_LENGTH}.</p>
     *
     * @param headerName a request header name
     * @return its environ key
     */
    public static String httpKey(String headerName)
    {
        return HTTP_PREFIX + headerName.toUpperCase(Locale.ROOT).replace('-', '_');
    }
}

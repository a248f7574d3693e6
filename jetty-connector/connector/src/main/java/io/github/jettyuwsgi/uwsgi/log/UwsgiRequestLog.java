package io.github.jettyuwsgi.uwsgi.log;

import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.time.ZoneId;
import java.util.AbstractMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Function;

import io.github.jettyuwsgi.uwsgi.UwsgiConnectionFactory;
import io.github.jettyuwsgi.uwsgi.codec.UwsgiVars;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpHeaderValue;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.RequestLog;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.NanoTime;
import org.eclipse.jetty.util.component.ContainerLifeCycle;
import org.slf4j.LoggerFactory;

/**
 * A Jetty {@link RequestLog} that writes one line per request in uWSGI's request-log format, so tools that read uWSGI
 * logs keep working: {@code server.setRequestLog(new UwsgiRequestLog())} gives uWSGI's default line,
 * {@code new UwsgiRequestLog("%(addr) %(method) %(uri) %(status)")} a {@code log-format} of your own
 * ({@link UwsgiLogFormat} lists the variables).
 *
 * <p>Lines go to SLF4J at INFO on the logger {@value #LOGGER_NAME}, so the logging backend on the class path decides
 * where they land. While the log is started (as a bean of the server, with it) lines reach the writer through a
 * {@link PeriodicLineWriter}: at most a second later, in order, all at stop; call {@link #flush()} before reopening a
 * log file. Request fields come from the uwsgi vars when the request came over uwsgi (as uWSGI logs them) and from
 * Jetty's request otherwise; var bytes are read as UTF-8 and control characters are written as {@code \xNN}, so a
 * crafted header cannot forge a second log line. Only what the format prints is computed: uWSGI's default line reads
 * the var count and block size from the connection's vars without building their map, and a format without
 * {@code %(size)}, {@code %(hsize)} or {@code %(headers)} never walks the response headers.</p>
 */
public class UwsgiRequestLog extends ContainerLifeCycle implements RequestLog
{
    /** The SLF4J logger the lines go to. */
    public static final String LOGGER_NAME = "io.github.jettyuwsgi.uwsgi.requests";

    private static final long PID = ProcessHandle.current().pid();

    /** How long a line may wait in memory at most, as uWSGI's own log buffering does. */
    private static final long FLUSH_PERIOD_MILLIS = 1000;

    private final UwsgiLogFormat format;
    private final PeriodicLineWriter writer;
    private final AtomicLong requests = new AtomicLong();

    /** uWSGI's default line, in the system time zone, to the {@value #LOGGER_NAME} logger. */
    public UwsgiRequestLog()
    {
        this(null);
    }

    /**
     * @param logFormat a uWSGI {@code log-format} value, or null for uWSGI's default line
     */
    public UwsgiRequestLog(String logFormat)
    {
        this(logFormat, ZoneId.systemDefault(), LoggerFactory.getLogger(LOGGER_NAME)::info);
    }

    /**
     * @param logFormat a uWSGI {@code log-format} value, or null for uWSGI's default line
     * @param zone the time zone of the dates in the line
     * @param writer receives each line, without a line terminator
     */
    public UwsgiRequestLog(String logFormat, ZoneId zone, Consumer<String> writer)
    {
        this.format = logFormat == null ? UwsgiLogFormat.uwsgiDefault(zone) : UwsgiLogFormat.parse(logFormat, zone);
        this.writer = new PeriodicLineWriter(writer, FLUSH_PERIOD_MILLIS);
        installBean(this.writer);
    }

    /**
     * Writes every line collected so far, e.g. before the log file is reopened (master-fifo {@code l}, reload).
     */
    public void flush()
    {
        writer.flush();
    }

    /**
     * @return the {@code log-format} in use, or null for uWSGI's default line
     */
    public String getLogFormat()
    {
        return format.getFormat();
    }

    @Override
    public void log(Request request, Response response)
    {
        writer.accept(format.format(entry(request, response)));
    }

    /**
     * @param request the finished request
     * @param response its response
     * @return what the log line is made of
     */
    RequestLogEntry entry(Request request, Response response)
    {
        long elapsedMicros = TimeUnit.NANOSECONDS.toMicros(NanoTime.since(request.getBeginNanoTime()));
        Object attribute = request.getAttribute(UwsgiConnectionFactory.VARS_ATTRIBUTE);
        // the connection's own view answers single vars without building the map; any other map is read as a map
        UwsgiVars.View view = attribute instanceof UwsgiVars.View v ? v : null;
        Map<String, List<String>> vars = view != null ? view : attribute instanceof Map<?, ?> map ? cast(map) : Map.of();
        Function<String, String> lookup = view != null ? view::first : name -> first(vars, name);

        int varCount = 0;
        int varsBytes = 0;
        if (format.uses(UwsgiLogFormat.Field.VAR_STATS))
        {
            if (view != null)
            {
                varCount = 2 * view.pairs();
                varsBytes = view.blockSize();
            }
            else
            {
                for (Map.Entry<String, List<String>> var : vars.entrySet())
                {
                    for (String value : var.getValue())
                    {
                        varCount += 2;
                        varsBytes += 2 + var.getKey().length() + 2 + value.length();
                    }
                }
            }
        }

        int headerCount = 0;
        long headerBytes = 0;
        if (format.uses(UwsgiLogFormat.Field.RESPONSE_HEAD))
        {
            boolean http11 = request.getConnectionMetaData().getHttpVersion() == HttpVersion.HTTP_1_1;
            boolean closeSaid = false;
            headerBytes = statusLine(request, response).length();
            for (HttpField field : response.getHeaders())
            {
                // the connector never sends Transfer-Encoding (frontends do not decode it)
                if (field.getHeader() == HttpHeader.TRANSFER_ENCODING)
                    continue;
                String value = field.getValue();
                if (http11 && field.getHeader() == HttpHeader.CONNECTION && !closeSaid)
                {
                    closeSaid = true;
                    // the connector's generator is never persistent: on HTTP/1.1 it appends close to a Connection header
                    if (!field.contains(HttpHeaderValue.CLOSE.asString()))
                        value = value + "," + HttpHeaderValue.CLOSE.asString();
                }
                headerCount++;
                headerBytes += field.getName().length() + 2 + value.length() + 2;
            }
            if (http11 && !closeSaid)
            {
                // ... or adds one: "Connection: close"
                headerCount++;
                headerBytes += HttpHeader.CONNECTION.asString().length() + 2 + HttpHeaderValue.CLOSE.asString().length() + 2;
            }
            headerBytes += 2;
        }

        HttpFields requestHeaders = request.getHeaders();
        return new RequestLogEntry(
            PID,
            requests.incrementAndGet(),
            text(var(lookup, "REMOTE_ADDR", Request.getRemoteAddr(request))),
            format.uses(UwsgiLogFormat.Field.USER) ? text(user(request, lookup)) : "",
            text(var(lookup, "REQUEST_METHOD", request.getMethod())),
            text(var(lookup, "REQUEST_URI", request.getHttpURI().getPathQuery())),
            text(var(lookup, "SERVER_PROTOCOL", request.getConnectionMetaData().getProtocol())),
            format.uses(UwsgiLogFormat.Field.HOST) ? text(var(lookup, "HTTP_HOST", requestHeaders.get(HttpHeader.HOST))) : "",
            format.uses(UwsgiLogFormat.Field.USER_AGENT) ? text(var(lookup, "HTTP_USER_AGENT", requestHeaders.get(HttpHeader.USER_AGENT))) : "",
            format.uses(UwsgiLogFormat.Field.REFERER) ? text(var(lookup, "HTTP_REFERER", requestHeaders.get(HttpHeader.REFERER))) : "",
            varCount,
            varsBytes,
            Request.getTimeStamp(request),
            elapsedMicros,
            response.getStatus(),
            Response.getContentBytesWritten(response),
            headerCount,
            headerBytes,
            format.uses(UwsgiLogFormat.Field.CONTENT_LENGTH) ? Math.max(0, request.getLength()) : 0,
            !format.uses(UwsgiLogFormat.Field.VARS) || vars.isEmpty() ? Map.of() : new TextVars(vars));
    }

    /**
     * The status line as the connector's generator writes it, e.g. {@code HTTP/1.1 200 OK} and CRLF. The head is counted
     * from the committed response and the connector's rules, not from the bytes written, which Jetty does not report.
     */
    private static String statusLine(Request request, Response response)
    {
        String reason = HttpStatus.getMessage(response.getStatus());
        return request.getConnectionMetaData().getHttpVersion().asString() + " " + response.getStatus() + " " + reason + "\r\n";
    }

    @SuppressWarnings("unchecked")
    private static Map<String, List<String>> cast(Map<?, ?> map)
    {
        return (Map<String, List<String>>)map;
    }

    private static String first(Map<String, List<String>> vars, String name)
    {
        List<String> values = vars.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    private static String var(Function<String, String> lookup, String name, String fallback)
    {
        String value = lookup.apply(name);
        if (value != null)
            return value;
        // a Jetty value is text already: give it the same byte form as a var so text() treats both alike
        return fallback == null ? "" : new String(fallback.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
    }

    private static String user(Request request, Function<String, String> lookup)
    {
        Principal principal = Request.getAuthenticationState(request).getUserPrincipal();
        if (principal != null)
            return new String(principal.getName().getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
        return var(lookup, "REMOTE_USER", null);
    }

    /**
     * @param wireBytes a var value, one char per byte
     * @return its UTF-8 text with control characters as {@code \xNN}, so one request stays one line
     */
    static String text(String wireBytes)
    {
        boolean plain = true;
        for (int i = 0; i < wireBytes.length() && plain; i++)
        {
            char c = wireBytes.charAt(i);
            plain = c >= 0x20 && c < 0x7F;
        }
        if (plain)
            return wireBytes;
        String decoded = new String(wireBytes.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
        StringBuilder escaped = new StringBuilder(decoded.length() + 8);
        for (int i = 0; i < decoded.length(); i++)
        {
            char c = decoded.charAt(i);
            if (c < 0x20 || c == 0x7F)
                escaped.append(String.format(Locale.ROOT, "\\x%02x", (int)c));
            else
                escaped.append(c);
        }
        return escaped.toString();
    }

    /**
     * The vars as {@code %(var.NAME)} prints them: decoded only when a line asks for one, since most formats never do.
     */
    private static final class TextVars extends AbstractMap<String, List<String>>
    {
        private final Map<String, List<String>> wire;

        private TextVars(Map<String, List<String>> wire)
        {
            this.wire = wire;
        }

        @Override
        public List<String> get(Object name)
        {
            List<String> values = wire.get(name);
            return values == null ? null : values.stream().map(UwsgiRequestLog::text).toList();
        }

        @Override
        public Set<Entry<String, List<String>>> entrySet()
        {
            Set<Entry<String, List<String>>> entries = new LinkedHashSet<>();
            for (String name : wire.keySet())
                entries.add(Map.entry(name, get(name)));
            return entries;
        }
    }
}

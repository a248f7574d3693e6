package io.github.jettyuwsgi.uwsgi.log;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;

/**
 * A uWSGI request-log format turned into a line for one {@link RequestLogEntry}: either uWSGI's built-in default line or a
 * {@code log-format} string with {@code %(name)} variables, as {@link UwsgiRequestLog} writes it.
 *
 * <p>The parse follows uWSGI's {@code uwsgi_build_log_format}: {@code %(} opens a variable, {@code )} closes it, all else
 * is literal (so {@code %%} stays {@code %%}). A variable that is empty or unknown prints {@code -}, as uWSGI's
 * {@code uwsgi_logit_lf} does. One deliberate difference: an unterminated {@code %(name} is kept as literal text (uWSGI
 * 2.0.21 repeats parts of the line there).</p>
 */
public final class UwsgiLogFormat
{
    /**
     * The {@code %(name)} variables this format fills in (besides {@code %(var.NAME)}), so that a configuration can warn
     * about a misspelt one before a single request is logged.
     */
    public static final Set<String> VARIABLES = Set.of("addr", "user", "method", "uri", "proto", "host", "uagent",
        "referer", "status", "size", "rsize", "hsize", "cl", "headers", "vars", "pktsize", "msecs", "micros", "secs", "time",
        "tmsecs", "tmicros", "ltime", "ftime", "ctime", "epoch", "pid", "wid", "core", "switches");

    /**
     * @param name a variable name as written inside {@code %( )}
     * @return whether this format fills it in rather than printing {@code -}
     */
    public static boolean isKnownVariable(String name)
    {
        return VARIABLES.contains(name) || name.startsWith("var.") && name.length() > 4;
    }

    private static final DateTimeFormatter CTIME = DateTimeFormatter.ofPattern("EEE MMM ppd HH:mm:ss yyyy", Locale.ROOT);
    private static final DateTimeFormatter LTIME = DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ROOT);

    /**
     * The parts of a {@link RequestLogEntry} that cost something to compute for every request; a format names those it
     * prints, and the request log leaves the others empty.
     */
    enum Field
    {
        /** remoteUser: the authentication state, REMOTE_USER otherwise */
        USER,
        HOST,
        USER_AGENT,
        REFERER,
        /** varCount and varsBytes */
        VAR_STATS,
        /** headerCount and headerBytes: a walk over the response headers */
        RESPONSE_HEAD,
        CONTENT_LENGTH,
        /** the vars themselves, for %(var.NAME) */
        VARS
    }

    /** What uWSGI's default line prints besides the always-computed fields. */
    private static final Set<Field> DEFAULT_LINE_FIELDS = EnumSet.of(Field.USER, Field.VAR_STATS, Field.RESPONSE_HEAD);

    private final String format;
    private final List<Function<RequestLogEntry, String>> parts;
    private final Set<Field> fields;
    private final ZoneId zone;
    /** The last formatted default-line date: formatted once per second, not once per request. */
    private volatile FormattedSecond lastCtime = new FormattedSecond(Long.MIN_VALUE, "");

    private UwsgiLogFormat(String format, List<Function<RequestLogEntry, String>> parts, Set<Field> fields, ZoneId zone)
    {
        this.format = format;
        this.parts = parts;
        this.fields = fields;
        this.zone = zone;
    }

    /**
     * @param field a costly part of the entry
     * @return whether a line of this format prints it
     */
    boolean uses(Field field)
    {
        return fields.contains(field);
    }

    /**
     * @param zone the time zone of {@code ctime}, {@code ltime} and the default line's date (uWSGI uses local time)
     * @return uWSGI's default request-log line ({@code uwsgi_logit_simple})
     */
    public static UwsgiLogFormat uwsgiDefault(ZoneId zone)
    {
        return new UwsgiLogFormat(null, null, DEFAULT_LINE_FIELDS, zone);
    }

    /**
     * @param format a uWSGI {@code log-format} value, e.g. {@code %(addr) - %(user) [%(ltime)] "%(method) %(uri) %(proto)" %(status) %(size)}
     * @param zone the time zone of the date variables
     * @return the parsed format
     */
    public static UwsgiLogFormat parse(String format, ZoneId zone)
    {
        List<Function<RequestLogEntry, String>> parts = new ArrayList<>();
        Set<Field> fields = EnumSet.noneOf(Field.class);
        StringBuilder literal = new StringBuilder();
        int i = 0;
        while (i < format.length())
        {
            int close = format.startsWith("%(", i) ? format.indexOf(')', i + 2) : -1;
            if (close < 0)
            {
                literal.append(format.charAt(i++));
                continue;
            }
            if (!literal.isEmpty())
            {
                String text = literal.toString();
                parts.add(entry -> text);
                literal.setLength(0);
            }
            String name = format.substring(i + 2, close);
            Field field = field(name);
            if (field != null)
                fields.add(field);
            Function<RequestLogEntry, String> variable = variable(name, zone);
            parts.add(entry -> orDash(variable.apply(entry)));
            i = close + 1;
        }
        if (!literal.isEmpty())
        {
            String text = literal.toString();
            parts.add(entry -> text);
        }
        return new UwsgiLogFormat(format, List.copyOf(parts), Set.copyOf(fields), zone);
    }

    private static Field field(String variable)
    {
        if (variable.startsWith("var."))
            return Field.VARS;
        return switch (variable)
        {
            case "user" -> Field.USER;
            case "host" -> Field.HOST;
            case "uagent" -> Field.USER_AGENT;
            case "referer" -> Field.REFERER;
            case "vars", "pktsize" -> Field.VAR_STATS;
            case "size", "hsize", "headers" -> Field.RESPONSE_HEAD;
            case "cl" -> Field.CONTENT_LENGTH;
            default -> null;
        };
    }

    /**
     * @return the {@code log-format} string, or null for uWSGI's default line
     */
    public String getFormat()
    {
        return format;
    }

    /**
     * @param entry the request
     * @return its log line, without a line terminator
     */
    public String format(RequestLogEntry entry)
    {
        if (parts == null)
            return defaultLine(entry);
        StringBuilder line = new StringBuilder(128);
        for (Function<RequestLogEntry, String> part : parts)
            line.append(part.apply(entry));
        return line.toString();
    }

    /**
     * uWSGI's {@code uwsgi_logit_simple} line. A JVM is one uWSGI worker with one app: "app: 0", "req: N/N", and
     * "0 switches on core 0" because Jetty has no async cores to report.
     */
    private String defaultLine(RequestLogEntry entry)
    {
        return "[pid: " + entry.pid() + "|app: 0|req: " + entry.requestNumber() + "/" + entry.requestNumber() + "] " +
            entry.remoteAddr() + " (" + entry.remoteUser() + ") {" + entry.varCount() + " vars in " + entry.varsBytes() + " bytes} [" +
            ctime(entry.beginEpochMillis()) + "] " +
            entry.method() + " " + entry.uri() + " => generated " + entry.bodyBytes() + " bytes in " + entry.elapsedMicros() / 1000 + " msecs (" +
            entry.protocol() + " " + entry.status() + ") " + entry.headerCount() + " headers in " + entry.headerBytes() + " bytes (0 switches on core 0)";
    }

    private String ctime(long epochMillis)
    {
        long second = Math.floorDiv(epochMillis, 1000);
        FormattedSecond last = lastCtime;
        if (last.second() != second)
        {
            last = new FormattedSecond(second, CTIME.format(Instant.ofEpochSecond(second).atZone(zone)));
            lastCtime = last;
        }
        return last.text();
    }

    private record FormattedSecond(long second, String text)
    {
    }

    private static Function<RequestLogEntry, String> variable(String name, ZoneId zone)
    {
        if (name.startsWith("var."))
        {
            String var = name.substring(4);
            return entry ->
            {
                List<String> values = entry.vars().get(var);
                return values == null || values.isEmpty() ? "" : values.get(0);
            };
        }
        return switch (name)
        {
            case "addr" -> RequestLogEntry::remoteAddr;
            case "user" -> RequestLogEntry::remoteUser;
            case "method" -> RequestLogEntry::method;
            case "uri" -> RequestLogEntry::uri;
            case "proto" -> RequestLogEntry::protocol;
            case "host" -> RequestLogEntry::host;
            case "uagent" -> RequestLogEntry::userAgent;
            case "referer" -> RequestLogEntry::referer;
            case "status" -> entry -> Integer.toString(entry.status());
            case "size" -> entry -> Long.toString(entry.headerBytes() + entry.bodyBytes());
            case "rsize" -> entry -> Long.toString(entry.bodyBytes());
            case "hsize" -> entry -> Long.toString(entry.headerBytes());
            case "cl" -> entry -> Long.toString(entry.contentLength());
            case "headers" -> entry -> Integer.toString(entry.headerCount());
            case "vars" -> entry -> Integer.toString(entry.varCount());
            case "pktsize" -> entry -> Integer.toString(entry.varsBytes());
            case "msecs" -> entry -> Long.toString(entry.elapsedMicros() / 1000);
            case "micros" -> entry -> Long.toString(entry.elapsedMicros());
            // uWSGI prints a C double with %f: six decimals
            case "secs" -> entry -> String.format(Locale.ROOT, "%f", entry.elapsedMicros() / 1_000_000.0);
            case "time" -> entry -> Long.toString(entry.beginEpochMillis() / 1000);
            case "tmsecs" -> entry -> Long.toString(entry.beginEpochMillis());
            // Jetty stamps a request in milliseconds, so the microseconds are those milliseconds times 1000
            case "tmicros" -> entry -> Long.toString(entry.beginEpochMillis() * 1000);
            // ftime is ltime unless uWSGI's logformat-strftime is on, which this format does not offer
            case "ltime", "ftime" -> entry -> LTIME.format(Instant.ofEpochMilli(entry.beginEpochMillis()).atZone(zone));
            case "ctime" -> entry -> CTIME.format(Instant.ofEpochMilli(entry.beginEpochMillis()).atZone(zone));
            // epoch is the time of logging, not of the request's start
            case "epoch" -> entry -> Long.toString((entry.beginEpochMillis() + entry.elapsedMicros() / 1000) / 1000);
            case "pid" -> entry -> Long.toString(entry.pid());
            // one JVM is one uWSGI worker (wid 1, as uWSGI numbers workers from 1) with no async cores
            case "wid" -> entry -> "1";
            case "core", "switches" -> entry -> "0";
            default -> entry -> "";
        };
    }

    private static String orDash(String value)
    {
        return value == null || value.isEmpty() ? "-" : value;
    }
}

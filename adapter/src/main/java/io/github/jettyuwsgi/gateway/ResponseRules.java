package io.github.jettyuwsgi.gateway;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * <p>The rules a server applies when an application calls {@link StartResponse}, shared by every server of this
 * project so they agree: the status is {@code "NNN Reason"}, header names are HTTP tokens, values carry no control
 * character (CR and LF would split the response) and nothing above U+00FF, and no hop-by-hop header is set, because
 * connection management belongs to the server (PEP 3333, "Other HTTP Features").</p>
 */
public final class ResponseRules
{
    /** RFC 9110 section 7.6.1 connection-specific fields, plus the names RFC 2616 and old proxies used for them. */
    public static final Set<String> HOP_BY_HOP = Set.of("connection", "keep-alive", "proxy-authenticate",
        "proxy-authorization", "proxy-connection", "te", "trailer", "trailers", "transfer-encoding", "upgrade");

    private static final Map<Integer, String> REASONS = Map.ofEntries(
        Map.entry(100, "Continue"), Map.entry(101, "Switching Protocols"), Map.entry(102, "Processing"),
        Map.entry(103, "Early Hints"), Map.entry(200, "OK"), Map.entry(201, "Created"), Map.entry(202, "Accepted"),
        Map.entry(203, "Non-Authoritative Information"), Map.entry(204, "No Content"), Map.entry(205, "Reset Content"),
        Map.entry(206, "Partial Content"), Map.entry(207, "Multi-Status"), Map.entry(300, "Multiple Choices"),
        Map.entry(301, "Moved Permanently"), Map.entry(302, "Found"), Map.entry(303, "See Other"),
        Map.entry(304, "Not Modified"), Map.entry(307, "Temporary Redirect"), Map.entry(308, "Permanent Redirect"),
        Map.entry(400, "Bad Request"), Map.entry(401, "Unauthorized"), Map.entry(402, "Payment Required"),
        Map.entry(403, "Forbidden"), Map.entry(404, "Not Found"), Map.entry(405, "Method Not Allowed"),
        Map.entry(406, "Not Acceptable"), Map.entry(407, "Proxy Authentication Required"),
        Map.entry(408, "Request Timeout"), Map.entry(409, "Conflict"), Map.entry(410, "Gone"),
        Map.entry(411, "Length Required"), Map.entry(412, "Precondition Failed"), Map.entry(413, "Content Too Large"),
        Map.entry(414, "URI Too Long"), Map.entry(415, "Unsupported Media Type"), Map.entry(416, "Range Not Satisfiable"),
        Map.entry(417, "Expectation Failed"), Map.entry(421, "Misdirected Request"),
        Map.entry(422, "Unprocessable Content"), Map.entry(425, "Too Early"), Map.entry(426, "Upgrade Required"),
        Map.entry(428, "Precondition Required"), Map.entry(429, "Too Many Requests"),
        Map.entry(431, "Request Header Fields Too Large"), Map.entry(451, "Unavailable For Legal Reasons"),
        Map.entry(500, "Internal Server Error"), Map.entry(501, "Not Implemented"), Map.entry(502, "Bad Gateway"),
        Map.entry(503, "Service Unavailable"), Map.entry(504, "Gateway Timeout"),
        Map.entry(505, "HTTP Version Not Supported"), Map.entry(507, "Insufficient Storage"),
        Map.entry(511, "Network Authentication Required"));

    private ResponseRules()
    {
    }

    /**
     * @param status {@code "NNN Reason"}, or a bare {@code "NNN"}
     * @return the parsed status
     * @throws GatewayException when it breaks a rule
     */
    public static Status parseStatus(String status)
    {
        if (status == null)
            throw new GatewayException("status: null (expected: \"NNN Reason\")");
        if (status.length() < 3 || !isDigit(status.charAt(0)) || !isDigit(status.charAt(1)) || !isDigit(status.charAt(2)))
            throw new GatewayException("status: " + quote(status) + " (expected: three digits, then a space and a reason phrase)");
        int code = Integer.parseInt(status.substring(0, 3));
        if (code < 100)
            throw new GatewayException("status code: " + code + " (expected: 100 to 999)");
        if (status.length() == 3)
            return new Status(code, "");
        String reason = status.substring(4);
        if (status.charAt(3) != ' ' || reason.isEmpty() || reason.charAt(0) == ' ' || reason.endsWith(" "))
            throw new GatewayException("status: " + quote(status) + " (expected: \"NNN Reason\" with one space and no surrounding whitespace)");
        checkText("status", reason);
        return new Status(code, reason);
    }

    /**
     * @param headers the headers given to start_response
     * @return a mutable copy, every header checked
     * @throws GatewayException at the first header that breaks a rule
     */
    public static List<Header> checkHeaders(List<Header> headers)
    {
        if (headers == null)
            throw new GatewayException("response headers: null (expected: a list, if only an empty one)");
        List<Header> copy = new ArrayList<>(headers.size());
        for (Header header : headers)
        {
            checkHeader(header);
            copy.add(header);
        }
        return copy;
    }

    /**
     * @param header one response header
     * @throws GatewayException when it breaks a rule
     */
    public static void checkHeader(Header header)
    {
        if (header == null || header.name() == null || header.value() == null)
            throw new GatewayException("response header: " + header + " (expected: a name and a value, neither null)");
        String name = header.name();
        if (name.isEmpty())
            throw new GatewayException("response header name: \"\" (expected: an HTTP token)");
        for (int i = 0; i < name.length(); i++)
        {
            if (!isTokenChar(name.charAt(i)))
                throw new GatewayException("response header name: " + quote(name) + " (expected: an HTTP token, no colon, space or control character)");
        }
        if (isHopByHop(name))
            throw new GatewayException("response header: " + name + " is hop-by-hop (expected: none of " + HOP_BY_HOP + "; the server manages the connection)");
        checkText("response header " + name, header.value());
    }

    /**
     * @param name a header name
     * @return whether it names a hop-by-hop header, which applications must not set
     */
    public static boolean isHopByHop(String name)
    {
        return HOP_BY_HOP.contains(name.toLowerCase(Locale.ROOT));
    }

    /**
     * @param code an HTTP status code
     * @return its standard reason phrase, or {@code "Unknown"} as uWSGI answers
     */
    public static String reasonPhrase(int code)
    {
        return REASONS.getOrDefault(code, "Unknown");
    }

    /**
     * @param code an HTTP status code
     * @return whether a response with it never has a body (RFC 9110: 1xx, 204, 304)
     */
    public static boolean forbidsBody(int code)
    {
        return code < 200 || code == 204 || code == 304;
    }

    private static void checkText(String what, String text)
    {
        for (int i = 0; i < text.length(); i++)
        {
            char c = text.charAt(i);
            if (c < 0x20 || c == 0x7F)
                throw new GatewayException(what + ": control character 0x" + String.format("%02X", (int)c) + " at index " + i + " in " + quote(text) + " (expected: none, CR and LF would split the response)");
            if (c > 0xFF)
                throw new GatewayException(what + ": char U+" + String.format("%04X", (int)c) + " at index " + i + " (expected: latin-1, at most U+00FF)");
        }
    }

    private static boolean isDigit(char c)
    {
        return c >= '0' && c <= '9';
    }

    private static boolean isTokenChar(char c)
    {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
    }

    static String quote(String text)
    {
        StringBuilder out = new StringBuilder("\"");
        for (int i = 0; i < text.length(); i++)
        {
            char c = text.charAt(i);
            if (c < 0x20 || c == 0x7F)
                out.append(String.format("\\x%02x", (int)c));
            else
                out.append(c);
        }
        return out.append('"').toString();
    }

    /**
     * <p>A parsed status line.</p>
     *
     * @param code the three-digit code
     * @param reason the reason phrase, {@code ""} when the application gave none
     */
    public record Status(int code, String reason)
    {
        /**
         * @return the reason phrase, or the standard one when the application gave none
         */
        public String reasonOrDefault()
        {
            return reason.isEmpty() ? reasonPhrase(code) : reason;
        }
    }
}

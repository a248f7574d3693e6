package io.github.jettyuwsgi.it;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * <p>Reading and comparing the echo WAR's JSON for the differential tests, whatever the frontend
 * ({@link EchoDifferentialIT} for nginx, the frontend matrix tests for the others): what differs by route by nature
 * is taken out ({@link #comparable}), the request headers are grouped by name ({@link #headersByName}), and what
 * remains must be equal member by member, order included ({@link #differences}).</p>
 */
public final class FrontendEcho
{
    public static final String VARS_ATTRIBUTE = "io.github.jettyuwsgi.uwsgi.vars";
    /**
     * Echo members that differ by route by nature, not by mistake:
     * <ul>
     * <li>{@code remotePort}: each route is another TCP connection (the frontend's client port reaches the servlet
     * as REMOTE_PORT; directly, it is the test client's port). {@code remoteAddr} is still compared: 127.0.0.1 on
     * all.</li>
     * <li>{@code localAddr}, {@code localPort}: the launcher's own end of the connection, which is its uwsgi TCP
     * socket, its Unix socket or its HTTP socket (or SERVER_ADDR/SERVER_PORT where a frontend sends them).</li>
     * <li>{@code uwsgiVars}: null when the request did not come over uwsgi; checked per frontend instead.</li>
     * </ul>
     * {@code attributeNames} is compared without {@value #VARS_ATTRIBUTE}, which only uwsgi requests carry.
     */
    public static final Set<String> ROUTE_DEPENDENT_ECHO_MEMBERS = Set.of("remotePort", "localAddr", "localPort", "uwsgiVars");
    /**
     * Header values compared without regard to case. Jetty's HTTP/1.1 parser, on the reference route, swaps a
     * header for one of its cached well-known fields when the value matches case-insensitively, so the servlet sees
     * {@code Content-Type: application/json; charset=UTF-8} as {@code ...charset=utf-8} and
     * {@code Expect: 100-continue} as {@code 100-Continue}; the uwsgi connector passes on the bytes the frontend
     * sent. ({@code contentType} is compared the same way.)
     */
    public static final Set<String> CASE_INSENSITIVE_HEADER_VALUES = Set.of("content-type", "expect");
    /**
     * Response headers a client must not expect to be the same through a frontend as straight from Jetty: the
     * frontend sets its own Date and Server (or hides the backend's), Connection and Keep-Alive are hop-by-hop, and
     * the framing (Content-Length or chunked) is the frontend's to choose. The body length is checked against
     * Content-Length instead.
     */
    public static final Set<String> HOP_BY_HOP_RESPONSE_HEADERS = Set.of("date", "server", "connection", "keep-alive", "transfer-encoding", "content-length");

    private FrontendEcho()
    {
    }

    /**
     * @param headers response headers by lower-case name
     * @return the headers without {@link #HOP_BY_HOP_RESPONSE_HEADERS}, sorted by name
     */
    public static Map<String, List<String>> endToEndHeaders(Map<String, List<String>> headers)
    {
        Map<String, List<String>> endToEnd = new TreeMap<>(headers);
        endToEnd.keySet().removeAll(HOP_BY_HOP_RESPONSE_HEADERS);
        return endToEnd;
    }

    /**
     * The echo without the members that differ by route ({@link #ROUTE_DEPENDENT_ECHO_MEMBERS}), after checking
     * that the route-dependent parts are what the route implies; {@code headers} replaced by
     * {@code headersByName(echo)}.
     *
     * @param route the route, for messages
     * @param uwsgi whether the request came over uwsgi
     */
    public static Map<String, Object> comparable(Object route, boolean uwsgi, Map<String, Object> echo,
        Function<Map<String, Object>, Map<String, List<String>>> headersByName)
    {
        Map<String, Object> comparable = new LinkedHashMap<>(echo);
        List<?> attributeNames = (List<?>)comparable.get("attributeNames");
        assertNotNull(attributeNames, () -> route + ": no attributeNames in " + abbreviate(echo));
        if (uwsgi)
        {
            assertNotNull(echo.get("uwsgiVars"), () -> route + ": no uwsgiVars over uwsgi");
            assertTrue(attributeNames.contains(VARS_ATTRIBUTE), () -> route + ": attributeNames " + attributeNames + " without " + VARS_ATTRIBUTE);
            List<Object> withoutVars = new ArrayList<>(attributeNames);
            withoutVars.remove(VARS_ATTRIBUTE);
            comparable.put("attributeNames", withoutVars);
        }
        else
        {
            assertNull(echo.get("uwsgiVars"), () -> route + ": uwsgiVars on a request that did not come over uwsgi");
        }
        comparable.keySet().removeAll(ROUTE_DEPENDENT_ECHO_MEMBERS);
        comparable.put("headers", headersByName.apply(echo));
        if (comparable.get("contentType") instanceof String contentType)
            comparable.put("contentType", contentType.toLowerCase(Locale.ROOT));
        return comparable;
    }

    /**
     * The request headers by name, each name's values in arrival order. The order of fields with different names
     * is not significant in HTTP (RFC 9110, section 5.3) and is not kept over uwsgi: nginx sends CONTENT_TYPE and
     * CONTENT_LENGTH ahead of the HTTP_* vars, so the connector cannot know where the client put those headers.
     * The order of the values of one name is significant, and compared.
     */
    public static Map<String, List<String>> headersByName(Map<String, Object> echo)
    {
        Map<String, List<String>> byName = new TreeMap<>();
        for (Object pair : (List<?>)echo.get("headers"))
        {
            String name = (String)((List<?>)pair).get(0);
            String value = (String)((List<?>)pair).get(1);
            byName.computeIfAbsent(name, n -> new ArrayList<>()).add(CASE_INSENSITIVE_HEADER_VALUES.contains(name) ? value.toLowerCase(Locale.ROOT) : value);
        }
        return byName;
    }

    /**
     * The values of each name joined into one, as a frontend that folds repeated header lines sends them.
     *
     * @param separator between the values of every header but Cookie
     * @param cookieSeparator between the values of Cookie
     */
    public static Map<String, List<String>> joinRepeated(Map<String, List<String>> byName, String separator, String cookieSeparator)
    {
        Map<String, List<String>> joined = new TreeMap<>();
        byName.forEach((name, values) -> joined.put(name, List.of(String.join("cookie".equals(name) ? cookieSeparator : separator, values))));
        return joined;
    }

    public static Map<String, Object> withoutMembers(Map<String, Object> echo, Set<String> members)
    {
        Map<String, Object> copy = new LinkedHashMap<>(echo);
        copy.keySet().removeAll(members);
        return copy;
    }

    /**
     * @return one line per member whose value (or order of values) differs; empty when none does
     */
    public static String differences(Map<String, Object> expected, Map<String, Object> actual)
    {
        StringBuilder differences = new StringBuilder();
        Set<String> members = new LinkedHashSet<>(expected.keySet());
        members.addAll(actual.keySet());
        for (String member : members)
        {
            Object expectedValue = expected.get(member);
            Object actualValue = actual.get(member);
            // toString() as well, because Map.equals ignores the order of entries and the order is compared too.
            if (!Objects.equals(expectedValue, actualValue) || !String.valueOf(expectedValue).equals(String.valueOf(actualValue)))
                differences.append("  ").append(member).append(":\n    expected ").append(abbreviate(expectedValue))
                    .append("\n    actual   ").append(abbreviate(actualValue)).append('\n');
        }
        return differences.toString();
    }

    public static String abbreviate(Object value)
    {
        String text = String.valueOf(value);
        return text.length() <= 1500 ? text : text.substring(0, 1500) + "... (" + text.length() + " chars)";
    }

    public static List<?> parameter(Map<String, Object> echo, String name)
    {
        return (List<?>)((Map<?, ?>)echo.get("parameters")).get(name);
    }

    /**
     * @return the values of the request header {@code name} (lower case), in arrival order
     */
    public static List<String> header(Map<String, Object> echo, String name)
    {
        List<String> values = new ArrayList<>();
        for (Object pair : (List<?>)echo.get("headers"))
        {
            List<?> nameAndValue = (List<?>)pair;
            if (name.equals(nameAndValue.get(0)))
                values.add((String)nameAndValue.get(1));
        }
        return values;
    }

    public static List<String> headerNames(Map<String, Object> echo)
    {
        List<String> names = new ArrayList<>();
        for (Object pair : (List<?>)echo.get("headers"))
        {
            names.add((String)((List<?>)pair).get(0));
        }
        return names;
    }

    /**
     * @return the cookies the servlet got from {@code getCookies()}, as {@code name=value}
     */
    public static List<String> cookies(Map<String, Object> echo)
    {
        List<String> cookies = new ArrayList<>();
        for (Object cookie : (List<?>)echo.get("cookies"))
        {
            Map<?, ?> nameAndValue = (Map<?, ?>)cookie;
            cookies.add(nameAndValue.get("name") + "=" + nameAndValue.get("value"));
        }
        return cookies;
    }

    @SuppressWarnings("unchecked")
    public static Map<String, List<String>> uwsgiVars(Map<String, Object> echo)
    {
        Object vars = echo.get("uwsgiVars");
        assertNotNull(vars, "uwsgiVars");
        return (Map<String, List<String>>)vars;
    }

    public static void assertBody(Map<String, Object> echo, byte[] expected)
    {
        Map<?, ?> body = (Map<?, ?>)echo.get("body");
        assertNotNull(body, "body");
        assertEquals((long)expected.length, body.get("length"), "body length");
        assertEquals(sha256(expected), body.get("sha256"), "body sha256");
    }

    public static String sha256(byte[] bytes)
    {
        try
        {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        }
        catch (NoSuchAlgorithmException x)
        {
            throw new IllegalStateException(x);
        }
    }
}

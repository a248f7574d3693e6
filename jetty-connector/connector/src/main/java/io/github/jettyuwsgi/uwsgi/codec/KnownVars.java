package io.github.jettyuwsgi.uwsgi.codec;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.util.Index;

/**
 * The var names frontends send, as shared constants, and the last value seen of each var a frontend repeats from
 * packet to packet: what lets {@link UwsgiParser} decode a vars block while making a {@code String} only for the
 * values that differ from the previous packet's.
 *
 * <p>A frontend sends the same {@code SERVER_NAME}, {@code DOCUMENT_ROOT} or {@code SERVER_PROTOCOL} with every
 * request, and its clients mostly the same {@code Host}, {@code Accept} and {@code User-Agent}; nginx cannot keep a
 * uwsgi connection open, so nothing per connection could remember them, as Jetty's HTTP parser does with its field
 * cache. One instance is shared by the connections of a connection factory. Only vars listed here as repeating are
 * remembered: never a value that differs with every request ({@code REQUEST_URI}, {@code REMOTE_PORT}) and never one
 * that carries a secret ({@code Authorization}, {@code Cookie}), which must not outlive its request in the heap.</p>
 *
 * <p>Safe for any number of threads without a lock: a slot holds an immutable {@code String}, and a racing write only
 * means that one packet's value is remembered instead of another's.</p>
 */
public final class KnownVars
{
    /** A name from the table: the shared constant, and its slot among the remembered values, or -1. */
    record Name(String name, int slot)
    {
    }

    private static final Set<String> REPEATING = Set.of(
        "REQUEST_METHOD", "CONTENT_TYPE", "DOCUMENT_ROOT", "SERVER_PROTOCOL", "REQUEST_SCHEME", "HTTPS", "REMOTE_ADDR",
        "SERVER_ADDR", "SERVER_PORT", "SERVER_NAME", "SERVER_SOFTWARE", "SERVER_SIGNATURE", "SERVER_ADMIN",
        "GATEWAY_INTERFACE", "SCRIPT_NAME", "CONTEXT_PREFIX", "CONTEXT_DOCUMENT_ROOT", "REDIRECT_STATUS", "UWSGI_SCHEME",
        "UWSGI_ROUTER", "PATH",
        "HTTP_HOST", "HTTP_USER_AGENT", "HTTP_ACCEPT", "HTTP_ACCEPT_ENCODING", "HTTP_ACCEPT_LANGUAGE",
        "HTTP_ACCEPT_CHARSET", "HTTP_CONNECTION", "HTTP_CACHE_CONTROL", "HTTP_PRAGMA", "HTTP_UPGRADE", "HTTP_TE",
        "HTTP_ORIGIN", "HTTP_X_FORWARDED_PROTO", "HTTP_X_FORWARDED_HOST", "HTTP_X_FORWARDED_PORT", "HTTP_VIA");

    private static final Index<Name> NAMES;
    private static final int SLOTS;

    static
    {
        Index.Builder<Name> names = new Index.Builder<Name>().caseSensitive(true);
        int slots = 0;
        for (String name : allNames())
        {
            names.with(name, new Name(name, REPEATING.contains(name) ? slots++ : -1));
        }
        if (slots != REPEATING.size())
            throw new IllegalStateException("repeating vars: " + slots + " in the table (expected: all " + REPEATING.size() + ")");
        NAMES = names.build();
        SLOTS = slots;
    }

    private final String[] lastValues = new String[SLOTS];

    /**
     * An empty memory of values: give each connection factory one, and each parser the one of its factory.
     */
    public KnownVars()
    {
    }

    /**
     * @return the shared constant of a known name, or null for a name not in the table
     */
    static Name name(ByteBuffer block, int position, int size)
    {
        return NAMES.get(block, position, size);
    }

    /**
     * @param name the var's entry in the table, or null for a name not in it
     * @return the value of {@code size} bytes at {@code position}, read as ISO-8859-1: the remembered {@code String}
     * when it holds the same characters
     */
    String value(Name name, byte[] block, int position, int size)
    {
        if (size == 0)
            return "";
        int slot = name == null ? -1 : name.slot();
        if (slot < 0)
            return new String(block, position, size, StandardCharsets.ISO_8859_1);
        String last = lastValues[slot];
        if (last != null && sameLatin1(last, block, position, size))
            return last;
        String value = new String(block, position, size, StandardCharsets.ISO_8859_1);
        lastValues[slot] = value;
        return value;
    }

    private static boolean sameLatin1(String value, byte[] block, int position, int size)
    {
        if (value.length() != size)
            return false;
        for (int i = 0; i < size; i++)
        {
            if (value.charAt(i) != (char)(block[position + i] & 0xFF))
                return false;
        }
        return true;
    }

    /**
     * CGI names and {@code HTTP_} plus every header Jetty knows.
     */
    private static List<String> allNames()
    {
        List<String> names = new ArrayList<>(List.of("REQUEST_METHOD", "REQUEST_URI", "QUERY_STRING", "PATH_INFO",
            "SCRIPT_NAME", "CONTENT_TYPE", "CONTENT_LENGTH", "DOCUMENT_ROOT", "DOCUMENT_URI", "SERVER_PROTOCOL", "REQUEST_SCHEME",
            "HTTPS", "REMOTE_ADDR", "REMOTE_PORT", "REMOTE_USER", "SERVER_ADDR", "SERVER_PORT", "SERVER_NAME", "SERVER_SOFTWARE",
            "SERVER_SIGNATURE", "SERVER_ADMIN", "GATEWAY_INTERFACE", "SCRIPT_FILENAME", "PATH_TRANSLATED", "CONTEXT_PREFIX",
            "CONTEXT_DOCUMENT_ROOT", "REDIRECT_STATUS", "UWSGI_SCHEME", "UWSGI_ROUTER", "PATH", "AUTH_TYPE"));
        for (HttpHeader header : HttpHeader.values())
        {
            if (!header.isPseudo())
                names.add("HTTP_" + header.asString().toUpperCase(Locale.ENGLISH).replace('-', '_'));
        }
        return names;
    }
}

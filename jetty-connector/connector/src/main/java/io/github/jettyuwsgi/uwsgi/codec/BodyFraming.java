package io.github.jettyuwsgi.uwsgi.codec;

import java.util.Arrays;
import java.util.List;

/**
 * How the request body that follows a vars block is delimited; decided from the vars alone, in this one place.
 *
 * <p>uwsgi has no framing of its own after the vars: the body is {@code CONTENT_LENGTH} bytes. nginx also forwards
 * {@code HTTP_TRANSFER_ENCODING: chunked} for a body it has already de-chunked and counted, so {@code CONTENT_LENGTH} wins.
 * Only uWSGI's HTTP router with {@code --http-chunked-input} sends the raw chunked stream, and then without
 * {@code CONTENT_LENGTH}. The parser uses this to read the body and the request mapping uses it to describe the body to
 * Jetty, so both always agree.</p>
 *
 * @param kind how the body ends
 * @param contentLength the body length for {@link Kind#LENGTH}, 0 for {@link Kind#NONE}, -1 for {@link Kind#CHUNKED}
 */
public record BodyFraming(Kind kind, long contentLength)
{
    /** The CGI var that carries the body length. */
    public static final String CONTENT_LENGTH = "CONTENT_LENGTH";
    /** The var a frontend uses for the client's Transfer-Encoding header. */
    public static final String HTTP_TRANSFER_ENCODING = "HTTP_TRANSFER_ENCODING";

    /** A request without a body. */
    public static final BodyFraming NONE = new BodyFraming(Kind.NONE, 0);
    /** A raw chunked body, decoded by the parser. */
    public static final BodyFraming CHUNKED = new BodyFraming(Kind.CHUNKED, -1);

    /** The three ways a body can be delimited. */
    public enum Kind
    {
        /** No body follows the vars. */
        NONE,
        /** Exactly {@code contentLength} bytes follow. */
        LENGTH,
        /** A chunked stream follows, ending with the zero-size chunk and the trailer section. */
        CHUNKED
    }

    /**
     * @param vars the packet's vars
     * @return how the body is framed
     * @throws UwsgiException when {@code CONTENT_LENGTH} is not a decimal number, repeats with different values, or
     * a transfer coding other than chunked is announced without a length
     */
    public static BodyFraming of(UwsgiVars vars)
    {
        String contentLength = vars.getSingle(CONTENT_LENGTH);
        if (contentLength != null)
        {
            // nginx sends CONTENT_LENGTH="" on requests without a body.
            if (contentLength.isEmpty())
                return NONE;
            long length = parseContentLength(contentLength);
            return length == 0 ? NONE : new BodyFraming(Kind.LENGTH, length);
        }
        // repeated fields are one list (RFC 9112 section 6.1), as Jetty's HTTP parser reads them
        String transferEncoding = String.join(", ", vars.getAll(HTTP_TRANSFER_ENCODING)).strip();
        if (transferEncoding.isEmpty())
            return NONE;
        if (isChunkedOnceAndLast(transferEncoding))
            return CHUNKED;
        throw new UwsgiException(HTTP_TRANSFER_ENCODING + ": '" + transferEncoding + "' without " + CONTENT_LENGTH +
            " (expected: chunked once, as the last coding)");
    }

    private static long parseContentLength(String value)
    {
        // Strict on purpose: uWSGI's lenient atoi-style parsing (stop at the first non-digit, no overflow check) is a
        // request smuggling primitive (uWSGI issue #2775).
        if (value.length() > 18)
            throw new UwsgiException(CONTENT_LENGTH + ": '" + value + "' (expected: at most 18 decimal digits)");
        long length = 0;
        for (int i = 0; i < value.length(); i++)
        {
            char c = value.charAt(i);
            if (c < '0' || c > '9')
                throw new UwsgiException(CONTENT_LENGTH + ": '" + value + "' (expected: decimal digits only)");
            length = length * 10 + (c - '0');
        }
        return length;
    }

    /**
     * A sender must not apply chunked more than once, and chunked must come last (RFC 9112 section 6.1); every coding is
     * a token. Jetty's HTTP parser refuses {@code chunked, chunked}, {@code chunked, gzip} and {@code chu"ked, chunked},
     * and so does this (a coding's parameters too: no frontend forwards one with a raw chunked body).
     */
    private static boolean isChunkedOnceAndLast(String transferEncoding)
    {
        // a list's empty elements do not count (RFC 9110 section 5.6.1)
        List<String> codings = Arrays.stream(transferEncoding.split(",")).map(String::strip).filter(c -> !c.isEmpty()).toList();
        for (int i = 0; i < codings.size(); i++)
        {
            String coding = codings.get(i);
            if (!isToken(coding))
                return false;
            boolean chunked = coding.equalsIgnoreCase("chunked");
            if (chunked != (i == codings.size() - 1))
                return false;
        }
        return !codings.isEmpty();
    }

    private static boolean isToken(String value)
    {
        for (int i = 0; i < value.length(); i++)
        {
            char c = value.charAt(i);
            boolean tchar = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
            if (!tchar)
                return false;
        }
        return true;
    }
}

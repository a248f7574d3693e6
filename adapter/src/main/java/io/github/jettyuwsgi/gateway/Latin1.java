package io.github.jettyuwsgi.gateway;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * <p>The "bytes-as-chars" rule of PEP 3333: every CGI value is a String whose chars are all {@code <= U+00FF}, one
 * char per byte, so that any byte sequence (an invalid UTF-8 path, {@code %FF}) survives unchanged. This class turns
 * raw request text into that form and back.</p>
 */
public final class Latin1
{
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private Latin1()
    {
    }

    /**
     * @param text any text
     * @return whether every char is at most U+00FF
     */
    public static boolean isLatin1(String text)
    {
        for (int i = 0; i < text.length(); i++)
        {
            if (text.charAt(i) > 0xFF)
                return false;
        }
        return true;
    }

    /**
     * <p>Maps text that a container decoded as UTF-8 (or anything beyond latin-1) back to its bytes, one char per
     * byte; latin-1 text is returned as is.</p>
     *
     * @param text text from the container
     * @return its bytes-as-chars form
     */
    public static String fromText(String text)
    {
        if (isLatin1(text))
            return text;
        return new String(text.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
    }

    /**
     * <p>Percent-decodes a raw URI path bytewise: {@code %C3%A9} becomes the two chars U+00C3 U+00A9, {@code %FF}
     * the char U+00FF, {@code %2F} a {@code /}. Chars beyond ASCII in the raw path are taken as their UTF-8 bytes.
     * A {@code %} not followed by two hex digits is kept literally, as lenient servers do.</p>
     *
     * @param rawPath a path as sent on the request line
     * @return the decoded path in bytes-as-chars form
     */
    public static String decodePath(String rawPath)
    {
        if (rawPath.indexOf('%') < 0)
            return fromText(rawPath);
        byte[] bytes = rawPath.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream(bytes.length);
        for (int i = 0; i < bytes.length; i++)
        {
            byte b = bytes[i];
            if (b == '%' && i + 2 < bytes.length && hex(bytes[i + 1]) >= 0 && hex(bytes[i + 2]) >= 0)
            {
                out.write(hex(bytes[i + 1]) << 4 | hex(bytes[i + 2]));
                i += 2;
            }
            else
            {
                out.write(b);
            }
        }
        return out.toString(StandardCharsets.ISO_8859_1);
    }

    /**
     * <p>Percent-encodes a bytes-as-chars path for a URL, keeping {@code / ; = ,} and the unreserved characters, as
     * {@code wsgiref.util.request_uri} does.</p>
     *
     * @param path a decoded path in bytes-as-chars form
     * @return the encoded path
     */
    public static String encodePath(String path)
    {
        StringBuilder out = new StringBuilder(path.length());
        for (int i = 0; i < path.length(); i++)
        {
            char c = path.charAt(i);
            if (c > 0xFF)
                throw new GatewayException("path char: U+" + Integer.toHexString(c).toUpperCase() + " (expected: latin-1, at most U+00FF)");
            if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || "-._~/;=,".indexOf(c) >= 0)
                out.append(c);
            else
                out.append('%').append(HEX[c >> 4]).append(HEX[c & 0xF]);
        }
        return out.toString();
    }

    private static int hex(byte b)
    {
        if (b >= '0' && b <= '9')
            return b - '0';
        if (b >= 'a' && b <= 'f')
            return b - 'a' + 10;
        if (b >= 'A' && b <= 'F')
            return b - 'A' + 10;
        return -1;
    }
}

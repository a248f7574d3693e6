package io.github.jettyuwsgi.uwsgi.codec;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;


/**
 * Builds uwsgi packets the way a frontend does: request packets for tests, benchmarks and the command-line client, and
 * the pong a backend answers a ping with.
 *
 * <pre>
 * [modifier1][datasize lo][datasize hi][modifier2]  then for each var: [keysize lo][keysize hi][key][valsize lo][valsize hi][value]
 * </pre>
 * <p>Strings are written one byte per char (ISO-8859-1), the inverse of {@link UwsgiParser}; a char above 0xFF, a
 * block over 65535 bytes or an empty key is refused up front rather than producing a packet no frontend would send.</p>
 */
public final class UwsgiGenerator
{
    private static final byte[] PONG = {(byte)Uwsgi.MODIFIER1_PING, 0, 0, (byte)Uwsgi.MODIFIER2_PONG};
    private static final byte[] PING = {(byte)Uwsgi.MODIFIER1_PING, 0, 0, (byte)Uwsgi.MODIFIER2_PING};

    private UwsgiGenerator()
    {
    }

    /**
     * @return the 4-byte answer to a ping, {@code 64 00 00 01}, in a fresh buffer ready to read
     */
    public static ByteBuffer pong()
    {
        return ByteBuffer.wrap(PONG.clone());
    }

    /**
     * @return the 4-byte ping packet, {@code 64 00 00 00}
     */
    public static ByteBuffer ping()
    {
        return ByteBuffer.wrap(PING.clone());
    }

    /**
     * @param modifier1 the packet type, 0 for an HTTP request
     * @param modifier2 the sub-type, 0 for an HTTP request
     * @param vars the vars, in the order to send them
     * @return header and vars block, ready to read; the body, if any, is sent after it as is
     * @throws IllegalArgumentException when a modifier is out of 0..255, a string has a char above 0xFF, or the block
     * exceeds 65535 bytes
     */
    public static ByteBuffer generateRequest(int modifier1, int modifier2, UwsgiVars vars)
    {
        checkModifier("modifier1", modifier1);
        checkModifier("modifier2", modifier2);
        int datasize = varsSize(vars);
        ByteBuffer packet = ByteBuffer.allocate(Uwsgi.HEADER_LENGTH + datasize);
        packet.put((byte)modifier1);
        putUint16Le(packet, datasize);
        packet.put((byte)modifier2);
        for (int i = 0; i < vars.size(); i++)
        {
            putString(packet, vars.name(i));
            putString(packet, vars.value(i));
        }
        return packet.flip();
    }

    /**
     * @param vars the vars
     * @return the size of their encoded block
     * @throws IllegalArgumentException when a string is over 65535 chars or the block exceeds 65535 bytes
     */
    public static int varsSize(UwsgiVars vars)
    {
        int size = 0;
        for (int i = 0; i < vars.size(); i++)
            size += 2 + checkLength(vars.name(i)) + 2 + checkLength(vars.value(i));
        if (size > Uwsgi.MAX_DATASIZE)
            throw new IllegalArgumentException("vars block size: " + size + " bytes (expected: at most " + Uwsgi.MAX_DATASIZE + ")");
        return size;
    }

    private static int checkLength(String value)
    {
        if (value.length() > Uwsgi.MAX_DATASIZE)
            throw new IllegalArgumentException("var length: " + value.length() + " chars (expected: at most " + Uwsgi.MAX_DATASIZE + ")");
        return value.length();
    }

    private static void checkModifier(String name, int modifier)
    {
        if (modifier < 0 || modifier > 0xFF)
            throw new IllegalArgumentException(name + ": " + modifier + " (expected: 0 to 255)");
    }

    private static void putString(ByteBuffer packet, String value)
    {
        putUint16Le(packet, value.length());
        for (int i = 0; i < value.length(); i++)
        {
            char c = value.charAt(i);
            if (c > 0xFF)
                throw new IllegalArgumentException("var char: U+" + Integer.toHexString(c) + " in '" + value + "' (expected: one byte per char; encode text as UTF-8 bytes read as ISO-8859-1)");
            packet.put((byte)c);
        }
    }

    /**
     * Writes an unsigned 16-bit <b>little-endian</b> number: 300 is written as {@code 0x2c 0x01}.
     */
    static void putUint16Le(ByteBuffer buffer, int value)
    {
        buffer.put((byte)(value & 0xFF));
        buffer.put((byte)((value >>> 8) & 0xFF));
    }

    /**
     * @param text a string
     * @return its UTF-8 bytes as an ISO-8859-1 string, the form vars take on the wire (e.g. for a decoded PATH_INFO)
     */
    public static String utf8AsBytes(String text)
    {
        return new String(text.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
    }
}

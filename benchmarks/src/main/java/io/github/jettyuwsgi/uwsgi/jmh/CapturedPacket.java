package io.github.jettyuwsgi.uwsgi.jmh;

import java.nio.ByteBuffer;
import java.util.Arrays;

import io.github.jettyuwsgi.captures.Captures;
import io.github.jettyuwsgi.uwsgi.codec.Uwsgi;
import io.github.jettyuwsgi.uwsgi.codec.UwsgiParser;
import io.github.jettyuwsgi.uwsgi.codec.UwsgiVars;

/**
 * One real request packet of the captures ({@link Captures}), cut to its header and vars block: the input of the uwsgi
 * benchmarks and, decoded, the source of the equivalent HTTP/1.1 request for Jetty's parser.
 *
 * <p>The body that may follow the vars is dropped: both benchmarks stop where the request is known (uwsgi {@code onVars},
 * HTTP {@code headerComplete}), so it would never be read.</p>
 */
public final class CapturedPacket
{
    private final String name;
    private final byte[] packet;
    private final UwsgiVars vars;

    private CapturedPacket(String name, byte[] capture)
    {
        if (capture.length < Uwsgi.HEADER_LENGTH)
            throw new IllegalArgumentException(name + ": " + capture.length + " bytes (expected: at least the " + Uwsgi.HEADER_LENGTH + "-byte uwsgi header)");
        int datasize = (capture[1] & 0xFF) | (capture[2] & 0xFF) << 8;
        int packetLength = Uwsgi.HEADER_LENGTH + datasize;
        if (capture.length < packetLength)
            throw new IllegalArgumentException(name + ": " + capture.length + " bytes (expected: at least " + packetLength + ", the header's datasize plus 4)");
        this.name = name;
        this.packet = Arrays.copyOf(capture, packetLength);
        this.vars = UwsgiParser.decodeVars(packet, Uwsgi.HEADER_LENGTH, datasize);
    }

    /**
     * @param fileName a capture file, e.g. {@code nginx-get.bin}
     * @return the capture's request packet without its body
     */
    public static CapturedPacket load(String fileName)
    {
        return new CapturedPacket(fileName, Captures.read(fileName));
    }

    public String name()
    {
        return name;
    }

    /**
     * @return the packet's vars, as the parser decodes them
     */
    public UwsgiVars vars()
    {
        return vars;
    }

    /**
     * @return the header and vars block, a fresh copy
     */
    public byte[] packet()
    {
        return packet.clone();
    }

    /**
     * @param bytes what the buffer holds
     * @param kind {@code heap} or {@code direct}: Jetty's connectors read into direct buffers by default, tests into heap ones
     * @return a new buffer holding the bytes, ready to read
     */
    public static ByteBuffer toBuffer(byte[] bytes, String kind)
    {
        ByteBuffer buffer = switch (kind)
        {
            case "heap" -> ByteBuffer.allocate(bytes.length);
            case "direct" -> ByteBuffer.allocateDirect(bytes.length);
            default -> throw new IllegalArgumentException("buffer kind: '" + kind + "' (expected: heap or direct)");
        };
        return buffer.put(bytes).flip();
    }
}

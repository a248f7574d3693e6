package io.github.jettyuwsgi.uwsgi.codec;

/**
 * Constants of the uwsgi wire protocol, shared by the codec, the connection and the tools that build packets.
 *
 * <p>Every uwsgi packet starts with the same four bytes; the two length bytes are <b>little-endian</b>:</p>
 * <pre>
 * struct uwsgi_packet_header {
 *     u8  modifier1;   // packet type: 0 = HTTP request (WSGI), 5/7/8 = other language plugins, 100 = ping
 *     u16 datasize;    // size of the vars block that follows, little-endian: bytes 0x2c 0x01 mean 300
 *     u8  modifier2;   // sub-type: 0 for requests; 0 = ping, 1 = pong for modifier1 100
 * };
 * </pre>
 *
 * @see <a href="https://uwsgi-docs.readthedocs.io/en/latest/Protocol.html">The uwsgi protocol</a>
 */
public final class Uwsgi
{
    /** Size of the fixed packet header: modifier1, two datasize bytes, modifier2. */
    public static final int HEADER_LENGTH = 4;
    /** The datasize field is 16 bits wide, so a vars block can never exceed this. */
    public static final int MAX_DATASIZE = 0xFFFF;

    /** modifier1 of a plain HTTP request as nginx, Apache and lighttpd send it (uWSGI's WSGI modifier). */
    public static final int MODIFIER1_WSGI = 0;
    /** modifier1 of uWSGI's PSGI plugin; some frontends are configured with it. */
    public static final int MODIFIER1_PSGI = 5;
    /** modifier1 of uWSGI's Rack plugin. */
    public static final int MODIFIER1_RACK = 7;
    /** modifier1 of uWSGI's JVM plugins (modifier2 0 = JWSGI, 1 = Ring, 2 = servlet); set by {@code uwsgi_modifier1 8}. */
    public static final int MODIFIER1_JVM = 8;
    /** modifier1 of a ping (modifier2 0) and of its answer (modifier2 1). */
    public static final int MODIFIER1_PING = 100;
    /** modifier2 of a ping request. */
    public static final int MODIFIER2_PING = 0;
    /** modifier2 of the answer to a ping. */
    public static final int MODIFIER2_PONG = 1;

    private Uwsgi()
    {
    }

    /**
     * @param modifier1 the first header byte
     * @return whether a packet with this modifier1 carries an HTTP request (vars, then body) that we serve
     */
    public static boolean isHttpRequest(int modifier1)
    {
        return modifier1 == MODIFIER1_WSGI || modifier1 == MODIFIER1_PSGI || modifier1 == MODIFIER1_RACK || modifier1 == MODIFIER1_JVM;
    }

    /**
     * The one-line debug form of a packet header, e.g. {@code "uwsgi mod1=0 size=812 mod2=0"}.
     *
     * @param modifier1 the first header byte
     * @param datasize the vars block size
     * @param modifier2 the last header byte
     * @return the header as one log token
     */
    public static String headerLog(int modifier1, int datasize, int modifier2)
    {
        return "uwsgi mod1=" + modifier1 + " size=" + datasize + " mod2=" + modifier2;
    }
}

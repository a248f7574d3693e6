package io.github.jettyuwsgi.launcher.subscribe;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.nio.charset.StandardCharsets;

import io.github.jettyuwsgi.uwsgi.codec.UwsgiVars;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A subscription datagram as a router reads it (uWSGI's {@code uwsgi_hooked_parse}), for the assertions of the tests.
 */
record Datagram(int modifier1, int modifier2, UwsgiVars vars)
{
    /** The most a uWSGI router reads of one datagram. */
    static final int ROUTER_BUFFER = 4096;

    static Datagram receive(DatagramSocket router) throws IOException
    {
        DatagramPacket packet = new DatagramPacket(new byte[ROUTER_BUFFER], ROUTER_BUFFER);
        router.receive(packet);
        byte[] bytes = new byte[packet.getLength()];
        System.arraycopy(packet.getData(), 0, bytes, 0, bytes.length);
        return parse(bytes);
    }

    static Datagram parse(byte[] packet)
    {
        int datasize = (packet[1] & 0xFF) | (packet[2] & 0xFF) << 8;
        assertEquals(packet.length - 4, datasize, "datasize, little-endian, is the vars block");
        UwsgiVars vars = new UwsgiVars();
        int at = 4;
        while (at < packet.length)
        {
            int keyLength = (packet[at] & 0xFF) | (packet[at + 1] & 0xFF) << 8;
            String key = new String(packet, at + 2, keyLength, StandardCharsets.ISO_8859_1);
            at += 2 + keyLength;
            int valueLength = (packet[at] & 0xFF) | (packet[at + 1] & 0xFF) << 8;
            vars.add(key, new String(packet, at + 2, valueLength, StandardCharsets.ISO_8859_1));
            at += 2 + valueLength;
        }
        assertEquals(packet.length, at, "vars end where the packet ends");
        return new Datagram(packet[0] & 0xFF, packet[3] & 0xFF, vars);
    }

    boolean isUnsubscribe()
    {
        return modifier2 == 1;
    }
}

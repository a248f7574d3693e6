package io.github.jettyuwsgi.launcher.subscribe;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

import io.github.jettyuwsgi.captures.Captures;
import io.github.jettyuwsgi.uwsgi.codec.UwsgiVars;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The subscription datagram against the ones real uWSGI 2.0.21 sent (the captures uwsgi-*subscribe*.bin, recorded
 * with {@code --subscribe-to 127.0.0.1:7000:test.local,8} and {@code --subscribe2 ...,key=other.local,weight=7,modifier1=8}
 * by an instance of 2 processes × 1 thread on 127.0.0.1:9400): same key, address and numbers, same bytes.
 */
public class AnnouncementTest
{
    @Test
    public void testSubscribeIsUwsgisPacket()
    {
        Announcement announcement = new Announcement("test.local", "127.0.0.1:9400", 8, 0, 2, 0, 0, null, null, null);
        assertBytes(Captures.read("uwsgi-subscribe.bin"), announcement.encode(false));
    }

    @Test
    public void testSubscribe2WithWeightIsUwsgisPacket()
    {
        Announcement announcement = new Announcement("other.local", "127.0.0.1:9400", 8, 0, 2, 0, 7, null, null, null);
        assertBytes(Captures.read("uwsgi-subscribe2-weight.bin"), announcement.encode(false));
    }

    @Test
    public void testUnsubscribeDiffersInModifier2Only()
    {
        // recorded after the subscribe2 above had set uWSGI's global weight to 7 (a quirk we do not copy; see docs)
        Announcement announcement = new Announcement("test.local", "127.0.0.1:9400", 8, 0, 2, 0, 7, null, null, null);
        byte[] expected = Captures.read("uwsgi-unsubscribe.bin");
        assertBytes(expected, announcement.encode(true));
        assertEquals(1, expected[3]);
        assertEquals(0, announcement.encode(false).get(3));
    }

    @Test
    public void testLengthsAreLittleEndian()
    {
        String certificate = "/etc/ssl/" + "c".repeat(290) + ".pem";
        ByteBuffer packet = new Announcement("example.com", "/run/app.sock", 0, 0, 200, 3, 5, null, certificate, null).encode(false);
        int datasize = packet.remaining() - 4;
        assertEquals(224, packet.get(0) & 0xFF);
        assertEquals(datasize & 0xFF, packet.get(1) & 0xFF, "datasize low byte first");
        assertEquals(datasize >>> 8, packet.get(2) & 0xFF, "datasize high byte second");
        assertEquals(1, datasize >>> 8, "the case is about a datasize above 255: " + datasize);

        // the sni_crt value's length, 2 bytes little-endian before it
        byte[] bytes = new byte[packet.remaining()];
        packet.duplicate().get(bytes);
        int at = indexOf(bytes, certificate.getBytes()) - 2;
        assertEquals(certificate.length() & 0xFF, bytes[at] & 0xFF);
        assertEquals(certificate.length() >>> 8, bytes[at + 1] & 0xFF);

        // and the vars, read back in order
        UwsgiVars expected = UwsgiVars.of("key", "example.com", "address", "/run/app.sock", "modifier1", "0", "modifier2", "0", "cores", "200",
            "load", "3", "weight", "5", "sni_crt", certificate);
        assertEquals(expected.toString(), Datagram.parse(bytes).vars().toString());
    }

    private static int indexOf(byte[] haystack, byte[] needle)
    {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++)
        {
            for (int j = 0; j < needle.length; j++)
            {
                if (haystack[i + j] != needle[j])
                    continue outer;
            }
            return i;
        }
        throw new AssertionError("not found");
    }

    static void assertBytes(byte[] expected, ByteBuffer actual)
    {
        byte[] bytes = new byte[actual.remaining()];
        actual.duplicate().get(bytes);
        assertEquals(HexFormat.ofDelimiter(" ").formatHex(expected), HexFormat.ofDelimiter(" ").formatHex(bytes));
    }
}

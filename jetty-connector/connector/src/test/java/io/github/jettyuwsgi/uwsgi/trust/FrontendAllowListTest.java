package io.github.jettyuwsgi.uwsgi.trust;

import java.net.InetAddress;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The allow list: IPv4 and IPv6 blocks with their edge masks, plain addresses, and the refusal of anything that is
 * not a literal (which would mean a DNS lookup).
 */
public class FrontendAllowListTest
{
    @ParameterizedTest(name = "{0} allows {1}: {2}")
    @CsvSource({
        "10.0.0.0/8, 10.0.0.1, true",
        "10.0.0.0/8, 10.255.255.255, true",
        "10.0.0.0/8, 11.0.0.0, false",
        "10.0.0.0/8, 9.255.255.255, false",
        "192.168.4.0/22, 192.168.7.255, true",
        "192.168.4.0/22, 192.168.8.0, false",
        "192.168.4.0/22, 192.168.3.255, false",
        "127.0.0.1/32, 127.0.0.1, true",
        "127.0.0.1/32, 127.0.0.2, false",
        "127.0.0.1, 127.0.0.1, true",
        "127.0.0.1, 127.0.0.2, false",
        "0.0.0.0/0, 203.0.113.9, true",
        "0.0.0.0/0, ::1, false",
        "2001:db8::/32, 2001:db8:ffff::1, true",
        "2001:db8::/32, 2001:db9::1, false",
        "2001:db8::/33, 2001:db8:7fff::1, true",
        "2001:db8::/33, 2001:db8:8000::1, false",
        "::1/128, ::1, true",
        "::1/128, ::2, false",
        "::1, ::1, true",
        "[::1], ::1, true",
        "::/0, 2001:db8::1, true",
        "::/0, 10.0.0.1, false",
        "fd00::/8, fdff:1::1, true",
        "fd00::/8, fe00::1, false",
        // an IPv4 client of a dual-stack socket: Java unwraps the mapped address
        "10.0.0.0/8, ::ffff:10.1.2.3, true",
    })
    public void testMatching(String block, String address, boolean allowed) throws Exception
    {
        assertEquals(allowed, FrontendAllowList.of(List.of(block)).allows(InetAddress.getByName(address)));
    }

    @Test
    public void testAnyBlockOfSeveral() throws Exception
    {
        FrontendAllowList list = FrontendAllowList.of(List.of("10.0.0.0/8", "192.0.2.7", "2001:db8::/32"));
        assertTrue(list.allows(InetAddress.getByName("192.0.2.7")));
        assertTrue(list.allows(InetAddress.getByName("2001:db8::5")));
        assertEquals(false, list.allows(InetAddress.getByName("192.0.2.8")));
        assertEquals("10.0.0.0/8, 192.0.2.7, 2001:db8::/32", list.toString());
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', value = {
        "localhost | expected: an IPv4 or IPv6 address",
        "frontend.example.org/24 | expected: an IPv4 or IPv6 address",
        "10.0.0 | expected: an IPv4 or IPv6 address",
        "256.0.0.1 | expected: an IPv4 or IPv6 address",
        "10.0.0.0-10.0.0.9 | expected: an IPv4 or IPv6 address",
        "fe80::1%eth0 | expected: an IPv4 or IPv6 address",
        "'' | expected: an IPv4 or IPv6 address",
        "10.0.0.0/33 | prefix length '33' (expected: 0 to 32)",
        "10.0.0.0/-1 | prefix length '-1' (expected: 0 to 32)",
        "10.0.0.0/ | prefix length '' (expected: 0 to 32)",
        "::/129 | prefix length '129' (expected: 0 to 128)",
        "10.0.0.1/8 | host bits set after /8 (expected: the block's first address, e.g. 10.0.0.0/8)",
        "2001:db8::1/32 | host bits set after /32 (expected: the block's first address, e.g. 2001:db8:0:0:0:0:0:0/32)",
        "1:2:3 | malformed address",
    })
    public void testMalformedBlocksAreRefusedWithTheirReason(String block, String reason)
    {
        IllegalArgumentException x = assertThrows(IllegalArgumentException.class, () -> FrontendAllowList.of(List.of(block)));
        assertTrue(x.getMessage().startsWith("allow-frontend: '" + block + "'") && x.getMessage().contains(reason), x.getMessage());
    }
}

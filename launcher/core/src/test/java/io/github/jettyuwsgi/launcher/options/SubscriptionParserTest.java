package io.github.jettyuwsgi.launcher.options;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import io.github.jettyuwsgi.launcher.options.LauncherOptions.Subscription;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

public class SubscriptionParserTest
{
    @TempDir
    Path dir;

    private static SubscriptionSpec subscribeTo(String value)
    {
        return SubscriptionParser.parse(new Subscription("subscribe-to", value, "--subscribe-to"));
    }

    private static SubscriptionSpec subscribe2(String value)
    {
        return SubscriptionParser.parse(new Subscription("subscribe2", value, "--subscribe2"));
    }

    private static String subscribeToError(String value)
    {
        return assertThrows(IllegalArgumentException.class, () -> subscribeTo(value)).getMessage();
    }

    private static String subscribe2Error(String value)
    {
        return assertThrows(IllegalArgumentException.class, () -> subscribe2(value)).getMessage();
    }

    @Test
    public void testSubscribeToRouterPortKey()
    {
        SubscriptionSpec spec = subscribeTo("127.0.0.1:7000:example.com");
        assertEquals("127.0.0.1", spec.routerHost());
        assertEquals(7000, spec.routerPort());
        assertEquals("example.com", spec.key());
        assertNull(spec.address());
        assertEquals(0, spec.socketIndex());
        assertEquals(0, spec.modifier1());
        assertEquals(0, spec.modifier2());
        assertEquals(0, spec.weight());
        assertTrue(spec.announcesOwnSocket());
    }

    @Test
    public void testSubscribeToKeyWithPortAndModifier1()
    {
        // everything after the router's port is the key, colons included, up to the modifier1
        SubscriptionSpec spec = subscribeTo("router.internal:7000:example.com:8080,8");
        assertEquals("router.internal", spec.routerHost());
        assertEquals("example.com:8080", spec.key());
        assertEquals(8, spec.modifier1());
    }

    @Test
    public void testSubscribeToExplicitAddressAndSocketNumber()
    {
        SubscriptionSpec explicit = subscribeTo("10.0.0.5:3031=127.0.0.1:7000:example.com");
        assertEquals("10.0.0.5:3031", explicit.address());
        assertEquals("example.com", explicit.key());

        SubscriptionSpec second = subscribeTo("=1=127.0.0.1:7000:example.com");
        assertNull(second.address());
        assertEquals(1, second.socketIndex());
    }

    @Test
    public void testSubscribeToKeysFile() throws IOException
    {
        Path keys = Files.writeString(dir.resolve("keys.txt"), "# the shop\nshop.example.com\n\nimg.example.com,5\n");
        SubscriptionSpec spec = subscribeTo("127.0.0.1:7000:@" + keys);
        assertNull(spec.key());
        assertEquals(keys, spec.keysFile());
        assertEquals(List.of(new SubscriptionParser.KeyLine("shop.example.com", 0), new SubscriptionParser.KeyLine("img.example.com", 5)), spec.keys());

        Files.writeString(keys, "ok.example.com\nbad.example.com,9\n");
        String problem = SubscriptionSpec.problems(List.of(new Subscription("subscribe-to", "127.0.0.1:7000:@" + keys, "app.ini:4: subscribe-to")), 1).get(0);
        assertTrue(problem.startsWith("app.ini:4: subscribe-to: " + keys + ":2: modifier1 9 (expected: 0, 5, 7 or 8"), problem);
    }

    @Test
    public void testSubscribe2AllItems()
    {
        SubscriptionSpec spec = subscribe2("server=127.0.0.1:7000,key=example.com,addr=10.0.0.5:3031,weight=3,modifier1=5,modifier2=2," +
            "check=/run/maintenance,sni_key=/k.pem,sni_crt=/c.pem,sni_ca=/ca.pem");
        assertEquals("127.0.0.1:7000", spec.router());
        assertEquals("example.com", spec.key());
        assertEquals("10.0.0.5:3031", spec.address());
        assertEquals(3, spec.weight());
        assertEquals(5, spec.modifier1());
        assertEquals(2, spec.modifier2());
        assertEquals(Path.of("/run/maintenance"), spec.check());
        assertEquals("/k.pem", spec.sniKey());
        assertEquals("/c.pem", spec.sniCrt());
        assertEquals("/ca.pem", spec.sniCa());
    }

    @Test
    public void testSubscribe2UwsgiListRules()
    {
        // a backslash keeps a comma in a value; a later item wins; socket=N replaces addr
        SubscriptionSpec spec = subscribe2("server=127.0.0.1:7000,key=a.example,key=b.example,sni_crt=/x\\,y.pem,addr=10.0.0.5:1,socket=1");
        assertEquals("b.example", spec.key());
        assertEquals("/x,y.pem", spec.sniCrt());
        assertNull(spec.address());
        assertEquals(1, spec.socketIndex());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "127.0.0.1:example.com            | --subscribe-to: '127.0.0.1:example.com' (expected: [ADDR=]ROUTER:PORT:KEY[,MODIFIER1] or ROUTER:PORT:@FILE, e.g. 127.0.0.1:7000:example.com)",
        "127.0.0.1:70000:example.com      | --subscribe-to: router port '70000' (expected: a number from 0 to 65535)",
        "127.0.0.1:0:example.com          | --subscribe-to: router port 0 (expected: 1 to 65535)",
        ":7000:example.com                | --subscribe-to: router host '' in ':7000:example.com' (expected: an IPv4 address or a host name, e.g. 127.0.0.1; uWSGI's subscription servers listen on IPv4)",
        "127.0.0.1:7000:                  | --subscribe-to: key of 0 characters (expected: 1 to 255)",
        "127.0.0.1:7000:example.com,x     | --subscribe-to: modifier1 'x' (expected: a number from 0 to 255)",
        "127.0.0.1:7000:example.com,8,key | --subscribe-to: '127.0.0.1:7000:example.com,8,key' has a signing key after the modifier1 (expected: [ADDR=]ROUTER:PORT:KEY[,MODIFIER1] or ROUTER:PORT:@FILE; signed subscriptions are not supported)",
        "127.0.0.1:7000:example.com,9     | --subscribe-to: modifier1 9 (expected: 0, 5, 7 or 8: the router puts it on every request it forwards here, and the connector serves only those)",
        "=x=127.0.0.1:7000:example.com    | --subscribe-to: socket 'x' (expected: a number from 0 to 1000)",
        "/run/router.sock:example.com     | --subscribe-to: router /run/router.sock:example.com is a Unix datagram socket (expected: ROUTER:PORT over UDP; the JVM has no Unix datagram sockets, so give the router a UDP subscription server, e.g. 127.0.0.1:7000)",
        "127.0.0.1:7000:@/no/such/keys    | --subscribe-to: keys file /no/such/keys is not a readable file (expected: one KEY[,MODIFIER1] per line)",
        "127.0.0.1:7000:exa mple.com      | --subscribe-to: key 'exa mple.com' has character U+0020 (expected: printable ASCII without spaces, e.g. example.com or example.com:8080)",
    })
    public void testSubscribeToErrors(String value, String message)
    {
        assertEquals(message, subscribeToError(value));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "key=example.com                                  | --subscribe2: no server item in 'key=example.com' (expected: server=ROUTER:PORT,key=KEY[,addr=..][,weight=..][,modifier1=..][,modifier2=..])",
        "server=127.0.0.1:7000                            | --subscribe2: no key item in 'server=127.0.0.1:7000' (expected: server=ROUTER:PORT,key=KEY[,addr=..][,weight=..][,modifier1=..][,modifier2=..])",
        "server=127.0.0.1,key=example.com                 | --subscribe2: server=127.0.0.1 (expected: ROUTER:PORT, e.g. 127.0.0.1:7000)",
        "server=127.0.0.1:7000,key=example.com,wieght=3   | --subscribe2: unknown item 'wieght' (expected one of: addr, check, key, modifier1, modifier2, server, sign, sni_ca, sni_crt, sni_key, socket, weight)",
        "server=127.0.0.1:7000,key=example.com,weight     | --subscribe2: item 'weight' has no '=' (expected: server=ROUTER:PORT,key=KEY[,addr=..][,weight=..][,modifier1=..][,modifier2=..])",
        "server=127.0.0.1:7000,key=example.com,weight=-1  | --subscribe2: weight '-1' (expected: a number from 0 to 1000000)",
        "server=127.0.0.1:7000,key=example.com,sign=k.pem | --subscribe2: sign=k.pem (expected: no sign item; signed subscriptions are not supported)",
        "server=/run/sub.sock,key=example.com             | --subscribe2: router /run/sub.sock is a Unix datagram socket (expected: ROUTER:PORT over UDP; the JVM has no Unix datagram sockets, so give the router a UDP subscription server, e.g. 127.0.0.1:7000)",
    })
    public void testSubscribe2Errors(String value, String message)
    {
        assertEquals(message, subscribe2Error(value));
    }

    @Test
    public void testModifier1OfAnotherBackendIsItsBusiness()
    {
        // with addr= the router is told to send elsewhere: the connector's modifiers do not matter
        assertEquals(9, subscribe2("server=127.0.0.1:7000,key=example.com,addr=10.0.0.5:3031,modifier1=9").modifier1());
        assertEquals(9, subscribeTo("10.0.0.5:3031=127.0.0.1:7000:example.com,9").modifier1());
    }

    @Test
    public void testKeyLongerThanRoutersAccept()
    {
        String key = "k".repeat(256);
        assertEquals("--subscribe-to: key of 256 characters (expected: 1 to 255)", subscribeToError("127.0.0.1:7000:" + key));
        assertEquals(key.substring(1), subscribeTo("127.0.0.1:7000:" + key.substring(1)).key());
    }

    @Test
    public void testValidateReportsThroughLauncherOptions()
    {
        LauncherOptions options = LauncherOptions.parse("--http-socket", "127.0.0.1:8080", "--war", "missing.war",
            "--subscribe-to", "127.0.0.1:7000:example.com", "--subscribe2", "server=127.0.0.1:7000,key=b.example,socket=2", "--subscribe", "127.0.0.1:7000");
        List<String> problems = options.validate();
        assertTrue(problems.contains("--subscribe-to: no uwsgi socket to announce to 127.0.0.1:7000 (expected: a --socket for the router to connect to, or addr=HOST:PORT naming the backend)"), problems::toString);
        assertTrue(problems.contains("--subscribe2: no uwsgi socket to announce to 127.0.0.1:7000 (expected: a --socket for the router to connect to, or addr=HOST:PORT naming the backend)"), problems::toString);
        assertTrue(problems.stream().anyMatch(problem -> problem.startsWith("--subscribe: '127.0.0.1:7000' (expected: ")), problems::toString);

        LauncherOptions twoSockets = LauncherOptions.parse("--socket", "127.0.0.1:3031", "--socket", "127.0.0.1:3032", "--war", "missing.war",
            "--subscribe2", "server=127.0.0.1:7000,key=b.example,socket=2");
        assertTrue(twoSockets.validate().contains("--subscribe2: socket 2 (expected: 0 to 1, the index of one of the 2 uwsgi socket(s))"), () -> twoSockets.validate().toString());
    }
}

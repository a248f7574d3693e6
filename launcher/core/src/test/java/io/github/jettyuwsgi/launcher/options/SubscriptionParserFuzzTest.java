package io.github.jettyuwsgi.launcher.options;

import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Coverage-guided fuzzing of {@link SubscriptionParser}: the input's first byte picks {@code subscribe-to} or
 * {@code subscribe2}, the rest is the value, and a keys-file line is read as well. Only
 * {@link IllegalArgumentException} with a "what: actual (expected: ...)" message may escape (not one of its
 * subclasses, such as {@link NumberFormatException}, whose messages say nothing to an operator); what parses must
 * name a key and a router that fit in the subscription packet.
 */
public class SubscriptionParserFuzzTest
{
    static Stream<Arguments> seeds()
    {
        return Stream.of("t127.0.0.1:7000:example.com", "t=0=127.0.0.1:7000:example.com,5", "t10.0.0.1:7000=127.0.0.1:7000:k",
            "tlocalhost:7000:@keys.txt", "2server=127.0.0.1:7000,key=example.com,weight=3,modifier1=5,modifier2=0",
            "2server=[::1]:7000,key=a\\,b,addr=127.0.0.1:3031,socket=1", "t/tmp/router.sock:key", "2server=x:0,key=k,sign=a")
            .map(text -> Arguments.of((Object)text.getBytes(StandardCharsets.ISO_8859_1)));
    }

    @MethodSource("seeds")
    @DictionaryEntries({"server=", "key=", "addr=", "socket=", "weight=", "modifier1=", "modifier2=", "check=", "sni_key=",
        "sign=", "127.0.0.1:", ":7000:", "=0=", ",", "\\\\,", "@", "[::1]"})
    @FuzzTest(maxDuration = "15s")
    public void parse(byte[] input)
    {
        if (input.length == 0)
            return;
        String key = input[0] == '2' ? "subscribe2" : "subscribe-to";
        String value = new String(input, 1, input.length - 1, StandardCharsets.ISO_8859_1);
        try
        {
            SubscriptionSpec spec = SubscriptionParser.parse(new LauncherOptions.Subscription(key, value, "fuzz"));
            assertTrue(spec.routerPort() > 0 && spec.routerPort() <= 0xFFFF, "router port " + spec.routerPort());
            assertTrue(spec.key() == null || !spec.key().isEmpty() && spec.key().length() <= SubscriptionSpec.MAX_NAME_LENGTH, "key " + spec.key());
        }
        catch (IllegalArgumentException x)
        {
            expected(x);
        }
        try
        {
            SubscriptionParser.parseKeyLine("fuzz", value, input[0] == '2');
        }
        catch (IllegalArgumentException x)
        {
            expected(x);
        }
    }

    private static void expected(IllegalArgumentException x)
    {
        if (x.getClass() != IllegalArgumentException.class || x.getMessage() == null || !x.getMessage().contains("expected"))
            throw new AssertionError("not a subscription error: " + x, x);
    }
}

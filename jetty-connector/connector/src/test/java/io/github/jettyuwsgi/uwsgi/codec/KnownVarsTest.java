package io.github.jettyuwsgi.uwsgi.codec;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import io.github.jettyuwsgi.captures.Captures;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

public class KnownVarsTest
{
    private static UwsgiVars decode(KnownVars knownVars, String... namesAndValues)
    {
        byte[] packet = packet(UwsgiVars.of(namesAndValues));
        return UwsgiParser.decodeVars(packet, Uwsgi.HEADER_LENGTH, packet.length - Uwsgi.HEADER_LENGTH, knownVars);
    }

    private static byte[] packet(UwsgiVars vars)
    {
        ByteBuffer buffer = UwsgiGenerator.generateRequest(0, 0, vars);
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        return bytes;
    }

    @Test
    public void testRepeatedValueOfAFrontendVarIsTheStringOfThePreviousPacket()
    {
        KnownVars knownVars = new KnownVars();
        UwsgiVars first = decode(knownVars, "SERVER_NAME", "test.local", "HTTP_HOST", "test.local", "HTTP_USER_AGENT", "curl/8.5.0");
        UwsgiVars second = decode(knownVars, "SERVER_NAME", "test.local", "HTTP_HOST", "test.local", "HTTP_USER_AGENT", "curl/8.5.0");
        for (String name : List.of("SERVER_NAME", "HTTP_HOST", "HTTP_USER_AGENT"))
            assertSame(first.get(name), second.get(name), name);
    }

    @Test
    public void testCapturedNginxPacketTwiceSharesTheFrontendsValuesOnly()
    {
        byte[] packet = Captures.read("nginx-get-debian-params.bin");
        int datasize = (packet[1] & 0xFF) | (packet[2] & 0xFF) << 8;
        KnownVars knownVars = new KnownVars();
        UwsgiVars first = UwsgiParser.decodeVars(packet, Uwsgi.HEADER_LENGTH, datasize, knownVars);
        UwsgiVars second = UwsgiParser.decodeVars(packet.clone(), Uwsgi.HEADER_LENGTH, datasize, knownVars);
        for (String name : List.of("REQUEST_METHOD", "DOCUMENT_ROOT", "SERVER_PROTOCOL", "REQUEST_SCHEME", "REMOTE_ADDR", "SERVER_PORT",
            "SERVER_NAME", "HTTP_HOST", "HTTP_ACCEPT", "HTTP_USER_AGENT"))
            assertSame(first.get(name), second.get(name), name);
        // values that differ with every request are never kept: the same URI twice is two strings
        for (String name : List.of("REQUEST_URI", "PATH_INFO", "QUERY_STRING", "REMOTE_PORT"))
        {
            assertEquals(first.get(name), second.get(name), name);
            assertNotSame(first.get(name), second.get(name), name);
        }
    }

    @Test
    public void testSecretsAndUnknownVarsAreNeverKept()
    {
        KnownVars knownVars = new KnownVars();
        String[] vars = {"HTTP_AUTHORIZATION", "Basic dXNlcjpwYXNz", "HTTP_COOKIE", "session=abc", "HTTP_PROXY_AUTHORIZATION", "Basic eDp5",
            "MY_OWN_VAR", "same"};
        UwsgiVars first = decode(knownVars, vars);
        UwsgiVars second = decode(knownVars, vars);
        for (int i = 0; i < vars.length; i += 2)
        {
            assertEquals(vars[i + 1], second.get(vars[i]), vars[i]);
            assertNotSame(first.get(vars[i]), second.get(vars[i]), vars[i]);
        }
    }

    @Test
    public void testAChangedValueIsDecodedAndThenRemembered()
    {
        KnownVars knownVars = new KnownVars();
        decode(knownVars, "SERVER_NAME", "a.example");
        // same length, one byte different, and a byte above 0x7F that only ISO-8859-1 reads as one char
        UwsgiVars changed = decode(knownVars, "SERVER_NAME", "b.example", "HTTP_USER_AGENT", "caf\u00e9");
        assertEquals("b.example", changed.get("SERVER_NAME"));
        UwsgiVars upper = decode(knownVars, "HTTP_USER_AGENT", "caf\u00c9");
        assertEquals("caf\u00c9", upper.get("HTTP_USER_AGENT"));
        assertSame(upper.get("HTTP_USER_AGENT"), decode(knownVars, "HTTP_USER_AGENT", "caf\u00c9").get("HTTP_USER_AGENT"));
        assertEquals("", decode(knownVars, "SERVER_NAME", "").get("SERVER_NAME"));
        assertEquals("b.example.org", decode(knownVars, "SERVER_NAME", "b.example.org").get("SERVER_NAME"));
    }

    @Test
    public void testThreadsDecodingDifferentValuesEachGetTheirOwn() throws Exception
    {
        KnownVars knownVars = new KnownVars();
        ExecutorService threads = Executors.newFixedThreadPool(4);
        try
        {
            List<Future<?>> results = new ArrayList<>();
            for (int t = 0; t < 4; t++)
            {
                String host = "host" + t + ".example";
                results.add(threads.submit(() ->
                {
                    for (int i = 0; i < 20_000; i++)
                    {
                        String agent = i % 2 == 0 ? "agent-" + host : "other";
                        UwsgiVars vars = decode(knownVars, "HTTP_HOST", host, "HTTP_USER_AGENT", agent);
                        assertEquals(host, vars.get("HTTP_HOST"));
                        assertEquals(agent, vars.get("HTTP_USER_AGENT"));
                    }
                    return null;
                }));
            }
            for (Future<?> result : results)
                result.get();
        }
        finally
        {
            threads.shutdownNow();
        }
    }
}

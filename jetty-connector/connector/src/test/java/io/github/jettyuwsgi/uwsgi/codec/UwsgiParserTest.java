package io.github.jettyuwsgi.uwsgi.codec;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Stream;

import io.github.jettyuwsgi.captures.Captures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

public class UwsgiParserTest
{
    static Stream<String> captures()
    {
        return Captures.requestPackets().stream();
    }

    private static RecordingListener parseWhole(byte[] packet)
    {
        RecordingListener listener = new RecordingListener();
        UwsgiParser parser = new UwsgiParser(listener, 65535);
        ByteBuffer buffer = ByteBuffer.wrap(packet);
        while (buffer.hasRemaining() && !isDone(parser))
            parser.parse(buffer);
        return listener;
    }

    private static boolean isDone(UwsgiParser parser)
    {
        return parser.getState() == UwsgiParser.State.END || parser.getState() == UwsgiParser.State.FAILED;
    }

    @ParameterizedTest
    @MethodSource("captures")
    public void testCaptureWholeIsARequestWithItsWholeBody(String name)
    {
        byte[] packet = Captures.read(name);
        RecordingListener whole = parseWhole(packet);
        assertNull(whole.failure, name + ": " + whole.summary());
        assertNotNull(whole.vars, name);
        assertNotNull(whole.vars.get("HTTP_HOST"), name);
        int datasize = (packet[1] & 0xFF) | (packet[2] & 0xFF) << 8;
        int trailing = packet.length - 4 - datasize;
        if (whole.framing.kind() == BodyFraming.Kind.LENGTH)
        {
            assertEquals(whole.framing.contentLength(), whole.body.size(), name);
            assertEquals(trailing, whole.body.size(), name);
            assertTrue(whole.bodyComplete, name);
        }
        else if (whole.framing.kind() == BodyFraming.Kind.NONE)
        {
            assertEquals(0, whole.body.size(), name);
        }
    }

    @ParameterizedTest
    @MethodSource("captures")
    public void testCaptureByteByByteGivesTheSameResult(String name)
    {
        byte[] packet = Captures.read(name);
        String expected = parseWhole(packet).summary();
        RecordingListener listener = new RecordingListener();
        listener.stopAlways = true;
        UwsgiParser parser = new UwsgiParser(listener, 65535);
        for (byte b : packet)
        {
            ByteBuffer one = ByteBuffer.wrap(new byte[]{b});
            while (one.hasRemaining())
                parser.parse(one);
        }
        assertEquals(expected, listener.summary(), name);
    }

    @ParameterizedTest
    @MethodSource("captures")
    public void testCaptureSplitAtEveryIndexGivesTheSameResult(String name)
    {
        byte[] packet = Captures.read(name);
        String expected = parseWhole(packet).summary();
        // The 30k-header capture would make this quadratic test slow; every 7th index still crosses every field kind.
        int step = packet.length > 4096 ? 7 : 1;
        for (int split = 0; split <= packet.length; split += step)
        {
            RecordingListener listener = new RecordingListener();
            listener.stopAlways = split % 2 == 0;
            UwsgiParser parser = new UwsgiParser(listener, 65535);
            for (ByteBuffer part : List.of(ByteBuffer.wrap(packet, 0, split), ByteBuffer.wrap(packet, split, packet.length - split)))
            {
                while (part.hasRemaining())
                    parser.parse(part);
            }
            assertEquals(expected, listener.summary(), name + " split at " + split);
        }
    }

    @Test
    public void testNginxGetKeepsRepeatedVarsAndRawUri()
    {
        RecordingListener result = parseWhole(Captures.read("nginx-get.bin"));
        UwsgiVars vars = result.vars;
        assertEquals(20, vars.size());
        assertEquals(List.of("one", "two"), vars.getAll("HTTP_X_MULTI"));
        assertEquals(List.of("a=1", "b=2"), vars.getAll("HTTP_COOKIE"));
        assertEquals("/hello/w%C3%B6rld%20x?a=1&b=two%20x", vars.get("REQUEST_URI"));
        // PATH_INFO is decoded UTF-8, kept as bytes-as-chars
        assertEquals(UwsgiGenerator.utf8AsBytes("/hello/wörld x"), vars.get("PATH_INFO"));
        assertEquals(BodyFraming.NONE, result.framing);
    }

    @Test
    public void testNginxChunkedPostUsesContentLengthNotTheForwardedChunkedHeader()
    {
        RecordingListener result = parseWhole(Captures.read("nginx-post-chunked.bin"));
        assertEquals(new BodyFraming(BodyFraming.Kind.LENGTH, 30), result.framing);
        assertEquals("hello-chunked-body-part1|part2", result.body.toString(StandardCharsets.ISO_8859_1));
    }

    @Test
    public void testRouterRawChunkedBodyIsDecoded()
    {
        RecordingListener result = parseWhole(Captures.read("uwsgi-http-router-post-chunked-raw.bin"));
        assertEquals(BodyFraming.CHUNKED, result.framing);
        assertEquals("PART1-AAAPART2-END", result.body.toString(StandardCharsets.ISO_8859_1));
        assertTrue(result.bodyComplete);
    }

    @Test
    public void testLengthsAreLittleEndian()
    {
        // datasize 0x012c = 300 is sent as 2c 01
        assertEquals(300, UwsgiParser.getUint16Le(new byte[]{0x2c, 0x01}, 0));
        assertEquals(32767, UwsgiParser.getUint16Le(new byte[]{(byte)0xff, 0x7f}, 0));
        assertEquals(65535, UwsgiParser.getUint16Le(new byte[]{(byte)0xff, (byte)0xff}, 0));
        ByteBuffer out = ByteBuffer.allocate(2);
        UwsgiGenerator.putUint16Le(out, 300);
        assertEquals(0x2c, out.get(0));
        assertEquals(0x01, out.get(1));
    }

    @Test
    public void testGeneratorRoundTrip()
    {
        UwsgiVars vars = UwsgiVars.of("REQUEST_METHOD", "GET", "REQUEST_URI", "/", "EMPTY", "", "HTTP_X", "\u00ff\u0000");
        ByteBuffer packet = UwsgiGenerator.generateRequest(0, 0, vars);
        byte[] bytes = new byte[packet.remaining()];
        packet.get(bytes);
        RecordingListener result = parseWhole(bytes);
        assertEquals(vars.toString(), result.vars.toString());
    }

    @Test
    public void testPingHeaderIsReportedAsIs()
    {
        RecordingListener result = parseWhole(Captures.read("uwsgi-ping-request.bin"));
        assertEquals("header 100 0 0", result.events.get(0));
    }

    private static UwsgiException failureOf(byte[] packet, int maxVarsSize)
    {
        RecordingListener listener = new RecordingListener();
        UwsgiParser parser = new UwsgiParser(listener, maxVarsSize);
        assertTrue(parser.parse(ByteBuffer.wrap(packet)));
        assertEquals(UwsgiParser.State.FAILED, parser.getState());
        assertNotNull(listener.failure, listener.summary());
        return listener.failure;
    }

    @Test
    public void testPlainHttpOnTheUwsgiPortIsNamed()
    {
        UwsgiException failure = failureOf("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII), 65535);
        assertEquals("packet header: 'GET ' is plain HTTP, read as datasize 21573 (expected: a uwsgi packet; send HTTP to an http-socket, or use uwsgi_pass rather than proxy_pass)", failure.getMessage());
    }

    @Test
    public void testVarsBlockOverTheLimitIsRefusedFromTheHeaderAlone()
    {
        byte[] header = {0, (byte)0x58, 0x1b, 0}; // datasize 7000
        UwsgiException failure = failureOf(header, 4096);
        assertEquals("vars block size: 7000 bytes (expected: at most 4096; raise buffer-size)", failure.getMessage());
    }

    @Test
    public void testEmptyKeyIsRefused()
    {
        byte[] packet = {0, 4, 0, 0, 0, 0, 0, 0};
        assertEquals("var at offset 0: key size 0 (expected: 1 to 65535)", failureOf(packet, 65535).getMessage());
    }

    @Test
    public void testKeyRunningPastTheBlockIsRefused()
    {
        byte[] packet = {0, 5, 0, 0, 9, 0, 'A', 'B', 'C'};
        assertEquals("var at offset 0: key size 9 (expected: at most the 3 bytes left in the block)", failureOf(packet, 65535).getMessage());
    }

    @Test
    public void testValueRunningPastTheBlockIsRefused()
    {
        byte[] packet = {0, 7, 0, 0, 1, 0, 'A', 5, 0, 'x', 'y'};
        assertEquals("var A: value size 5 (expected: at most the 2 bytes left in the block)", failureOf(packet, 65535).getMessage());
    }

    @Test
    public void testBadContentLengthIsRefused()
    {
        byte[] packet = packet(UwsgiVars.of("REQUEST_METHOD", "POST", "CONTENT_LENGTH", "12abc"));
        assertEquals("CONTENT_LENGTH: '12abc' (expected: decimal digits only)", failureOf(packet, 65535).getMessage());
    }

    @Test
    public void testConflictingContentLengthsAreRefused()
    {
        byte[] packet = packet(UwsgiVars.of("CONTENT_LENGTH", "5", "CONTENT_LENGTH", "6"));
        assertEquals("CONTENT_LENGTH: '5' and '6' (expected: one value)", failureOf(packet, 65535).getMessage());
    }

    @Test
    public void testMalformedChunkedBodyIsRefused()
    {
        byte[] head = packet(UwsgiVars.of("REQUEST_METHOD", "POST", "HTTP_TRANSFER_ENCODING", "chunked"));
        byte[] body = "zz\r\nhello\r\n".getBytes(StandardCharsets.US_ASCII);
        byte[] packet = new byte[head.length + body.length];
        System.arraycopy(head, 0, packet, 0, head.length);
        System.arraycopy(body, 0, packet, head.length, body.length);
        RecordingListener listener = new RecordingListener();
        UwsgiParser parser = new UwsgiParser(listener, 65535);
        ByteBuffer buffer = ByteBuffer.wrap(packet);
        while (buffer.hasRemaining())
            parser.parse(buffer);
        assertNotNull(listener.failure, listener.summary() + " state " + parser.getState());
        assertTrue(listener.failure.getMessage().startsWith("chunked body: "), listener.failure.getMessage());
    }

    @Test
    public void testOnlyOnePacketIsEverParsed()
    {
        byte[] first = packet(UwsgiVars.of("REQUEST_METHOD", "GET", "REQUEST_URI", "/a"));
        byte[] second = packet(UwsgiVars.of("REQUEST_METHOD", "GET", "REQUEST_URI", "/smuggled"));
        byte[] both = new byte[first.length + second.length];
        System.arraycopy(first, 0, both, 0, first.length);
        System.arraycopy(second, 0, both, first.length, second.length);
        RecordingListener listener = new RecordingListener();
        UwsgiParser parser = new UwsgiParser(listener, 65535);
        ByteBuffer buffer = ByteBuffer.wrap(both);
        while (buffer.hasRemaining())
            parser.parse(buffer);
        assertEquals(2, listener.events.size(), listener.summary());
        assertFalse(listener.summary().contains("/smuggled"));
    }

    @Test
    public void testEndOfStreamIsCleanOnlyBetweenPackets()
    {
        UwsgiParser fresh = new UwsgiParser(new RecordingListener(), 65535);
        assertNull(fresh.atEOF());

        byte[] packet = packet(UwsgiVars.of("REQUEST_METHOD", "POST", "CONTENT_LENGTH", "10"));
        UwsgiParser inVars = new UwsgiParser(new RecordingListener(), 65535);
        inVars.parse(ByteBuffer.wrap(packet, 0, 6));
        assertEquals("vars block: 2 bytes before end of stream (expected: " + (packet.length - 4) + ")", inVars.atEOF().getMessage());

        UwsgiParser inHeader = new UwsgiParser(new RecordingListener(), 65535);
        inHeader.parse(ByteBuffer.wrap(packet, 0, 3));
        assertEquals("packet header: 3 bytes before end of stream (expected: 4)", inHeader.atEOF().getMessage());

        UwsgiParser inBody = new UwsgiParser(new RecordingListener(), 65535);
        byte[] withPartialBody = new byte[packet.length + 4];
        System.arraycopy(packet, 0, withPartialBody, 0, packet.length);
        ByteBuffer buffer = ByteBuffer.wrap(withPartialBody);
        while (buffer.hasRemaining())
            inBody.parse(buffer);
        assertEquals("body: end of stream with 6 bytes missing (expected: CONTENT_LENGTH bytes)", inBody.atEOF().getMessage());
    }

    @Test
    public void testParserRejectsAnImpossibleLimit()
    {
        IllegalArgumentException x = assertThrows(IllegalArgumentException.class, () -> new UwsgiParser(new RecordingListener(), 70000));
        assertEquals("maxVarsSize: 70000 (expected: 0 to 65535)", x.getMessage());
    }

    static byte[] packet(UwsgiVars vars)
    {
        ByteBuffer buffer = UwsgiGenerator.generateRequest(0, 0, vars);
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        return bytes;
    }
}

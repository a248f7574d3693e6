package io.github.jettyuwsgi.launcher.stats;

import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import org.eclipse.jetty.io.ByteArrayEndPoint;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Coverage-guided fuzzing of the stats-http request reader: whatever a client sends (in two pieces split where the
 * input chooses, then end of stream) reaches {@link HttpStatsConnection} through Jetty's {@link ByteArrayEndPoint}.
 * Nothing may be thrown out of it; it answers at most one response, a 200 with the document or a 4xx/505 from Jetty's
 * parser, never a 5xx of its own nor a stack trace; it always ends closed; and it allocates no more than its fixed
 * head limit allows, whatever the client sends.
 */
public class HttpStatsConnectionFuzzTest
{
    private static final String DOCUMENT = "{\"version\":\"2.0.21\"}";
    private static final Pattern STATUS_LINE = Pattern.compile("HTTP/1\\.0 (\\d{3}) ");
    private static final long ALLOCATION_CONSTANT = 1024 * 1024;

    static
    {
        seeds().forEach(seed -> exchange((byte[])seed.get()[0], Math.min(3, ((byte[])seed.get()[0]).length)));
    }

    static Stream<Arguments> seeds()
    {
        return Stream.of("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n", "HEAD /stats HTTP/1.0\r\n\r\n",
            "POST / HTTP/1.1\r\nContent-Length: 3\r\n\r\nabc", "GET / HTTP/1.1\r\nX: " + "a".repeat(HttpStatsConnection.MAX_HEAD_BYTES) + "\r\n\r\n",
            "GET /\r\n\r\n", "\r\n\r\nGET / HTTP/9.9\r\n\r\n", "").map(text -> Arguments.of((Object)text.getBytes(StandardCharsets.ISO_8859_1)));
    }

    @MethodSource("seeds")
    @DictionaryEntries({"GET ", "HEAD ", "POST ", " HTTP/1.1", " HTTP/1.0", "\\x0d\\x0a", "Host: ", "Content-Length: ",
        "Transfer-Encoding: chunked", "Expect: 100-continue"})
    @FuzzTest(maxDuration = "15s")
    public void exchange(byte[] request)
    {
        int split = request.length == 0 ? 0 : Math.floorMod(Arrays.hashCode(request), request.length + 1);
        exchange(request, split);
        long before = allocatedBytes();
        String response = exchange(request, split);
        long allocated = allocatedBytes() - before;
        long limit = ALLOCATION_CONSTANT + 8L * Math.min(request.length, 4 * HttpStatsConnection.MAX_HEAD_BYTES);
        assertTrue(allocated <= limit, "allocated " + allocated + " bytes for " + request.length + " request bytes (expected: at most " + limit + ")");
        if (response.isEmpty())
            return; // closed without an answer: the client ended before a head
        Matcher status = STATUS_LINE.matcher(response);
        assertTrue(status.lookingAt(), "not one HTTP/1.0 response: " + response);
        int code = Integer.parseInt(status.group(1));
        assertTrue(code == 200 || code >= 400 && code < 500 || code == 505, "status " + code + ":\n" + response);
        assertFalse(response.indexOf("HTTP/1.0", 1) > 0, "a second response:\n" + response);
        assertFalse(response.contains("\tat ") || response.contains("Exception"), "a stack trace:\n" + response);
    }

    private static String exchange(byte[] request, int split)
    {
        ByteArrayEndPoint endPoint = new ByteArrayEndPoint();
        HttpStatsConnection connection = new HttpStatsConnection(endPoint, Runnable::run, () -> DOCUMENT);
        endPoint.setConnection(connection);
        connection.onOpen();
        endPoint.addInput(ByteBuffer.wrap(request, 0, split));
        if (endPoint.isOpen())
            endPoint.addInput(ByteBuffer.wrap(request, split, request.length - split));
        if (endPoint.isOpen())
            endPoint.addInputEOF();
        assertFalse(endPoint.isOpen(), "still open after end of stream");
        return endPoint.takeOutputString(StandardCharsets.ISO_8859_1);
    }

    private static long allocatedBytes()
    {
        return ((com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
    }
}

package io.github.jettyuwsgi.uwsgi.codec;

import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.stream.Stream;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.github.jettyuwsgi.captures.Captures;
import io.github.jettyuwsgi.uwsgi.codec.UwsgiException;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Coverage-guided fuzzing of {@link UwsgiParser} (Jazzer; the seeds are every captured request packet, the committed
 * crash inputs sit in {@code UwsgiParserFuzzTestInputs/}). One input is parsed three ways: whole from a heap buffer,
 * split at an index the input chooses into two direct buffers with the listener stopping after every event (the
 * connection's back-pressure), and byte by byte. All three must report the same events, the same body and the same
 * failure; only {@link UwsgiException} may be reported; a parse call that returns without stopping must have consumed
 * its whole buffer (anything else stalls the connection); and no input makes the parser allocate more than its
 * vars limit plus a bounded multiple of the input (a declared length is never allocated ahead of the bytes).
 */
public class UwsgiParserFuzzTest
{
    /** Small, so that "at most the vars limit" is a tight bound; the connector's default is uWSGI's 4096 too. */
    static final int MAX_VARS_SIZE = 4096;
    /** Strings and arrays for the decoded vars: about 40 bytes for each byte of the smallest var. */
    private static final long ALLOCATION_PER_INPUT_BYTE = 64;
    /** The chunked decoder's HttpParser and the parser's own fields. */
    private static final long ALLOCATION_CONSTANT = 256 * 1024;

    static
    {
        // Class loading and Jetty's static tables are allocated once, on the first packet: not by any input.
        for (String name : Captures.requestPackets())
        {
            byte[] packet = Captures.read(name);
            parseWhole(packet);
            parseInPieces(packet, packet.length / 2);
        }
    }

    static Stream<Arguments> captures()
    {
        return Captures.requestPackets().stream().map(name -> Arguments.of((Object)Captures.read(name)));
    }

    @MethodSource("captures")
    @DictionaryEntries({"CONTENT_LENGTH", "HTTP_TRANSFER_ENCODING", "chunked", "\\x0d\\x0a", "0\\x0d\\x0a\\x0d\\x0a",
        "GET /", "REQUEST_METHOD", "ffffffffffffffff", ";ext=1"})
    @FuzzTest(maxDuration = "15s")
    public void parse(byte[] input)
    {
        String whole = parseWhole(input);
        int split = input.length == 0 ? 0 : Math.floorMod(Arrays.hashCode(input), input.length + 1);
        String halves = parseInPieces(input, split);
        assertEquals(whole, halves, "split at " + split);

        // Measured on a second run: the first run of a code path loads and instruments classes, which no input pays.
        long before = allocatedBytes();
        parseWhole(input);
        parseInPieces(input, split);
        long allocated = allocatedBytes() - before;
        long limit = 2 * (MAX_VARS_SIZE + ALLOCATION_PER_INPUT_BYTE * input.length + ALLOCATION_CONSTANT);
        assertTrue(allocated <= limit, "allocated " + allocated + " bytes for an input of " + input.length + " (expected: at most " + limit + ")");

        assertEquals(whole, parseByteByByte(input), "byte by byte");
    }

    private static String parseWhole(byte[] input)
    {
        RecordingListener listener = new RecordingListener();
        UwsgiParser parser = new UwsgiParser(listener, MAX_VARS_SIZE);
        feed(parser, ByteBuffer.wrap(input));
        return outcome(parser, listener);
    }

    private static String parseInPieces(byte[] input, int split)
    {
        RecordingListener listener = new RecordingListener();
        listener.stopAlways = true;
        UwsgiParser parser = new UwsgiParser(listener, MAX_VARS_SIZE);
        feed(parser, direct(input, 0, split));
        feed(parser, direct(input, split, input.length));
        return outcome(parser, listener);
    }

    private static String parseByteByByte(byte[] input)
    {
        RecordingListener listener = new RecordingListener();
        UwsgiParser parser = new UwsgiParser(listener, MAX_VARS_SIZE);
        for (byte b : input)
        {
            feed(parser, ByteBuffer.wrap(new byte[]{b}));
        }
        return outcome(parser, listener);
    }

    private static ByteBuffer direct(byte[] input, int from, int to)
    {
        ByteBuffer buffer = ByteBuffer.allocateDirect(to - from);
        buffer.put(input, from, to - from).flip();
        return buffer;
    }

    /**
     * Parses one arrival of bytes as the connection does: after each stop it resumes at once (the event was handled),
     * even with nothing left in the buffer, until the parser asks for more bytes or the packet is done.
     */
    private static void feed(UwsgiParser parser, ByteBuffer buffer)
    {
        // every stop is one listener event, and there are at most a few per byte
        int calls = 4 + 4 * buffer.remaining();
        while (!isDone(parser))
        {
            if (!parser.parse(buffer))
            {
                assertFalse(buffer.hasRemaining(), "parse returned without stopping, " + buffer.remaining() + " bytes unread in state " + parser.getState());
                return;
            }
            assertFalse(--calls < 0, "parser stops without progress in state " + parser.getState());
        }
    }

    private static boolean isDone(UwsgiParser parser)
    {
        return parser.getState() == UwsgiParser.State.END || parser.getState() == UwsgiParser.State.FAILED;
    }

    private static String outcome(UwsgiParser parser, RecordingListener listener)
    {
        UwsgiException eof = parser.atEOF();
        return listener.summary() + "\nstate " + parser.getState() + "\neof " + (eof == null ? "clean" : eof.getMessage());
    }

    static long allocatedBytes()
    {
        return ((com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
    }
}

package io.github.jettyuwsgi.uwsgi.codec;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.stream.Stream;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.github.jettyuwsgi.uwsgi.codec.UwsgiException;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Coverage-guided fuzzing of {@link ChunkedBodyDecoder}: the input is a raw chunked body as uWSGI's router forwards it.
 * Decoded whole, split at an index the input chooses, and byte by byte, it must give the same content, the same end
 * and the same failure; only {@link UwsgiException} may escape; a decode call that neither stops nor completes must
 * have consumed its buffer; and the decoder allocates nothing in proportion to a declared chunk size (the content is
 * handed on as slices of the input).
 */
public class ChunkedBodyDecoderFuzzTest
{
    /** Jetty's HttpParser and its buffers, once per decoder; the content itself is never copied by the decoder. */
    private static final long ALLOCATION_CONSTANT = 64 * 1024;
    private static final long ALLOCATION_PER_INPUT_BYTE = 64;

    static
    {
        for (Arguments seed : seeds().toList())
        {
            decode((byte[])seed.get()[0], -1);
        }
    }

    static Stream<Arguments> seeds()
    {
        return Stream.of(
            "5\r\nhello\r\n0\r\n\r\n",
            "5;name=value\r\nhello\r\n6\r\n world\r\n0\r\nTrailer: x\r\n\r\n",
            "0\r\n\r\n",
            "ffffffff\r\nx\r\n",
            "A\r\n0123456789\r\n0\r\n\r\n").map(body -> Arguments.of((Object)body.getBytes(StandardCharsets.ISO_8859_1)));
    }

    @MethodSource("seeds")
    @DictionaryEntries({"\\x0d\\x0a", "0\\x0d\\x0a\\x0d\\x0a", ";ext=", "ffffffffffffffff", "7fffffff", "Trailer: "})
    @FuzzTest(maxDuration = "15s")
    public void decode(byte[] input)
    {
        String whole = decode(input, -1);
        int split = input.length == 0 ? 0 : Math.floorMod(Arrays.hashCode(input), input.length + 1);
        assertEquals(whole, decode(input, split), "split at " + split);
        assertEquals(whole, decode(input, 1), "byte by byte");

        // a second run, so that class loading on a first path is not counted
        long before = UwsgiParserFuzzTest.allocatedBytes();
        decode(input, -1);
        long allocated = UwsgiParserFuzzTest.allocatedBytes() - before;
        long limit = ALLOCATION_CONSTANT + ALLOCATION_PER_INPUT_BYTE * input.length;
        assertTrue(allocated <= limit, "allocated " + allocated + " bytes for " + input.length + " input bytes (expected: at most " + limit + ")");
    }

    /**
     * @param step -1 for the whole input, 1 for byte by byte, else the index of one split
     */
    private static String decode(byte[] input, int step)
    {
        ChunkedBodyDecoder decoder = new ChunkedBodyDecoder();
        ByteArrayOutputStream content = new ByteArrayOutputStream();
        ChunkedBodyDecoder.Sink sink = chunk ->
        {
            byte[] bytes = new byte[chunk.remaining()];
            chunk.get(bytes);
            content.writeBytes(bytes);
            return false;
        };
        String failure = "none";
        try
        {
            if (step < 0)
                feed(decoder, ByteBuffer.wrap(input), sink);
            else if (step == 1)
            {
                for (int i = 0; i < input.length && !decoder.isComplete(); i++)
                {
                    feed(decoder, ByteBuffer.wrap(input, i, 1), sink);
                }
            }
            else
            {
                feed(decoder, ByteBuffer.wrap(input, 0, step), sink);
                if (!decoder.isComplete())
                    feed(decoder, ByteBuffer.wrap(input, step, input.length - step), sink);
            }
        }
        catch (UwsgiException x)
        {
            failure = x.getMessage();
        }
        return "complete=" + decoder.isComplete() + " failure=" + failure + " content=" + content.size() + ":" + content.toString(StandardCharsets.ISO_8859_1);
    }

    private static void feed(ChunkedBodyDecoder decoder, ByteBuffer buffer, ChunkedBodyDecoder.Sink sink)
    {
        boolean stopped = decoder.decode(buffer, sink);
        assertFalse(!stopped && buffer.hasRemaining(), "decode returned without stopping, " + buffer.remaining() + " bytes unread");
    }
}

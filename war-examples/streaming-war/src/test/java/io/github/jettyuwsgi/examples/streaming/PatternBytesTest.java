package io.github.jettyuwsgi.examples.streaming;

import java.util.Arrays;
import java.util.Random;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

public class PatternBytesTest
{
    @Test
    public void testFirstBytesFollowTheFormula()
    {
        // (0*31+7)=7, 38, 69, 100, ...; byte 8 is 255 and byte 9 wraps to (286 & 0xFF) = 30.
        assertArrayEquals(new byte[]{7, 38, 69, 100, (byte)131, (byte)162, (byte)193, (byte)224, (byte)255, 30}, Arrays.copyOf(PatternBytes.tile(1), 10));
        assertEquals(PatternBytes.at(5), PatternBytes.at(5 + 256L * 1_000_000_007L));
    }

    @Test
    public void testDigestsDocumentedInReadme() throws Exception
    {
        // Computed independently with the Python one-liner in README.md.
        assertEquals("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", PatternDigest.sha256(0));
        assertEquals("06b7bbfb7824aa03382051691630eb26de85102d1b08a81e907ec0744cd8a286", PatternDigest.sha256(1024 * 1024));
    }

    @Test
    public void testEverySliceOfTheTileIsTheBodyAtThatPosition() throws Exception
    {
        Random random = new Random(42);
        for (int chunk : new int[]{1, 255, 256, 257, 1000, 65536})
        {
            byte[] tile = PatternBytes.tile(chunk);
            for (int trial = 0; trial < 50; trial++)
            {
                long position = trial < 3 ? trial : random.nextLong(1L << 40);
                byte[] expected = new byte[chunk];
                try (PatternDigest.PatternInputStream body = new PatternDigest.PatternInputStream(position + chunk))
                {
                    body.skipNBytes(position);
                    body.readNBytes(expected, 0, chunk);
                }
                int offset = PatternBytes.offsetOf(position);
                assertArrayEquals(expected, Arrays.copyOfRange(tile, offset, offset + chunk), "chunk " + chunk + " at " + position);
            }
        }
    }
}

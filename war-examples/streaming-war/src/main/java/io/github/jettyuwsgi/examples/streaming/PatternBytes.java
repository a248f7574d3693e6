package io.github.jettyuwsgi.examples.streaming;

/**
 * <p>The deterministic content served by {@code /download} and {@code /async-download}: byte {@code i} of a body is
 * {@code (i * 31 + 7) & 0xFF}. A client can check a body of any length without the server announcing a digest (which
 * it could only know after generating the whole body). Any loss or duplication changes the length, and a
 * shift by a number of bytes that is not a multiple of 256 changes every byte after it. Being periodic, the pattern
 * cannot reveal that two 256-byte-aligned blocks were swapped; that is the price of never computing bytes per
 * write.</p>
 * <p>Because {@code 31 * 256} is a multiple of 256, the pattern repeats every 256 bytes. A {@link #tile(int)} of
 * {@code chunk + 255} bytes therefore holds every possible chunk of the body: the chunk starting at offset {@code p}
 * is {@code tile[p % 256 .. p % 256 + chunk)}, so a download never computes or copies bytes per write.</p>
 */
public final class PatternBytes
{
    private static final int PERIOD = 256;

    private PatternBytes()
    {
    }

    /**
     * Returns byte {@code index} of the pattern.
     */
    public static byte at(long index)
    {
        return (byte)((index * 31 + 7) & 0xFF);
    }

    /**
     * Returns the first {@code chunk + 255} bytes of the pattern, from which every chunk of at most {@code chunk}
     * bytes can be sliced with {@link #offsetOf(long)}.
     */
    public static byte[] tile(int chunk)
    {
        byte[] tile = new byte[chunk + PERIOD - 1];
        for (int i = 0; i < tile.length; i++)
        {
            tile[i] = at(i);
        }
        return tile;
    }

    /**
     * Returns where in a {@link #tile(int)} the body bytes from {@code position} on start.
     */
    public static int offsetOf(long position)
    {
        return (int)(position % PERIOD);
    }
}

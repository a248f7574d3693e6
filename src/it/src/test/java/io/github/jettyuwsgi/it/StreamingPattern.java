package io.github.jettyuwsgi.it;

import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * <p>The streaming WAR's body pattern: byte {@code i} is {@code (i * 31 + 7) & 0xFF} (see war-examples/streaming-war
 * README.md). Its downloads are checked against {@link #sha256(long)} and uploads are made of it, so that a body
 * of any size takes no memory on the test side either.</p>
 */
public final class StreamingPattern
{
    private static final byte[] TILE = new byte[256];

    static
    {
        for (int i = 0; i < TILE.length; i++)
        {
            TILE[i] = (byte)(i * 31 + 7);
        }
    }

    private StreamingPattern()
    {
    }

    /**
     * @return the hex SHA-256 of the first {@code length} bytes of the pattern
     */
    public static String sha256(long length)
    {
        MessageDigest digest = newSha256();
        for (long whole = length / TILE.length; whole > 0; whole--)
        {
            digest.update(TILE);
        }
        digest.update(TILE, 0, (int)(length % TILE.length));
        return HexFormat.of().formatHex(digest.digest());
    }

    static MessageDigest newSha256()
    {
        try
        {
            return MessageDigest.getInstance("SHA-256");
        }
        catch (NoSuchAlgorithmException x)
        {
            throw new IllegalStateException(x);
        }
    }

    /**
     * @return the first {@code length} bytes of the pattern as a stream
     */
    public static InputStream stream(long length)
    {
        return new InputStream()
        {
            private long position;

            @Override
            public int read()
            {
                return position < length ? TILE[(int)(position++ % TILE.length)] & 0xFF : -1;
            }

            @Override
            public int read(byte[] buffer, int offset, int count)
            {
                if (count == 0)
                    return 0;
                if (position >= length)
                    return -1;
                int total = (int)Math.min(count, length - position);
                for (int i = 0; i < total; i++)
                {
                    buffer[offset + i] = TILE[(int)((position + i) % TILE.length)];
                }
                position += total;
                return total;
            }
        };
    }
}

package io.github.jettyuwsgi.examples.streaming;

import java.io.InputStream;
import java.security.MessageDigest;
import java.util.HexFormat;

/**
 * <p>The expected content of {@code /download} and {@code /async-download} for tests, computed straight from the
 * documented formula, byte {@code i} = {@code (i * 31 + 7) & 0xFF}, and deliberately not with {@link PatternBytes},
 * so that a mistake there cannot hide itself. Any test (this module's or an end-to-end one) can compare a downloaded
 * body's SHA-256 with {@link #sha256(long)}.</p>
 */
public final class PatternDigest
{
    private PatternDigest()
    {
    }

    /**
     * Returns the lower-case hex SHA-256 of the first {@code size} pattern bytes.
     */
    public static String sha256(long size) throws Exception
    {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        byte[] buffer = new byte[64 * 1024];
        try (InputStream pattern = new PatternInputStream(size))
        {
            for (int read = pattern.read(buffer); read >= 0; read = pattern.read(buffer))
            {
                digest.update(buffer, 0, read);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    /**
     * Returns the lower-case hex SHA-256 of everything {@code input} yields, and how many bytes that was, as
     * {@code {"length": n, "sha256": "hex"}}: the form the upload endpoints answer with.
     */
    public static String lengthAndSha256(InputStream input) throws Exception
    {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        byte[] buffer = new byte[64 * 1024];
        long length = 0;
        for (int read = input.read(buffer); read >= 0; read = input.read(buffer))
        {
            digest.update(buffer, 0, read);
            length += read;
        }
        return "{\"length\": " + length + ", \"sha256\": \"" + HexFormat.of().formatHex(digest.digest()) + "\"}";
    }

    /**
     * The first {@code size} pattern bytes as a stream, generated as they are read: a request body of any size for
     * the upload tests, at a fixed memory cost.
     */
    public static final class PatternInputStream extends InputStream
    {
        private final long size;
        private long position;

        public PatternInputStream(long size)
        {
            this.size = size;
        }

        @Override
        public int read()
        {
            if (position == size)
                return -1;
            return (int)((position++ * 31 + 7) & 0xFF);
        }

        @Override
        public int read(byte[] buffer, int offset, int length)
        {
            if (position == size)
                return -1;
            int count = (int)Math.min(length, size - position);
            for (int i = 0; i < count; i++)
            {
                buffer[offset + i] = (byte)((position++ * 31 + 7) & 0xFF);
            }
            return count;
        }

        /**
         * Skips without generating the skipped bytes, so a test can look at any position of a huge body.
         */
        @Override
        public long skip(long count)
        {
            long skipped = Math.max(0, Math.min(count, size - position));
            position += skipped;
            return skipped;
        }
    }
}

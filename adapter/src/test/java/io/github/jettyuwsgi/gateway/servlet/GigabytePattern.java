package io.github.jettyuwsgi.gateway.servlet;

import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;

/**
 * <p>The body the gigabyte streaming tests send: {@code length} deterministic bytes made from one random 64 KiB block
 * whose first 8 bytes are replaced by the block's index, so a lost, repeated or reordered block changes the SHA-256.
 * It is generated on the fly: the test JVM runs with a 64 MiB heap, so nothing the size of the body may exist
 * anywhere in it, not in the server and not in the client.</p>
 */
final class GigabytePattern extends InputStream
{
    private static final int BLOCK_SIZE = 64 * 1024;
    private static final byte[] BLOCK = new byte[BLOCK_SIZE];
    private static final Map<Long, byte[]> DIGESTS = new ConcurrentHashMap<>();

    static
    {
        new Random(20261124).nextBytes(BLOCK);
    }

    private final long length;
    private final byte[] current = BLOCK.clone();
    private long position;

    GigabytePattern(long length)
    {
        this.length = length;
    }

    /**
     * @param length the pattern's length
     * @return the SHA-256 of that many pattern bytes, computed once per length
     */
    static byte[] sha256(long length)
    {
        return DIGESTS.computeIfAbsent(length, n ->
        {
            MessageDigest digest = newDigest();
            byte[] buffer = new byte[BLOCK_SIZE];
            GigabytePattern pattern = new GigabytePattern(n);
            for (int count = pattern.read(buffer, 0, buffer.length); count > 0; count = pattern.read(buffer, 0, buffer.length))
            {
                digest.update(buffer, 0, count);
            }
            return digest.digest();
        }).clone();
    }

    static MessageDigest newDigest()
    {
        try
        {
            return MessageDigest.getInstance("SHA-256");
        }
        catch (NoSuchAlgorithmException x)
        {
            throw new IllegalStateException("SHA-256: not available (expected: in every JDK)", x);
        }
    }

    @Override
    public int read()
    {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] buffer, int offset, int count)
    {
        if (position >= length)
            return -1;
        int inBlock = (int)(position % BLOCK_SIZE);
        if (inBlock == 0)
        {
            long index = position / BLOCK_SIZE;
            for (int i = 0; i < 8; i++)
            {
                current[i] = (byte)(index >>> (56 - 8 * i));
            }
        }
        int n = (int)Math.min(Math.min(count, BLOCK_SIZE - inBlock), length - position);
        System.arraycopy(current, inBlock, buffer, offset, n);
        position += n;
        return n;
    }
}

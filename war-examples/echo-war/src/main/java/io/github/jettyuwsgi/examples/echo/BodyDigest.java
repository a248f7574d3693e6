package io.github.jettyuwsgi.examples.echo;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * <p>The length and SHA-256 of a stream read to its end: how {@link RequestDump} reports a raw request body or an
 * uploaded part without echoing its bytes, so a test can compare what arrived with what it sent, whatever the size.</p>
 *
 * @param length the number of bytes read
 * @param sha256 the lower-case hex SHA-256 of those bytes
 */
public record BodyDigest(long length, String sha256)
{
    /**
     * Reads {@code input} to its end in small steps, so a body of any size costs a fixed amount of memory.
     * Does not close the stream.
     */
    public static BodyDigest of(InputStream input) throws IOException
    {
        MessageDigest digest = newSha256();
        byte[] buffer = new byte[8192];
        long length = 0;
        for (int read = input.read(buffer); read >= 0; read = input.read(buffer))
        {
            digest.update(buffer, 0, read);
            length += read;
        }
        return new BodyDigest(length, HexFormat.of().formatHex(digest.digest()));
    }

    /**
     * Writes this digest as {@code {"length": n, "sha256": "hex"}}.
     */
    public void writeTo(JsonWriter json)
    {
        json.beginObject()
            .name("length").value(length)
            .name("sha256").value(sha256)
            .endObject();
    }

    private static MessageDigest newSha256()
    {
        try
        {
            return MessageDigest.getInstance("SHA-256");
        }
        catch (NoSuchAlgorithmException x)
        {
            // Every Java platform must provide SHA-256 (MessageDigest javadoc), so this cannot happen on a real JVM.
            throw new IllegalStateException("SHA-256 digest: unavailable (expected: provided by every Java platform)", x);
        }
    }
}

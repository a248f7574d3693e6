package io.github.jettyuwsgi.examples.streaming;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import jakarta.servlet.http.HttpServletResponse;

/**
 * <p>Counts and digests a request body as it arrives, for {@code /upload} (blocking reads) and
 * {@code /async-upload} (non-blocking reads), and answers with {@code {"length": n, "sha256": "hex"}}: the client
 * compares both with what it sent, so nothing of the body is ever kept.</p>
 */
final class UploadDigest
{
    /**
     * Reads happen in steps of this many bytes, the size of a typical socket read, so memory use is fixed.
     */
    static final int BUFFER_SIZE = 8 * 1024;

    private final MessageDigest sha256;
    private long length;

    UploadDigest()
    {
        try
        {
            sha256 = MessageDigest.getInstance("SHA-256");
        }
        catch (NoSuchAlgorithmException x)
        {
            // Every Java platform must provide SHA-256 (MessageDigest javadoc), so this cannot happen on a real JVM.
            throw new IllegalStateException("SHA-256 digest: unavailable (expected: provided by every Java platform)", x);
        }
    }

    void update(byte[] bytes, int offset, int count)
    {
        sha256.update(bytes, offset, count);
        length += count;
    }

    /**
     * Writes the JSON answer with a Content-Length; call once, after the body's last byte.
     */
    void sendResponse(HttpServletResponse response) throws IOException
    {
        String json = "{\"length\": " + length + ", \"sha256\": \"" + HexFormat.of().formatHex(sha256.digest()) + "\"}";
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        response.setStatus(HttpServletResponse.SC_OK);
        response.setContentType("application/json; charset=UTF-8");
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }
}

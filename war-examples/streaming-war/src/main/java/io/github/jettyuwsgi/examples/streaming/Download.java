package io.github.jettyuwsgi.examples.streaming;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * <p>What a client asked {@code /download} or {@code /async-download} for: {@code size=N} bytes of
 * {@link PatternBytes} in writes of {@code chunk=K} bytes, with a Content-Length only when {@code length=true}
 * (otherwise the body ends with the connection, or is chunk-encoded by a plain HTTP/1.1 connector).</p>
 *
 * @param size the body length in bytes
 * @param chunk the number of bytes handed to each write
 * @param contentLength whether to announce the length
 */
record Download(long size, int chunk, boolean contentLength)
{
    static final int DEFAULT_CHUNK = 64 * 1024;
    static final int MAX_CHUNK = 4 * 1024 * 1024;

    /**
     * @throws IllegalArgumentException with a message for the client when a parameter is malformed
     */
    static Download of(HttpServletRequest request)
    {
        long size = Parameters.requiredLongParameter(request, "size", 0, Long.MAX_VALUE);
        int chunk = (int)Parameters.longParameter(request, "chunk", DEFAULT_CHUNK, 1, MAX_CHUNK);
        boolean contentLength = Parameters.booleanParameter(request, "length");
        return new Download(size, chunk, contentLength);
    }

    /**
     * Sets the status and headers; the body follows.
     */
    void startResponse(HttpServletResponse response)
    {
        response.setStatus(HttpServletResponse.SC_OK);
        response.setContentType("application/octet-stream");
        if (contentLength)
            response.setContentLengthLong(size);
    }
}

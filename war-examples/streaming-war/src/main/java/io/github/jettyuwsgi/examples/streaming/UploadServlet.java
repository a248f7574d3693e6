package io.github.jettyuwsgi.examples.streaming;

import java.io.IOException;

import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * <p>{@code POST|PUT /upload}: reads the request body with blocking reads of 8 KiB and answers
 * {@code {"length": n, "sha256": "hex"}}. The body is never held in memory, so an upload of any size shows whether the
 * frontend streams the request body to the backend and frames it correctly (Content-Length or chunked).</p>
 *
 * @see AsyncUploadServlet the same answer computed with non-blocking reads
 */
public class UploadServlet extends HttpServlet
{
    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException
    {
        UploadDigest digest = new UploadDigest();
        byte[] buffer = new byte[UploadDigest.BUFFER_SIZE];
        ServletInputStream input = request.getInputStream();
        for (int read = input.read(buffer); read >= 0; read = input.read(buffer))
        {
            digest.update(buffer, 0, read);
        }
        digest.sendResponse(response);
    }

    @Override
    protected void doPut(HttpServletRequest request, HttpServletResponse response) throws IOException
    {
        doPost(request, response);
    }
}

package io.github.jettyuwsgi.examples.streaming;

import java.io.IOException;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * <p>{@code POST|PUT /async-upload}: reads the request body with non-blocking I/O (a {@link ReadListener}) and answers
 * the same {@code {"length": n, "sha256": "hex"}} as {@link UploadServlet}. No thread waits for body bytes, so this
 * exercises the connector's demand-driven read path rather than its blocking one.</p>
 */
public class AsyncUploadServlet extends HttpServlet
{
    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException
    {
        AsyncContext async = request.startAsync();
        // The body's arrival ends the request, or the connection's idle timeout fails it through onError; an async
        // timeout would cut off a large upload that is still making progress.
        async.setTimeout(0);
        ServletInputStream input = request.getInputStream();
        input.setReadListener(new DigestingReader(input, async));
    }

    @Override
    protected void doPut(HttpServletRequest request, HttpServletResponse response) throws IOException
    {
        doPost(request, response);
    }

    private class DigestingReader implements ReadListener
    {
        private final ServletInputStream input;
        private final AsyncContext async;
        private final UploadDigest digest = new UploadDigest();
        private final byte[] buffer = new byte[UploadDigest.BUFFER_SIZE];

        DigestingReader(ServletInputStream input, AsyncContext async)
        {
            this.input = input;
            this.async = async;
        }

        @Override
        public void onDataAvailable() throws IOException
        {
            // Read only while isReady() says a read will not block; when it turns false the container calls again
            // once more bytes have arrived.
            while (input.isReady())
            {
                int read = input.read(buffer);
                if (read < 0)
                    return; // onAllDataRead() follows.
                digest.update(buffer, 0, read);
            }
        }

        @Override
        public void onAllDataRead() throws IOException
        {
            try
            {
                // No WriteListener is set, so the output is still in blocking mode; the answer is a few bytes.
                digest.sendResponse((HttpServletResponse)async.getResponse());
            }
            finally
            {
                async.complete();
            }
        }

        @Override
        public void onError(Throwable failure)
        {
            log("async upload: failed while reading the body", failure);
            async.complete();
        }
    }
}

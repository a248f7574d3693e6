package io.github.jettyuwsgi.examples.streaming;

import java.io.IOException;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * <p>{@code GET /async-download?size=N[&chunk=K][&length=true]}: the body of {@link DownloadServlet}, written with
 * non-blocking I/O (a {@link WriteListener}). No thread waits for a slow client, so this exercises the connector's
 * write completion callbacks instead of its blocking writes.</p>
 */
public class AsyncDownloadServlet extends HttpServlet
{
    /**
     * Answers HEAD with the headers of GET, without producing the body only to discard it.
     */
    @Override
    protected void doHead(HttpServletRequest request, HttpServletResponse response) throws IOException
    {
        doGet(request, response);
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException
    {
        Download download;
        try
        {
            download = Download.of(request);
        }
        catch (IllegalArgumentException x)
        {
            Parameters.sendBadRequest(response, x.getMessage());
            return;
        }

        download.startResponse(response);
        if (request.getMethod().equals("HEAD"))
            return;
        AsyncContext async = request.startAsync();
        // Completion follows the last write, or a write failure through onError; see AsyncUploadServlet.
        async.setTimeout(0);
        ServletOutputStream output = response.getOutputStream();
        output.setWriteListener(new PatternWriter(download, output, async));
    }

    private class PatternWriter implements WriteListener
    {
        private final Download download;
        private final ServletOutputStream output;
        private final AsyncContext async;
        private final byte[] tile;
        private long written;

        PatternWriter(Download download, ServletOutputStream output, AsyncContext async)
        {
            this.download = download;
            this.output = output;
            this.async = async;
            this.tile = PatternBytes.tile(download.chunk());
        }

        @Override
        public void onWritePossible() throws IOException
        {
            // isReady() is false while a write is still in flight; the container calls again once it has completed.
            // Checking it before complete() too ensures the last chunk was accepted before the response is closed.
            while (output.isReady())
            {
                if (written == download.size())
                {
                    async.complete();
                    return;
                }
                int length = (int)Math.min(download.chunk(), download.size() - written);
                output.write(tile, PatternBytes.offsetOf(written), length);
                written += length;
            }
        }

        @Override
        public void onError(Throwable failure)
        {
            log("async download: failed after " + written + " of " + download.size() + " bytes", failure);
            async.complete();
        }
    }
}

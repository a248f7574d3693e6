package io.github.jettyuwsgi.examples.streaming;

import java.io.IOException;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * <p>{@code GET /download?size=N[&chunk=K][&length=true]}: streams N bytes of {@link PatternBytes} with blocking
 * writes of K bytes. Memory use does not depend on N (one tile of K + 255 bytes), so a gigabyte flows through a
 * small heap and shows whether the frontend streams or buffers a large response.</p>
 *
 * @see AsyncDownloadServlet the same body written with non-blocking I/O
 */
public class DownloadServlet extends HttpServlet
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
        byte[] tile = PatternBytes.tile(download.chunk());
        ServletOutputStream output = response.getOutputStream();
        for (long written = 0; written < download.size(); )
        {
            int length = (int)Math.min(download.chunk(), download.size() - written);
            output.write(tile, PatternBytes.offsetOf(written), length);
            written += length;
        }
    }
}

package io.github.jettyuwsgi.uwsgi.internal;

import java.nio.ByteBuffer;

import org.eclipse.jetty.http.HttpGenerator;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.http.MetaData;
import org.eclipse.jetty.io.ByteBufferPool;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.RetainableByteBuffer;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpStream;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.Callback;

/**
 * The upgrade of a uwsgi connection into a tunnel, as a WebSocket handshake does it: the application (Jetty's
 * WebSocket server) answers {@code 101 Switching Protocols} and leaves the connection that takes over in the request
 * attribute {@link HttpStream#UPGRADE_CONNECTION_ATTRIBUTE}; this class writes that {@code 101} head, and once the
 * response is complete the end point is handed to that connection with whatever the frontend sent after the packet.
 *
 * <p>nginx ({@code uwsgi_pass}) and uWSGI's HTTP router tunnel the bytes both ways once they have read a {@code 101}
 * from a uwsgi backend, exactly as after an HTTP/1.1 upgrade; every other {@code 1xx} is still never sent, because
 * those frontends take any status line as the final one.</p>
 */
final class SwitchingProtocols
{
    private SwitchingProtocols()
    {
    }

    /**
     * @param request the request being answered, or {@code null}
     * @param response the response about to be sent, or {@code null} for more content
     * @return whether this is the {@code 101} of an upgrade that a connection is ready to take over
     */
    static boolean isUpgrade(Request request, MetaData.Response response)
    {
        return response != null && response.getStatus() == HttpStatus.SWITCHING_PROTOCOLS_101 && upgradeConnection(request) != null;
    }

    /**
     * @param request the request, or {@code null} when none was made
     * @return the connection that takes over the end point after the {@code 101}, or {@code null} when there is none
     */
    static Connection upgradeConnection(Request request)
    {
        return request != null && request.getAttribute(HttpStream.UPGRADE_CONNECTION_ATTRIBUTE) instanceof Connection upgraded ? upgraded : null;
    }

    /**
     * Writes the {@code 101} status line and headers as they are (persistent, so no {@code Connection: close} is
     * added, and without a body), then completes the callback.
     *
     * @param connection the uwsgi connection whose end point is written to
     * @param response the {@code 101} response
     * @param callback completed when the head is written
     */
    static void sendHead(UwsgiConnection connection, MetaData.Response response, Callback callback)
    {
        HttpConfiguration config = connection.getHttpConfiguration();
        ByteBufferPool pool = connection.getBufferPool();
        int size = Math.max(config.getResponseHeaderSize(), config.getMaxResponseHeaderSize());
        RetainableByteBuffer header = pool.acquire(size, connection.isUseOutputDirectByteBuffers());
        try
        {
            HttpGenerator generator = new HttpGenerator();
            generator.setPersistent(true);
            generator.setMaxHeaderBytes(size);
            HttpGenerator.Result result = generator.generateResponse(response, false, header.getByteBuffer(), null, null, true);
            if (result != HttpGenerator.Result.FLUSH)
                throw new IllegalStateException("uwsgi: 101 head not generated: " + result + " (expected: FLUSH)");
        }
        catch (Throwable x)
        {
            header.release();
            callback.failed(x);
            return;
        }
        ByteBuffer bytes = header.getByteBuffer();
        connection.countOut(bytes.remaining());
        connection.getEndPoint().write(Callback.from(callback, header::release), bytes);
    }

    /**
     * @param input the uwsgi connection's input buffer, or {@code null}
     * @return a copy of the bytes the frontend sent after the packet, already tunnelled data, or {@code null} if none
     */
    static ByteBuffer copyUnread(RetainableByteBuffer input)
    {
        if (input == null || !input.hasRemaining())
            return null;
        ByteBuffer unread = BufferUtil.allocate(input.remaining());
        BufferUtil.append(unread, input.getByteBuffer());
        return unread;
    }
}

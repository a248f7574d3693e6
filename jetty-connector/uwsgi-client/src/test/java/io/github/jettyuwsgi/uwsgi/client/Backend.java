package io.github.jettyuwsgi.uwsgi.client;

import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import io.github.jettyuwsgi.uwsgi.UwsgiConnectionFactory;
import io.github.jettyuwsgi.uwsgi.UwsgiUnixDomainConnector;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.RequestLog;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;

/**
 * A real Jetty with our connection factory on a loopback TCP port and a Unix socket, answering every request with what
 * it received: method, URI, every var in arrival order, the body's length and SHA-256.
 */
public final class Backend implements AutoCloseable
{
    private final Server server = new Server();
    private final ServerConnector tcp;
    private final UwsgiUnixDomainConnector unix;
    private final Path socketDir;

    public Backend() throws Exception
    {
        this(null);
    }

    /**
     * @param requestLog the server's request log, or null for none
     */
    public Backend(RequestLog requestLog) throws Exception
    {
        server.setRequestLog(requestLog);
        HttpConfiguration config = new HttpConfiguration();
        tcp = new ServerConnector(server, 1, 1, new UwsgiConnectionFactory(config));
        tcp.setHost("127.0.0.1");
        server.addConnector(tcp);
        // Unix socket paths are limited to 107 bytes: keep them short
        socketDir = Files.createTempDirectory(Path.of("/tmp"), "uwc");
        unix = new UwsgiUnixDomainConnector(server, 1, 1, new UwsgiConnectionFactory(config));
        unix.setUnixDomainPath(socketDir.resolve("app.sock"));
        server.addConnector(unix);
        server.setHandler(new Echo());
        server.start();
    }

    public Server server()
    {
        return server;
    }

    public int port()
    {
        return tcp.getLocalPort();
    }

    public Path socket()
    {
        return socketDir.resolve("app.sock");
    }

    @Override
    public void close() throws Exception
    {
        server.stop();
        Files.deleteIfExists(socket());
        Files.deleteIfExists(socketDir);
    }

    private static final class Echo extends Handler.Abstract
    {
        @Override
        public boolean handle(Request request, Response response, Callback callback) throws Exception
        {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            long length = 0;
            try (InputStream body = Content.Source.asInputStream(request))
            {
                byte[] chunk = new byte[8192];
                for (int n; (n = body.read(chunk)) >= 0; length += n)
                    sha256.update(chunk, 0, n);
            }
            StringBuilder echo = new StringBuilder();
            echo.append("method=").append(request.getMethod()).append('\n');
            echo.append("uri=").append(request.getHttpURI().getPathQuery()).append('\n');
            @SuppressWarnings("unchecked")
            Map<String, List<String>> vars = (Map<String, List<String>>)request.getAttribute(UwsgiConnectionFactory.VARS_ATTRIBUTE);
            vars.forEach((name, values) -> values.forEach(value -> echo.append("var ").append(name).append('=').append(value).append('\n')));
            echo.append("body-length=").append(length).append('\n');
            echo.append("body-sha256=").append(HexFormat.of().formatHex(sha256.digest())).append('\n');
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain; charset=ISO-8859-1");
            response.getHeaders().put("X-Echo", "yes");
            response.write(true, ByteBuffer.wrap(echo.toString().getBytes(StandardCharsets.ISO_8859_1)), callback);
            return true;
        }
    }
}

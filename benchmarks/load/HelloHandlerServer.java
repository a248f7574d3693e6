import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import io.github.jettyuwsgi.uwsgi.UwsgiConnectionFactory;
import io.github.jettyuwsgi.uwsgi.UwsgiUnixDomainConnector;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;

/**
 * A benchmark target without the servlet container (run-bench.sh compiles it against the launcher's jars at run time):
 * the uwsgi connector and Jetty's HTTP connector in front of one core {@link Handler} that answers the same 13 bytes as
 * the hello servlet. What a request costs here is the connection and Jetty's core request; what the {@code ours-*}
 * targets cost beyond it is the servlet container a WAR runs in (context, session, security and servlet handlers,
 * the servlet request and response, the WebSocket upgrade filter).
 *
 * <p>Usage: {@code java HelloHandlerServer UNIX_SOCKET_PATH HTTP_PORT}; prints {@code ready} once both listen.</p>
 */
public class HelloHandlerServer
{
    private static final ByteBuffer HELLO = ByteBuffer.wrap("Hello, World!".getBytes(StandardCharsets.US_ASCII)).asReadOnlyBuffer();

    public static void main(String[] args) throws Exception
    {
        Server server = new Server();
        UwsgiUnixDomainConnector uwsgi = new UwsgiUnixDomainConnector(server, new UwsgiConnectionFactory());
        uwsgi.setUnixDomainPath(Path.of(args[0]));
        uwsgi.setSocketMode("666");
        // the launcher's default listen backlog (uWSGI's): Jetty's default would refuse nginx's connects under this load
        uwsgi.setAcceptQueueSize(100);
        ServerConnector http = new ServerConnector(server, new HttpConnectionFactory());
        http.setHost("127.0.0.1");
        http.setPort(Integer.parseInt(args[1]));
        http.setAcceptQueueSize(100);
        server.addConnector(uwsgi);
        server.addConnector(http);
        server.setHandler(new Handler.Abstract.NonBlocking()
        {
            @Override
            public boolean handle(Request request, Response response, Callback callback)
            {
                response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain");
                response.getHeaders().put(HttpHeader.CONTENT_LENGTH, HELLO.remaining());
                response.write(true, HELLO.slice(), callback);
                return true;
            }
        });
        server.start();
        System.out.println("ready");
        server.join();
    }
}

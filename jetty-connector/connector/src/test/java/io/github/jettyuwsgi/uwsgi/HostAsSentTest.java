package io.github.jettyuwsgi.uwsgi;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import io.github.jettyuwsgi.uwsgi.codec.UwsgiVars;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpTester;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * One Jetty with its HTTP connector and our uwsgi connector: a request whose Host the client named is seen the same way
 * over both, whatever port the frontend listens on and whatever {@code SERVER_PORT} it sends ({@code uwsgi_curl} sends
 * the backend's port).
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
public class HostAsSentTest
{
    private final Server server = new Server();
    private ServerConnector http;
    private ServerConnector uwsgi;

    @BeforeEach
    public void start() throws Exception
    {
        HttpConfiguration config = new HttpConfiguration();
        // an absolute Location shows the authority the redirect was built from
        config.setRelativeRedirectAllowed(false);
        http = new ServerConnector(server, 1, 1, new HttpConnectionFactory(config));
        http.setHost("127.0.0.1");
        uwsgi = new ServerConnector(server, 1, 1, new UwsgiConnectionFactory(config));
        uwsgi.setHost("127.0.0.1");
        server.addConnector(http);
        server.addConnector(uwsgi);
        server.setHandler(new Report());
        server.start();
    }

    @AfterEach
    public void stop() throws Exception
    {
        server.stop();
    }

    @ParameterizedTest
    @CsvSource({
        "app.example",
        "app.example:8443",
        "app.example:80",
        "127.0.0.1",
        "[::1]:81",
    })
    public void hostAsOverHttp(String host) throws Exception
    {
        String overHttp = overHttp(host);
        // what uwsgi_curl sends: SERVER_NAME/SERVER_PORT are the backend's, never the client's Host
        String overUwsgi = overUwsgi(UwsgiVars.of("REQUEST_METHOD", "GET", "REQUEST_URI", "/p?q=1", "SERVER_PROTOCOL", "HTTP/1.1",
            "SERVER_NAME", "127.0.0.1", "SERVER_PORT", Integer.toString(uwsgi.getLocalPort()), "HTTP_HOST", host));
        assertEquals(overHttp, overUwsgi);
        assertEquals(host, overHttp.lines().findFirst().orElseThrow(), overHttp);
    }

    @ParameterizedTest
    @CsvSource({
        "app.example, 8080, 'app.example|app.example|443|https://app.example/p?q=1|https://app.example/next'",
        "app.example:8443, 443, 'app.example:8443|app.example|8443|https://app.example:8443/p?q=1|https://app.example:8443/next'",
    })
    public void secureHostTakesTheHttpsDefaultPort(String host, String serverPort, String expected) throws Exception
    {
        String overUwsgi = overUwsgi(UwsgiVars.of("REQUEST_METHOD", "GET", "REQUEST_URI", "/p?q=1", "SERVER_PROTOCOL", "HTTP/1.1",
            "HTTPS", "on", "SERVER_NAME", "app.example", "SERVER_PORT", serverPort, "HTTP_HOST", host));
        assertEquals(expected.replace('|', '\n') + "\n", overUwsgi);
    }

    @ParameterizedTest
    @CsvSource({
        "vm, 8082, 'null|vm|8082|http://vm:8082/p?q=1|http://vm:8082/next'",
        "vm, 80, 'null|vm|80|http://vm/p?q=1|http://vm/next'",
    })
    public void withoutHostTheServerVarsNameTheServer(String serverName, String serverPort, String expected) throws Exception
    {
        String overUwsgi = overUwsgi(UwsgiVars.of("REQUEST_METHOD", "GET", "REQUEST_URI", "/p?q=1", "SERVER_PROTOCOL", "HTTP/1.0",
            "SERVER_NAME", serverName, "SERVER_PORT", serverPort));
        assertEquals(expected.replace('|', '\n') + "\n", overUwsgi);
    }

    private String overHttp(String host) throws IOException
    {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), http.getLocalPort()))
        {
            OutputStream out = socket.getOutputStream();
            out.write(("GET /p?q=1 HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            return body(HttpTester.parseResponse(socket.getInputStream()));
        }
    }

    private String overUwsgi(UwsgiVars vars) throws IOException
    {
        try (RawFrontend frontend = RawFrontend.tcp(uwsgi.getLocalPort()))
        {
            InputStream in = frontend.send(RawFrontend.packet(vars)).input();
            return body(HttpTester.parseResponse(in));
        }
    }

    private static String body(HttpTester.Response response)
    {
        assertEquals(302, response.getStatus(), response.toString() + response.getContent());
        assertEquals(response.get(HttpHeader.LOCATION), response.getContent().lines().skip(4).findFirst().orElseThrow());
        return response.getContent();
    }

    /**
     * Answers a redirect to {@code /next} whose body names the Host header, server name and port and request URL the
     * request was seen with, and the Location.
     */
    private static final class Report extends Handler.Abstract
    {
        @Override
        public boolean handle(Request request, Response response, Callback callback)
        {
            String location = Response.toRedirectURI(request, "/next");
            String report = request.getHeaders().get(HttpHeader.HOST) + "\n"
                + Request.getServerName(request) + "\n"
                + Request.getServerPort(request) + "\n"
                + request.getHttpURI().asString() + "\n"
                + location + "\n";
            response.setStatus(302);
            response.getHeaders().put(HttpHeader.LOCATION, location);
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain; charset=ISO-8859-1");
            response.write(true, ByteBuffer.wrap(report.getBytes(StandardCharsets.ISO_8859_1)), callback);
            return true;
        }
    }
}

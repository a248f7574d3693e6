package io.github.jettyuwsgi.launcher.listeners;

import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.github.jettyuwsgi.launcher.options.HttpsSocketSpec;
import io.github.jettyuwsgi.uwsgi.trust.FrontendAllowList;
import io.github.jettyuwsgi.uwsgi.trust.FrontendTrust;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.fcgi.client.transport.HttpClientTransportOverFCGI;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.ConnectionFactory;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Each listener's protocol stack in a real Jetty with a real client: curl over HTTPS with certificates and keys that
 * OpenSSL makes for the test (PKCS#8, traditional RSA, EC), and Jetty's FastCGI client over the FastCGI listener.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
public class ListenerFactoriesTest
{
    @TempDir
    Path dir;
    private Server server;

    @AfterEach
    public void stop() throws Exception
    {
        if (server != null)
            server.stop();
    }

    private int start(org.eclipse.jetty.server.ConnectionFactory... factories) throws Exception
    {
        server = new Server();
        ServerConnector connector = new ServerConnector(server, factories);
        connector.setHost("127.0.0.1");
        server.addConnector(connector);
        server.setHandler(new Handler.Abstract()
        {
            @Override
            public boolean handle(Request request, Response response, Callback callback)
            {
                String body = request.getMethod() + " " + request.getHttpURI().getPathQuery() + " secure=" + request.isSecure() + " scheme=" + request.getHttpURI().getScheme();
                if (request.getHttpURI().getPath().equals("/remote"))
                    body = Request.getRemoteAddr(request) + ":" + Request.getRemotePort(request);
                Content.Sink.write(response, true, body, callback);
                return true;
            }
        });
        server.start();
        return connector.getLocalPort();
    }

    private void openssl(String... arguments) throws Exception
    {
        List<String> command = new ArrayList<>(List.of("openssl"));
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, process.waitFor(), () -> String.join(" ", command) + "\n" + output);
    }

    private String curl(int port) throws Exception
    {
        Process process = new ProcessBuilder("curl", "-sS", "--max-time", "20", "--cacert", dir.resolve("cert.pem").toString(),
            "https://localhost:" + port + "/hello?x=1").redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, process.waitFor(), output);
        return output;
    }

    private void selfSigned(String key) throws Exception
    {
        openssl("req", "-x509", "-key", key, "-out", "cert.pem", "-days", "2", "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost");
    }

    @Test
    public void testCurlOverHttpsWithPkcs8RsaKey() throws Exception
    {
        openssl("genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", "key.pem");
        selfSigned("key.pem");
        int port = start(ListenerFactories.https(new HttpConfiguration(), HttpsSocketSpec.parse(":0," + dir.resolve("cert.pem") + "," + dir.resolve("key.pem"))));
        assertEquals("GET /hello?x=1 secure=true scheme=https", curl(port));
    }

    @Test
    public void testCurlOverHttpsWithTraditionalRsaKey() throws Exception
    {
        openssl("genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", "key8.pem");
        openssl("rsa", "-in", "key8.pem", "-traditional", "-out", "key.pem");
        assertTrue(Files.readString(dir.resolve("key.pem")).contains("BEGIN RSA PRIVATE KEY"));
        selfSigned("key.pem");
        int port = start(ListenerFactories.https(new HttpConfiguration(), HttpsSocketSpec.parse(":0," + dir.resolve("cert.pem") + "," + dir.resolve("key.pem"))));
        assertEquals("GET /hello?x=1 secure=true scheme=https", curl(port));
    }

    @Test
    public void testCurlOverHttpsWithEcKeyAndJsseCiphers() throws Exception
    {
        openssl("ecparam", "-name", "prime256v1", "-genkey", "-out", "key.pem");
        assertTrue(Files.readString(dir.resolve("key.pem")).contains("BEGIN EC PRIVATE KEY"));
        selfSigned("key.pem");
        String spec = ":0," + dir.resolve("cert.pem") + "," + dir.resolve("key.pem") + ",TLS_AES_128_GCM_SHA256:TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256";
        int port = start(ListenerFactories.https(new HttpConfiguration(), HttpsSocketSpec.parse(spec)));
        assertEquals("GET /hello?x=1 secure=true scheme=https", curl(port));
    }

    @Test
    public void testKeyThatIsNoKeyIsAClearError() throws Exception
    {
        openssl("genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", "key.pem");
        selfSigned("key.pem");
        HttpsSocketSpec swapped = HttpsSocketSpec.parse(":0," + dir.resolve("cert.pem") + "," + dir.resolve("cert.pem"));
        IllegalArgumentException failure = assertThrows(IllegalArgumentException.class, () -> ListenerFactories.https(new HttpConfiguration(), swapped));
        assertTrue(failure.getMessage().contains("no private key block"), failure.getMessage());
    }

    @Test
    public void testUwsgiHttpsSyntax() throws IOException
    {
        HttpsSocketSpec spec = HttpsSocketSpec.parse("127.0.0.1:8443,foobar.crt,foobar.key,HIGH");
        assertEquals(8443, spec.address().getPort());
        assertEquals(Path.of("foobar.crt"), spec.certificate());
        assertEquals(Path.of("foobar.key"), spec.key());
        assertEquals(List.of("HIGH"), spec.ciphers());
        assertEquals(List.of(), HttpsSocketSpec.parse(":8443,a.crt,b.key").ciphers());
        assertThrows(IllegalArgumentException.class, () -> HttpsSocketSpec.parse(":8443,a.crt"));
        assertThrows(IllegalArgumentException.class, () -> HttpsSocketSpec.parse(":8443,,b.key"));
        assertThrows(IllegalArgumentException.class, () -> HttpsSocketSpec.parse(":8443,a.crt,b.key,HIGH,ca.crt"));
    }

    @Test
    public void testFastCgiClientIsServed() throws Exception
    {
        int port = start(ListenerFactories.fastcgi(new HttpConfiguration(), null));
        HttpClient client = new HttpClient(new HttpClientTransportOverFCGI("/srv"));
        client.start();
        try
        {
            for (int i = 0; i < 3; i++)
            {
                ContentResponse response = client.GET("http://127.0.0.1:" + port + "/hello?x=" + i);
                assertEquals(200, response.getStatus());
                assertEquals("GET /hello?x=" + i + " secure=false scheme=http", response.getContentAsString());
            }
        }
        finally
        {
            client.stop();
        }
    }

    /**
     * With {@code allow-frontend}, a FastCGI connection from another address is closed unread and counted, as on a
     * uwsgi socket; one from an allowed address is served.
     */
    @Test
    public void testFastCgiAllowListClosesOtherFrontends() throws Exception
    {
        ConnectionFactory[] refusing = ListenerFactories.fastcgi(new HttpConfiguration(), FrontendAllowList.of(List.of("192.0.2.0/24")));
        int refusingPort = start(refusing);
        FrontendTrust trust = ((TrustedFastCgiConnectionFactory)refusing[0]).getFrontendTrust();
        try (Socket socket = new Socket("127.0.0.1", refusingPort))
        {
            socket.setSoTimeout(10_000);
            // closed before anything is read: the client sees the end of the stream, not an answer
            assertEquals(-1, socket.getInputStream().read());
        }
        assertEquals(1, trust.getRefusedAddresses());
        server.stop();

        int port = start(ListenerFactories.fastcgi(new HttpConfiguration(), FrontendAllowList.of(List.of("127.0.0.0/8"))));
        HttpClient allowed = new HttpClient(new HttpClientTransportOverFCGI("/srv"));
        allowed.start();
        try
        {
            assertEquals(200, allowed.GET("http://127.0.0.1:" + port + "/hello").getStatus());
        }
        finally
        {
            allowed.stop();
        }
    }

    /**
     * The FastCGI server answers the client's address from the frontend's REMOTE_ADDR and REMOTE_PORT params, not
     * from its socket (which sees the frontend); without them, the socket's.
     */
    @Test
    public void testFastCgiRemoteAddressIsTheFrontendsClient() throws Exception
    {
        int port = start(ListenerFactories.fastcgi(new HttpConfiguration(), null));
        HttpClient client = new HttpClient(new HttpClientTransportOverFCGI("/srv")
        {
            @Override
            public void customize(org.eclipse.jetty.client.Request request, HttpFields.Mutable params)
            {
                super.customize(request, params);
                if (request.getPath().startsWith("/remote"))
                {
                    params.put("REMOTE_ADDR", request.getHeaders().get("X-Test-Addr"));
                    params.put("REMOTE_PORT", request.getHeaders().get("X-Test-Port"));
                }
            }
        });
        client.start();
        try
        {
            assertEquals("203.0.113.9:40001", client.newRequest("http://127.0.0.1:" + port + "/remote")
                .headers(h -> h.put("X-Test-Addr", "203.0.113.9").put("X-Test-Port", "40001")).send().getContentAsString());
            assertEquals("2001:db8::7:0", client.newRequest("http://127.0.0.1:" + port + "/remote")
                .headers(h -> h.put("X-Test-Addr", "2001:db8::7").put("X-Test-Port", "x")).send().getContentAsString());
            assertTrue(client.GET("http://127.0.0.1:" + port + "/other").getContentAsString().startsWith("GET /other"));
        }
        finally
        {
            client.stop();
        }
    }
}

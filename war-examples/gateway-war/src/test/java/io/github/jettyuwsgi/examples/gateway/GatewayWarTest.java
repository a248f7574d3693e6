package io.github.jettyuwsgi.examples.gateway;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Random;

import io.github.jettyuwsgi.examples.test.WarServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * <p>Deploys the exploded gateway WAR ({@code src/main/webapp} plus the compiled classes) in a real ee10 Jetty and
 * talks to it over HTTP: the web.xml declaration alone must be enough.</p>
 */
public class GatewayWarTest
{
    @RegisterExtension
    static final WarServer war = new WarServer("/gw");
    private static final HttpClient client = WarServer.newHttpClient();

    @Test
    public void greetsWithTheDecodedPath() throws Exception
    {
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create(war.uri() + "/hello/caf%C3%A9")).build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        assertEquals(200, response.statusCode());
        assertEquals("Hello, caf\u00e9!\n", response.body());
        assertEquals("text/plain;charset=utf-8", response.headers().firstValue("Content-Type").orElseThrow().toLowerCase().replace(" ", ""));
    }

    @Test
    public void echoesAStreamedBody() throws Exception
    {
        byte[] body = new byte[3 * 1024 * 1024 + 17];
        new Random(42).nextBytes(body);
        HttpResponse<byte[]> response = client.send(HttpRequest.newBuilder(URI.create(war.uri() + "/echo"))
            .POST(HttpRequest.BodyPublishers.ofByteArray(body)).header("Content-Type", "application/x-test").build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, response.statusCode());
        assertEquals("application/x-test", response.headers().firstValue("Content-Type").orElseThrow());
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        assertArrayEquals(sha.digest(body), MessageDigest.getInstance("SHA-256").digest(response.body()));
    }

    @Test
    public void unknownRouteIs404() throws Exception
    {
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create(war.uri() + "/nope")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(404, response.statusCode());
        assertEquals("no route for GET /nope\n", response.body());
    }
}

package io.github.jettyuwsgi.examples.jwsgi;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Random;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import io.github.jettyuwsgi.examples.test.WarServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * <p>Deploys the exploded JWSGI WAR ({@code src/main/webapp} plus the compiled classes) in a real ee10 Jetty and
 * talks to it over HTTP: each body type the application returns must arrive intact.</p>
 */
public class JwsgiWarTest
{
    @RegisterExtension
    static final WarServer war = new WarServer("/jwsgi");
    private static final HttpClient client = WarServer.newHttpClient();

    private static HttpResponse<String> get(String target) throws Exception
    {
        return client.send(HttpRequest.newBuilder(URI.create(war.uri() + target)).build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    @Test
    public void stringArrayBodyAndMultiValuedHeader() throws Exception
    {
        HttpResponse<String> response = get("/hello?name=Caf%C3%A9");
        assertEquals(200, response.statusCode());
        assertEquals("Hello, Caf\u00e9!\n", response.body());
        assertEquals("text/plain;charset=utf-8", response.headers().firstValue("Content-Type").orElseThrow().toLowerCase().replace(" ", ""));
        assertEquals(List.of("no-cache", "no-transform"), response.headers().allValues("Cache-Control"));
    }

    @Test
    public void inputStreamBodyIsStreamedToTheEnd() throws Exception
    {
        HttpResponse<String> response = get("/count?n=100000");
        assertEquals(200, response.statusCode());
        String expected = IntStream.rangeClosed(1, 100_000).mapToObj(i -> i + "\n").collect(Collectors.joining());
        assertEquals(expected.length(), response.body().length(), "body length");
        assertEquals(expected, response.body());
    }

    @Test
    public void requestInputReturnedAsTheBody() throws Exception
    {
        byte[] body = new byte[3 * 1024 * 1024 + 5];
        new Random(7).nextBytes(body);
        HttpResponse<byte[]> response = client.send(HttpRequest.newBuilder(URI.create(war.uri() + "/echo"))
            .POST(HttpRequest.BodyPublishers.ofByteArray(body)).header("Content-Type", "application/x-test").build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, response.statusCode());
        assertEquals("application/x-test", response.headers().firstValue("Content-Type").orElseThrow());
        assertEquals(String.valueOf(body.length), response.headers().firstValue("Content-Length").orElseThrow());
        assertArrayEquals(MessageDigest.getInstance("SHA-256").digest(body), MessageDigest.getInstance("SHA-256").digest(response.body()));
    }

    @Test
    public void unknownRouteIs404() throws Exception
    {
        HttpResponse<String> response = get("/nope");
        assertEquals(404, response.statusCode());
        assertEquals("not found: GET /nope\n", response.body());
    }
}

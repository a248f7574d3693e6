package io.github.jettyuwsgi.examples.middleware;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

import io.github.jettyuwsgi.examples.test.WarServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * <p>Deploys the exploded middleware WAR ({@code src/main/webapp} plus the compiled classes) in a real ee10 Jetty and
 * talks to it over HTTP: each answer shows both the servlet's work and the middleware's rewrites.</p>
 */
public class MiddlewareWarTest
{
    @RegisterExtension
    static final WarServer war = new WarServer("/mw");
    private static final HttpClient client = WarServer.newHttpClient();

    private static HttpResponse<String> get(String target) throws Exception
    {
        return client.send(HttpRequest.newBuilder(URI.create(war.uri() + target)).build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    private static String header(HttpResponse<?> response, String name)
    {
        return response.headers().firstValue(name).orElse(null);
    }

    @Test
    public void langIsLowerCasedBeforeTheServletSeesIt() throws Exception
    {
        HttpResponse<String> response = get("/hello/Ana?lang=FR");
        assertEquals(200, response.statusCode());
        assertEquals("Bonjour, Ana!\n", response.body());
        assertEquals("site", header(response, "X-Middleware"));
    }

    @Test
    public void legacyPrefixIsMovedIntoTheMountPoint() throws Exception
    {
        HttpResponse<String> response = get("/api/v1/items");
        assertEquals(200, response.statusCode());
        assertEquals("apple\nbanana\ncherry\n", response.body());
        assertEquals("/mw/api/v1", header(response, "X-Mounted-At"));
        assertEquals("1", header(response, "X-Api-Version"));
        assertEquals("site", header(response, "X-Middleware"));
    }

    @Test
    public void currentPathsAreLeftAlone() throws Exception
    {
        HttpResponse<String> response = get("/api/items/2?lang=de");
        assertEquals(200, response.statusCode());
        assertEquals("banana\n", response.body());
        assertEquals("/mw/api", header(response, "X-Mounted-At"));
        assertEquals("current", header(response, "X-Api-Version"));
        assertEquals("site", header(response, "X-Middleware"));
    }

    @Test
    public void sendErrorGoesThroughTheMiddlewareToo() throws Exception
    {
        HttpResponse<String> response = get("/api/v1/items/9");
        assertEquals(404, response.statusCode());
        assertEquals("site", header(response, "X-Middleware"));
        assertEquals("1", header(response, "X-Api-Version"));
    }
}

package io.github.jettyuwsgi.examples.counter;

import java.net.CookieManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;

import io.github.jettyuwsgi.examples.test.WarServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Deploys the exploded session-counter WAR in a real ee10 Jetty and checks, over real HTTP with a client that keeps
 * its cookies, that the counter and the login live in the session and that every answer names its instance.
 */
public class SessionCounterWarTest
{
    @RegisterExtension
    static final WarServer war = new WarServer("/counter");

    private static HttpClient newClient()
    {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).cookieHandler(new CookieManager()).connectTimeout(Duration.ofSeconds(5)).build();
    }

    private static HttpResponse<String> send(HttpClient client, String method, String path) throws Exception
    {
        HttpRequest request = HttpRequest.newBuilder(URI.create(war.uri() + path)).method(method, HttpRequest.BodyPublishers.noBody()).build();
        return client.send(request, BodyHandlers.ofString());
    }

    @Test
    public void theCounterGrowsByOnePerRequestOfOneClient() throws Exception
    {
        HttpClient client = newClient();
        for (int expected = 1; expected <= 5; expected++)
        {
            HttpResponse<String> response = send(client, "GET", "/count");
            assertEquals(200, response.statusCode());
            assertEquals(String.valueOf(expected), response.headers().firstValue(SessionCounterServlet.COUNT_HEADER).orElseThrow());
            assertEquals("count=" + expected + " user=-\n", response.body());
            assertFalse(response.headers().firstValue(SessionCounterServlet.INSTANCE_HEADER).orElseThrow().isBlank());
        }
    }

    @Test
    public void twoClientsHaveTwoCounters() throws Exception
    {
        HttpClient first = newClient();
        HttpClient second = newClient();
        send(first, "POST", "/count");
        send(first, "POST", "/count");
        assertEquals("1", send(second, "POST", "/count").headers().firstValue(SessionCounterServlet.COUNT_HEADER).orElseThrow());
        assertEquals("3", send(first, "POST", "/count").headers().firstValue(SessionCounterServlet.COUNT_HEADER).orElseThrow());
    }

    @Test
    public void loginStaysInTheSessionUntilLogout() throws Exception
    {
        HttpClient client = newClient();
        assertEquals(404, send(client, "GET", "/show").statusCode());
        assertEquals(400, send(client, "POST", "/login").statusCode());
        assertEquals("alice", send(client, "POST", "/login?user=alice").headers().firstValue(SessionCounterServlet.USER_HEADER).orElseThrow());
        HttpResponse<String> counted = send(client, "GET", "/count");
        assertEquals("count=1 user=alice\n", counted.body());
        assertEquals("count=1 user=alice\n", send(client, "GET", "/show").body());
        assertTrue(send(client, "POST", "/logout").body().startsWith("logged out"));
        assertEquals(404, send(client, "GET", "/show").statusCode());
    }

    @Test
    public void unknownPathIsA404() throws Exception
    {
        assertEquals(404, send(newClient(), "GET", "/nothing").statusCode());
    }
}

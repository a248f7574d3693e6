package io.github.jettyuwsgi.it.websocket;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.github.jettyuwsgi.it.websocket.WebSocketRig.Route;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * <p>A real browser through real nginx: headless Chromium loads the websocket-war's page over nginx {@code uwsgi_pass}
 * (and, for comparison, over uWSGI's router), the page's script opens a WebSocket beside it through the same frontend,
 * sends a message and writes the echo into the DOM, which the test reads.</p>
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class BrowserEchoIT
{
    private static final Duration WAIT = Duration.ofSeconds(30);

    private WebSocketRig rig;
    private HeadlessChromium browser;

    @BeforeAll
    void start()
    {
        rig = WebSocketRig.start("websocket-browser");
        browser = HeadlessChromium.start(Path.of(System.getProperty("it.work.dir"), "websocket-browser", "chromium"));
    }

    @AfterAll
    void stop()
    {
        try
        {
            if (browser != null)
                browser.close();
        }
        finally
        {
            if (rig != null)
                rig.close();
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({
        "NGINX_UWSGI_TCP, /chat",
        "NGINX_UWSGI_UNIX, /chat",
        "NGINX_UWSGI_TCP, /legacy",
        "UWSGI_HTTP_ROUTER, /chat"})
    void pageSeesItsEchoThroughTheFrontend(Route route, String context) throws Exception
    {
        String message = "hello from chromium via " + route;
        browser.open(rig.uri(route, "http", context + "/?message=" + message.replace(" ", "%20")));
        String state = browser.awaitText("state", "echoed", WAIT);
        assertEquals("echoed", state, () -> route + " page state\n" + rig.describeLogs() + "\n" + browser.describeLog());
        assertEquals(message, browser.text("echo"), () -> route + " echo in the DOM");
    }
}

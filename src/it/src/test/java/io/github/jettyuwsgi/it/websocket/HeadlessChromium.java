package io.github.jettyuwsgi.it.websocket;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import io.github.jettyuwsgi.it.FreePorts;
import io.github.jettyuwsgi.it.FrontendProcess;
import io.github.jettyuwsgi.it.ManagedProcess;
import org.eclipse.jetty.util.ajax.JSON;

/**
 * <p>A real browser for the end-to-end tests: Debian's headless {@code chromium} driven through {@code chromedriver}'s
 * W3C WebDriver protocol with the JDK's HTTP client (no Selenium jar: four commands are all a test needs). It loads a
 * page and reads the DOM after the page's scripts ran. Runs as root, so without Chromium's sandbox, with a fresh
 * profile and nothing that reaches outside the machine.</p>
 */
final class HeadlessChromium implements AutoCloseable
{
    private static final List<String> FLAGS = List.of("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
        "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--disable-dev-shm-usage");

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    private final ManagedProcess driver;
    private final URI base;
    private final Path profile;
    private final String session;

    private HeadlessChromium(ManagedProcess driver, URI base, Path profile, String session)
    {
        this.driver = driver;
        this.base = base;
        this.profile = profile;
        this.session = session;
    }

    /**
     * Starts chromedriver on a free loopback port and opens a browser session.
     *
     * @param workDir where chromedriver's log and the browser's profile go
     */
    static HeadlessChromium start(Path workDir)
    {
        Path chromium = FrontendProcess.findExecutable("chromium", "chromium");
        Path chromedriver = FrontendProcess.findExecutable("chromedriver", "chromium-driver");
        int port = FreePorts.allocate(1)[0];
        Path profile;
        try
        {
            Files.createDirectories(workDir);
            profile = Files.createTempDirectory(workDir, "chromium-profile");
        }
        catch (IOException x)
        {
            throw new UncheckedIOException("cannot create the browser profile under " + workDir, x);
        }
        ManagedProcess driver = new ManagedProcess("chromedriver",
            List.of(chromedriver.toString(), "--port=" + port, "--allowed-ips=127.0.0.1"), workDir, workDir.resolve("chromedriver.log"));
        URI base = URI.create("http://" + FreePorts.LOOPBACK + ":" + port);
        try
        {
            driver.awaitReady("chromedriver accepting on " + port, () -> FreePorts.accepts(port), Duration.ofSeconds(30));
            List<String> args = Stream.concat(FLAGS.stream(), Stream.of("--user-data-dir=" + profile)).toList();
            Map<String, Object> capabilities = Map.of("capabilities", Map.of("alwaysMatch", Map.of(
                "browserName", "chrome",
                "goog:chromeOptions", Map.of("binary", chromium.toString(), "args", args))));
            @SuppressWarnings("unchecked")
            Map<String, Object> value = (Map<String, Object>)command(HttpClient.newHttpClient(), "POST", base.resolve("/session"), capabilities, driver);
            return new HeadlessChromium(driver, base, profile, (String)value.get("sessionId"));
        }
        catch (RuntimeException x)
        {
            driver.close();
            throw x;
        }
    }

    /**
     * @param url the page to load; returns once its load event fired
     */
    void open(URI url)
    {
        command(http, "POST", sessionUri("/url"), Map.of("url", url.toString()), driver);
    }

    /**
     * @param id an element id of the open page
     * @return its text content now, or {@code null} if the page has no such element
     */
    String text(String id)
    {
        Object value = command(http, "POST", sessionUri("/execute/sync"),
            Map.of("script", "var e = document.getElementById(arguments[0]); return e ? e.textContent : null;", "args", List.of(id)), driver);
        return (String)value;
    }

    /**
     * Polls the element until it has the text or the timeout passes.
     *
     * @return the element's last text
     */
    String awaitText(String id, String expected, Duration timeout) throws InterruptedException
    {
        long deadline = System.nanoTime() + timeout.toNanos();
        String text = text(id);
        while (!expected.equals(text) && System.nanoTime() < deadline)
        {
            Thread.sleep(100);
            text = text(id);
        }
        return text;
    }

    String describeLog()
    {
        return driver.describeLog();
    }

    private URI sessionUri(String path)
    {
        return base.resolve("/session/" + session + path);
    }

    private static Object command(HttpClient http, String method, URI uri, Object body, ManagedProcess driver)
    {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(60)).header("Content-Type", "application/json");
        request.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(new JSON().toJSON(body)));
        HttpResponse<String> response;
        try
        {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        }
        catch (IOException x)
        {
            throw new UncheckedIOException("WebDriver " + method + " " + uri + ": no answer\n" + driver.describeLog(), x);
        }
        catch (InterruptedException x)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", x);
        }
        Object parsed = new JSON().fromJSON(response.body());
        Object value = parsed instanceof Map<?, ?> map ? map.get("value") : null;
        if (response.statusCode() != 200)
            throw new IllegalStateException("WebDriver " + method + " " + uri + ": " + response.statusCode() + " " + response.body() + " (expected: 200)\n" + driver.describeLog());
        return value;
    }

    @Override
    public void close()
    {
        try
        {
            command(http, "DELETE", sessionUri(""), null, driver);
        }
        catch (RuntimeException ignored)
        {
            // the driver is stopped below either way
        }
        finally
        {
            driver.close();
            try (Stream<Path> files = Files.walk(profile))
            {
                files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
            catch (IOException ignored)
            {
                // a leftover profile under target/ is harmless
            }
        }
    }
}

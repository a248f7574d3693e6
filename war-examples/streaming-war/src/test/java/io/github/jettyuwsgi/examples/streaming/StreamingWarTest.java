package io.github.jettyuwsgi.examples.streaming;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.github.jettyuwsgi.examples.test.WarServer;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Deploys the exploded streaming WAR ({@code src/main/webapp} plus the compiled classes) in a real ee10 Jetty on a
 * loopback port and checks every endpoint over real HTTP. Surefire runs this with a 64 MiB heap (see the pom), and
 * the large transfers move 128 MiB, so a servlet or client that buffered a whole body would fail here.
 */
public class StreamingWarTest
{
    private static final String CONTEXT_PATH = "/streaming";
    private static final long LARGE = 128L * 1024 * 1024;
    /**
     * Few threads, so that the async test can tell a suspended request from one that holds a thread while it waits.
     */
    private static final int MAX_THREADS = 10;

    @RegisterExtension
    static final WarServer war = new WarServer(CONTEXT_PATH).threads(fewThreads()).connector(server -> new ServerConnector(server, 1, 1));
    private static final HttpClient client = WarServer.newHttpClient();

    private static QueuedThreadPool fewThreads()
    {
        QueuedThreadPool threads = new QueuedThreadPool(MAX_THREADS, MAX_THREADS);
        threads.setName("streaming-test");
        return threads;
    }

    @Test
    public void testDownloadWithContentLength() throws Exception
    {
        long size = 5L * 1024 * 1024 + 3;
        HttpResponse<InputStream> response = get("/download?size=" + size + "&length=true");

        assertEquals(200, response.statusCode());
        assertEquals("application/octet-stream", response.headers().firstValue("Content-Type").orElseThrow());
        assertEquals(List.of(Long.toString(size)), response.headers().allValues("Content-Length"));
        assertPatternBody(size, response.body());
    }

    @Test
    public void testDownloadWithoutContentLengthInOddChunks() throws Exception
    {
        long size = 1_000_003;
        HttpResponse<InputStream> response = get("/download?size=" + size + "&chunk=1000");

        assertEquals(200, response.statusCode());
        assertEquals(List.of(), response.headers().allValues("Content-Length"));
        assertPatternBody(size, response.body());
    }

    @Test
    public void testDownloadOfNothing() throws Exception
    {
        HttpResponse<InputStream> response = get("/download?size=0&length=true");

        assertEquals(200, response.statusCode());
        assertEquals(List.of("0"), response.headers().allValues("Content-Length"));
        assertPatternBody(0, response.body());
    }

    @Test
    public void testLargeDownloadStreamsThroughSmallHeap() throws Exception
    {
        HttpResponse<InputStream> response = get("/download?size=" + LARGE);

        assertEquals(200, response.statusCode());
        assertPatternBody(LARGE, response.body());
    }

    @Test
    public void testHeadOfDownloadHasHeadersOnly() throws Exception
    {
        HttpResponse<String> response = client.send(request("/download?size=123456789&length=true").method("HEAD", BodyPublishers.noBody()).build(),
            BodyHandlers.ofString());

        assertEquals(200, response.statusCode());
        assertEquals(List.of("123456789"), response.headers().allValues("Content-Length"));
        assertEquals("", response.body());
    }

    @Test
    public void testBadParametersAreRejected() throws Exception
    {
        for (String pathAndQuery : List.of("/download", "/download?size=-1", "/download?size=ten", "/download?size=1&chunk=0",
            "/download?size=1&chunk=99999999", "/download?size=1&length=yes", "/async-download?size=1&chunk=0",
            "/async?delay=-5", "/async?delay=600000", "/sse?events=x"))
        {
            HttpResponse<String> response = client.send(request(pathAndQuery).GET().build(), BodyHandlers.ofString());

            assertEquals(400, response.statusCode(), pathAndQuery);
            assertTrue(response.body().contains("(expected: "), pathAndQuery + " answered: " + response.body());
        }
    }

    @Test
    public void testUploadWithPostAndPut() throws Exception
    {
        byte[] body = new byte[4 * 1024 * 1024 + 5];
        new Random(7).nextBytes(body);
        String expected = PatternDigest.lengthAndSha256(new ByteArrayInputStream(body));

        for (String method : List.of("POST", "PUT"))
        {
            HttpResponse<String> response = client.send(request("/upload").method(method, BodyPublishers.ofByteArray(body))
                .header("Content-Type", "application/octet-stream").build(), BodyHandlers.ofString());

            assertEquals(200, response.statusCode(), method);
            assertTrue(response.headers().firstValue("Content-Type").orElseThrow().startsWith("application/json"), method);
            assertEquals(expected, response.body(), method);
        }
    }

    @Test
    public void testLargeChunkedUploadStreamsThroughSmallHeap() throws Exception
    {
        // ofInputStream has no known length, so the request is chunk-encoded.
        HttpResponse<String> response = client.send(request("/upload")
            .POST(BodyPublishers.ofInputStream(() -> new PatternDigest.PatternInputStream(LARGE))).build(), BodyHandlers.ofString());

        assertEquals(200, response.statusCode());
        assertEquals("{\"length\": " + LARGE + ", \"sha256\": \"" + PatternDigest.sha256(LARGE) + "\"}", response.body());
    }

    @Test
    public void testEmptyUpload() throws Exception
    {
        HttpResponse<String> response = client.send(request("/upload").POST(BodyPublishers.noBody()).build(), BodyHandlers.ofString());

        assertEquals("{\"length\": 0, \"sha256\": \"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\"}", response.body());
    }

    @Test
    public void testAsyncCompletesAfterDelayWithoutHoldingAThread() throws Exception
    {
        // More requests than the server has threads: if each held a thread for its delay they would queue up and
        // take several delays in all; suspended ones all finish after about one.
        int requests = 3 * MAX_THREADS;
        long delay = 1000;
        long start = System.nanoTime();
        List<CompletableFuture<HttpResponse<String>>> responses = new ArrayList<>();
        for (int i = 0; i < requests; i++)
        {
            responses.add(client.sendAsync(request("/async?delay=" + delay).GET().build(), BodyHandlers.ofString()));
        }
        for (CompletableFuture<HttpResponse<String>> future : responses)
        {
            HttpResponse<String> response = future.get(20, TimeUnit.SECONDS);
            assertEquals(200, response.statusCode());
            assertEquals("async ok after 1000 ms", response.body());
        }
        long elapsed = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

        assertTrue(elapsed >= delay, "elapsed: " + elapsed + " ms (expected: at least the delay, " + delay + " ms)");
        assertTrue(elapsed < 3 * delay, "elapsed: " + elapsed + " ms for " + requests + " requests on " + MAX_THREADS +
            " threads (expected: about one delay, " + delay + " ms)");
    }

    @Test
    public void testAsyncWithoutDelay() throws Exception
    {
        HttpResponse<String> response = client.send(request("/async").GET().build(), BodyHandlers.ofString());

        assertEquals(200, response.statusCode());
        assertEquals("async ok after 0 ms", response.body());
    }

    @Test
    public void testAsyncUpload() throws Exception
    {
        byte[] body = new byte[3 * 1024 * 1024 + 1];
        new Random(11).nextBytes(body);

        HttpResponse<String> response = client.send(request("/async-upload").POST(BodyPublishers.ofByteArray(body)).build(), BodyHandlers.ofString());

        assertEquals(200, response.statusCode());
        assertEquals(PatternDigest.lengthAndSha256(new ByteArrayInputStream(body)), response.body());
    }

    @Test
    public void testLargeChunkedAsyncUpload() throws Exception
    {
        HttpResponse<String> response = client.send(request("/async-upload")
            .PUT(BodyPublishers.ofInputStream(() -> new PatternDigest.PatternInputStream(LARGE))).build(), BodyHandlers.ofString());

        assertEquals(200, response.statusCode());
        assertEquals("{\"length\": " + LARGE + ", \"sha256\": \"" + PatternDigest.sha256(LARGE) + "\"}", response.body());
    }

    @Test
    public void testAsyncDownload() throws Exception
    {
        long size = 5L * 1024 * 1024 + 7;
        HttpResponse<InputStream> response = get("/async-download?size=" + size + "&length=true&chunk=12345");

        assertEquals(200, response.statusCode());
        assertEquals(List.of(Long.toString(size)), response.headers().allValues("Content-Length"));
        assertPatternBody(size, response.body());
    }

    @Test
    public void testLargeAsyncDownloadStreamsThroughSmallHeap() throws Exception
    {
        HttpResponse<InputStream> response = get("/async-download?size=" + LARGE);

        assertEquals(200, response.statusCode());
        assertPatternBody(LARGE, response.body());
    }

    @Test
    public void testEventsArriveOneByOne() throws Exception
    {
        long interval = 700;
        HttpResponse<InputStream> response = get("/sse?events=3&interval=" + interval);

        assertEquals(200, response.statusCode());
        assertTrue(response.headers().firstValue("Content-Type").orElseThrow().startsWith("text/event-stream"));
        assertEquals(List.of("no"), response.headers().allValues("X-Accel-Buffering"));
        List<String> lines = new ArrayList<>();
        List<Long> arrivals = new ArrayList<>();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8)))
        {
            for (String line = reader.readLine(); line != null; line = reader.readLine())
            {
                lines.add(line);
                if (!line.isEmpty())
                    arrivals.add(System.nanoTime());
            }
        }

        assertEquals(List.of("data: event 1 of 3", "", "data: event 2 of 3", "", "data: event 3 of 3", ""), lines);
        // Had the events been held back until the end, they would have arrived together; flushed, the first and the
        // last are two intervals apart. A slow machine only makes the gap larger.
        long gap = TimeUnit.NANOSECONDS.toMillis(arrivals.get(2) - arrivals.get(0));
        assertTrue(gap >= interval, "gap between first and last event: " + gap + " ms (expected: about " + 2 * interval + " ms)");
    }

    private static HttpRequest.Builder request(String pathAndQuery)
    {
        return HttpRequest.newBuilder(URI.create(war.uri() + pathAndQuery)).timeout(Duration.ofSeconds(30));
    }

    private static HttpResponse<InputStream> get(String pathAndQuery) throws Exception
    {
        return client.send(request(pathAndQuery).GET().build(), BodyHandlers.ofInputStream());
    }

    private static void assertPatternBody(long size, InputStream body) throws Exception
    {
        String actual;
        try (InputStream input = body)
        {
            actual = PatternDigest.lengthAndSha256(input);
        }
        assertEquals("{\"length\": " + size + ", \"sha256\": \"" + PatternDigest.sha256(size) + "\"}", actual);
    }
}

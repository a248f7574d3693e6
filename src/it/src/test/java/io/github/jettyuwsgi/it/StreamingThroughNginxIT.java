package io.github.jettyuwsgi.it;

import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import io.github.jettyuwsgi.it.NginxLauncherRig.Route;
import org.eclipse.jetty.util.ajax.JSON;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Bodies far larger than the launcher's heap ({@value LauncherProcess#MAX_HEAP}) through a real nginx and the uwsgi
 * connector, and the async servlets of the streaming WAR: proof that request and response bodies stream with
 * back-pressure instead of being buffered, and that {@code startAsync}, {@code ReadListener} and {@code WriteListener}
 * work over uwsgi.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StreamingThroughNginxIT
{
    private static final long GIGABYTE = 1024L * 1024 * 1024;
    private static final long TEN_MB = 10L * 1024 * 1024;
    private static final Duration TIMEOUT = Duration.ofMinutes(5);

    private NginxLauncherRig rig;
    private HttpClient client;

    @BeforeAll
    void start()
    {
        rig = NginxLauncherRig.start(ItSettings.fromSystemProperties(), "streaming");
        client = HttpTransfers.http11Client();
    }

    @AfterAll
    void stop()
    {
        if (rig != null)
            rig.close();
    }

    private HttpRequest.Builder request(Route route, String pathQuery)
    {
        return HttpRequest.newBuilder(rig.baseUri(route).resolve(NginxLauncherRig.STREAM + pathQuery))
            .header("Host", RequestSpec.HOST)
            .timeout(TIMEOUT);
    }

    private HttpResponse<String> upload(Route route, String path, long length)
    {
        HttpRequest request = request(route, path)
            .header("Content-Type", "application/octet-stream")
            .POST(HttpTransfers.patternBody(length))
            .build();
        return HttpTransfers.send(client, request, HttpResponse.BodyHandlers.ofString(), route + " upload of " + length + " bytes", rig::describeLogs);
    }

    /**
     * @return {length, hex sha256} of what the client received
     */
    private Object[] download(Route route, String pathQuery)
    {
        HttpTransfers.Download download = HttpTransfers.download(client, request(route, pathQuery).build(), route + " download " + pathQuery, rig::describeLogs);
        assertEquals(200, download.response().statusCode(), () -> route + " " + pathQuery);
        return new Object[]{download.length(), download.sha256()};
    }

    @Test
    void gigabyteUploadAndDownloadOverTheUnixSocketWithASmallHeap()
    {
        // computed while the transfers run, so the test takes the time of the slower of the two only
        CompletableFuture<String> expected = CompletableFuture.supplyAsync(() -> StreamingPattern.sha256(GIGABYTE));

        HttpResponse<String> uploaded = upload(Route.NGINX_UWSGI_UNIX, "/upload", GIGABYTE);
        assertEquals(200, uploaded.statusCode(), () -> uploaded.body() + "\n" + rig.describeLogs());
        @SuppressWarnings("unchecked")
        java.util.Map<String, Object> digest = (java.util.Map<String, Object>)new JSON().fromJSON(uploaded.body());
        assertEquals(GIGABYTE, ((Number)digest.get("length")).longValue(), "length seen by the servlet");
        assertEquals(expected.join(), digest.get("sha256"), "sha256 seen by the servlet");

        // no Content-Length: the uwsgi response ends with the connection close
        Object[] received = download(Route.NGINX_UWSGI_UNIX, "/download?size=" + GIGABYTE);
        assertEquals(GIGABYTE, received[0]);
        assertEquals(expected.join(), received[1]);

        rig.launcher().assertAlive();
        assertFalse(rig.launcher().logContains("OutOfMemoryError"), () -> rig.launcher().describeLog());
    }

    @ParameterizedTest
    @EnumSource(value = Route.class, names = {"NGINX_UWSGI_TCP", "NGINX_UWSGI_UNIX"})
    void asyncServletCompletesFromAnotherThread(Route route) throws Exception
    {
        HttpResponse<String> response = client.send(request(route, "/async?delay=300").build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode());
        assertEquals("async ok after 300 ms", response.body());
    }

    @ParameterizedTest
    @EnumSource(value = Route.class, names = {"NGINX_UWSGI_TCP", "NGINX_UWSGI_UNIX"})
    void nonBlockingReadAndWrite(Route route)
    {
        HttpResponse<String> uploaded = upload(route, "/async-upload", TEN_MB);
        assertEquals(200, uploaded.statusCode(), uploaded::body);
        java.util.Map<?, ?> digest = (java.util.Map<?, ?>)new JSON().fromJSON(uploaded.body());
        assertEquals(TEN_MB, ((Number)digest.get("length")).longValue(), uploaded::body);
        assertEquals(StreamingPattern.sha256(TEN_MB), digest.get("sha256"), uploaded::body);

        Object[] received = download(route, "/async-download?size=" + TEN_MB);
        assertEquals(TEN_MB, received[0]);
        assertEquals(StreamingPattern.sha256(TEN_MB), received[1]);
    }

    @Test
    void flushedEventsArriveBeforeTheResponseEnds() throws Exception
    {
        // nginx buffers uwsgi responses unless told otherwise; the WAR sends X-Accel-Buffering: no
        HttpResponse<InputStream> response = client.send(request(Route.NGINX_UWSGI_TCP, "/sse?events=3&interval=700").build(), HttpResponse.BodyHandlers.ofInputStream());
        long start = System.nanoTime();
        try (InputStream body = response.body())
        {
            byte[] first = new byte[5];
            assertEquals(5, body.readNBytes(first, 0, 5));
            long firstMillis = (System.nanoTime() - start) / 1_000_000;
            assertEquals("data:", new String(first, StandardCharsets.US_ASCII));
            String rest = new String(body.readAllBytes(), StandardCharsets.US_ASCII);
            long allMillis = (System.nanoTime() - start) / 1_000_000;
            assertTrue(rest.contains("event 3 of 3"), rest);
            assertTrue(allMillis - firstMillis >= 1000, () -> "first event after " + firstMillis + " ms, all after " + allMillis + " ms: not streamed");
        }
        // nginx acts on X-Accel-* headers and hides them from the client
        assertEquals(List.of(), response.headers().allValues("x-accel-buffering"));
    }
}

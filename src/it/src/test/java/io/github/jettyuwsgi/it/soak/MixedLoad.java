package io.github.jettyuwsgi.it.soak;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.LongAdder;

import io.github.jettyuwsgi.it.NginxLauncherRig;

/**
 * <p>The mixed load of the soak (docs/reliability.md, "Soak"): client threads that each send, in turn and through
 * real nginx, the kinds of request a production launcher sees ({@link Kind}): GETs, form and multipart POSTs, 10 MB
 * uploads and downloads, async and streaming servlets, expected 4xx and 5xx answers, clients that abort in the middle
 * of a download and idle connections that come and go. Every answer is checked (status, length, no stack trace in a
 * text body); anything else is an unexpected error, kept for the report.</p>
 */
public final class MixedLoad implements AutoCloseable
{
    /** What one step of a client thread does. */
    public enum Kind
    {
        GET, FORM_POST, MULTIPART_POST, UPLOAD_10MB, DOWNLOAD_10MB, ASYNC, STREAMING, NOT_FOUND, SERVER_ERROR, CLIENT_ABORT, IDLE_CONNECTION
    }

    private static final int TEN_MB = 10 * 1024 * 1024;
    private static final byte[] UPLOAD = new byte[TEN_MB];
    private static final int KEPT_ERRORS = 20;

    private final URI unix;
    private final URI tcp;
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();
    private final Map<Kind, LongAdder> done = new ConcurrentHashMap<>();
    private final LongAdder errors = new LongAdder();
    private final List<String> firstErrors = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean running = true;

    /**
     * @param rig the launcher and nginx; the load goes through nginx's uwsgi routes, the Unix socket's mostly
     */
    public MixedLoad(NginxLauncherRig rig)
    {
        this.unix = rig.baseUri(NginxLauncherRig.Route.NGINX_UWSGI_UNIX);
        this.tcp = rig.baseUri(NginxLauncherRig.Route.NGINX_UWSGI_TCP);
        for (Kind kind : Kind.values())
        {
            done.put(kind, new LongAdder());
        }
    }

    /**
     * Starts the client threads; each runs the kinds in a random order until {@link #close()}.
     */
    public MixedLoad start(int clients)
    {
        for (int i = 0; i < clients; i++)
        {
            Thread thread = new Thread(this::run, "mixed-load-" + i);
            thread.setDaemon(true);
            threads.add(thread);
            thread.start();
        }
        return this;
    }

    private void run()
    {
        Kind[] kinds = Kind.values();
        while (running)
        {
            // the heavy kinds less often, so that the small requests make most of the traffic
            Kind kind = kinds[ThreadLocalRandom.current().nextInt(kinds.length)];
            if ((kind == Kind.UPLOAD_10MB || kind == Kind.DOWNLOAD_10MB) && ThreadLocalRandom.current().nextInt(4) != 0)
                kind = Kind.GET;
            try
            {
                step(kind);
                done.get(kind).increment();
            }
            catch (InterruptedException x)
            {
                return;
            }
            catch (Exception x)
            {
                if (running)
                    error(kind + ": " + x);
            }
        }
    }

    private void step(Kind kind) throws Exception
    {
        URI base = ThreadLocalRandom.current().nextInt(4) == 0 ? tcp : unix;
        switch (kind)
        {
            case GET -> expect(kind, send(HttpRequest.newBuilder(base.resolve("/echo/soak?x=1&pad=512")).GET()), 200);
            case FORM_POST -> expect(kind, send(HttpRequest.newBuilder(base.resolve("/echo/form"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("name=soak&value=" + "v".repeat(1000)))), 200);
            case MULTIPART_POST ->
            {
                String boundary = "soak-boundary-" + ThreadLocalRandom.current().nextInt(1_000_000);
                String body = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"field\"\r\n\r\nvalue\r\n" +
                    "--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.txt\"\r\nContent-Type: text/plain\r\n\r\n" +
                    "x".repeat(20_000) + "\r\n--" + boundary + "--\r\n";
                expect(kind, send(HttpRequest.newBuilder(base.resolve("/echo/multipart"))
                    .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                    .POST(HttpRequest.BodyPublishers.ofString(body))), 200);
            }
            case UPLOAD_10MB ->
            {
                String answer = expect(kind, send(HttpRequest.newBuilder(base.resolve("/stream/upload"))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(UPLOAD))), 200);
                if (!answer.contains("\"length\": " + TEN_MB) && !answer.contains("\"length\":" + TEN_MB))
                    error(kind + ": the servlet read another length: " + answer);
            }
            case DOWNLOAD_10MB ->
            {
                HttpResponse<InputStream> response = client.send(HttpRequest.newBuilder(base.resolve("/stream/download?size=" + TEN_MB))
                    .timeout(Duration.ofSeconds(60)).GET().build(), HttpResponse.BodyHandlers.ofInputStream());
                long length;
                try (InputStream body = response.body())
                {
                    length = body.transferTo(OutputStream.nullOutputStream());
                }
                if (response.statusCode() != 200 || length != TEN_MB)
                    error(kind + ": " + response.statusCode() + ", " + length + " bytes (expected: 200, " + TEN_MB + ")");
            }
            case ASYNC -> expect(kind, send(HttpRequest.newBuilder(base.resolve("/stream/async?delay=100")).GET()), 200);
            case STREAMING -> expect(kind, send(HttpRequest.newBuilder(base.resolve("/stream/sse?events=5&interval=20")).GET()), 200);
            case NOT_FOUND -> expect(kind, send(HttpRequest.newBuilder(base.resolve("/nothing/here")).GET()), 404);
            case SERVER_ERROR -> expect(kind, send(HttpRequest.newBuilder(base.resolve("/echo/fail?status=503")).GET()), 503);
            case CLIENT_ABORT -> abort(base);
            case IDLE_CONNECTION -> idle(base);
        }
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException
    {
        return client.send(request.timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    private String expect(Kind kind, HttpResponse<String> response, int status)
    {
        String body = response.body();
        if (response.statusCode() != status)
            error(kind + ": " + response.statusCode() + " (expected: " + status + "): " + abbreviate(body));
        if (hasStackTrace(body))
            error(kind + ": a stack trace in the response body: " + abbreviate(body));
        return body;
    }

    /**
     * @return whether a response body shows a Java stack trace, which no client may ever see
     */
    public static boolean hasStackTrace(String body)
    {
        return body.contains("at java.") || body.contains("at org.") || body.contains("at jakarta.");
    }

    /**
     * Starts a 10 MB download over a raw socket, reads a little of it and closes: nginx and then the launcher see the
     * client go in the middle of the response.
     */
    private static void abort(URI base) throws IOException
    {
        try (Socket socket = new Socket())
        {
            socket.connect(new InetSocketAddress(base.getHost(), base.getPort()), 10_000);
            socket.setSoTimeout(30_000);
            socket.getOutputStream().write(("GET /stream/download?size=" + TEN_MB + " HTTP/1.1\r\nHost: soak\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            socket.getInputStream().readNBytes(64 * 1024);
            // closed with unread bytes: a reset
            socket.setSoLinger(true, 0);
        }
    }

    /**
     * Opens a connection to nginx and sends nothing for a while, then closes it.
     */
    private static void idle(URI base) throws IOException, InterruptedException
    {
        try (Socket socket = new Socket())
        {
            socket.connect(new InetSocketAddress(base.getHost(), base.getPort()), 10_000);
            Thread.sleep(ThreadLocalRandom.current().nextLong(200, 2000));
        }
    }

    private void error(String what)
    {
        errors.increment();
        synchronized (firstErrors)
        {
            if (firstErrors.size() < KEPT_ERRORS)
                firstErrors.add(what);
        }
    }

    private static String abbreviate(String body)
    {
        return body.length() <= 300 ? body : body.substring(0, 300) + "...";
    }

    /**
     * @return how many steps of each kind completed
     */
    public Map<Kind, Long> done()
    {
        Map<Kind, Long> counts = new TreeMap<>();
        done.forEach((kind, count) -> counts.put(kind, count.sum()));
        return counts;
    }

    public long total()
    {
        return done.values().stream().mapToLong(LongAdder::sum).sum();
    }

    public long errors()
    {
        return errors.sum();
    }

    public List<String> firstErrors()
    {
        synchronized (firstErrors)
        {
            return List.copyOf(firstErrors);
        }
    }

    /**
     * Stops the client threads, waiting for each to finish its step.
     */
    @Override
    public void close() throws InterruptedException
    {
        running = false;
        for (Thread thread : threads)
        {
            thread.join(90_000);
        }
    }
}

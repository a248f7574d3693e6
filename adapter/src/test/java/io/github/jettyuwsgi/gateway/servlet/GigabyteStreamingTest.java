package io.github.jettyuwsgi.gateway.servlet;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import io.github.jettyuwsgi.gateway.Environ;
import io.github.jettyuwsgi.gateway.GatewayApplication;
import io.github.jettyuwsgi.gateway.GatewayInput;
import io.github.jettyuwsgi.gateway.GatewayMiddleware;
import io.github.jettyuwsgi.gateway.GatewayValidator;
import io.github.jettyuwsgi.gateway.Header;
import io.github.jettyuwsgi.gateway.ResponseBody;
import io.github.jettyuwsgi.gateway.jwsgi.JwsgiApplication;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * <p>Streams 1 GiB both ways through each servlet bridge (blocking and async {@link GatewayServlet}, a
 * middleware {@link GatewayMiddlewareFilter} in front of an ordinary servlet, a JWSGI application returning an
 * InputStream) in a real embedded Jetty, every bridge under the strict {@link GatewayValidator}. Each request is an
 * echo: the client uploads the body while it downloads the answer and checks its length and SHA-256.</p>
 * <p>The proof of bounded memory is the heap: surefire runs this class alone in a JVM with {@code -Xmx64m}
 * ({@code gigabyte-test} execution in the adapter's pom), client and server together, so a bridge that buffered a
 * body would fail with an OutOfMemoryError.</p>
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
public class GigabyteStreamingTest
{
    private static final long GIB = 1024L * 1024 * 1024;
    private static final int READ_BLOCK = 64 * 1024;

    private final Queue<String> warnings = new ConcurrentLinkedQueue<>();
    private JettyServletContainer container;

    @AfterEach
    public void stop() throws Exception
    {
        if (container != null)
            container.close();
    }

    @Test
    public void blockingGatewayServletEchoesOneGibibyte() throws Exception
    {
        container = new JettyServletContainer();
        container.addServlet("", "echo", new GatewayServlet(strict().wrap(new EchoApp(false))), Map.of(), "/echo/*");
        Response response = echo(container.start(), "/echo/blocking", GIB);
        assertEquals("chunked", response.framing, "response framing");
        assertEchoed(GIB, response);
    }

    @Test
    public void asyncGatewayServletEchoesOneGibibyte() throws Exception
    {
        container = new JettyServletContainer();
        Map<String, String> params = Map.of(GatewayInitParams.ASYNC, "true", GatewayInitParams.ASYNC_TIMEOUT, "110000");
        container.addServlet("", "echo", new GatewayServlet(strict().wrap(new EchoApp(true))), params, "/echo/*");
        Response response = echo(container.start(), "/echo/async", GIB);
        assertEquals("content-length", response.framing, "response framing");
        assertEchoed(GIB, response);
    }

    @Test
    public void middlewareFilterEchoesOneGibibyteThroughAnOrdinaryServlet() throws Exception
    {
        container = new JettyServletContainer();
        container.addServlet("", "plain", new PlainEchoServlet(), Map.of(), "/plain/*");
        // Validators on both sides of the middleware: it is a server to the chain and an application to the filter.
        GatewayMiddleware stack = GatewayMiddleware.compose(strict(), new TaggingMiddleware(), strict());
        container.addFilter("", "mw", new GatewayMiddlewareFilter(stack), Map.of(), "/plain/*");
        Response response = echo(container.start(), "/plain/x", GIB);
        assertEquals("content-length", response.framing, "response framing");
        assertEquals("yes", response.headers.get("x-middleware"), "header added by the middleware");
        assertEchoed(GIB, response);
    }

    @Test
    public void jwsgiApplicationEchoesOneGibibyteAsAnInputStream() throws Exception
    {
        container = new JettyServletContainer();
        GatewayApplication jwsgi = new JwsgiApplication(JwsgiEcho.class, "application");
        container.addServlet("", "jwsgi", new GatewayServlet(strict().wrap(jwsgi)), Map.of(), "/jwsgi/*");
        Response response = echo(container.start(), "/jwsgi/x", GIB);
        assertEquals("chunked", response.framing, "response framing");
        assertEchoed(GIB, response);
    }

    private GatewayValidator strict()
    {
        return new GatewayValidator(GatewayValidator.Profile.STRICT, warnings::add);
    }

    private void assertEchoed(long length, Response response)
    {
        assertEquals(200, response.status, "status");
        assertEquals(length, response.length, "echoed length");
        assertArrayEquals(GigabytePattern.sha256(length), response.sha256, "echoed SHA-256");
        assertTrue(warnings.isEmpty(), "validator warnings: " + warnings + " (expected: none)");
        long heapMax = Runtime.getRuntime().maxMemory();
        assertTrue(heapMax < 128L * 1024 * 1024, "max heap: " + heapMax + " bytes (expected: run with -Xmx64m, far below the body)");
    }

    /**
     * <p>Uploads {@code length} pattern bytes on one thread while this one reads, hashes and counts the response.</p>
     */
    private static Response echo(int port, String target, long length) throws Exception
    {
        long start = System.nanoTime();
        try (Socket socket = new Socket("127.0.0.1", port))
        {
            socket.setSoTimeout(30_000);
            AtomicReference<Throwable> uploadFailure = new AtomicReference<>();
            Thread upload = new Thread(() ->
            {
                try (InputStream body = new GigabytePattern(length))
                {
                    OutputStream out = socket.getOutputStream();
                    String head = "POST " + target + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/octet-stream\r\n" +
                        "Content-Length: " + length + "\r\n\r\n";
                    out.write(head.getBytes(StandardCharsets.ISO_8859_1));
                    body.transferTo(out);
                    out.flush();
                }
                catch (Throwable x)
                {
                    uploadFailure.set(x);
                }
            }, "gigabyte-upload");
            upload.start();
            Response response = Response.read(new BufferedInputStream(socket.getInputStream(), READ_BLOCK));
            upload.join(30_000);
            if (uploadFailure.get() != null)
                throw new AssertionError("upload failed", uploadFailure.get());
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf("%s: %d MiB each way in %.1f s (%.0f MiB/s)%n", target, length >> 20, seconds, (length >> 20) / seconds);
            return response;
        }
    }

    /**
     * <p>A response read as it arrives: only its head, length and SHA-256 are kept.</p>
     */
    private static final class Response
    {
        int status;
        String framing;
        final Map<String, String> headers = new HashMap<>();
        long length;
        byte[] sha256;

        static Response read(InputStream in) throws IOException
        {
            Response response = new Response();
            response.status = Integer.parseInt(line(in).split(" ")[1]);
            for (String line = line(in); !line.isEmpty(); line = line(in))
            {
                int colon = line.indexOf(':');
                response.headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
            }
            MessageDigest digest = GigabytePattern.newDigest();
            byte[] buffer = new byte[READ_BLOCK];
            if ("chunked".equalsIgnoreCase(response.headers.get("transfer-encoding")))
            {
                response.framing = "chunked";
                for (long size = chunkSize(in); size > 0; size = chunkSize(in))
                {
                    response.length += copy(in, size, buffer, digest);
                    if (!line(in).isEmpty())
                        throw new IOException("chunk: no CRLF after its data (expected: CRLF)");
                }
                while (!line(in).isEmpty())
                {
                    // Trailers: none expected, skipped.
                }
            }
            else if (response.headers.containsKey("content-length"))
            {
                response.framing = "content-length";
                response.length = copy(in, Long.parseLong(response.headers.get("content-length")), buffer, digest);
            }
            else
            {
                response.framing = "close";
                response.length = copy(in, Long.MAX_VALUE, buffer, digest);
            }
            response.sha256 = digest.digest();
            return response;
        }

        private static long chunkSize(InputStream in) throws IOException
        {
            return Long.parseLong(line(in).split(";")[0].trim(), 16);
        }

        private static long copy(InputStream in, long size, byte[] buffer, MessageDigest digest) throws IOException
        {
            long copied = 0;
            while (copied < size)
            {
                int count = in.read(buffer, 0, (int)Math.min(buffer.length, size - copied));
                if (count < 0)
                {
                    if (size == Long.MAX_VALUE)
                        break;
                    throw new EOFException("body cut off: " + copied + " of " + size + " bytes");
                }
                digest.update(buffer, 0, count);
                copied += count;
            }
            return copied;
        }

        private static String line(InputStream in) throws IOException
        {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            for (int b = in.read(); b != '\n'; b = in.read())
            {
                if (b < 0)
                    throw new EOFException("connection closed mid-line: " + line.toString(StandardCharsets.ISO_8859_1));
                if (b != '\r')
                    line.write(b);
            }
            return line.toString(StandardCharsets.ISO_8859_1);
        }
    }

    /**
     * <p>A gateway application that answers with its request body, pulled from {@code gateway.input} one block per
     * chunk; with {@code sized} it declares the Content-Length it was given.</p>
     */
    private static final class EchoApp implements GatewayApplication
    {
        private final boolean sized;

        private EchoApp(boolean sized)
        {
            this.sized = sized;
        }

        @Override
        public ResponseBody call(Environ environ, io.github.jettyuwsgi.gateway.StartResponse startResponse)
        {
            List<Header> headers = new ArrayList<>();
            headers.add(new Header("Content-Type", "application/octet-stream"));
            if (sized)
                headers.add(new Header("Content-Length", environ.get("CONTENT_LENGTH")));
            startResponse.start("200 OK", headers);
            GatewayInput input = environ.input();
            return ResponseBody.of(() -> new java.util.Iterator<>()
            {
                private byte[] next;

                @Override
                public boolean hasNext()
                {
                    if (next == null)
                        next = input.read(READ_BLOCK);
                    return next.length > 0;
                }

                @Override
                public byte[] next()
                {
                    if (!hasNext())
                        throw new java.util.NoSuchElementException("request body: no more blocks");
                    byte[] block = next;
                    next = null;
                    return block;
                }
            }, () -> { });
        }
    }

    /**
     * <p>An ordinary servlet behind the middleware filter: copies its request body to a response of the same
     * declared length.</p>
     */
    private static final class PlainEchoServlet extends HttpServlet
    {
        @Override
        protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException
        {
            response.setContentType("application/octet-stream");
            response.setContentLengthLong(request.getContentLengthLong());
            request.getInputStream().transferTo(response.getOutputStream());
        }
    }

    /**
     * <p>Middleware that adds a response header; the body passes through it untouched.</p>
     */
    private static final class TaggingMiddleware implements GatewayMiddleware
    {
        @Override
        public GatewayApplication wrap(GatewayApplication next)
        {
            return (environ, startResponse) -> next.call(environ, (status, headers, excInfo) ->
            {
                List<Header> tagged = new ArrayList<>(headers);
                tagged.add(new Header("X-Middleware", "yes"));
                return startResponse.start(status, tagged, excInfo);
            });
        }
    }

    /**
     * <p>An unchanged uWSGI JWSGI application: it answers with {@code jwsgi.input} itself as the InputStream body.</p>
     */
    public static final class JwsgiEcho
    {
        public static Object[] application(HashMap<String, Object> env)
        {
            Map<String, String> headers = new HashMap<>();
            headers.put("Content-Type", "application/octet-stream");
            return new Object[]{200, headers, env.get("jwsgi.input")};
        }
    }
}

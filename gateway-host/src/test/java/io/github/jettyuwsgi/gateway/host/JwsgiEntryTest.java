package io.github.jettyuwsgi.gateway.host;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.jettyuwsgi.gateway.GatewayApplication;
import io.github.jettyuwsgi.gateway.GatewayValidator;
import io.github.jettyuwsgi.gateway.Header;
import io.github.jettyuwsgi.gateway.ResponseBody;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link JwsgiEntry} called as uWSGI's jwsgi plugin calls it (a HashMap of UTF-8-read Strings plus {@code jwsgi.input}),
 * with the application under the strict validator.
 */
public class JwsgiEntryTest
{
    private final List<String> warnings = new CopyOnWriteArrayList<>();
    private final AtomicInteger closes = new AtomicInteger();

    @AfterEach
    public void noWarnings()
    {
        assertEquals(List.of(), warnings, "validator warnings");
    }

    @Test
    public void environFromUwsgiVarsAndResponseTriple() throws Exception
    {
        GatewayApplication app = (environ, startResponse) ->
        {
            String seen = environ.get("PATH_INFO") + "|" + environ.urlScheme() + "|" + environ.flag("gateway.multiprocess") + "|" +
                new String(environ.input().read(100), StandardCharsets.ISO_8859_1);
            startResponse.start("201 Created", new ArrayList<>(List.of(new Header("Content-Type", "text/plain"),
                new Header("Set-Cookie", "a=1"), new Header("Set-Cookie", "b=2"))));
            return ResponseBody.of(List.of(seen.getBytes(StandardCharsets.ISO_8859_1), new byte[0], "|end".getBytes(StandardCharsets.US_ASCII)), closes::incrementAndGet);
        };
        Object[] response = JwsgiEntry.application(validated(app), env("POST", "/p/caf%C3%A9", "/p/café", "hello"));

        assertEquals(3, response.length);
        assertEquals(201, response[0]);
        @SuppressWarnings("unchecked")
        Map<String, String[]> headers = (Map<String, String[]>)response[1];
        assertArrayEquals(new String[]{"a=1", "b=2"}, headers.get("Set-Cookie"));
        assertArrayEquals(new String[]{"text/plain"}, headers.get("Content-Type"));
        try (InputStream body = (InputStream)response[2])
        {
            // PATH_INFO back in latin-1 bytes-as-chars: the two UTF-8 bytes of é as two chars.
            assertEquals("/p/caf\u00c3\u00a9|https|true|hello|end", new String(body.readAllBytes(), StandardCharsets.ISO_8859_1));
        }
        assertEquals(1, closes.get(), "body close() calls");
    }

    @Test
    public void failureBeforeTheHeadersIsAGeneric500() throws Exception
    {
        GatewayApplication app = (environ, startResponse) ->
        {
            throw new IllegalStateException("secret detail");
        };
        Object[] response = JwsgiEntry.application(app, env("GET", "/", "/", ""));
        assertEquals(500, response[0]);
        try (InputStream body = (InputStream)response[2])
        {
            assertEquals("Internal Server Error\n", new String(body.readAllBytes(), StandardCharsets.US_ASCII));
        }
    }

    @Test
    public void closingTheBodyEarlyClosesTheApplicationBody() throws Exception
    {
        CountDownLatch closed = new CountDownLatch(1);
        GatewayApplication app = (environ, startResponse) ->
        {
            startResponse.start("200 OK", new ArrayList<>(List.of(new Header("Content-Type", "application/octet-stream"))));
            Iterable<byte[]> endless = () -> new Iterator<>()
            {
                @Override
                public boolean hasNext()
                {
                    return true;
                }

                @Override
                public byte[] next()
                {
                    return new byte[8192];
                }
            };
            return ResponseBody.of(endless, () ->
            {
                closes.incrementAndGet();
                closed.countDown();
            });
        };
        Object[] response = JwsgiEntry.application(validated(app), env("GET", "/", "/", ""));
        InputStream body = (InputStream)response[2];
        assertEquals(8192, body.readNBytes(8192).length);
        // What uWSGI does after a write error: close the InputStream.
        body.close();
        assertTrue(closed.await(5, TimeUnit.SECONDS), "the application's body was closed");
        Thread.sleep(200);
        assertEquals(1, closes.get(), "body close() calls");
    }

    @Test
    public void hostedServletThroughTheEntry() throws Exception
    {
        try (HostedApplication hosted = HostedApplication.ofServlet(new jakarta.servlet.http.HttpServlet()
        {
            @Override
            protected void service(jakarta.servlet.http.HttpServletRequest request, jakarta.servlet.http.HttpServletResponse response) throws java.io.IOException
            {
                response.setContentType("text/plain;charset=UTF-8");
                response.getWriter().print(request.getMethod() + " " + request.getRequestURI() + " " + request.getPathInfo() + " " + request.isSecure() + " " +
                    new String(request.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
            }
        }, "/*").start())
        {
            Object[] response = JwsgiEntry.application(validated(hosted), env("PUT", "/p/caf%C3%A9", "/p/café", "body!"));
            assertEquals(200, response[0]);
            try (InputStream body = (InputStream)response[2])
            {
                assertEquals("PUT /p/caf%C3%A9 /p/café true body!", new String(body.readAllBytes(), StandardCharsets.UTF_8));
            }
        }
    }

    private GatewayApplication validated(GatewayApplication app)
    {
        return new GatewayValidator(GatewayValidator.Profile.STRICT, warnings::add).wrap(app);
    }

    /** What uWSGI's HTTP router and jwsgi plugin give for an HTTPS request (Strings are the UTF-8 reading of the bytes). */
    private static HashMap<String, Object> env(String method, String rawPath, String decodedPath, String body)
    {
        HashMap<String, Object> env = new HashMap<>();
        env.put("REQUEST_METHOD", method);
        env.put("REQUEST_URI", rawPath);
        env.put("PATH_INFO", decodedPath);
        env.put("QUERY_STRING", "");
        env.put("SERVER_PROTOCOL", "HTTP/1.1");
        env.put("SCRIPT_NAME", "");
        env.put("SERVER_NAME", "app.example");
        env.put("SERVER_PORT", "443");
        env.put("HTTP_HOST", "app.example");
        env.put("REMOTE_ADDR", "192.0.2.7");
        env.put("REMOTE_PORT", "50123");
        env.put("HTTPS", "on");
        env.put("UWSGI_ROUTER", "http");
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        if (bytes.length > 0)
            env.put("CONTENT_LENGTH", Integer.toString(bytes.length));
        env.put("jwsgi.input", new ByteArrayInputStream(bytes));
        return env;
    }
}

package io.github.jettyuwsgi.examples.gateway;

import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

import io.github.jettyuwsgi.gateway.Environ;
import io.github.jettyuwsgi.gateway.GatewayApplication;
import io.github.jettyuwsgi.gateway.GatewayInput;
import io.github.jettyuwsgi.gateway.Header;
import io.github.jettyuwsgi.gateway.ResponseBody;
import io.github.jettyuwsgi.gateway.StartResponse;

/**
 * <p>The gateway WAR's application, written against the gateway contract only: {@code GET /hello/NAME} greets,
 * {@code POST /echo} streams the request body back block by block (never holding more than one block), anything
 * else is a 404. {@code GatewayServlet} serves it, as declared in {@code web.xml}.</p>
 */
public class GreetingApp implements GatewayApplication
{
    private static final List<Header> TEXT = List.of(new Header("Content-Type", "text/plain; charset=utf-8"));
    private static final int BLOCK_SIZE = 16 * 1024;

    @Override
    public ResponseBody call(Environ environ, StartResponse startResponse)
    {
        String path = environ.get("PATH_INFO", "");
        String method = environ.get("REQUEST_METHOD");
        if (path.startsWith("/hello/") && ("GET".equals(method) || "HEAD".equals(method)))
        {
            // PATH_INFO holds the request's bytes one char each; the client sent UTF-8.
            String name = new String(path.substring("/hello/".length()).getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
            startResponse.start("200 OK", TEXT);
            return ResponseBody.of(("Hello, " + name + "!\n").getBytes(StandardCharsets.UTF_8));
        }
        if (path.equals("/echo") && "POST".equals(method))
        {
            startResponse.start("200 OK", List.of(new Header("Content-Type", environ.get("CONTENT_TYPE", "application/octet-stream"))));
            return echo(environ.input());
        }
        startResponse.start("404 Not Found", TEXT);
        return ResponseBody.of(("no route for " + method + " " + path + "\n").getBytes(StandardCharsets.UTF_8));
    }

    private static ResponseBody echo(GatewayInput input)
    {
        Iterator<byte[]> blocks = new Iterator<>()
        {
            private byte[] next;

            @Override
            public boolean hasNext()
            {
                if (next == null)
                    next = input.read(BLOCK_SIZE);
                return next.length > 0;
            }

            @Override
            public byte[] next()
            {
                if (!hasNext())
                    throw new NoSuchElementException("request body: no more blocks");
                byte[] block = next;
                next = null;
                return block;
            }
        };
        return ResponseBody.of(() -> blocks, () -> { });
    }
}

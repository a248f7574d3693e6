package io.github.jettyuwsgi.gateway.servlet;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import io.github.jettyuwsgi.gateway.Environ;
import io.github.jettyuwsgi.gateway.GatewayApplication;
import io.github.jettyuwsgi.gateway.GatewayInput;
import io.github.jettyuwsgi.gateway.GatewayMiddleware;
import io.github.jettyuwsgi.gateway.Header;
import io.github.jettyuwsgi.gateway.ResponseBody;
import io.github.jettyuwsgi.gateway.StartResponse;

/**
 * <p>Gateway applications and middleware the servlet tests deploy; the public ones are loaded by class name, as a
 * {@code web.xml} would.</p>
 */
public final class TestApps
{
    static final List<Header> TEXT = List.of(new Header("Content-Type", "text/plain; charset=iso-8859-1"));

    private TestApps()
    {
    }

    static byte[] latin1(String text)
    {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    /**
     * <p>Answers with every String environ entry as {@code KEY=value} lines, sorted, then the type of each
     * {@code gateway.*} value, then {@code body=} and the request body.</p>
     */
    public static final class Dump implements GatewayApplication
    {
        @Override
        public ResponseBody call(Environ environ, StartResponse startResponse)
        {
            StringBuilder out = new StringBuilder();
            Map<String, Object> sorted = new TreeMap<>(environ.asMap());
            sorted.forEach((key, value) ->
            {
                if (value instanceof String || value instanceof Boolean)
                    out.append(key).append('=').append(value).append('\n');
            });
            out.append("body=").append(new String(readAll(environ.input()), StandardCharsets.ISO_8859_1));
            startResponse.start("200 OK", TEXT);
            return ResponseBody.of(latin1(out.toString()));
        }
    }

    static byte[] readAll(GatewayInput input)
    {
        return input.read(-1);
    }

    /**
     * <p>Answers {@code hello from PATH_INFO}.</p>
     */
    public static final class Hello implements GatewayApplication
    {
        @Override
        public ResponseBody call(Environ environ, StartResponse startResponse)
        {
            startResponse.start("200 OK", TEXT);
            return ResponseBody.of(latin1("hello from " + environ.get("PATH_INFO")));
        }
    }

    /**
     * <p>Upper-cases each body chunk as it passes, without holding any back, whether the application yields it or
     * pushes it through {@code write()} (PEP 3333: middleware must wrap {@code write} too).</p>
     */
    public static final class Upper implements GatewayMiddleware
    {
        @Override
        public GatewayApplication wrap(GatewayApplication next)
        {
            return (environ, startResponse) ->
            {
                ResponseBody inner = next.call(environ, (status, headers, excInfo) ->
                {
                    StartResponse.Write write = startResponse.start(status, headers, excInfo);
                    return chunk -> write.write(upper(chunk));
                });
                return new ResponseBody()
                {
                    @Override
                    public Iterator<byte[]> iterator()
                    {
                        Iterator<byte[]> chunks = inner.iterator();
                        return new Iterator<>()
                        {
                            @Override
                            public boolean hasNext()
                            {
                                return chunks.hasNext();
                            }

                            @Override
                            public byte[] next()
                            {
                                return upper(chunks.next());
                            }
                        };
                    }

                    @Override
                    public int chunkCount()
                    {
                        return inner.chunkCount();
                    }

                    @Override
                    public void close() throws IOException
                    {
                        inner.close();
                    }
                };
            };
        }
    }

    static byte[] upper(byte[] chunk)
    {
        return latin1(new String(chunk, StandardCharsets.ISO_8859_1).toUpperCase(Locale.ROOT));
    }

    /**
     * <p>Adds an {@code X-Trace} header naming the order the middleware saw the response in.</p>
     */
    public static final class Trace implements GatewayMiddleware
    {
        @Override
        public GatewayApplication wrap(GatewayApplication next)
        {
            return (environ, startResponse) -> next.call(environ, (status, headers, excInfo) ->
            {
                List<Header> more = new ArrayList<>(headers);
                more.add(new Header("X-Trace", "trace"));
                return startResponse.start(status, more, excInfo);
            });
        }
    }
}

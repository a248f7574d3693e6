package io.github.jettyuwsgi.gateway.jwsgi;

import java.io.ByteArrayInputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * <p>JWSGI applications written exactly as for uWSGI's {@code --jwsgi}: no import from this project.</p>
 */
// JWSGI applications declare the raw java.util.HashMap: it is the signature uWSGI looks up by JNI descriptor.
@SuppressWarnings("rawtypes")
public final class JwsgiApps
{
    static final AtomicInteger STREAM_CLOSES = new AtomicInteger();

    private JwsgiApps()
    {
    }

    /**
     * <p>uWSGI's documentation example, plus the path and the request body.</p>
     */
    public static final class Hello
    {
        public static Object[] application(HashMap env) throws IOException
        {
            Map<String, Object> headers = new HashMap<>();
            headers.put("Content-Type", "text/plain; charset=utf-8");
            headers.put("Server", new String[]{"uWSGI", "Unbit"});
            String body = new String(((InputStream)env.get("jwsgi.input")).readAllBytes(), StandardCharsets.UTF_8);
            return new Object[]{200, headers, "Hello " + env.get("PATH_INFO") + " " + env.get("REQUEST_METHOD") + " " + body};
        }
    }

    /**
     * <p>An instance method, which uWSGI calls on an instance made with the no-arg constructor.</p>
     */
    public static final class Instance
    {
        private final String greeting = "instance";

        public Object[] handle(HashMap env)
        {
            return new Object[]{201L, Map.of("Content-Type", List.of("text/plain")), greeting};
        }
    }

    /**
     * <p>Answers with the body type named by the query string.</p>
     */
    public static final class Bodies
    {
        public static Object[] application(HashMap env) throws IOException
        {
            Map<String, Object> headers = new LinkedHashMap<>();
            headers.put("Content-Type", "text/plain");
            Object body = switch ((String)env.get("QUERY_STRING"))
            {
                case "string" -> "caf\u00e9";
                case "strings" -> new String[]{"a", "b", "c"};
                case "bytes" -> new byte[]{'o', 'k'};
                case "iterable" -> List.of("x", new byte[]{'y'}, 42);
                case "file" ->
                {
                    File file = File.createTempFile("jwsgi", ".txt");
                    file.deleteOnExit();
                    Files.writeString(file.toPath(), "from a file");
                    yield file;
                }
                case "stream" -> new ByteArrayInputStream("streamed".getBytes(StandardCharsets.US_ASCII))
                {
                    @Override
                    public void close()
                    {
                        STREAM_CLOSES.incrementAndGet();
                    }
                };
                default -> Boolean.TRUE;
            };
            return new Object[]{200, headers, body};
        }
    }

    /**
     * <p>Returns what uWSGI rejects: a String status.</p>
     */
    public static final class StringStatus
    {
        public static Object[] application(HashMap env)
        {
            return new Object[]{"200 OK", Map.of(), "x"};
        }
    }

    /**
     * <p>Returns a two-element array.</p>
     */
    public static final class ShortTriple
    {
        public static Object[] application(HashMap env)
        {
            return new Object[]{200, Map.of()};
        }
    }
}

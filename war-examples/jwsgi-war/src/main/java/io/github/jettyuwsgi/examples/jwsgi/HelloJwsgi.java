package io.github.jettyuwsgi.examples.jwsgi;

import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;

/**
 * <p>The JWSGI WAR's application, written in uWSGI's JWSGI contract and depending on nothing but the JDK: the same
 * class runs under {@code uwsgi --plugins jvm,jwsgi --jwsgi io.github.jettyuwsgi.examples.jwsgi.HelloJwsgi:application}
 * and, as here, behind {@code GatewayServlet} with the {@code jwsgi} init-param. It answers {@code {status, headers,
 * body}}: {@code GET /hello?name=N} with a {@code String[]} body, {@code GET /count?n=N} with a lazily generated
 * {@code InputStream}, {@code POST /echo} with {@code jwsgi.input} itself, anything else with a 404 String.</p>
 */
public class HelloJwsgi
{
    private static final int MAX_COUNT = 1_000_000;

    // uWSGI's JVM plugin looks the method up with the raw signature application(java.util.HashMap).
    @SuppressWarnings({"rawtypes", "unchecked"})
    public static Object[] application(HashMap env)
    {
        String path = String.valueOf(env.get("PATH_INFO"));
        String method = String.valueOf(env.get("REQUEST_METHOD"));
        String query = String.valueOf(env.getOrDefault("QUERY_STRING", ""));
        HashMap<String, Object> headers = new HashMap<>();
        headers.put("Content-Type", "text/plain; charset=utf-8");
        if ((path.equals("/hello") || path.equals("/") || path.isEmpty()) && method.equals("GET"))
        {
            // A header given as String[] is sent as one header line per value.
            headers.put("Cache-Control", new String[]{"no-cache", "no-transform"});
            return new Object[]{200, headers, new String[]{"Hello, ", parameter(query, "name", "World"), "!\n"}};
        }
        if (path.equals("/count") && method.equals("GET"))
        {
            int n = Math.min(Integer.parseInt(parameter(query, "n", "10")), MAX_COUNT);
            return new Object[]{200, headers, new CountingStream(n)};
        }
        if (path.equals("/echo") && method.equals("POST"))
        {
            headers.put("Content-Type", env.getOrDefault("CONTENT_TYPE", "application/octet-stream"));
            if (env.containsKey("CONTENT_LENGTH"))
                headers.put("Content-Length", env.get("CONTENT_LENGTH"));
            return new Object[]{200, headers, env.get("jwsgi.input")};
        }
        return new Object[]{404, headers, "not found: " + method + " " + path + "\n"};
    }

    private static String parameter(String query, String name, String absent)
    {
        for (String pair : query.split("&"))
        {
            if (pair.startsWith(name + "="))
                return URLDecoder.decode(pair.substring(name.length() + 1), StandardCharsets.UTF_8);
        }
        return absent;
    }

    /**
     * <p>The lines {@code 1\n} to {@code N\n}, produced as they are read: the body never exists as a whole.</p>
     */
    private static final class CountingStream extends InputStream
    {
        private final int last;
        private int number;
        private byte[] line = new byte[0];
        private int offset;

        private CountingStream(int last)
        {
            this.last = last;
        }

        @Override
        public int read()
        {
            if (offset == line.length)
            {
                if (number == last)
                    return -1;
                number++;
                line = (number + "\n").getBytes(StandardCharsets.US_ASCII);
                offset = 0;
            }
            return line[offset++] & 0xFF;
        }

        @Override
        public int read(byte[] buffer, int start, int length)
        {
            int count = 0;
            while (count < length)
            {
                int b = read();
                if (b < 0)
                    return count == 0 ? -1 : count;
                buffer[start + count++] = (byte)b;
            }
            return count;
        }
    }
}

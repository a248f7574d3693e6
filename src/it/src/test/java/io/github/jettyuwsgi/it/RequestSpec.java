package io.github.jettyuwsgi.it;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;

/**
 * <p>One request of a differential test, described once and sent over every route: method, request target,
 * headers (repeatable, in order) and body. It also carries what the servlet must have seen, so that a case fails
 * when every route is wrong in the same way.</p>
 */
public final class RequestSpec
{
    /**
     * The Host every differential request carries unless a case says otherwise, with a port, so that
     * {@code serverName}, {@code serverPort} and {@code requestURL} are the same on every route whatever port the
     * client dialled (sending it needs {@code -Djdk.httpclient.allowRestrictedHeaders=host}, set in the pom).
     */
    public static final String HOST = "test.local:8080";

    private final String name;
    private final String method;
    private final String target;
    private final List<String[]> headers = new ArrayList<>();
    private String host = HOST;
    private byte[] body;
    private boolean raw;
    private Consumer<Map<String, Object>> expectations = echo ->
    {
    };

    private RequestSpec(String name, String method, String target)
    {
        this.name = name;
        this.method = method;
        this.target = target;
    }

    /**
     * @param target path and query, sent as is (already percent-encoded)
     */
    public static RequestSpec request(String name, String method, String target)
    {
        return new RequestSpec(name, method, target);
    }

    public RequestSpec header(String name, String value)
    {
        headers.add(new String[]{name, value});
        return this;
    }

    /**
     * @param host the Host header, or null for the JDK client's own ({@code 127.0.0.1:port})
     */
    public RequestSpec host(String host)
    {
        this.host = host;
        return this;
    }

    /**
     * Sends this request with {@link RawHttpClient}, header lines exactly as given, instead of the JDK client.
     */
    public RequestSpec raw()
    {
        raw = true;
        return this;
    }

    public boolean isRaw()
    {
        return raw;
    }

    /**
     * @return the header lines in order, Host first when it is set
     */
    public List<String[]> headers()
    {
        List<String[]> all = new ArrayList<>();
        if (host != null)
            all.add(new String[]{"Host", host});
        all.addAll(headers);
        return all;
    }

    public RequestSpec body(String contentType, byte[] body)
    {
        this.body = body;
        return contentType == null ? this : header("Content-Type", contentType);
    }

    /**
     * @param expectations assertions on the echo JSON of the reference route, on top of the differential comparison
     */
    public RequestSpec expect(Consumer<Map<String, Object>> expectations)
    {
        this.expectations = this.expectations.andThen(expectations);
        return this;
    }

    public String name()
    {
        return name;
    }

    public String method()
    {
        return method;
    }

    public String target()
    {
        return target;
    }

    public byte[] body()
    {
        return body;
    }

    /**
     * @return the path of the target, still percent-encoded, as {@code getRequestURI()} returns it
     */
    public String path()
    {
        int query = target.indexOf('?');
        return query < 0 ? target : target.substring(0, query);
    }

    /**
     * @return the query of the target, or null, as {@code getQueryString()} returns it
     */
    public String query()
    {
        int query = target.indexOf('?');
        return query < 0 ? null : target.substring(query + 1);
    }

    public void checkExpectations(Map<String, Object> echo)
    {
        expectations.accept(echo);
    }

    public HttpRequest toHttpRequest(URI base, Duration timeout)
    {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(base + target)).timeout(timeout);
        if (host != null)
            builder.header("Host", host);
        for (String[] header : headers)
        {
            builder.header(header[0], header[1]);
        }
        builder.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        return builder.build();
    }

    @Override
    public String toString()
    {
        return name;
    }

    /**
     * @return {@code length} bytes that are the same in every run
     */
    public static byte[] deterministicBytes(int length, long seed)
    {
        byte[] bytes = new byte[length];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    /**
     * A multipart/form-data body, written out by hand so that the bytes on the wire are known exactly.
     */
    public static final class Multipart
    {
        private final String boundary = "----jetty-uwsgi-it-7MA4YWxkTrZu0gW";
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        public Multipart field(String name, String value)
        {
            write("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name + "\"\r\n\r\n" + value + "\r\n");
            return this;
        }

        public Multipart file(String name, String fileName, String contentType, byte[] content)
        {
            write("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name + "\"; filename=\"" + fileName + "\"\r\n" +
                "Content-Type: " + contentType + "\r\n\r\n");
            out.writeBytes(content);
            write("\r\n");
            return this;
        }

        public String contentType()
        {
            return "multipart/form-data; boundary=" + boundary;
        }

        public byte[] toBytes()
        {
            ByteArrayOutputStream copy = new ByteArrayOutputStream();
            copy.writeBytes(out.toByteArray());
            copy.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
            return copy.toByteArray();
        }

        private void write(String text)
        {
            out.writeBytes(text.getBytes(StandardCharsets.UTF_8));
        }
    }
}

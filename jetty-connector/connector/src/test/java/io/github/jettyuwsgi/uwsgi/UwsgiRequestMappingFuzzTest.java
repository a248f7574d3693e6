package io.github.jettyuwsgi.uwsgi;

import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;

import io.github.jettyuwsgi.uwsgi.codec.UwsgiException;
import io.github.jettyuwsgi.uwsgi.codec.UwsgiVars;
import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.github.jettyuwsgi.captures.Captures;
import io.github.jettyuwsgi.uwsgi.codec.UwsgiParser;
import org.eclipse.jetty.http.HttpException;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.HttpParser;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.http.MetaData;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Coverage-guided fuzzing of {@link UwsgiRequestMapping}, with Jetty's own {@link HttpParser} as the oracle. The input is
 * a vars block (the seeds are the captured packets' vars blocks); a block that decodes is mapped, and only
 * {@link UwsgiException} may escape. A request the mapping yields is written back as the HTTP/1.x head a client would
 * have sent for it (its target the raw {@code REQUEST_URI}, as the frontend passed it on), and that head must be one
 * Jetty's HTTP parser accepts and reads as the same request: the same method, the same target (path, canonical path,
 * query, fragment and URI violations, so that {@code ..} segments, encoded separators, {@code \} or a fragment are
 * judged downstream by the same {@code UriCompliance} as for HTTP), and the same header fields. A {@code REQUEST_URI} the
 * mapping refuses must be one Jetty's HTTP connection refuses as well. CR, LF or NUL in a name or a value, a
 * method that is no token, an absolute-URI trick: any of them would make the head differ or be rejected.
 */
public class UwsgiRequestMappingFuzzTest
{
    private static final InetSocketAddress PEER = InetSocketAddress.createUnresolved("127.0.0.1", 40000);

    static Stream<Arguments> varsBlocks()
    {
        return Captures.requestPackets().stream().map(name ->
        {
            byte[] packet = Captures.read(name);
            int datasize = (packet[1] & 0xFF) | (packet[2] & 0xFF) << 8;
            return Arguments.of((Object)Arrays.copyOfRange(packet, 4, 4 + datasize));
        });
    }

    @MethodSource("varsBlocks")
    @DictionaryEntries({"REQUEST_METHOD", "REQUEST_URI", "PATH_INFO", "SCRIPT_NAME", "QUERY_STRING", "HTTP_HOST",
        "SERVER_NAME", "SERVER_PORT", "SERVER_PROTOCOL", "HTTP_TRANSFER_ENCODING", "CONTENT_LENGTH", "HTTPS",
        "UWSGI_SCHEME", "HTTP_COOKIE", "HTTP_X_", "http://", "https://", "/../", "/..;/", "%2e%2e", "%2F", "%00",
        "\\x0d\\x0a", "\\x00", "HTTP/1.1", "HTTP/1.0", "*", "@", "//", "?", "#"})
    @FuzzTest(maxDuration = "15s")
    public void map(byte[] varsBlock)
    {
        UwsgiVars vars;
        try
        {
            vars = UwsgiParser.decodeVars(varsBlock, 0, varsBlock.length);
        }
        catch (UwsgiException x)
        {
            return; // the parser's 400
        }
        UwsgiRequest request;
        try
        {
            request = UwsgiRequestMapping.map(vars, PEER);
        }
        catch (UwsgiException x)
        {
            // answered 400: for a target refused as such, Jetty's HTTP connection refuses the same target
            if (x.getMessage().startsWith("REQUEST_URI: '"))
                assertJettyRejectsTarget(vars, x);
            return;
        }
        MetaData.Request mapped = request.metaData();
        byte[] bytes = head(mapped, rawRequestUri(vars));
        String head = new String(bytes, StandardCharsets.ISO_8859_1);
        Parsed parsed = Parsed.of(bytes);
        if (parsed.failure != null)
        {
            // The uwsgi hop carries SERVER_NAME in place of Host, and Jetty's HttpChannel needs none: not a defect.
            if (parsed.failure.getReason() != null && parsed.failure.getReason().contains("No Host") && mapped.getHttpFields().get("Host") == null)
                return;
            // Two Host vars: both fields are passed on, and Jetty's request handling answers 400 for them by its
            // HttpCompliance, as over HTTP (RequestTargetTest)
            if (parsed.failure.getReason() != null && parsed.failure.getReason().contains("Duplicate Host") && mapped.getHttpFields().getValuesList("Host").size() > 1)
                return;
            fail("vars " + vars + " mapped to a request Jetty's HTTP parser rejects (" + parsed.failure.getCode() + " " + parsed.failure.getReason() + "):\n" + head);
        }
        assertEquals(mapped.getMethod(), parsed.method, head);
        HttpURI mappedUri = mapped.getHttpURI();
        HttpURI parsedUri;
        try
        {
            parsedUri = targetAsHttpConnectionReadsIt(parsed);
        }
        catch (IllegalArgumentException x)
        {
            throw new AssertionError("vars " + vars + " mapped to a request whose target Jetty's HTTP connection cannot parse (" + x + "):\n" + head, x);
        }
        assertEquals(mappedUri.getPath(), parsedUri.getPath(), head);
        assertEquals(mappedUri.getCanonicalPath(), parsedUri.getCanonicalPath(), head);
        assertEquals(mappedUri.getQuery(), parsedUri.getQuery(), head);
        assertEquals(mappedUri.getFragment(), parsedUri.getFragment(), head);
        // the same violations: Jetty's request handling judges them by the connector's UriCompliance, as over HTTP
        assertEquals(Set.copyOf(mappedUri.getViolations()), Set.copyOf(parsedUri.getViolations()), head);
        List<String> mappedFields = new ArrayList<>();
        for (HttpField field : mapped.getHttpFields())
        {
            mappedFields.add(field.getName().toLowerCase(Locale.ENGLISH) + ": " + field.getValue().strip());
        }
        assertEquals(mappedFields.size(), parsed.fields.size(), head);
        for (int i = 0; i < mappedFields.size(); i++)
        {
            String field = mappedFields.get(i);
            String value = field.substring(field.indexOf(": ") + 2);
            // Jetty's parser takes a value that starts like a cached field ("Connection: close") in the cached field's
            // case ("closE1;" is read "close1;"); the mapping keeps the value as the client sent it
            if (!field.equals(parsed.fields.get(i)) && field.equalsIgnoreCase(parsed.fields.get(i)) && sentAsIs(vars, value))
                continue;
            assertEquals(field, parsed.fields.get(i), head);
        }
    }

    /**
     * The mapping refused a {@code REQUEST_URI}: a client that sent it in its request line to Jetty's HTTP connector
     * gets a 400 as well (the parser refuses the line, {@link HttpURI} cannot parse the target, or Jetty's request
     * handling refuses a path that is no absolute path). A target with a space or a control character is left out:
     * written into a request line it would make another request line, not the same one. One difference is on purpose:
     * Jetty's request handling lets {@code OPTIONS} and {@code PRI} through with a relative path ({@code OPTIONS foo}),
     * a target RFC 9112 section 3.2 has no form for; the mapping refuses it for every method.
     */
    private static void assertJettyRejectsTarget(UwsgiVars vars, UwsgiException refusal)
    {
        String method = vars.get("REQUEST_METHOD");
        byte[] target = rawRequestUri(vars);
        if (method == null || target == null)
            return;
        // two different REQUEST_URI vars: refused for the conflict, which no request line can have
        for (int i = 0; i < vars.size(); i++)
        {
            if (vars.name(i).equals("REQUEST_URI") && !vars.value(i).equals(vars.get("REQUEST_URI")))
                return;
        }
        for (byte b : target)
        {
            if ((b & 0xFF) <= ' ' || b == 0x7F)
                return;
        }
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        head.writeBytes((method + ' ').getBytes(StandardCharsets.ISO_8859_1));
        head.writeBytes(target);
        head.writeBytes(" HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
        Parsed parsed = Parsed.of(head.toByteArray());
        if (parsed.failure != null)
            return;
        HttpURI uri;
        try
        {
            uri = targetAsHttpConnectionReadsIt(parsed);
        }
        catch (IllegalArgumentException x)
        {
            return;
        }
        // HttpChannelState's check before any handler refuses a relative path but for OPTIONS and PRI; the mapping, for all
        String path = uri.getPath();
        if (path == null || !path.startsWith("/") && !path.equals("*"))
            return;
        fail("the mapping refused a target Jetty's HTTP connection accepts (" + refusal.getMessage() + "):\n" + head.toString(StandardCharsets.ISO_8859_1));
    }

    /**
     * The parsed target as Jetty's HTTP/1 connection makes it a URI: an absolute-form target with an authority and an
     * empty path has "/" when the request starts, and any target still without a path gets "/" when its headers are
     * complete ({@code http://user@} has user info but no host, hence no authority and no path).
     */
    private static HttpURI targetAsHttpConnectionReadsIt(Parsed parsed)
    {
        HttpURI.Mutable uri = HttpURI.build(parsed.method, parsed.target);
        if ((uri.getPath() == null || uri.getPath().isEmpty()) && uri.getScheme() != null && uri.hasAuthority())
            uri.path("/");
        if (uri.getPath() == null)
            uri.path("/");
        return uri;
    }

    /** Whether some var carries this value as it is: the mapping passed the client's value on, in the client's case. */
    private static boolean sentAsIs(UwsgiVars vars, String value)
    {
        for (int i = 0; i < vars.size(); i++)
        {
            if (vars.value(i).strip().equals(value))
                return true;
        }
        return false;
    }

    /** The {@code REQUEST_URI} bytes, as the client sent them in its request line (the frontend passes them raw). */
    private static byte[] rawRequestUri(UwsgiVars vars)
    {
        String requestUri = vars.get("REQUEST_URI");
        return requestUri == null || requestUri.isEmpty() ? null : requestUri.getBytes(StandardCharsets.ISO_8859_1);
    }

    /**
     * The head a client would have sent for the request: what the frontend read before it built the vars. The target
     * is the raw {@code REQUEST_URI} when there is one, else the mapped one written as UTF-8; the fields are written as
     * ISO-8859-1, the way Jetty's HTTP parser reads each of them.
     */
    private static byte[] head(MetaData.Request request, byte[] rawTarget)
    {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        head.writeBytes((request.getMethod() + ' ').getBytes(StandardCharsets.ISO_8859_1));
        if (rawTarget != null)
        {
            head.writeBytes(rawTarget);
        }
        else
        {
            // a '#' in QUERY_STRING (no client sends one; a forged packet could) made a fragment: it is written too
            String target = request.getHttpURI().getPathQuery();
            if (target == null || target.isEmpty())
                target = "/";
            if (request.getHttpURI().getFragment() != null)
                target = target + '#' + request.getHttpURI().getFragment();
            head.writeBytes(target.getBytes(StandardCharsets.UTF_8));
        }
        StringBuilder fields = new StringBuilder(" ").append(request.getHttpVersion().asString()).append("\r\n");
        for (HttpField field : request.getHttpFields())
        {
            fields.append(field.getName()).append(": ").append(field.getValue()).append("\r\n");
        }
        fields.append("\r\n");
        head.writeBytes(fields.toString().getBytes(StandardCharsets.ISO_8859_1));
        return head.toByteArray();
    }

    /** What Jetty's HTTP parser read from a head. */
    private static final class Parsed implements HttpParser.RequestHandler
    {
        String method;
        String target;
        final List<String> fields = new ArrayList<>();
        HttpException failure;
        boolean complete;

        static Parsed of(byte[] head)
        {
            Parsed parsed = new Parsed();
            HttpParser parser = new HttpParser(parsed, 1024 * 1024);
            ByteBuffer buffer = ByteBuffer.wrap(head);
            while (buffer.hasRemaining() && !parsed.complete && parsed.failure == null)
            {
                if (!parser.parseNext(buffer) && !buffer.hasRemaining())
                    break;
            }
            if (!parsed.complete && parsed.failure == null)
                parsed.failure = new HttpException.RuntimeException(400, "head not complete in state " + parser.getState());
            return parsed;
        }

        @Override
        public void startRequest(String method, String uri, HttpVersion version)
        {
            this.method = method;
            this.target = uri;
        }

        @Override
        public void parsedHeader(HttpField field)
        {
            fields.add(field.getName().toLowerCase(Locale.ENGLISH) + ": " + (field.getValue() == null ? "" : field.getValue().strip()));
        }

        @Override
        public boolean headerComplete()
        {
            complete = true;
            return true;
        }

        @Override
        public boolean content(ByteBuffer item)
        {
            return false;
        }

        @Override
        public boolean contentComplete()
        {
            return false;
        }

        @Override
        public boolean messageComplete()
        {
            return true;
        }

        @Override
        public void earlyEOF()
        {
        }

        @Override
        public void badMessage(HttpException failure)
        {
            this.failure = failure;
        }
    }
}

package io.github.jettyuwsgi.gateway.jwsgi;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import io.github.jettyuwsgi.gateway.Environ;
import io.github.jettyuwsgi.gateway.EnvironKeys;
import io.github.jettyuwsgi.gateway.FileWrapper;
import io.github.jettyuwsgi.gateway.GatewayApplication;
import io.github.jettyuwsgi.gateway.GatewayErrors;
import io.github.jettyuwsgi.gateway.GatewayException;
import io.github.jettyuwsgi.gateway.GatewayExchange;
import io.github.jettyuwsgi.gateway.GatewayInput;
import io.github.jettyuwsgi.gateway.GatewayValidator;
import io.github.jettyuwsgi.gateway.Header;
import io.github.jettyuwsgi.gateway.ResponseRules;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * <p>Unchanged JWSGI applications run as gateway applications, under the strict validator.</p>
 */
class JwsgiApplicationTest
{
    private final List<String> warnings = new ArrayList<>();
    private ResponseRules.Status status;
    private List<Header> headers;
    private final ByteArrayOutputStream body = new ByteArrayOutputStream();

    private static Environ environ(String pathInfo, String query, String requestBody)
    {
        byte[] bytes = requestBody.getBytes(StandardCharsets.UTF_8);
        return new Environ().put("REQUEST_METHOD", "POST").put("SCRIPT_NAME", "").put("PATH_INFO", pathInfo)
            .put("QUERY_STRING", query).put("SERVER_NAME", "localhost").put("SERVER_PORT", "80")
            .put("CONTENT_LENGTH", Integer.toString(bytes.length))
            .put(EnvironKeys.VERSION, Environ.VERSION_1_0).put(EnvironKeys.URL_SCHEME, "http")
            .put(EnvironKeys.INPUT, GatewayInput.of(new ByteArrayInputStream(bytes), bytes.length))
            .put(EnvironKeys.ERRORS, GatewayErrors.lines(line -> { })).put(EnvironKeys.MULTITHREAD, true)
            .put(EnvironKeys.MULTIPROCESS, false).put(EnvironKeys.RUN_ONCE, false).put(EnvironKeys.FILE_WRAPPER, FileWrapper.BLOCKS);
    }

    private String run(GatewayApplication app, Environ environ) throws Exception
    {
        GatewayApplication validated = new GatewayValidator(GatewayValidator.Profile.STRICT, warnings::add).wrap(app);
        new GatewayExchange(new GatewayExchange.Sink()
        {
            @Override
            public void sendHeaders(ResponseRules.Status s, List<Header> h)
            {
                status = s;
                headers = h;
            }

            @Override
            public void sendChunk(byte[] chunk)
            {
                body.writeBytes(chunk);
            }
        }).run(validated, environ);
        assertEquals(List.of(), warnings);
        return body.toString(StandardCharsets.UTF_8);
    }

    @Test
    void documentationExampleRunsUnchanged() throws Exception
    {
        // PATH_INFO arrives as latin-1 bytes-as-chars; JWSGI sees the UTF-8 reading, as uWSGI's NewStringUTF gives.
        String text = run(new JwsgiApplication(JwsgiApps.Hello.class, "application"), environ("/caf\u00c3\u00a9", "", "body\u00e9"));
        assertEquals("Hello /caf\u00e9 POST body\u00e9", text);
        assertEquals(200, status.code());
        assertEquals("OK", status.reason());
        assertEquals(List.of("uWSGI", "Unbit"), headers.stream().filter(h -> h.is("Server")).map(Header::value).toList());
    }

    @Test
    void instanceMethodAndLongStatusAndIterableHeader() throws Exception
    {
        assertEquals("instance", run(JwsgiApplication.parse(JwsgiApps.Instance.class.getName() + ":handle", getClass().getClassLoader()), environ("/", "", "")));
        assertEquals("201 Created", status.code() + " " + status.reason());
    }

    @ParameterizedTest
    @CsvSource({"string, caf\u00e9", "strings, abc", "bytes, ok", "iterable, xy42", "file, from a file", "stream, streamed"})
    void everyBodyTypeUwsgiAccepts(String query, String expected) throws Exception
    {
        JwsgiApps.STREAM_CLOSES.set(0);
        assertEquals(expected, run(JwsgiApplication.parse(JwsgiApps.Bodies.class.getName(), getClass().getClassLoader()), environ("/", query, "")));
        if (query.equals("stream"))
            assertEquals(1, JwsgiApps.STREAM_CLOSES.get(), "an InputStream body is closed, as uWSGI closes it");
    }

    @Test
    void whatUwsgiRejectsIsAnError()
    {
        GatewayException unknownBody = assertThrows(GatewayException.class, () -> run(new JwsgiApplication(JwsgiApps.Bodies.class, "application"), environ("/", "other", "")));
        assertEquals("JWSGI body: java.lang.Boolean (expected: String, String[], byte[], Iterable, File or InputStream)", unknownBody.getMessage());
        GatewayException stringStatus = assertThrows(GatewayException.class, () -> run(new JwsgiApplication(JwsgiApps.StringStatus.class, "application"), environ("/", "", "")));
        assertTrue(stringStatus.getMessage().startsWith("JWSGI status: java.lang.String"), stringStatus.getMessage());
        GatewayException shortTriple = assertThrows(GatewayException.class, () -> run(new JwsgiApplication(JwsgiApps.ShortTriple.class, "application"), environ("/", "", "")));
        assertEquals("JWSGI response: [Ljava.lang.Object; (expected: Object[3] {status, headers, body})", shortTriple.getMessage());
        GatewayException noMethod = assertThrows(GatewayException.class, () -> new JwsgiApplication(JwsgiApps.Hello.class, "missing"));
        assertTrue(noMethod.getMessage().startsWith("JWSGI method: "), noMethod.getMessage());
    }
}

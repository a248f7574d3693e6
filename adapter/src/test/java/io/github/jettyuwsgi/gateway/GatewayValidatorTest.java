package io.github.jettyuwsgi.gateway;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * <p>Each check of the validator, triggered by the smallest server or application fault, next to a baseline that
 * passes every check without a warning.</p>
 */
class GatewayValidatorTest
{
    private static final List<Header> TEXT = List.of(new Header("Content-Type", "text/plain"));
    private final List<String> warnings = new ArrayList<>();

    static Environ validEnviron()
    {
        Environ environ = new Environ();
        environ.put("REQUEST_METHOD", "GET").put("SCRIPT_NAME", "").put("PATH_INFO", "/x").put("QUERY_STRING", "")
            .put("SERVER_NAME", "localhost").put("SERVER_PORT", "80").put("SERVER_PROTOCOL", "HTTP/1.1")
            .put(EnvironKeys.VERSION, Environ.VERSION_1_0).put(EnvironKeys.URL_SCHEME, "http")
            .put(EnvironKeys.INPUT, GatewayInput.of(new ByteArrayInputStream("line1\nline2\n".getBytes(StandardCharsets.US_ASCII)), 12))
            .put(EnvironKeys.ERRORS, GatewayErrors.lines(line -> { }))
            .put(EnvironKeys.MULTITHREAD, true).put(EnvironKeys.MULTIPROCESS, false).put(EnvironKeys.RUN_ONCE, false);
        return environ;
    }

    private static GatewayApplication ok(String body)
    {
        return (environ, startResponse) ->
        {
            startResponse.start("200 OK", TEXT);
            return ResponseBody.of(body.getBytes(StandardCharsets.US_ASCII));
        };
    }

    private RecordingSink run(GatewayValidator.Profile profile, Environ environ, GatewayApplication app) throws Exception
    {
        RecordingSink sink = new RecordingSink();
        new GatewayExchange(sink).run(new GatewayValidator(profile, warnings::add).wrap(app), environ);
        return sink;
    }

    @Test
    void validCallPassesWithoutWarning() throws Exception
    {
        RecordingSink sink = run(GatewayValidator.Profile.STRICT, validEnviron(), (environ, startResponse) ->
        {
            GatewayInput input = environ.input();
            byte[] first = input.readline();
            byte[] rest = input.read(-1);
            environ.errors().write("note\n");
            environ.errors().flush();
            startResponse.start("200 OK", List.of(new Header("Content-Type", "text/plain"), new Header("Content-Length", "12")));
            return ResponseBody.of(first, rest);
        });
        assertEquals("line1\nline2\n", sink.body.toString(StandardCharsets.US_ASCII));
        assertEquals(List.of(), warnings);
    }

    /**
     * @return check id, environ fault (or null), application
     */
    static Stream<Arguments> environFaults()
    {
        Map<String, Consumer<Environ>> faults = new LinkedHashMap<>();
        faults.put("#3", e -> { });
        faults.put("#4", e -> e.put("SERVER_PORT", null));
        faults.put("#5", e -> e.put("HTTP_CONTENT_TYPE", "text/plain"));
        faults.put("#7", e -> e.put("HTTP_X_LIST", List.of("a", "b")));
        faults.put("#8", e -> e.put(EnvironKeys.VERSION, new int[]{1, 0}));
        faults.put("#9", e -> e.put(EnvironKeys.URL_SCHEME, "ftp"));
        faults.put("#10", e -> e.put(EnvironKeys.INPUT, new ByteArrayInputStream(new byte[0])));
        faults.put("#11", e -> e.put(EnvironKeys.ERRORS, System.err));
        faults.put("#13", e -> e.put("SCRIPT_NAME", "app"));
        faults.put("#14", e -> e.put("PATH_INFO", null));
        faults.put("#15", e -> e.put("CONTENT_LENGTH", "-1"));
        faults.put("#17", e -> e.put("SCRIPT_NAME", "/"));
        faults.put("S4", e -> e.put("HTTP_X_EURO", "\u20ac"));
        faults.put("S10", e -> e.put(EnvironKeys.MULTITHREAD, "yes"));
        faults.put("S11", e -> e.put(EnvironKeys.FILE_WRAPPER, "not a wrapper"));
        faults.put("S14", e -> e.put("SERVER_NAME", ""));
        return faults.entrySet().stream().map(f -> arguments(f.getKey(), f.getValue()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("environFaults")
    void serverFaultsInTheEnvironAreCaught(String id, Consumer<Environ> fault)
    {
        Environ environ = "#3".equals(id) ? new Environ(new LinkedHashMap<>(validEnviron().asMap())) : validEnviron();
        fault.accept(environ);
        GatewayValidator.Violation x = assertThrows(GatewayValidator.Violation.class, () -> run(GatewayValidator.Profile.STRICT, environ, ok("x")));
        assertEquals(id, x.check(), x.getMessage());
        assertTrue(x.getMessage().matches("\\[" + id + "] .*: .* \\(expected: .*\\)"), x.getMessage());
    }

    @Test
    void nonNumericContentLengthIsAFailure()
    {
        Environ environ = validEnviron().put("CONTENT_LENGTH", "ten");
        assertEquals("#15", assertThrows(GatewayValidator.Violation.class, () -> run(GatewayValidator.Profile.WSGIREF, environ, ok("x"))).check());
    }

    @Test
    void strictEnvironChecksAreNotInTheWsgirefProfile() throws Exception
    {
        run(GatewayValidator.Profile.WSGIREF, validEnviron().put("HTTP_X_EURO", "\u20ac").put(EnvironKeys.MULTITHREAD, "yes"), ok("x"));
    }

    @Test
    void missingQueryStringAndUnknownMethodOnlyWarn() throws Exception
    {
        run(GatewayValidator.Profile.WSGIREF, validEnviron().put("QUERY_STRING", null).put("REQUEST_METHOD", "PROPFIND"), ok("x"));
        assertEquals(2, warnings.size(), warnings.toString());
        assertTrue(warnings.get(0).startsWith("[#6] "));
        assertTrue(warnings.get(1).startsWith("[#12] environ REQUEST_METHOD: PROPFIND"));
    }

    static Stream<Arguments> statusAndHeaderFaults()
    {
        return Stream.of(
            arguments("#22", null, TEXT),
            arguments("#23", "200OK", TEXT),
            arguments("#24", "2x0 OK", TEXT),
            arguments("#25", "099 Low", TEXT),
            arguments("#27", "200 OK", null),
            arguments("#30", "200 OK", List.of(new Header("Content-Type", null))),
            arguments("#31", "200 OK", List.of(new Header("Content-Type", "text/plain"), new Header("Status", "200"))),
            arguments("#32", "200 OK", List.of(new Header("Content-Type", "text/plain"), new Header("X:Y", "1"))),
            arguments("#33", "200 OK", List.of(new Header("Content-Type", "text/plain"), new Header("1X", "1"))),
            arguments("#34", "200 OK", List.of(new Header("Content-Type", "text/plain"), new Header("X-", "1"))),
            arguments("#35", "200 OK", List.of(new Header("Content-Type", "text/plain"), new Header("X-Tab", "a\tb"))),
            arguments("#36", "404 Not Found", List.of()),
            arguments("#36", "304 Not Modified", TEXT),
            arguments("S3", "200 OK", List.of(new Header("Content-Type", "text/plain"), new Header("Connection", "close"))),
            arguments("S4", "200 OK", List.of(new Header("Content-Type", "text/plain"), new Header("X-Euro", "\u20ac"))),
            arguments("S5", "200  OK", TEXT),
            arguments("S5", "200", TEXT),
            arguments("S6", "200 OK", List.of(new Header("Content-Type", "text/plain"), new Header("X-Del", "a\u007f"))));
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @MethodSource("statusAndHeaderFaults")
    void applicationFaultsInStartResponseAreCaught(String id, String status, List<Header> headers)
    {
        GatewayApplication app = (environ, startResponse) ->
        {
            startResponse.start(status, headers);
            return ResponseBody.empty();
        };
        GatewayValidator.Violation x = assertThrows(GatewayValidator.Violation.class, () -> run(GatewayValidator.Profile.STRICT, validEnviron(), app));
        assertEquals(id, x.check(), x.getMessage());
    }

    @Test
    void bareStatusOnlyWarnsInTheWsgirefProfile() throws Exception
    {
        GatewayApplication app = (environ, startResponse) ->
        {
            startResponse.start("200", TEXT);
            return ResponseBody.empty();
        };
        run(GatewayValidator.Profile.WSGIREF, validEnviron(), app);
        assertEquals(1, warnings.size());
        assertTrue(warnings.get(0).startsWith("[#26] "), warnings.toString());
    }

    @Test
    void hopByHopPassesTheWsgirefProfileButNotTheServer()
    {
        GatewayApplication app = (environ, startResponse) ->
        {
            startResponse.start("200 OK", List.of(new Header("Content-Type", "text/plain"), new Header("Connection", "close")));
            return ResponseBody.empty();
        };
        GatewayException x = assertThrows(GatewayException.class, () -> run(GatewayValidator.Profile.WSGIREF, validEnviron(), app));
        assertEquals(GatewayException.class, x.getClass(), "the server, not the validator, must reject it");
    }

    static Stream<Arguments> bodyFaults()
    {
        byte[] x = {'x'};
        return Stream.of(
            arguments("#18", (GatewayApplication)(environ, sr) -> null),
            arguments("#49", (GatewayApplication)(environ, sr) ->
            {
                sr.start("200 OK", TEXT);
                return ResponseBody.of(java.util.Arrays.asList(x, null), () -> { });
            }),
            arguments("#50", (GatewayApplication)(environ, sr) -> ResponseBody.of(x)),
            arguments("#38", (GatewayApplication)(environ, sr) ->
            {
                sr.start("200 OK", TEXT).write(null);
                return ResponseBody.empty();
            }),
            arguments("#39", (GatewayApplication)(environ, sr) ->
            {
                environ.input().read();
                return ResponseBody.empty();
            }),
            arguments("#45", (GatewayApplication)(environ, sr) ->
            {
                environ.errors().write(null);
                return ResponseBody.empty();
            }),
            arguments("S1", (GatewayApplication)(environ, sr) ->
            {
                sr.start("200 OK", TEXT);
                sr.start("200 OK", TEXT);
                return ResponseBody.empty();
            }),
            arguments("S8", (GatewayApplication)(environ, sr) ->
            {
                sr.start("200 OK", List.of(new Header("Content-Type", "text/plain"), new Header("Content-Length", "5")));
                return ResponseBody.of(x);
            }),
            arguments("S8", (GatewayApplication)(environ, sr) ->
            {
                sr.start("200 OK", List.of(new Header("Content-Type", "text/plain"), new Header("Content-Length", "0")));
                return ResponseBody.of(x);
            }),
            arguments("S9", (GatewayApplication)(environ, sr) ->
            {
                sr.start("200 OK", TEXT);
                ResponseBody two = ResponseBody.of(x, x);
                return new ResponseBody()
                {
                    @Override
                    public java.util.Iterator<byte[]> iterator()
                    {
                        return two.iterator();
                    }

                    @Override
                    public int chunkCount()
                    {
                        return 1;
                    }
                };
            }),
            arguments("S12", (GatewayApplication)(environ, sr) -> ResponseBody.empty()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("bodyFaults")
    void applicationFaultsInTheBodyAreCaught(String id, GatewayApplication app)
    {
        GatewayValidator.Violation x = assertThrows(GatewayValidator.Violation.class, () -> run(GatewayValidator.Profile.STRICT, validEnviron(), app));
        assertEquals(id, x.check(), x.getMessage());
    }

    @Test
    void writeFromInsideTheBodyIsCaught()
    {
        StartResponse.Write[] write = new StartResponse.Write[1];
        GatewayApplication app = (environ, sr) ->
        {
            write[0] = sr.start("200 OK", TEXT);
            return ResponseBody.of(() -> new java.util.Iterator<>()
            {
                @Override
                public boolean hasNext()
                {
                    return true;
                }

                @Override
                public byte[] next()
                {
                    try
                    {
                        write[0].write(new byte[]{'w'});
                    }
                    catch (java.io.IOException e)
                    {
                        throw new AssertionError(e);
                    }
                    return new byte[0];
                }
            }, () -> { });
        };
        assertEquals("S7", assertThrows(GatewayValidator.Violation.class, () -> run(GatewayValidator.Profile.STRICT, validEnviron(), app)).check());
    }

    @Test
    void serverThatDoesNotReRaiseExcInfoIsCaught()
    {
        // A broken server: accepts excInfo after the headers went out.
        StartResponse lenient = (status, headers, excInfo) -> chunk -> { };
        GatewayApplication app = (environ, sr) ->
        {
            sr.start("200 OK", TEXT).write(new byte[]{'x'});
            sr.start("500 Internal Server Error", TEXT, new IllegalStateException("late"));
            return ResponseBody.empty();
        };
        GatewayValidator.Violation x = assertThrows(GatewayValidator.Violation.class, () -> new GatewayValidator(GatewayValidator.Profile.STRICT, warnings::add).wrap(app).call(validEnviron(), lenient));
        assertEquals("S2", x.check());
    }

    @Test
    void serverThatReadsAfterCloseOrClosesTwiceIsCaught() throws Exception
    {
        ResponseBody body = new GatewayValidator(GatewayValidator.Profile.STRICT, warnings::add).wrap(ok("x")).call(validEnviron(), (s, h, e) -> c -> { });
        java.util.Iterator<byte[]> chunks = body.iterator();
        body.close();
        assertEquals("#48", assertThrows(GatewayValidator.Violation.class, chunks::next).check());
        assertEquals("S13", assertThrows(GatewayValidator.Violation.class, body::close).check());
    }

    @Test
    void bodyNeverClosedIsReportedWhenCollected() throws Exception
    {
        new GatewayValidator(GatewayValidator.Profile.WSGIREF, warnings::add).wrap(ok("x")).call(validEnviron(), (s, h, e) -> c -> { });
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (warnings.isEmpty() && System.nanoTime() < deadline)
        {
            System.gc();
            Thread.sleep(20);
        }
        assertEquals(List.of("[#52] response body: garbage collected without being closed (expected: close() called by the server)"), warnings);
    }
}

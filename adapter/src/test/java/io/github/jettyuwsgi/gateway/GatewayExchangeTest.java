package io.github.jettyuwsgi.gateway;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * <p>One test per rule of the contract as {@link GatewayExchange} enforces it for every server.</p>
 */
class GatewayExchangeTest
{
    private static final List<Header> TEXT = List.of(new Header("Content-Type", "text/plain"));

    private final RecordingSink sink = new RecordingSink();
    private final GatewayExchange exchange = new GatewayExchange(sink);

    private static byte[] bytes(String text)
    {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    void headersWaitForTheFirstNonEmptyChunk() throws Exception
    {
        TrackedBody body = new TrackedBody(i -> switch (i)
        {
            case 0, 1 -> new byte[0];
            case 2 -> bytes("abc");
            default -> null;
        });
        exchange.begin((env, sr) ->
        {
            sr.start("200 OK", TEXT);
            return body;
        }, new Environ());
        assertEquals(List.of(), sink.events, "start_response must not send anything");
        assertTrue(exchange.step());
        assertTrue(exchange.step());
        assertEquals(List.of(), sink.events, "empty chunks must not send the headers");
        assertTrue(exchange.step());
        assertEquals(List.of("headers 200 OK [Content-Type: text/plain]", "chunk abc"), sink.events);
    }

    @Test
    void emptyBodySendsTheHeadersAtTheEnd() throws Exception
    {
        exchange.run((env, sr) ->
        {
            sr.start("204 No Content", List.of());
            return ResponseBody.empty();
        }, new Environ());
        assertEquals(List.of("headers 204 No Content []"), sink.events);
    }

    @Test
    void startResponseMayComeDuringTheFirstChunk() throws Exception
    {
        AtomicReference<StartResponse> startResponse = new AtomicReference<>();
        TrackedBody body = new TrackedBody(i ->
        {
            if (i > 0)
                return null;
            startResponse.get().start("201 Created", TEXT);
            return bytes("late");
        });
        exchange.run((env, sr) ->
        {
            startResponse.set(sr);
            return body;
        }, new Environ());
        assertEquals(List.of("headers 201 Created [Content-Type: text/plain]", "chunk late"), sink.events);
    }

    @Test
    void writeSendsBeforeReturningAndBeforeTheBody() throws Exception
    {
        List<String> seenAfterWrite = new ArrayList<>();
        exchange.run((env, sr) ->
        {
            StartResponse.Write write = sr.start("200 OK", TEXT);
            write.write(bytes("pushed"));
            seenAfterWrite.addAll(sink.events);
            return ResponseBody.of(bytes("pulled"));
        }, new Environ());
        assertEquals(List.of("headers 200 OK [Content-Type: text/plain]", "chunk pushed"), seenAfterWrite);
        assertEquals("pushedpulled", sink.body.toString(StandardCharsets.ISO_8859_1));
        assertFalse(sink.headers.stream().anyMatch(h -> h.is("Content-Length")), "no Content-Length may be computed once write() was used");
    }

    @Test
    void writeAfterTheApplicationReturnedIsAnError() throws Exception
    {
        AtomicReference<StartResponse.Write> write = new AtomicReference<>();
        TrackedBody body = new TrackedBody(i ->
        {
            try
            {
                write.get().write(bytes("from inside the body"));
            }
            catch (IOException x)
            {
                throw new AssertionError(x);
            }
            return null;
        });
        GatewayException x = assertThrows(GatewayException.class, () -> exchange.run((env, sr) ->
        {
            write.set(sr.start("200 OK", TEXT));
            return body;
        }, new Environ()));
        assertTrue(x.getMessage().startsWith("write(): called after the application returned"), x.getMessage());
        assertEquals(1, body.closes.get());
    }

    @Test
    void excInfoBeforeTheHeadersReplacesThem() throws Exception
    {
        exchange.run((env, sr) ->
        {
            sr.start("200 OK", List.of(new Header("Content-Type", "text/html"), new Header("X-First", "1")));
            sr.start("503 Service Unavailable", TEXT, new IllegalStateException("database down"));
            return ResponseBody.of(bytes("sorry"));
        }, new Environ());
        assertEquals(List.of("headers 503 Service Unavailable [Content-Type: text/plain, Content-Length: 5]", "chunk sorry"), sink.events);
    }

    @Test
    void excInfoAfterTheHeadersReRaisesTheOriginal() throws Exception
    {
        IllegalStateException original = new IllegalStateException("failed mid-body");
        AtomicReference<Throwable> raised = new AtomicReference<>();
        exchange.begin((env, sr) ->
        {
            StartResponse.Write write = sr.start("200 OK", TEXT);
            write.write(bytes("half"));
            try
            {
                sr.start("500 Internal Server Error", TEXT, original);
            }
            catch (Throwable x)
            {
                raised.set(x);
            }
            return ResponseBody.empty();
        }, new Environ());
        assertSame(original, raised.get());
        assertEquals(List.of("headers 200 OK [Content-Type: text/plain]", "chunk half"), sink.events);
    }

    @Test
    void checkedExcInfoAfterTheHeadersIsReRaisedAsCause() throws Exception
    {
        IOException original = new IOException("disk");
        AtomicReference<Throwable> raised = new AtomicReference<>();
        exchange.begin((env, sr) ->
        {
            sr.start("200 OK", TEXT).write(bytes("x"));
            try
            {
                sr.start("500 Internal Server Error", TEXT, original);
            }
            catch (GatewayException x)
            {
                raised.set(x.getCause());
            }
            return ResponseBody.empty();
        }, new Environ());
        assertSame(original, raised.get());
    }

    @Test
    void secondCallWithoutExcInfoIsAnError()
    {
        GatewayException x = assertThrows(GatewayException.class, () -> exchange.begin((env, sr) ->
        {
            sr.start("200 OK", TEXT);
            sr.start("404 Not Found", TEXT);
            return ResponseBody.empty();
        }, new Environ()));
        assertTrue(x.getMessage().startsWith("start_response: called again without excInfo"), x.getMessage());
    }

    @Test
    void secondCallWithoutExcInfoIsAnErrorEvenIfTheFirstThrew()
    {
        List<String> messages = new ArrayList<>();
        assertThrows(GatewayException.class, () -> exchange.begin((env, sr) ->
        {
            try
            {
                sr.start("200 OK", List.of(new Header("Connection", "close")));
            }
            catch (GatewayException x)
            {
                messages.add(x.getMessage());
            }
            sr.start("200 OK", TEXT);
            return ResponseBody.empty();
        }, new Environ()));
        assertEquals(1, messages.size());
    }

    @ParameterizedTest
    @ValueSource(strings = {"Connection", "keep-alive", "Proxy-Authenticate", "Proxy-Authorization", "TE", "Trailers",
        "Trailer", "Transfer-Encoding", "Upgrade", "Proxy-Connection"})
    void hopByHopHeadersAreRejected(String name)
    {
        GatewayException x = assertThrows(GatewayException.class, () -> exchange.start("200 OK", List.of(new Header(name, "x"))));
        assertEquals("response header: " + name + " is hop-by-hop (expected: none of " + ResponseRules.HOP_BY_HOP + "; the server manages the connection)", x.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"a\r\nSet-Cookie: evil=1", "a\nb", "a\rb", "nul\0", "del\u007f"})
    void controlCharactersInHeaderValuesAreRejected(String value)
    {
        GatewayException x = assertThrows(GatewayException.class, () -> exchange.start("200 OK", List.of(new Header("X-Test", value))));
        assertTrue(x.getMessage().startsWith("response header X-Test: control character"), x.getMessage());
    }

    @Test
    void charsAboveLatin1AreRejected()
    {
        GatewayException x = assertThrows(GatewayException.class, () -> exchange.start("200 OK", List.of(new Header("X-Price", "5\u20ac"))));
        assertEquals("response header X-Price: char U+20AC at index 1 (expected: latin-1, at most U+00FF)", x.getMessage());
        assertThrows(GatewayException.class, () -> new GatewayExchange(sink).start("200 \u20ac", TEXT));
    }

    @ParameterizedTest
    @ValueSource(strings = {"X Y", "X:Y", "", "X\tY", "Caf\u00e9"})
    void headerNamesMustBeTokens(String name)
    {
        assertThrows(GatewayException.class, () -> exchange.start("200 OK", List.of(new Header(name, "v"))));
    }

    @ParameterizedTest
    @ValueSource(strings = {"200OK", "20", "OK 200", "099 Low", "200  OK", "200 OK ", " 200 OK", "200 O\nK", "200 "})
    void malformedStatusesAreRejected(String status)
    {
        assertThrows(GatewayException.class, () -> exchange.start(status, TEXT));
    }

    @Test
    void bareStatusCodeIsAcceptedWithAStandardReason()
    {
        exchange.start("404", TEXT);
        assertEquals("Not Found", ResponseRules.parseStatus("404").reasonOrDefault());
    }

    @Test
    void bodyIsClosedOnceAfterANormalEnd() throws Exception
    {
        TrackedBody body = TrackedBody.of("a", "b");
        exchange.run((env, sr) ->
        {
            sr.start("200 OK", TEXT);
            return body;
        }, new Environ());
        exchange.close();
        assertEquals(1, body.closes.get());
        assertEquals("ab", sink.body.toString(StandardCharsets.ISO_8859_1));
    }

    @Test
    void bodyIsClosedOnceWhenItFailsMidway()
    {
        TrackedBody body = new TrackedBody(i ->
        {
            if (i == 1)
                throw new IllegalStateException("boom");
            return bytes("first");
        });
        assertThrows(IllegalStateException.class, () -> exchange.run((env, sr) ->
        {
            sr.start("200 OK", TEXT);
            return body;
        }, new Environ()));
        exchange.close();
        assertEquals(1, body.closes.get());
        assertTrue(exchange.isHeadersSent());
        assertFalse(exchange.sendInternalError(), "after the headers, no 500 is possible");
    }

    @Test
    void clientDisconnectStopsIterationClosesOnceAndIsNotAnError() throws Exception
    {
        sink.failAfterChunks = 1;
        TrackedBody body = new TrackedBody(i -> bytes("chunk" + i));
        exchange.run((env, sr) ->
        {
            sr.start("200 OK", TEXT);
            return body;
        }, new Environ());
        assertTrue(exchange.isDisconnected());
        assertEquals(1, body.closes.get());
        assertEquals(2, body.pulled.get(), "iteration must stop at the failed chunk");
    }

    @Test
    void closeFromAnotherPathBeforeTheEndClosesOnce() throws Exception
    {
        TrackedBody body = TrackedBody.of("a", "b", "c");
        exchange.begin((env, sr) ->
        {
            sr.start("200 OK", TEXT);
            return body;
        }, new Environ());
        assertTrue(exchange.step());
        exchange.close(); // what an async timeout does
        assertFalse(exchange.step());
        exchange.close();
        assertEquals(1, body.closes.get());
    }

    @Test
    void applicationErrorBeforeTheHeadersGivesAGeneric500()
    {
        RuntimeException failure = new RuntimeException("secret connection string");
        RuntimeException x = assertThrows(RuntimeException.class, () -> exchange.run((env, sr) ->
        {
            sr.start("200 OK", TEXT);
            throw failure;
        }, new Environ()));
        assertSame(failure, x);
        assertTrue(exchange.sendInternalError());
        assertEquals(List.of("headers 500 Internal Server Error [Content-Type: text/plain; charset=utf-8, Content-Length: 22]",
            "chunk Internal Server Error\n"), sink.events);
    }

    @Test
    void nullResultIsAnError()
    {
        GatewayException x = assertThrows(GatewayException.class, () -> exchange.run((env, sr) -> null, new Environ()));
        assertTrue(x.getMessage().startsWith("application result: null"), x.getMessage());
    }

    @Test
    void chunkBeforeStartResponseIsAnError()
    {
        TrackedBody body = TrackedBody.of("early");
        assertThrows(GatewayException.class, () -> exchange.run((env, sr) -> body, new Environ()));
        assertEquals(1, body.closes.get());
        assertEquals(List.of(), sink.events);
    }

    @Test
    void endingWithoutStartResponseIsAnError()
    {
        GatewayException x = assertThrows(GatewayException.class, () -> exchange.run((env, sr) -> ResponseBody.empty(), new Environ()));
        assertTrue(x.getMessage().contains("without calling start_response"), x.getMessage());
    }

    @Test
    void bodyLongerThanContentLengthIsTruncatedAndIterationStops() throws Exception
    {
        TrackedBody body = TrackedBody.of("abc", "def", "never pulled");
        exchange.run((env, sr) ->
        {
            sr.start("200 OK", List.of(new Header("Content-Type", "text/plain"), new Header("Content-Length", "4")));
            return body;
        }, new Environ());
        assertEquals("abcd", sink.body.toString(StandardCharsets.ISO_8859_1));
        assertEquals(2, body.pulled.get());
    }

    @Test
    void bodyShorterThanContentLengthIsAnErrorAfterTheHeaders()
    {
        GatewayException x = assertThrows(GatewayException.class, () -> exchange.run((env, sr) ->
        {
            sr.start("200 OK", List.of(new Header("Content-Type", "text/plain"), new Header("Content-Length", "10")));
            return ResponseBody.of(bytes("short"));
        }, new Environ()));
        assertEquals("response body shorter than Content-Length: 5 bytes (expected: 10)", x.getMessage());
        assertTrue(exchange.isHeadersSent());
    }

    @Test
    void malformedContentLengthIsRejected()
    {
        assertThrows(GatewayException.class, () -> exchange.start("200 OK", List.of(new Header("Content-Length", "-1"))));
        assertThrows(GatewayException.class, () -> new GatewayExchange(sink).start("200 OK", List.of(new Header("Content-Length", "1"), new Header("Content-Length", "2"))));
    }

    @Test
    void singleChunkBodyGetsAContentLengthButAnUnknownCountDoesNot() throws Exception
    {
        exchange.run((env, sr) ->
        {
            sr.start("200 OK", TEXT);
            return ResponseBody.of(bytes("12345"));
        }, new Environ());
        assertEquals("5", sink.headers.stream().filter(h -> h.is("Content-Length")).findFirst().orElseThrow().value());

        RecordingSink other = new RecordingSink();
        new GatewayExchange(other).run((env, sr) ->
        {
            sr.start("200 OK", TEXT);
            return TrackedBody.of("12345");
        }, new Environ());
        assertFalse(other.headers.stream().anyMatch(h -> h.is("Content-Length")));
    }
}

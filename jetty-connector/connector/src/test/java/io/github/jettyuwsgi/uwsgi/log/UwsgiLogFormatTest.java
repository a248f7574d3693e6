package io.github.jettyuwsgi.uwsgi.log;

import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every variable to the character, with the values of one request that real uWSGI 2.0.21 (Debian's uwsgi-core, cgi
 * plugin) logged; the expected strings are what that uWSGI printed for them (see docs/request-log.md).
 */
public class UwsgiLogFormatTest
{
    /** The request uWSGI logged: started 2026-11-24 01:16:10.776 UTC, took 7632 µs, answered 6 body bytes after a 45-byte head. */
    private static final RequestLogEntry UWSGI_REQUEST = new RequestLogEntry(7349, 1, "127.0.0.1", "", "GET", "/hello.sh?a=1", "HTTP/1.1",
        "test.local", "curl/7.88", "http://x/", 30, 342, 1795482970776L, 7632, 200, 6, 1, 45, 0, Map.of("REMOTE_PORT", List.of("5555")));

    private static final ZoneId UTC = ZoneOffset.UTC;

    private static String format(String logFormat, RequestLogEntry entry)
    {
        return UwsgiLogFormat.parse(logFormat, UTC).format(entry);
    }

    static Stream<Arguments> variables()
    {
        return Stream.of(
            Arguments.of("%(addr)", "127.0.0.1"),
            Arguments.of("%(user)", "-"),
            Arguments.of("%(method)", "GET"),
            Arguments.of("%(uri)", "/hello.sh?a=1"),
            Arguments.of("%(status)", "200"),
            Arguments.of("%(size)", "51"),
            Arguments.of("%(rsize)", "6"),
            Arguments.of("%(hsize)", "45"),
            Arguments.of("%(msecs)", "7"),
            Arguments.of("%(micros)", "7632"),
            Arguments.of("%(secs)", "0.007632"),
            Arguments.of("%(uagent)", "curl/7.88"),
            Arguments.of("%(referer)", "http://x/"),
            Arguments.of("%(proto)", "HTTP/1.1"),
            Arguments.of("%(host)", "test.local"),
            Arguments.of("%(ltime)", "24/Nov/2026:01:16:10 +0000"),
            Arguments.of("%(ftime)", "24/Nov/2026:01:16:10 +0000"),
            Arguments.of("%(time)", "1795482970"),
            Arguments.of("%(ctime)", "Tue Nov 24 01:16:10 2026"),
            Arguments.of("%(epoch)", "1795482970"),
            Arguments.of("%(tmsecs)", "1795482970776"),
            Arguments.of("%(tmicros)", "1795482970776000"),
            Arguments.of("%(pid)", "7349"),
            Arguments.of("%(wid)", "1"),
            Arguments.of("%(core)", "0"),
            Arguments.of("%(switches)", "0"),
            Arguments.of("%(vars)", "30"),
            Arguments.of("%(pktsize)", "342"),
            Arguments.of("%(headers)", "1"),
            Arguments.of("%(cl)", "0"),
            Arguments.of("%(var.REMOTE_PORT)", "5555"),
            Arguments.of("%(var.NOPE)", "-"),
            Arguments.of("%(bogus)", "-"));
    }

    @ParameterizedTest
    @MethodSource("variables")
    public void variable(String logFormat, String expected)
    {
        assertEquals(expected, format(logFormat, UWSGI_REQUEST));
    }

    /**
     * The line uWSGI 2.0.21 wrote for this format and request, minus %(modifier1) and %(ioerr), which Jetty cannot know.
     */
    @Test
    public void wholeLineAsUwsgiWroteIt()
    {
        String logFormat = "addr=%(addr) user=%(user) method=%(method) uri=%(uri) status=%(status) size=%(size) rsize=%(rsize) hsize=%(hsize) " +
            "msecs=%(msecs) micros=%(micros) secs=%(secs) uagent=%(uagent) referer=%(referer) proto=%(proto) host=%(host) ltime=%(ltime) " +
            "time=%(time) ctime=%(ctime) epoch=%(epoch) tmsecs=%(tmsecs) pid=%(pid) wid=%(wid) core=%(core) switches=%(switches) vars=%(vars) " +
            "pktsize=%(pktsize) headers=%(headers) cl=%(cl) var.REMOTE_PORT=%(var.REMOTE_PORT) var.NOPE=%(var.NOPE) unknown=%(bogus) pct=%%";
        String uwsgiWrote = "addr=127.0.0.1 user=- method=GET uri=/hello.sh?a=1 status=200 size=51 rsize=6 hsize=45 msecs=7 micros=7632 " +
            "secs=0.007632 uagent=curl/7.88 referer=http://x/ proto=HTTP/1.1 host=test.local ltime=24/Nov/2026:01:16:10 +0000 time=1795482970 " +
            "ctime=Tue Nov 24 01:16:10 2026 epoch=1795482970 tmsecs=1795482970776 pid=7349 wid=1 core=0 switches=0 vars=30 pktsize=342 " +
            "headers=1 cl=0 var.REMOTE_PORT=5555 var.NOPE=- unknown=- pct=%%";
        assertEquals(uwsgiWrote, format(logFormat, UWSGI_REQUEST));
    }

    /**
     * uWSGI wrote {@code [pid: 7077|app: -1|req: -1/1] 127.0.0.1 () {30 vars in 342 bytes} [Tue Nov 24 01:15:49 2026] GET
     * /hello.sh?a=1 => generated 6 bytes in 7 msecs (HTTP/1.1 200) 1 headers in 45 bytes (0 switches on core 0)}; with no
     * app loaded it says app -1. A JVM serves its webapps as one app, so this line says app 0 and counts its requests.
     */
    @Test
    public void defaultLineIsUwsgisDefault()
    {
        RequestLogEntry entry = new RequestLogEntry(7077, 1, "127.0.0.1", "", "GET", "/hello.sh?a=1", "HTTP/1.1", "test.local", "curl/7.88",
            "http://x/", 30, 342, 1795482949000L + 312, 7200, 200, 6, 1, 45, 0, Map.of());
        assertEquals("[pid: 7077|app: 0|req: 1/1] 127.0.0.1 () {30 vars in 342 bytes} [Tue Nov 24 01:15:49 2026] GET /hello.sh?a=1 " +
            "=> generated 6 bytes in 7 msecs (HTTP/1.1 200) 1 headers in 45 bytes (0 switches on core 0)", UwsgiLogFormat.uwsgiDefault(UTC).format(entry));
    }

    @Test
    public void defaultLineShowsTheUserAndPadsTheDayAsCtimeDoes()
    {
        RequestLogEntry entry = new RequestLogEntry(1, 12, "::1", "alice", "POST", "/f", "HTTP/1.0", "", "", "", 4, 40,
            1793750400000L, 1_234_567, 302, 0, 3, 120, 5, Map.of());
        assertEquals("[pid: 1|app: 0|req: 12/12] ::1 (alice) {4 vars in 40 bytes} [Wed Nov  4 02:00:00 2026] POST /f " +
            "=> generated 0 bytes in 1234 msecs (HTTP/1.0 302) 3 headers in 120 bytes (0 switches on core 0)",
            UwsgiLogFormat.uwsgiDefault(ZoneOffset.ofHours(2)).format(entry));
    }

    @Test
    public void datesFollowTheZone()
    {
        assertEquals("24/Nov/2026:02:16:10 +0100 Tue Nov 24 02:16:10 2026 1795482970",
            UwsgiLogFormat.parse("%(ltime) %(ctime) %(time)", ZoneOffset.ofHours(1)).format(UWSGI_REQUEST));
    }

    @Test
    public void literalTextStaysAsWritten()
    {
        assertEquals("", format("", UWSGI_REQUEST));
        assertEquals("no variables, 100% (literal) %%", format("no variables, 100% (literal) %%", UWSGI_REQUEST));
        assertEquals("GET%(addr", format("%(method)%(addr", UWSGI_REQUEST));
        assertEquals("\"GET /hello.sh?a=1 HTTP/1.1\" 200", format("\"%(method) %(uri) %(proto)\" %(status)", UWSGI_REQUEST));
        assertEquals("-", format("%()", UWSGI_REQUEST));
    }

    @Test
    public void aFormatComputesOnlyWhatItPrints()
    {
        UwsgiLogFormat common = UwsgiLogFormat.parse("%(addr) - %(user) [%(ltime)] \"%(method) %(uri) %(proto)\" %(status) %(rsize)", ZoneOffset.UTC);
        assertTrue(common.uses(UwsgiLogFormat.Field.USER));
        for (UwsgiLogFormat.Field field : List.of(UwsgiLogFormat.Field.VAR_STATS, UwsgiLogFormat.Field.RESPONSE_HEAD, UwsgiLogFormat.Field.VARS,
            UwsgiLogFormat.Field.HOST, UwsgiLogFormat.Field.USER_AGENT, UwsgiLogFormat.Field.REFERER, UwsgiLogFormat.Field.CONTENT_LENGTH))
            assertFalse(common.uses(field), field.name());
        UwsgiLogFormat sizes = UwsgiLogFormat.parse("%(size) %(pktsize) %(var.X) %(cl)", ZoneOffset.UTC);
        assertTrue(sizes.uses(UwsgiLogFormat.Field.RESPONSE_HEAD));
        assertTrue(sizes.uses(UwsgiLogFormat.Field.VAR_STATS));
        assertTrue(sizes.uses(UwsgiLogFormat.Field.VARS));
        assertTrue(sizes.uses(UwsgiLogFormat.Field.CONTENT_LENGTH));
        assertFalse(sizes.uses(UwsgiLogFormat.Field.USER));
        // uWSGI's default line prints the var count and size and the response head, but no header var
        UwsgiLogFormat line = UwsgiLogFormat.uwsgiDefault(ZoneOffset.UTC);
        assertTrue(line.uses(UwsgiLogFormat.Field.VAR_STATS));
        assertTrue(line.uses(UwsgiLogFormat.Field.RESPONSE_HEAD));
        assertFalse(line.uses(UwsgiLogFormat.Field.VARS));
        assertFalse(line.uses(UwsgiLogFormat.Field.HOST));
    }
}

package io.github.jettyuwsgi.uwsgi.log;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import io.github.jettyuwsgi.uwsgi.client.Backend;
import io.github.jettyuwsgi.uwsgi.client.UwsgiClient;
import io.github.jettyuwsgi.uwsgi.codec.UwsgiGenerator;
import io.github.jettyuwsgi.uwsgi.codec.UwsgiVars;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The request log in a real Jetty with our connector: what it reads from Jetty's request and response matches what went
 * over the wire.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
public class UwsgiRequestLogTest
{
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();

    private String nextLine() throws InterruptedException
    {
        // Jetty logs once the response is complete, which may be just after the client has read it
        String line = lines.poll(10, TimeUnit.SECONDS);
        assertNotNull(line, "no request-log line within 10 s");
        return line;
    }

    private static String headOf(byte[] response)
    {
        String text = new String(response, StandardCharsets.ISO_8859_1);
        return text.substring(0, text.indexOf("\r\n\r\n") + 4);
    }

    @Test
    public void variablesMatchTheWire() throws Exception
    {
        String logFormat = "%(addr)|%(user)|%(method)|%(uri)|%(proto)|%(host)|%(uagent)|%(referer)|%(status)|%(rsize)|%(hsize)|%(size)|" +
            "%(headers)|%(vars)|%(pktsize)|%(cl)|%(var.REMOTE_PORT)|%(var.HTTP_X_MISSING)|%(pid)";
        try (Backend backend = new Backend(new UwsgiRequestLog(logFormat, ZoneOffset.UTC, lines::add)))
        {
            HttpFields.Mutable headers = HttpFields.build().add(HttpHeader.HOST, "app.example:8443").add(HttpHeader.USER_AGENT, "probe/1.0")
                .add(HttpHeader.REFERER, "http://app.example/start").add(HttpHeader.CONTENT_LENGTH, "5");
            ByteArrayOutputStream response = new ByteArrayOutputStream();
            UwsgiClient.tcp("127.0.0.1", backend.port()).request("PUT", "/p%C3%A4th?q=%C3%A4", headers, 0,
                new ByteArrayInputStream("hello".getBytes(StandardCharsets.US_ASCII)), response);

            String[] fields = nextLine().split("\\|", -1);
            String head = headOf(response.toByteArray());
            // the client's port is in the vars, so their size depends on it
            assertTrue(fields[16].matches("[1-9][0-9]*"), fields[16]);
            UwsgiVars vars = UwsgiClient.nginxVars("PUT", "/p%C3%A4th?q=%C3%A4", headers, new InetSocketAddress("127.0.0.1", Integer.parseInt(fields[16])));

            assertEquals("127.0.0.1", fields[0]);
            assertEquals("-", fields[1]);
            assertEquals("PUT", fields[2]);
            assertEquals("/p%C3%A4th?q=%C3%A4", fields[3]);
            assertEquals("HTTP/1.1", fields[4]);
            assertEquals("app.example:8443", fields[5]);
            assertEquals("probe/1.0", fields[6]);
            assertEquals("http://app.example/start", fields[7]);
            assertEquals("200", fields[8]);
            assertEquals(Integer.toString(response.size() - head.length()), fields[9], "body bytes");
            assertEquals(Integer.toString(head.length()), fields[10], "head bytes, in:\n" + head);
            assertEquals(Integer.toString(response.size()), fields[11], "all bytes");
            assertEquals(Long.toString(head.lines().count() - 2), fields[12], "header lines, in:\n" + head);
            assertEquals(Integer.toString(2 * vars.size()), fields[13]);
            assertEquals(Integer.toString(UwsgiGenerator.varsSize(vars)), fields[14]);
            assertEquals("5", fields[15]);
            assertEquals("-", fields[17]);
            assertEquals(Long.toString(ProcessHandle.current().pid()), fields[18]);
        }
    }

    @Test
    public void defaultLineForARealRequest() throws Exception
    {
        try (Backend backend = new Backend(new UwsgiRequestLog(null, ZoneOffset.UTC, lines::add)))
        {
            HttpFields.Mutable headers = HttpFields.build().add(HttpHeader.HOST, "test.local");
            ByteArrayOutputStream response = new ByteArrayOutputStream();
            long before = System.currentTimeMillis();
            UwsgiClient.unix(backend.socket()).request("GET", "/a?b=c", headers, 0, null, response);
            UwsgiClient.unix(backend.socket()).request("GET", "/a?b=c", headers, 0, null, new ByteArrayOutputStream());

            String head = headOf(response.toByteArray());
            UwsgiVars vars = UwsgiClient.nginxVars("GET", "/a?b=c", headers, null);
            String pattern = "\\[pid: " + ProcessHandle.current().pid() + "\\|app: 0\\|req: %d/%d] 127\\.0\\.0\\.1 \\(\\) \\{" + 2 * vars.size() +
                " vars in " + UwsgiGenerator.varsSize(vars) + " bytes} \\[\\w{3} \\w{3} [ 0-9]\\d \\d\\d:\\d\\d:\\d\\d \\d{4}] GET /a\\?b=c => generated " +
                (response.size() - head.length()) + " bytes in \\d+ msecs \\(HTTP/1\\.1 200\\) " + (head.lines().count() - 2) + " headers in " +
                head.length() + " bytes \\(0 switches on core 0\\)";
            String first = nextLine();
            assertTrue(first.matches(String.format(pattern, 1, 1)), first + "\n does not match\n" + pattern);
            String second = nextLine();
            assertTrue(second.matches(String.format(pattern, 2, 2)), second);
            String date = first.substring(first.indexOf("} [") + 3, first.indexOf("] GET"));
            java.time.LocalDateTime logged = java.time.LocalDateTime.parse(date, java.time.format.DateTimeFormatter.ofPattern("EEE MMM ppd HH:mm:ss yyyy", java.util.Locale.ROOT));
            long loggedSecond = logged.toEpochSecond(ZoneOffset.UTC);
            assertTrue(loggedSecond >= before / 1000 && loggedSecond <= System.currentTimeMillis() / 1000, date);
        }
    }

    @Test
    public void controlCharactersCannotForgeALine()
    {
        assertEquals("a\\x0ab\\x0d\\x1b[31m", UwsgiRequestLog.text("a\nb\r\u001b[31m"));
        // UTF-8 bytes as they arrive in a var (one char per byte) become the text they encode
        assertEquals("päth", UwsgiRequestLog.text(UwsgiGenerator.utf8AsBytes("päth")));
        assertEquals("plain/ascii?x=1", UwsgiRequestLog.text("plain/ascii?x=1"));
    }
}

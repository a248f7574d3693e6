package io.github.jettyuwsgi.launcher.dist;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * No answer of a WAR the launcher deploys carries a stack trace, in every environment: a JSP that throws gets Jetty's
 * 500 page without one, and a request body cut short by the frontend ({@code CONTENT_LENGTH} 1000, 10 bytes, end of
 * stream) is answered as the launcher's HTTP socket answers the same body cut short by its client. The WARs are
 * written here, exploded: a {@code javax} one (ee8) and a {@code jakarta} one (ee11, and ee10 in a second launcher).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ErrorPagesIT
{
    private static final String THROW_JSP = """
        <%@ page contentType="text/plain; charset=UTF-8" %><%
        if (request.getParameter("fine") == null)
            throw new IllegalStateException("thrown by a JSP");
        %>fine
        """;
    private static final String READ_JSP = """
        <%@ page contentType="text/plain; charset=UTF-8" %><%
        byte[] body = request.getInputStream().readAllBytes();
        %>read <%= body.length %> bytes
        """;
    private static final String JAVAX_WEB_XML = """
        <?xml version="1.0" encoding="UTF-8"?>
        <web-app xmlns="http://xmlns.jcp.org/xml/ns/javaee" version="4.0"/>
        """;
    private static final String JAKARTA_WEB_XML = """
        <?xml version="1.0" encoding="UTF-8"?>
        <web-app xmlns="https://jakarta.ee/xml/ns/jakartaee" version="6.0"/>
        """;

    private final List<LauncherRun> launchers = new ArrayList<>();
    /** {launcher index, context path} of every WAR deployed. */
    private final List<Object[]> wars = new ArrayList<>();

    @BeforeAll
    void start(@TempDir Path work) throws IOException
    {
        Path javax = war(work.resolve("javax-war"), JAVAX_WEB_XML);
        Path jakarta = war(work.resolve("jakarta-war"), JAKARTA_WEB_XML);
        launchers.add(LauncherRun.start(work.resolve("detected"), "--http-socket", "127.0.0.1:0", "--socket", "127.0.0.1:0",
            "--mount", "/javax=" + javax, "--mount", "/jakarta=" + jakarta));
        assertTrue(launchers.get(0).log().contains("Deployed javax-war at /javax in ee8"), launchers.get(0)::describe);
        assertTrue(launchers.get(0).log().contains("Deployed jakarta-war at /jakarta in ee11"), launchers.get(0)::describe);
        wars.add(new Object[]{0, "/javax"});
        wars.add(new Object[]{0, "/jakarta"});
        launchers.add(LauncherRun.start(work.resolve("ee10"), "--http-socket", "127.0.0.1:0", "--socket", "127.0.0.1:0",
            "--environment", "ee10", "--mount", "/jakarta=" + jakarta));
        wars.add(new Object[]{1, "/jakarta"});
    }

    @AfterAll
    void stop()
    {
        launchers.forEach(LauncherRun::close);
    }

    private static Path war(Path directory, String webXml) throws IOException
    {
        Files.createDirectories(directory.resolve("WEB-INF"));
        Files.writeString(directory.resolve("WEB-INF/web.xml"), webXml);
        Files.writeString(directory.resolve("throw.jsp"), THROW_JSP);
        Files.writeString(directory.resolve("read.jsp"), READ_JSP);
        return directory;
    }

    @Test
    void applicationExceptionPageHasNoStackTrace() throws IOException
    {
        for (Object[] war : wars)
        {
            LauncherRun launcher = launchers.get((int)war[0]);
            String path = war[1] + "/throw.jsp";
            String fine = exchange(launcher.boundPort("http"), http("GET", path + "?fine=1", 0, ""));
            assertTrue(fine.startsWith("HTTP/1.1 200 ") && fine.contains("fine"), fine);
            for (String response : List.of(
                exchange(launcher.boundPort("http"), http("GET", path, 0, "")),
                exchange(launcher.boundPort("uwsgi"), uwsgi("GET", path, 0, ""))))
            {
                assertTrue(response.startsWith("HTTP/1.1 500 "), () -> path + "\n" + response + launcher.describe());
                assertNoStackTrace(path, response);
            }
        }
    }

    @Test
    void bodyCutShortIsAnsweredAsOverHttpWithoutStackTrace() throws IOException
    {
        for (Object[] war : wars)
        {
            LauncherRun launcher = launchers.get((int)war[0]);
            String path = war[1] + "/read.jsp";
            String whole = exchange(launcher.boundPort("uwsgi"), uwsgi("POST", path, 10, "0123456789"));
            assertTrue(whole.startsWith("HTTP/1.1 200 ") && whole.contains("read 10 bytes"), whole);

            String overHttp = exchange(launcher.boundPort("http"), http("POST", path, 1000, "0123456789"));
            String overUwsgi = exchange(launcher.boundPort("uwsgi"), uwsgi("POST", path, 1000, "0123456789"));
            assertNoStackTrace(path, overHttp);
            assertNoStackTrace(path, overUwsgi);
            assertEquals(statusLine(overHttp), statusLine(overUwsgi), () -> path + "\n" + overUwsgi);
            assertFalse(statusLine(overUwsgi).startsWith("HTTP/1.1 5"), () -> path + "\n" + overUwsgi);
        }
    }

    private static void assertNoStackTrace(String path, String response)
    {
        assertFalse(response.contains("at org.") || response.contains("at java.") || response.contains("at jakarta.")
            || response.contains("at javax."), () -> path + ": a stack trace sent to the client\n" + response);
    }

    private static String statusLine(String response)
    {
        return response.lines().findFirst().orElse("(nothing)");
    }

    private static byte[] http(String method, String target, int contentLength, String body)
    {
        String head = method + " " + target + " HTTP/1.1\r\nHost: app.example\r\n"
            + (method.equals("POST") ? "Content-Type: application/octet-stream\r\nContent-Length: " + contentLength + "\r\n" : "")
            + "Connection: close\r\n\r\n";
        return (head + body).getBytes(StandardCharsets.ISO_8859_1);
    }

    private static byte[] uwsgi(String method, String target, int contentLength, String body)
    {
        UwsgiPacket packet = UwsgiPacket.get(target).with("REQUEST_METHOD", method);
        if (method.equals("POST"))
            packet.with("CONTENT_TYPE", "application/octet-stream").with("CONTENT_LENGTH", Integer.toString(contentLength));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.writeBytes(packet.toBytes());
        bytes.writeBytes(body.getBytes(StandardCharsets.ISO_8859_1));
        return bytes.toByteArray();
    }

    /**
     * Writes the bytes, ends the stream as a frontend or client that gave up does, and reads the answer to the end.
     */
    private static String exchange(int port, byte[] request) throws IOException
    {
        try (SocketChannel channel = SocketChannel.open(new InetSocketAddress("127.0.0.1", port)))
        {
            ByteBuffer out = ByteBuffer.wrap(request);
            while (out.hasRemaining())
                channel.write(out);
            channel.shutdownOutput();
            ByteArrayOutputStream response = new ByteArrayOutputStream();
            ByteBuffer buffer = ByteBuffer.allocate(8192);
            try
            {
                while (channel.read(buffer.clear()) >= 0)
                    response.write(buffer.array(), 0, buffer.position());
            }
            catch (IOException reset)
            {
                // a server that closes without reading everything may reset the connection: what came before counts
            }
            return response.toString(StandardCharsets.UTF_8);
        }
    }
}

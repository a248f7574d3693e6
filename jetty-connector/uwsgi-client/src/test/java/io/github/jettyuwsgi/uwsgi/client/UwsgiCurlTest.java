package io.github.jettyuwsgi.uwsgi.client;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The {@code curl} and {@code ping} commands as an operator runs them, against a real Jetty with our connector.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
public class UwsgiCurlTest
{
    private Backend backend;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @BeforeEach
    public void start() throws Exception
    {
        backend = new Backend();
    }

    @AfterEach
    public void stop() throws Exception
    {
        backend.close();
    }

    private int run(String... args)
    {
        return UwsgiCurl.run(args, new PrintStream(out, true), new PrintStream(err, true));
    }

    private String out()
    {
        return out.toString(StandardCharsets.ISO_8859_1);
    }

    private String err()
    {
        return err.toString(StandardCharsets.UTF_8);
    }

    /**
     * A relay between the command and the backend records the bytes the backend sent: {@code curl -i} must print exactly
     * those.
     */
    @Test
    public void includePrintsTheExactResponse() throws Exception
    {
        try (ServerSocket relay = new ServerSocket(0, 1, InetAddress.getLoopbackAddress()))
        {
            ByteArrayOutputStream fromBackend = new ByteArrayOutputStream();
            Thread relaying = new Thread(() -> relayOnce(relay, backend.port(), fromBackend));
            relaying.start();

            int status = run("curl", "127.0.0.1:" + relay.getLocalPort(), "/x?y=1", "-i", "-H", "X-Trace: abc");
            relaying.join();

            assertEquals(0, status, err());
            byte[] sent = fromBackend.toByteArray();
            assertTrue(new String(sent, StandardCharsets.ISO_8859_1).startsWith("HTTP/1.1 200 OK\r\n"), new String(sent, StandardCharsets.ISO_8859_1));
            assertArrayEquals(sent, out.toByteArray());
            assertTrue(out().contains("\nvar HTTP_X_TRACE=abc\n"), out());
        }
    }

    private static void relayOnce(ServerSocket relay, int backendPort, ByteArrayOutputStream record)
    {
        try (Socket client = relay.accept(); Socket server = new Socket(InetAddress.getLoopbackAddress(), backendPort))
        {
            Thread up = new Thread(() -> copy(client, server, null));
            up.start();
            copy(server, client, record);
            up.join();
        }
        catch (IOException | InterruptedException x)
        {
            throw new AssertionError(x);
        }
    }

    private static void copy(Socket from, Socket to, ByteArrayOutputStream record)
    {
        try
        {
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            byte[] chunk = new byte[8192];
            for (int n; (n = in.read(chunk)) >= 0; )
            {
                out.write(chunk, 0, n);
                if (record != null)
                    record.write(chunk, 0, n);
            }
            to.shutdownOutput();
        }
        catch (IOException x)
        {
            // the other direction closed first; the recorded bytes are what the assertion checks
        }
    }

    @Test
    public void withoutIncludePrintsTheBodyOnly()
    {
        int status = run("curl", "127.0.0.1:" + backend.port(), "/plain");
        assertEquals(0, status, err());
        assertTrue(out().startsWith("method=GET\nuri=/plain\nvar QUERY_STRING=\n"), out());
        assertTrue(out().contains("var HTTP_HOST=localhost\nvar HTTP_USER_AGENT=jetty-uwsgi-curl\nvar HTTP_ACCEPT=*/*\n"), out());
        assertEquals("", err());
    }

    @Test
    public void dataMakesAFormPostOverUnixSocket()
    {
        int status = run("curl", "--unix", backend.socket().toString(), "/form", "-d", "a=1&b=2", "-H", "Host: app.example");
        assertEquals(0, status, err());
        List<String> lines = List.of(out().split("\n"));
        assertTrue(lines.containsAll(List.of("method=POST", "var CONTENT_LENGTH=7", "var CONTENT_TYPE=application/x-www-form-urlencoded",
            "var SERVER_NAME=app.example", "var HTTP_HOST=app.example", "body-length=7")), lines.toString());
    }

    @Test
    public void dataBinaryStreamsAFileWithTheMethodGiven(@TempDir Path dir) throws IOException
    {
        Path file = dir.resolve("body.bin");
        byte[] body = new byte[200_000];
        for (int i = 0; i < body.length; i++)
            body[i] = (byte)(i % 251);
        Files.write(file, body);
        int status = run("curl", "127.0.0.1:" + backend.port(), "/put", "-X", "PUT", "--data-binary", "@" + file, "-H", "Content-Type: application/octet-stream");
        assertEquals(0, status, err());
        List<String> lines = List.of(out().split("\n"));
        assertTrue(lines.containsAll(List.of("method=PUT", "var CONTENT_LENGTH=200000", "var CONTENT_TYPE=application/octet-stream", "body-length=200000")), lines.toString());
    }

    @Test
    public void commandLineTextGoesAsUtf8()
    {
        assertEquals(0, run("curl", "127.0.0.1:" + backend.port(), "/p\u00e4th", "-H", "X-Name: Zo\u00eb"), err());
        // the backend echoes var bytes unchanged, so UTF-8 on the wire reads back as the same text
        String echoed = out.toString(StandardCharsets.UTF_8);
        assertTrue(echoed.contains("\nvar REQUEST_URI=/p%C3%A4th\n") && echoed.contains("\nvar PATH_INFO=/p\u00e4th\n"), echoed);
        assertTrue(echoed.contains("\nvar HTTP_X_NAME=Zo\u00eb\n"), echoed);
    }

    @Test
    public void pingPrintsPong()
    {
        assertEquals(0, run("ping", "127.0.0.1:" + backend.port()), err());
        assertTrue(out().matches("PONG from 127\\.0\\.0\\.1:\\d+ in \\d+\\.\\d{3} ms\\n"), out());
        out.reset();
        assertEquals(0, run("ping", "--unix", backend.socket().toString()), err());
        assertTrue(out().startsWith("PONG from " + backend.socket() + " in "), out());
    }

    @Test
    public void unreachableBackendIsOneLineAndStatusOne() throws IOException
    {
        int freePort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress()))
        {
            freePort = socket.getLocalPort();
        }
        assertEquals(UwsgiCurl.EXIT_FAILURE, run("ping", "127.0.0.1:" + freePort));
        assertEquals("ping: 127.0.0.1:" + freePort + ": Connection refused\n", err());
        err.reset();
        assertEquals(UwsgiCurl.EXIT_FAILURE, run("curl", "--unix", backend.socket() + ".missing", "/"));
        assertTrue(err().matches("curl: \\S+\\.missing: [^\\n]+\\n"), err());
        assertEquals("", out());
    }

    @Test
    public void usageMistakesAreOneLineAndStatusTwo()
    {
        assertEquals(UwsgiCurl.EXIT_USAGE, run("curl", "/x"));
        assertEquals("curl: no backend given (expected: --unix PATH or HOST:PORT, e.g. 127.0.0.1:3031)\ncurl: see 'curl --help'\n", err());
        err.reset();
        assertEquals(UwsgiCurl.EXIT_USAGE, run("curl", "127.0.0.1:3031"));
        assertTrue(err().startsWith("curl: no request URI given (expected: a path starting with /"), err());
        err.reset();
        assertEquals(UwsgiCurl.EXIT_USAGE, run("curl", "127.0.0.1:3031", "/", "--modifier1", "300"));
        assertTrue(err().startsWith("curl: --modifier1: '300' (expected: a number from 0 to 255)\n"), err());
        err.reset();
        assertEquals(UwsgiCurl.EXIT_USAGE, run("curl", "127.0.0.1:3031", "/", "-H", "no colon"));
        assertTrue(err().startsWith("curl: header: 'no colon' (expected: 'Name: value')\n"), err());
        err.reset();
        assertEquals(UwsgiCurl.EXIT_USAGE, run("ping", "127.0.0.1:3031", "--bogus"));
        assertTrue(err().startsWith("ping: unknown option: --bogus\n"), err());
        err.reset();
        assertEquals(UwsgiCurl.EXIT_USAGE, run("curl", "localhost", "/"));
        assertTrue(err().startsWith("curl: backend: 'localhost' (expected: HOST:PORT"), err());
        err.reset();
        assertEquals(UwsgiCurl.EXIT_USAGE, run("curl", "127.0.0.1:3031", "/", "--data-binary", "@/nonexistent/file"));
        assertTrue(err().startsWith("curl: cannot read the body file /nonexistent/file: no such file\n"), err());
        assertEquals("", out());
    }

    @Test
    public void helpGoesToStandardOutput()
    {
        assertEquals(0, run("curl", "--help"));
        assertTrue(out().startsWith("usage: java -jar jetty-uwsgi-launcher.jar curl"), out());
    }
}

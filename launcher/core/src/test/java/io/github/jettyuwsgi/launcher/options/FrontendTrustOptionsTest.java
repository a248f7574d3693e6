package io.github.jettyuwsgi.launcher.options;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code frontend-secret}, {@code allow-frontend} and {@code insecure-frontend}, and the refusal of a uwsgi socket
 * on a non-loopback address that none of them protects (Tomcat's AJP rule since 9.0.31).
 */
public class FrontendTrustOptionsTest
{
    @TempDir
    static Path dir;
    static Path war;

    @BeforeAll
    public static void createFiles() throws IOException
    {
        war = Files.writeString(dir.resolve("app.war"), "not read by the options");
    }

    private static List<String> validate(String... args)
    {
        List<String> all = new ArrayList<>(List.of("--war", war.toString()));
        all.addAll(List.of(args));
        return LauncherOptions.parse(all.toArray(String[]::new)).validate();
    }

    private static String refusal(String address, String where, int port)
    {
        return "socket " + address + ": listens on " + where + " without frontend trust, so any host that reaches it can send the uwsgi vars the applications believe (REMOTE_ADDR, HTTPS, ...)" +
            " (expected: --frontend-secret NAME=VALUE with nginx 'uwsgi_param NAME VALUE;', --allow-frontend CIDR with the frontends' addresses," +
            " or --insecure-frontend to accept the risk; or 127.0.0.1:" + port + " or a Unix socket when the frontend runs on this machine)";
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        ":3031, all interfaces",
        "0.0.0.0:3031, all interfaces",
        "[::]:3031, all interfaces",
        "192.0.2.10:3031, a non-loopback address",
        "[2001:db8::1]:3031, a non-loopback address",
    })
    public void testNonLoopbackUwsgiSocketIsRefused(String address, String where)
    {
        assertEquals(List.of(refusal(address, where, 3031)), validate("--socket", address));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"127.0.0.1:3031", "127.0.0.2:3031", "[::1]:3031", "localhost:3031", "/tmp/app.sock"})
    public void testLoopbackAndUnixSocketsNeedNothing(String address)
    {
        assertEquals(List.of(), validate("--socket", address));
    }

    @Test
    public void testAnyOfTheThreeOptionsLetsItStart()
    {
        assertEquals(List.of(), validate("--socket", ":3031", "--frontend-secret", "UWSGI_FRONTEND_SECRET=abc123"));
        assertEquals(List.of(), validate("--socket", ":3031", "--allow-frontend", "10.0.0.0/8"));
        assertEquals(List.of(), validate("--socket", ":3031", "--insecure-frontend"));
    }

    @Test
    public void testHttpListenersAreNotRefused()
    {
        // HTTP carries no vars to believe
        assertEquals(List.of(), validate("--http-socket", ":8080", "--http-socket", "192.0.2.10:8081"));
    }

    private static String fastcgiRefusal(String address, String where, int port)
    {
        return "fastcgi-socket " + address + ": listens on " + where + " without frontend trust, so any host that reaches it can send the FastCGI params the applications believe (REMOTE_ADDR, HTTPS, ...)" +
            " (expected: --allow-frontend CIDR with the frontends' addresses (--frontend-secret applies to uwsgi sockets only)," +
            " or --insecure-frontend to accept the risk; or 127.0.0.1:" + port + " or a Unix socket when the frontend runs on this machine)";
    }

    @Test
    public void testNonLoopbackFastCgiSocketIsRefusedUnlessAnAllowListOrInsecureFrontendSaysSo()
    {
        assertEquals(List.of(fastcgiRefusal(":9000", "all interfaces", 9000), fastcgiRefusal("192.0.2.10:9001", "a non-loopback address", 9001)),
            validate("--fastcgi-socket", ":9000", "--fastcgi-socket", "192.0.2.10:9001", "--fastcgi-socket", "127.0.0.1:9002", "--fastcgi-socket", "/tmp/f.sock"));
        // a secret protects the uwsgi socket only: FastCGI has no vars to carry it
        assertEquals(List.of(fastcgiRefusal(":9000", "all interfaces", 9000)),
            validate("--socket", ":3031", "--fastcgi-socket", ":9000", "--frontend-secret", "S=v"));
        assertEquals(List.of(), validate("--fastcgi-socket", ":9000", "--allow-frontend", "10.0.0.0/8"));
        assertEquals(List.of(), validate("--fastcgi-socket", ":9000", "--insecure-frontend"));
    }

    @Test
    public void testEveryNonLoopbackSocketIsNamed()
    {
        assertEquals(List.of(refusal(":3031", "all interfaces", 3031), refusal("192.0.2.10:3032", "a non-loopback address", 3032)),
            validate("--socket", ":3031", "--socket", "127.0.0.1:3033", "--socket", "192.0.2.10:3032"));
    }

    @Test
    public void testOptionsAreParsed()
    {
        LauncherOptions options = LauncherOptions.parse("--socket", ":3031", "--war", war.toString(),
            "--frontend-secret", "UWSGI_FRONTEND_SECRET=a=b", "--allow-frontend", "10.0.0.0/8", "--allow-frontend", " ::1 ");
        assertEquals(List.of(), options.validate());
        assertEquals("UWSGI_FRONTEND_SECRET", options.getFrontendSecret().name());
        assertEquals(List.of("10.0.0.0/8", "::1"), options.getAllowFrontends());
        assertEquals(false, options.isInsecureFrontend());
        assertNull(LauncherOptions.parse("--socket", "127.0.0.1:1").getFrontendSecret());
    }

    @Test
    public void testIniKeysAreTheSame() throws IOException
    {
        Path ini = Files.writeString(dir.resolve("trust.ini"), "[uwsgi]\nsocket = :3031\nwar = " + war + "\nfrontend-secret = S=v\nallow-frontend = 10.0.0.0/8\nallow-frontend = 192.0.2.7\ninsecure-frontend = true\n");
        LauncherOptions options = LauncherOptions.parse("--ini", ini.toString());
        assertEquals(List.of(), options.validate());
        assertEquals("S", options.getFrontendSecret().name());
        assertEquals(List.of("10.0.0.0/8", "192.0.2.7"), options.getAllowFrontends());
        assertTrue(options.isInsecureFrontend());
    }

    @Test
    public void testMalformedValuesAreReportedInOneLine()
    {
        assertEquals(List.of("--frontend-secret: no '=' (expected: NAME=VALUE, e.g. UWSGI_FRONTEND_SECRET=<32 random hex digits>)"),
            validate("--socket", "127.0.0.1:3031", "--frontend-secret", "SECRET"));
        assertEquals(List.of("--frontend-secret: name 'HTTP_X_SECRET' (expected: a name not starting with HTTP_, the prefix of the client's own headers)"),
            validate("--socket", "127.0.0.1:3031", "--frontend-secret", "HTTP_X_SECRET=v"));
        assertEquals(List.of("--allow-frontend: '10.0.0.1/8' has host bits set after /8 (expected: the block's first address, e.g. 10.0.0.0/8)"),
            validate("--socket", "127.0.0.1:3031", "--allow-frontend", "10.0.0.1/8"));
        assertEquals(List.of("--allow-frontend: 'frontend.example.org' (expected: an IPv4 or IPv6 address or CIDR block, e.g. 10.0.0.0/8, 192.0.2.7, 2001:db8::/32)"),
            validate("--socket", "127.0.0.1:3031", "--allow-frontend", "frontend.example.org"));
    }
}

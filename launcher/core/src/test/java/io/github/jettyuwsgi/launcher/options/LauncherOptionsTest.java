package io.github.jettyuwsgi.launcher.options;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import io.github.jettyuwsgi.config.HostFacts;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

public class LauncherOptionsTest
{
    @TempDir
    static Path dir;
    static Path war;
    static Path otherWar;
    static Path users;

    @BeforeAll
    public static void createFiles() throws IOException
    {
        war = Files.writeString(dir.resolve("app.war"), "not read by the options");
        otherWar = Files.createDirectories(dir.resolve("exploded"));
        users = Files.writeString(dir.resolve("users.properties"), "alice: secret,user\n");
    }

    /**
     * Prefixes a command line with what every valid one needs, so each case shows only what it is about.
     */
    private static String[] withMinimum(String... args)
    {
        List<String> all = new ArrayList<>(List.of("--http-socket", "127.0.0.1:8080", "--war", war.toString()));
        all.addAll(List.of(args));
        return all.toArray(String[]::new);
    }

    @Test
    public void testEveryOptionParsed()
    {
        LauncherOptions options = LauncherOptions.parse(
            "--socket", "127.0.0.1:3031",
            "--socket", dir.resolve("app.sock").toString(),
            "--http-socket", "127.0.0.1:8080",
            "--war", war.toString(),
            "--mount", "/shop=" + otherWar,
            "--chmod-socket", "660",
            "--buffer-size", "8192",
            "--socket-timeout", "9",
            "--realm", "shop=" + users,
            "--threads", "50",
            "--environment", "ee10");

        assertEquals(List.of(), options.validate());
        assertEquals(2, options.getUwsgiSockets().size());
        assertEquals("127.0.0.1", options.getUwsgiSockets().get(0).getHost());
        assertEquals(3031, options.getUwsgiSockets().get(0).getPort());
        assertEquals(dir.resolve("app.sock"), options.getUwsgiSockets().get(1).getUnixPath());
        assertEquals(8080, options.getHttpSockets().get(0).getPort());
        assertEquals(List.of(new LauncherOptions.Mount("/", war), new LauncherOptions.Mount("/shop", otherWar)), options.getDeployments());
        assertEquals("660", options.getChmodSocket());
        assertEquals(8192, options.getBufferSize());
        assertEquals(9, options.getSocketTimeout());
        assertEquals(Map.of("shop", users), options.getRealms());
        assertEquals(50, options.getThreads());
        assertEquals("ee10", options.getEnvironment());
        assertFalse(options.isHelp());
    }

    @Test
    public void testDefaults()
    {
        LauncherOptions options = LauncherOptions.parse(withMinimum());

        assertEquals(List.of(), options.validate());
        assertEquals(65535, options.getBufferSize());
        assertEquals(LauncherOptions.DEFAULT_BUFFER_SIZE, options.getBufferSize());
        assertEquals(4, options.getSocketTimeout());
        assertEquals(200, options.getThreads());
        assertNull(options.getEnvironment(), "detected per WAR");
        assertNull(options.getChmodSocket(), "the umask decides");
        assertEquals(List.of(), options.getUwsgiSockets(), "nothing binds unless asked");
        assertEquals(Map.of(), options.getRealms());
    }

    @Test
    public void testAnyFreePortMayBeAskedForTwice()
    {
        LauncherOptions options = LauncherOptions.parse(withMinimum("--socket", "127.0.0.1:0", "--socket", "127.0.0.1:0", "--http-socket", "127.0.0.1:0"));

        assertEquals(List.of(), options.validate());
        assertEquals(2, options.getUwsgiSockets().size());
        assertEquals(2, options.getHttpSockets().size());
    }

    @Test
    public void testValueAfterEqualsSign()
    {
        LauncherOptions options = LauncherOptions.parse("--socket=:3031", "--insecure-frontend", "--war=" + war, "--threads=16", "--realm=shop=" + users);

        assertEquals(List.of(), options.validate());
        assertEquals(3031, options.getUwsgiSockets().get(0).getPort());
        assertEquals(16, options.getThreads());
        assertEquals(Map.of("shop", users), options.getRealms(), "only the first = separates the option from its value");
    }

    public static Stream<Arguments> addresses()
    {
        return Stream.of(
            Arguments.of("127.0.0.1:3031", "127.0.0.1", 3031, false),
            Arguments.of(":3031", null, 3031, true),
            Arguments.of("0.0.0.0:3031", "0.0.0.0", 3031, true),
            Arguments.of("[::1]:3031", "::1", 3031, false),
            Arguments.of("[::]:3031", "::", 3031, true),
            Arguments.of("localhost:0", "localhost", 0, false));
    }

    @ParameterizedTest
    @MethodSource("addresses")
    public void testTcpAddress(String text, String host, int port, boolean allInterfaces)
    {
        ListenAddress address = ListenAddress.parse(text);

        assertFalse(address.isUnix());
        assertEquals(host, address.getHost());
        assertEquals(port, address.getPort());
        assertEquals(allInterfaces, address.isAllInterfaces());
        assertEquals(text, address.toString());
    }

    @Test
    public void testUnixAddressIsAbsolute()
    {
        ListenAddress relative = ListenAddress.parse("app.sock");
        ListenAddress absolute = ListenAddress.parse("/run/jetty/app.sock");

        assertTrue(relative.isUnix());
        assertEquals(Path.of("app.sock").toAbsolutePath(), relative.getUnixPath());
        assertEquals(Path.of("/run/jetty/app.sock"), absolute.getUnixPath());
        assertFalse(absolute.isAllInterfaces());
        assertEquals(-1, absolute.getPort());
    }

    /**
     * Each invalid command line and the exact line the user sees for it.
     */
    public static Stream<Arguments> mistakes()
    {
        String longPath = "/tmp/" + "x".repeat(120) + ".sock";
        return Stream.of(
            Arguments.of(withMinimum("--sockt", ":3031"), "command line --sockt: unrecognized option --sockt (did you mean --socket?)"),
            Arguments.of(withMinimum("-socket", ":3031"), "unknown option: -socket (did you mean --socket?)"),
            Arguments.of(withMinimum("--http_socket", ":3031"), "command line --http_socket: unrecognized option --http_socket (did you mean --http-socket?)"),
            Arguments.of(withMinimum("--enviroment", "ee10"), "command line --enviroment: unrecognized option --enviroment (did you mean --environment?)"),
            Arguments.of(withMinimum("--frobnicate", "1"), "command line --frobnicate: unrecognized option --frobnicate"),
            Arguments.of(withMinimum("--threads"), "--threads: missing value (expected: --threads N)"),
            Arguments.of(withMinimum("--threads", "--socket", ":3031"), "--threads: missing value (expected: --threads N)"),
            Arguments.of(withMinimum("--threads", "many"), "--threads: 'many' (expected: a whole number from 1 to 100000)"),
            Arguments.of(withMinimum("--threads", "100001"), "--threads: '100001' (expected: a whole number from 1 to 100000)"),
            Arguments.of(withMinimum("--buffer-size", "100"), "--buffer-size: '100' (expected: a whole number from 512 to 65535)"),
            Arguments.of(withMinimum("--buffer-size", "70000"), "--buffer-size: '70000' (expected: a whole number from 512 to 65535)"),
            Arguments.of(withMinimum("--socket-timeout", "0"), "--socket-timeout: '0' (expected: a whole number from 1 to 86400)"),
            Arguments.of(withMinimum("--socket", dir.resolve("a.sock").toString(), "--chmod-socket", "rw-rw----"), "--chmod-socket: 'rw-rw----' (expected: three octal digits as for chmod, e.g. 660)"),
            Arguments.of(withMinimum("--chmod-socket", "660"), "--chmod-socket: 660 but no Unix socket is given (expected: a --socket or --http-socket with a path)"),
            Arguments.of(withMinimum("--chown-socket", "app:www-data"), "--chown-socket: app:www-data but no Unix socket is given (expected: a --socket or --http-socket with a path)"),
            Arguments.of(withMinimum("--socket", dir.resolve("a.sock").toString(), "--chown-socket", "a:b:c"), "--chown-socket: 'a:b:c' (expected: USER, USER:GROUP or :GROUP, e.g. app:www-data)"),
            Arguments.of(withMinimum("--listen", "0"), "--listen: '0' (expected: a whole number from 1 to 65535)"),
            Arguments.of(withMinimum("--acceptors", "0"), "--acceptors: '0' (expected: a whole number from 1 to 64)"),
            Arguments.of(withMinimum("--environment", "ee9"), "--environment: 'ee9' (expected: one of ee8, ee10, ee11)"),
            Arguments.of(withMinimum("--mount-environment", "shop=ee10"), "--mount-environment: 'shop=ee10' (expected: /CONTEXT=ENVIRONMENT, e.g. /shop=ee10)"),
            Arguments.of(withMinimum("--mount-environment", "/shop=ee9"), "--mount-environment: '/shop=ee9' names environment 'ee9' (expected: one of ee8, ee10, ee11)"),
            Arguments.of(withMinimum("--jetty-module", "websocket"), "--jetty-module: 'websocket' is not a module the launcher has (expected: one of servlets, jsp, jstl, " +
                "annotations, plus, jndi, jaas, optionally prefixed with ee8-, ee10- or ee11-; session stores and WebSocket have options of their own)"),
            Arguments.of(withMinimum("--mount", "shop.war"), "--mount: 'shop.war' (expected: PATH=FILE, e.g. /shop=shop.war)"),
            Arguments.of(withMinimum("--mount", "shop=" + otherWar), "--mount: context path 'shop' (expected: / or /NAME[/NAME...], without a trailing /)"),
            Arguments.of(withMinimum("--mount", "/shop/=" + otherWar), "--mount: context path '/shop/' (expected: / or /NAME[/NAME...], without a trailing /)"),
            Arguments.of(withMinimum("--mount", "/=" + otherWar), "--mount: context path / is deployed twice (expected: one WAR per context path)"),
            Arguments.of(withMinimum("--mount", "/shop=" + dir.resolve("missing.war")), "--mount: " + dir.resolve("missing.war") + " does not exist (expected: a WAR file or an exploded WAR directory)"),
            Arguments.of(withMinimum("--realm", "shop"), "--realm: 'shop' (expected: NAME=FILE, e.g. myrealm=etc/users.properties)"),
            Arguments.of(withMinimum("--realm", "shop=" + users, "--realm", "shop=" + users), "--realm: realm 'shop' is given more than once (expected: one file per realm name)"),
            Arguments.of(withMinimum("--realm", "shop=" + dir.resolve("nobody.properties")), "--realm: shop=" + dir.resolve("nobody.properties") + ": file not found or not readable (expected: a readable properties file)"),
            Arguments.of(withMinimum("--socket", "3031"), "--socket: '3031' is not an address (expected: HOST:PORT, :PORT or a Unix socket path; did you mean 127.0.0.1:3031?)"),
            Arguments.of(withMinimum("--socket", "127.0.0.1:70000"), "--socket: '127.0.0.1:70000' has port '70000' (expected: 0 to 65535, 0 for any free port)"),
            Arguments.of(withMinimum("--socket", "127.0.0.1:http"), "--socket: '127.0.0.1:http' has port 'http' (expected: 0 to 65535, 0 for any free port)"),
            Arguments.of(withMinimum("--socket", "::1:3031"), "--socket: '::1:3031' has an IPv6 host without brackets (expected: [ADDRESS]:PORT, e.g. [::1]:3031)"),
            Arguments.of(withMinimum("--socket", "127.0.0.1:8080"), "--socket: 127.0.0.1:8080 is already given (expected: each address once)"),
            Arguments.of(withMinimum("--socket", longPath), "--socket: Unix socket path " + longPath + " is 130 bytes long (expected: at most 107)"),
            Arguments.of(withMinimum("--socket", dir.resolve("no/such/dir/app.sock").toString()), "socket " + dir.resolve("no/such/dir/app.sock") + ": directory " + dir.resolve("no/such/dir") + " does not exist (expected: an existing directory)"),
            Arguments.of(withMinimum("app.war"), "command line app.war: unable to load configuration from app.war (expected: a name ending in .ini, .json or .js; did you mean --war app.war?)"),
            Arguments.of(withMinimum("--app", "/a=com.x.App"), "classpath: none given for --app or --jwsgi (expected: --classpath DIR|JAR holding the application's classes)"),
            Arguments.of(withMinimum("--jwsgi", "com.x.Hello:app:x", "--classpath", dir.toString()), "--jwsgi: 'com.x.Hello:app:x' (expected: [PATH=]CLASS[:METHOD], e.g. com.example.Hello:application)"),
            Arguments.of(withMinimum("--app", "/=com.x.App", "--classpath", dir.toString()), "--app: context path / is deployed twice (expected: one application per context path)"),
            Arguments.of(withMinimum("--app", "/a/=com.x.App", "--classpath", dir.toString()), "--app: context path '/a/' (expected: / or /NAME[/NAME...], without a trailing /)"),
            Arguments.of(withMinimum("--environment", "ee8", "--app", "/a=com.x.App", "--classpath", dir.toString()), "environment: ee8 cannot serve --app or --jwsgi (expected: ee10 or ee11; gateway applications use jakarta.servlet)"),
            Arguments.of(withMinimum("--app", "/a=com.x.App", "--jvm-classpath", dir.resolve("none.jar").toString()), "classpath: " + dir.resolve("none.jar") + " does not exist or is not readable (expected: a directory of classes or a jar)"),
            Arguments.of(withMinimum("hello"), "command line hello: unable to load configuration from hello (expected: a name ending in .ini, .json or .js)"),
            Arguments.of(new String[]{"--war", war.toString()}, "nothing to listen on (expected: at least one --socket or --http-socket, e.g. --socket 127.0.0.1:3031)"),
            Arguments.of(new String[]{"--socket", "127.0.0.1:3031"}, "nothing to deploy (expected: --war FILE, --mount PATH=FILE, --app CLASS or --jwsgi CLASS:METHOD)"));
    }

    @Test
    public void testGatewayApplicationsAndTheirClasspath()
    {
        LauncherOptions options = LauncherOptions.parse("--socket", "127.0.0.1:3031", "--app", "com.x.App", "--jwsgi", "/hello=com.x.Hello:application",
            "--classpath", dir.toString(), "--jvm-classpath", war.toString());

        assertEquals(List.of(), options.validate());
        assertEquals(List.of(new LauncherOptions.GatewayMount("/", "application", "com.x.App", "--app"),
            new LauncherOptions.GatewayMount("/hello", "jwsgi", "com.x.Hello:application", "--jwsgi")), options.getGateways());
        assertEquals("com.x.Hello", options.getGateways().get(1).className());
        assertEquals(List.of(dir, war), options.getClasspath());
        assertEquals(List.of(), options.getDeployments());
    }

    @ParameterizedTest
    @MethodSource("mistakes")
    public void testMistakeIsReportedInOneLine(String[] args, String expected)
    {
        assertEquals(List.of(expected), LauncherOptions.parse(args).validate());
    }

    @Test
    public void testEveryProblemReportedAtOnce()
    {
        List<String> problems = LauncherOptions.parse("--buffer-size", "1", "--threads", "0", "--environment", "ee7").validate();

        assertEquals(List.of(
            "--buffer-size: '1' (expected: a whole number from 512 to 65535)",
            "--threads: '0' (expected: a whole number from 1 to 100000)",
            "--environment: 'ee7' (expected: one of ee8, ee10, ee11)",
            "nothing to listen on (expected: at least one --socket or --http-socket, e.g. --socket 127.0.0.1:3031)",
            "nothing to deploy (expected: --war FILE, --mount PATH=FILE, --app CLASS or --jwsgi CLASS:METHOD)"), problems);
    }

    @Test
    public void testWrongSocketOrWarIsNotAlsoReportedAsMissing()
    {
        List<String> problems = LauncherOptions.parse("--socket", "3031", "--war", dir.resolve("nope.war").toString()).validate();

        assertEquals(List.of(
            "--socket: '3031' is not an address (expected: HOST:PORT, :PORT or a Unix socket path; did you mean 127.0.0.1:3031?)",
            "--war: " + dir.resolve("nope.war") + " does not exist (expected: a WAR file or an exploded WAR directory)"), problems);
    }

    @Test
    public void testHelpNeedsNothingElse()
    {
        LauncherOptions options = LauncherOptions.parse("--help");

        assertTrue(options.isHelp());
        assertEquals(List.of(), options.validate(), "--help alone is a complete command line");
        assertTrue(LauncherOptions.parse("-h").isHelp());
    }

    @Test
    public void testUsageListsEveryOption()
    {
        String usage = LauncherOptions.usage();

        for (String flag : List.of("--socket ADDRESS", "--http-socket ADDRESS", "--war FILE", "--mount PATH=FILE", "--chmod-socket MODE",
            "--buffer-size BYTES", "--realm NAME=FILE", "--threads N", "--environment ENV", "--help"))
        {
            assertTrue(usage.contains(flag), () -> flag + " missing from\n" + usage);
        }
        assertTrue(usage.contains("127.0.0.1:PORT or a Unix socket is the safe"), usage);
        assertTrue(usage.lines().allMatch(line -> line.length() <= 110), usage);
    }

    private static Path ini(String name, String... lines) throws IOException
    {
        return Files.writeString(dir.resolve(name), String.join("\n", lines) + "\n");
    }

    private static HostFacts withEnvironment(Map<String, String> environment)
    {
        HostFacts current = HostFacts.current();
        return new HostFacts(current.workingDirectory(), environment, current.hostname(), current.cpus(), current.uid(), current.user(),
            current.gid(), current.group(), current.startMicros(), current.version(), current.binaryPath(), false);
    }

    @Test
    public void testIniFileGivesTheSameOptionsAsTheCommandLine() throws IOException
    {
        Path config = ini("app.ini",
            "[uwsgi]",
            "socket = 127.0.0.1:3031",
            "http-socket = 127.0.0.1:8080",
            "war = " + war,
            "mount = /shop=" + otherWar,
            "buffer-size = 8192",
            "realm = shop=" + users,
            "threads = 50",
            "environment = ee10");

        for (String[] args : List.of(new String[]{"--ini", config.toString()}, new String[]{config.toString()}))
        {
            LauncherOptions options = LauncherOptions.parse(args);

            assertEquals(List.of(), options.validate());
            assertEquals(3031, options.getUwsgiSockets().get(0).getPort());
            assertEquals(8080, options.getHttpSockets().get(0).getPort());
            assertEquals(List.of(new LauncherOptions.Mount("/", war), new LauncherOptions.Mount("/shop", otherWar)), options.getDeployments());
            assertEquals(8192, options.getBufferSize());
            assertEquals(Map.of("shop", users), options.getRealms());
            assertEquals(50, options.getThreads());
            assertEquals("ee10", options.getEnvironment());
            assertEquals(List.of(), options.getNotices());
        }
    }

    @Test
    public void testSectionPlaceholdersAndLaterValueWins() throws IOException
    {
        Path config = ini("sections.ini",
            "[uwsgi]",
            "threads = 10",
            "[staging]",
            "base = 3000",
            "socket = 127.0.0.1:%(base + 31)",
            "threads = 20",
            "war = " + war,
            "environment = ee10");

        LauncherOptions options = LauncherOptions.parse("--ini", config + ":staging", "--threads", "30", "--environment", "ee11", "--war", otherWar.toString());

        assertEquals(List.of(), options.validate());
        assertEquals(3031, options.getUwsgiSockets().get(0).getPort());
        assertEquals(30, options.getThreads(), "the command line after the file wins");
        assertEquals("ee11", options.getEnvironment());
        assertEquals(List.of(new LauncherOptions.Mount("/", otherWar)), options.getDeployments(), "war is single-valued: the last one");
    }

    @Test
    public void testEnvironmentVariablesComeFirst()
    {
        HostFacts facts = withEnvironment(Map.of("UWSGI_THREADS", "12", "UWSGI_HTTP_SOCKET", "127.0.0.1:8081", "UWSGI_WAR", war.toString()));

        LauncherOptions fromEnvironment = LauncherOptions.parse(facts);
        LauncherOptions overridden = LauncherOptions.parse(facts, "--threads", "16");

        assertEquals(List.of(), fromEnvironment.validate());
        assertEquals(12, fromEnvironment.getThreads());
        assertEquals(8081, fromEnvironment.getHttpSockets().get(0).getPort());
        assertEquals(16, overridden.getThreads());
        assertEquals(List.of("environment UWSGI_THREADS: threads: 'x' (expected: a whole number from 1 to 100000)"),
            LauncherOptions.parse(withEnvironment(Map.of("UWSGI_THREADS", "x")), withMinimum()).validate());
    }

    @Test
    public void testJsonConfig() throws IOException
    {
        Path config = Files.writeString(dir.resolve("app.json"), "{\"uwsgi\": {\"http-socket\": \"127.0.0.1:8082\", \"war\": \"" + war + "\", \"threads\": 9}}");

        LauncherOptions options = LauncherOptions.parse("--json", config.toString());

        assertEquals(List.of(), options.validate());
        assertEquals(8082, options.getHttpSockets().get(0).getPort());
        assertEquals(9, options.getThreads());
    }

    @Test
    public void testMistakeInFileNamesTheLine() throws IOException
    {
        Path config = ini("bad.ini", "[uwsgi]", "http-socket = 127.0.0.1:8080", "threads = many", "war = " + war);

        assertEquals(List.of(config + ":3: threads: 'many' (expected: a whole number from 1 to 100000)"), LauncherOptions.parse(config.toString()).validate());
    }

    @Test
    public void testUnknownKeyIsAWarningWithSuggestionAndAnErrorWhenStrict() throws IOException
    {
        Path config = ini("typo.ini", "[uwsgi]", "thread = 4");
        Path strict = ini("strict.ini", "[uwsgi]", "strict = true", "thread = 4");

        LauncherOptions options = LauncherOptions.parse(withMinimum("--ini", config.toString()));

        assertEquals(List.of(), options.validate());
        assertEquals(List.of(config + ":2: unknown option \"thread\" is never used as a placeholder; did you mean \"threads\"?"), options.getNotices());
        assertEquals(List.of(strict + ":3: unknown option \"thread\" with strict = true; did you mean \"threads\"?"),
            LauncherOptions.parse(withMinimum("--ini", strict.toString())).validate());
        assertEquals(List.of(config + ":2: unknown option \"thread\" with strict = true; did you mean \"threads\"?"),
            LauncherOptions.parse(withMinimum("--strict", "--ini", config.toString())).validate());
    }

    @Test
    public void testProcessOptionsAreIgnoredOnceWithTheReason() throws IOException
    {
        Path config = ini("core.ini", "[uwsgi]", "master = true", "processes = 4", "master = true", "enable-threads = true",
            "lazy-apps = true", "thunder-lock = true", "plugins = python3", "cron = 0 -1 -1 -1 -1 /bin/true");

        LauncherOptions options = LauncherOptions.parse(withMinimum("--ini", config.toString()));

        assertEquals(List.of(), options.validate());
        assertEquals(List.of(
            "option master ignored: the JVM is a single process; there is no master forking workers",
            "option processes ignored: one JVM serves every request with threads (see threads), there are no worker processes",
            "option enable-threads ignored: JVM threads are always enabled",
            "option lazy-apps ignored: each WAR is deployed once, in the only process",
            "option thunder-lock ignored: there are no worker processes competing for accept()",
            "option plugins ignored: Java support is built in; no uWSGI plugin is loaded",
            config + ":9: option cron is not supported by jetty-uwsgi, ignored"), options.getNotices());
    }

    public static Stream<Arguments> bufferSizes()
    {
        return Stream.of(
            Arguments.of("32k", 32768, "--buffer-size = 32k read as 32768 bytes (uWSGI 2.0 would read 32; write 32768 for a config that both read alike)"),
            Arguments.of("64k", 65535, "--buffer-size = 64k read as 65535 bytes (uWSGI 2.0 would read 64; write 65535 for a config that both read alike)"),
            Arguments.of("4096", 4096, null));
    }

    @ParameterizedTest
    @MethodSource("bufferSizes")
    public void testBufferSizeAcceptsKilobytesAndSaysSo(String value, int bytes, String notice)
    {
        LauncherOptions options = LauncherOptions.parse(withMinimum("--buffer-size", value));

        assertEquals(List.of(), options.validate());
        assertEquals(bytes, options.getBufferSize());
        assertEquals(notice == null ? List.of() : List.of(notice), options.getNotices());
    }

    @Test
    public void testChmodSocketForms()
    {
        String socket = dir.resolve("m.sock").toString();

        assertEquals("660", LauncherOptions.parse(withMinimum("--socket", socket, "--chmod-socket", "660")).getChmodSocket());
        assertEquals("640", LauncherOptions.parse(withMinimum("--socket", socket, "--chmod-socket=640")).getChmodSocket());
        assertEquals("666", LauncherOptions.parse(withMinimum("--socket", socket, "--chmod-socket")).getChmodSocket(), "uWSGI's default without a value");
        assertEquals("660", LauncherOptions.parse(withMinimum("-s", socket, "-C660")).getChmodSocket());
    }

    @Test
    public void testRequestLogOptions() throws IOException
    {
        LauncherOptions defaults = LauncherOptions.parse(withMinimum());
        assertNull(defaults.getLogFormat(), "uWSGI's default line");
        assertFalse(defaults.isDisableLogging());

        LauncherOptions options = LauncherOptions.parse(withMinimum("--log-format", "%(method) %(uri) %(status)", "-L"));
        assertEquals("%(method) %(uri) %(status)", options.getLogFormat());
        assertTrue(options.isDisableLogging());
        assertEquals(List.of(), options.getNotices());
        assertEquals("%(var.X)", LauncherOptions.parse(withMinimum("--logformat", "%(var.X)")).getLogFormat());
        // in a file the flag has a value, read as uWSGI reads a boolean
        Path off = Files.writeString(dir.resolve("off.ini"), "[uwsgi]\ndisable-logging = false\n");
        Path on = Files.writeString(dir.resolve("on.ini"), "[uwsgi]\ndisable-logging = 1\n");
        assertFalse(LauncherOptions.parse(withMinimum("--ini", off.toString())).isDisableLogging());
        assertTrue(LauncherOptions.parse(withMinimum("--ini", on.toString())).isDisableLogging());

        List<String> notices = LauncherOptions.parse(withMinimum("--log-format", "%(method) %(staus)")).getNotices();
        assertEquals(1, notices.size(), notices::toString);
        assertTrue(notices.get(0).startsWith("--log-format: unknown variable %(staus) is logged as - (expected: one of %(addr) "), notices::toString);
    }

    @Test
    public void testShowConfigAndDryRun()
    {
        LauncherOptions options = LauncherOptions.parse(withMinimum("--threads", "9", "--show-config", "--dry-run"));

        assertTrue(options.isShowConfig());
        assertTrue(options.isDryRun());
        assertEquals("\n;uWSGI instance configuration\n[uwsgi]\nhttp-socket = 127.0.0.1:8080\nwar = " + war + "\nthreads = 9\nshow-config = true\ndry-run = true\n;end of configuration\n\n",
            options.showConfig().orElseThrow());
        assertFalse(LauncherOptions.parse(withMinimum()).isDryRun());
    }

    @Test
    public void testPidfileVacuumAndStop() throws IOException
    {
        Path config = ini("life.ini", "[uwsgi]", "pidfile = " + dir.resolve("app.pid"), "vacuum = true");

        LauncherOptions options = LauncherOptions.parse(withMinimum("--ini", config.toString()));
        LauncherOptions stop = LauncherOptions.parse("--stop", dir.resolve("app.pid").toString());

        assertEquals(List.of(), options.validate());
        assertEquals(dir.resolve("app.pid"), options.getPidFile());
        assertTrue(options.isVacuum());
        assertFalse(LauncherOptions.parse(withMinimum("--vacuum", "--ini", ini("novac.ini", "[uwsgi]", "vacuum = false").toString())).isVacuum(), "the later value wins");
        assertNull(options.getStopPidFile());
        assertEquals(List.of(), stop.validate(), "--stop needs nothing else");
        assertEquals(dir.resolve("app.pid"), stop.getStopPidFile());
        assertEquals(dir.resolve("app.pid"), LauncherOptions.parse("--stop=" + dir.resolve("app.pid")).getStopPidFile());
        assertEquals(dir.resolve("app.pid"), LauncherOptions.parse("--reload", dir.resolve("app.pid").toString()).getReloadPidFile());
        assertEquals(List.of(dir.resolve("a"), dir.resolve("b")),
            LauncherOptions.parse(withMinimum("--touch-reload", dir.resolve("a").toString(), "--touch-reload", dir.resolve("b").toString())).getTouchReload());
    }

    @Test
    public void testNumbersAreReadLikeAtoi() throws IOException
    {
        Path config = ini("atoi.ini", "[uwsgi]", "threads = 64   # maximum");

        LauncherOptions options = LauncherOptions.parse(withMinimum("--ini", config.toString()));

        assertEquals(List.of(), options.validate());
        assertEquals(64, options.getThreads());
        assertEquals(List.of(config + ":2: threads = '64   # maximum' read as 64 (the rest is not a number; ini files have no inline comments)"), options.getNotices());
    }
}

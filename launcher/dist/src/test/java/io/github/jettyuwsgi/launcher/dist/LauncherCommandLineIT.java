package io.github.jettyuwsgi.launcher.dist;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The launcher's contract with the person or service manager running it: help, one-line errors with exit status 2
 * for mistakes and 1 for a failed start, and a graceful stop on SIGTERM.
 */
class LauncherCommandLineIT
{
    @TempDir
    Path work;

    @Test
    void testHelp()
    {
        LauncherRun.Finished run = LauncherRun.runToEnd(work, "--help");

        assertEquals(0, run.status(), run::err);
        assertTrue(run.out().startsWith("Usage: java -jar jetty-uwsgi-launcher.jar [OPTIONS]\n"), run::out);
        assertTrue(run.out().contains("--socket ADDRESS"), run::out);
        assertEquals("", run.err());
    }

    @Test
    void testMistakeIsOneLineAndStatus2()
    {
        LauncherRun.Finished run = LauncherRun.runToEnd(work, "--sockt", "127.0.0.1:0", "--http-socket", "127.0.0.1:0",
            "--war", LauncherRun.war(FeaturesWarChecks.LEGACY_WAR).toString());

        assertEquals(2, run.status(), run::err);
        assertEquals("jetty-uwsgi: command line --sockt: unrecognized option --sockt (did you mean --socket?)\n", run.err());
        assertEquals("", run.out());
    }

    @Test
    void testWarAskingForAMissingRealmIsAMistake()
    {
        LauncherRun.Finished run = LauncherRun.runToEnd(work, "--http-socket", "127.0.0.1:0", "--war", LauncherRun.war(FeaturesWarChecks.FEATURES_WAR).toString());

        assertEquals(2, run.status(), run::err);
        assertEquals(List.of("jetty-uwsgi: WAR " + LauncherRun.war(FeaturesWarChecks.FEATURES_WAR) + " at /: WEB-INF/web.xml asks for realm 'features' (expected: --realm features=FILE)"),
            run.messages(), run::err);
        assertFalse(run.err().contains("\tat "), run::err);
    }

    @Test
    void testPortInUseFailsStartWithStatus1() throws IOException
    {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress()))
        {
            LauncherRun.Finished run = LauncherRun.runToEnd(work, "--http-socket", "127.0.0.1:" + taken.getLocalPort(),
                "--mount", "/legacy=" + LauncherRun.war(FeaturesWarChecks.LEGACY_WAR));

            assertEquals(1, run.status(), run::err);
            List<String> messages = run.messages();
            assertEquals(1, messages.size(), run::err);
            assertTrue(messages.get(0).startsWith("jetty-uwsgi: cannot start: Failed to bind to "), run::err);
            assertTrue(messages.get(0).endsWith(":" + taken.getLocalPort() + ": Address already in use"), run::err);
        }
    }

    @Test
    void testWarThatFailsToDeployWithNeedAppFailsStartWithStatus22() throws IOException
    {
        // An exploded WAR, the only one, whose only servlet cannot be loaded: no application started, which is what
        // need-app exits for. Jetty's log has the details, the user gets one line. Without need-app, or with another
        // WAR that starts, the launcher would serve 503 there and go on (NeedAppIT).
        Path war = Files.createDirectories(work.resolve("broken/WEB-INF"));
        Files.writeString(war.resolve("web.xml"), """
            <web-app xmlns="https://jakarta.ee/xml/ns/jakartaee" version="6.0">
              <servlet><servlet-name>missing</servlet-name><servlet-class>no.such.Servlet</servlet-class><load-on-startup>1</load-on-startup></servlet>
            </web-app>
            """);

        LauncherRun.Finished run = LauncherRun.runToEnd(work, "--http-socket", "127.0.0.1:0", "--war", war.getParent().toString(), "--need-app");

        assertEquals(22, run.status(), run::err);
        List<String> messages = run.messages();
        assertEquals(1, messages.size(), run::err);
        assertTrue(messages.get(0).startsWith("jetty-uwsgi: cannot start: no application started: WAR broken at / did not start: "), run::err);
        assertTrue(messages.get(0).contains("no.such.Servlet") && messages.get(0).endsWith(" (need-app)"), run::err);
    }

    @Test
    void testAllInterfacesWarnsAndBufferSizeLimitsVars() throws Exception
    {
        try (LauncherRun launcher = LauncherRun.start(work, "--socket", ":0", "--insecure-frontend", "--buffer-size", "1024",
            "--mount", "/legacy=" + LauncherRun.war(FeaturesWarChecks.LEGACY_WAR)))
        {
            int port = launcher.boundPort("uwsgi");
            String log = launcher.log();
            assertTrue(log.contains("uwsgi socket :0 listens on all interfaces: any host that reaches it can send requests with forged REMOTE_ADDR and HTTPS vars; use 127.0.0.1:0 when the frontend runs on this machine"), launcher::describe);
            assertTrue(log.contains("uwsgi socket bound: *:" + port + " (all interfaces)"), launcher::describe);

            assertEquals(200, UwsgiPacket.get("/legacy/hello").sendTo(port).getStatus());
            // 1100 bytes of cookie alone exceed a 1024-byte vars block: the packet is refused before any request exists.
            byte[] refused = UwsgiPacket.get("/legacy/hello").with("HTTP_COOKIE", "c=" + "x".repeat(1100)).sendRawTo(port);
            assertEquals(0, refused.length, () -> new String(refused));
            assertTrue(launcher.log().contains("(expected: at most 1024; raise buffer-size)"), launcher::describe);
            assertEquals(143, launcher.stop());
        }
    }

    @Test
    void testLogFormatWritesOneRequestLine() throws Exception
    {
        assertEquals(List.of("GET /x/hello 200"), requestLinesOf("--log-format", "%(method) %(uri) %(status)"));
    }

    @Test
    void testDisableLoggingWritesNoRequestLine() throws Exception
    {
        // the same format as above, so the only difference a missing line can come from is disable-logging
        assertEquals(List.of(), requestLinesOf("--log-format", "%(method) %(uri) %(status)", "--disable-logging"));
    }

    /**
     * Serves one request over uwsgi, stops the launcher (so every line is written) and returns the log lines of the
     * log that name that request (the logger's name is shortened in the log, so the request is what is looked for).
     */
    private List<String> requestLinesOf(String... logOptions) throws Exception
    {
        List<String> args = new ArrayList<>(List.of("--socket", "127.0.0.1:0", "--mount", "/x=" + LauncherRun.war(FeaturesWarChecks.LEGACY_WAR)));
        args.addAll(List.of(logOptions));
        try (LauncherRun launcher = LauncherRun.start(work, args.toArray(String[]::new)))
        {
            assertEquals(200, UwsgiPacket.get("/x/hello").sendTo(launcher.boundPort("uwsgi")).getStatus());
            assertEquals(143, launcher.stop());
            return launcher.log().lines()
                .filter(line -> line.contains("GET /x/hello"))
                .map(line -> line.substring(line.indexOf("GET ")))
                .toList();
        }
    }

    @Test
    void testSigtermLetsRequestsInFlightFinish() throws Exception
    {
        Path users = Files.writeString(work.resolve("users.properties"), "alice: secret,user\n");
        Path unixSocket = work.resolve("uwsgi.sock");
        try (LauncherRun launcher = LauncherRun.start(work, "--http-socket", "127.0.0.1:0", "--socket", unixSocket.toString(),
            "--war", LauncherRun.war(FeaturesWarChecks.FEATURES_WAR).toString(), "--realm", "features=" + users))
        {
            URI base = URI.create("http://127.0.0.1:" + launcher.boundPort("http"));
            HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
            assertEquals(200, client.send(HttpRequest.newBuilder(base.resolve("/slow?millis=0")).build(), HttpResponse.BodyHandlers.ofString()).statusCode());

            CompletableFuture<HttpResponse<String>> inFlight = client.sendAsync(HttpRequest.newBuilder(base.resolve("/slow?millis=3000")).build(), HttpResponse.BodyHandlers.ofString());
            // Long enough for the request to reach the servlet, well within its 3 s and the 5 s stop timeout.
            Thread.sleep(1000);
            long stopAt = System.nanoTime();
            CompletableFuture<Integer> status = CompletableFuture.supplyAsync(launcher::stop);

            HttpResponse<String> response = inFlight.get(20, TimeUnit.SECONDS);
            assertEquals(200, response.statusCode(), response::body);
            assertEquals("slept 3000 ms\n", response.body());
            assertEquals(143, status.get(30, TimeUnit.SECONDS), launcher::describe);
            assertTrue(System.nanoTime() - stopAt < TimeUnit.SECONDS.toNanos(10), "stopped within the stop timeout");
            assertFalse(Files.exists(unixSocket), "the Unix socket file is removed on stop");
            assertThrows(IOException.class, () -> client.send(HttpRequest.newBuilder(base.resolve("/slow?millis=0")).build(), HttpResponse.BodyHandlers.ofString()));
        }
    }
}

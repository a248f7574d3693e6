package io.github.jettyuwsgi.launcher.dist;

import java.io.IOException;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
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
 * Every feature of {@code features-war} checked over the launcher's HTTP socket: one launcher per subclass, which
 * says in which environment the WAR must run. The FORM variant is deployed at {@code /}, the BASIC one at
 * {@code /basic} (a web application has one login-config), both against the realm file given with {@code --realm}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class FeaturesWarChecks
{
    static final String FEATURES_WAR = "jetty-uwsgi-features-war.war";
    static final String FEATURES_BASIC_WAR = "jetty-uwsgi-features-war-basic.war";
    static final String LEGACY_WAR = "jetty-uwsgi-legacy-war.war";

    Path work;
    LauncherRun launcher;
    HttpClient client;
    int httpPort;

    /**
     * @return the environment the log must say features-war runs in
     */
    abstract String expectedEnvironment();

    /**
     * @return why, as the log says it
     */
    abstract String expectedReason();

    /**
     * @return the Servlet API version the WAR must see, which proves the environment from the inside
     */
    abstract String expectedServletApi();

    /**
     * @return options beyond the HTTP socket, the two features WARs and the realm
     */
    List<String> moreOptions()
    {
        return List.of();
    }

    @BeforeAll
    void startLauncher(@TempDir Path work) throws IOException
    {
        // A parameter, not a field: with one instance per class the field would not be set before @BeforeAll.
        this.work = work;
        Path users = Files.writeString(work.resolve("users.properties"), "# user: password, roles\nalice: secret,user\nbob: hunter2\n");
        List<String> args = new ArrayList<>(List.of(
            "--http-socket", "127.0.0.1:0",
            "--war", LauncherRun.war(FEATURES_WAR).toString(),
            "--mount", "/basic=" + LauncherRun.war(FEATURES_BASIC_WAR),
            "--realm", "features=" + users));
        args.addAll(moreOptions());
        launcher = LauncherRun.start(work, args.toArray(String[]::new));
        httpPort = launcher.boundPort("http");
        client = HttpClient.newBuilder()
            .cookieHandler(new CookieManager(null, CookiePolicy.ACCEPT_ALL))
            .followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(10))
            .build();
    }

    @AfterAll
    void stopLauncher()
    {
        if (launcher == null)
            return;
        int status = launcher.stop();
        // 143 = 128 + SIGTERM: the JVM ran its shutdown hooks, i.e. the graceful stop, and exited.
        assertEquals(143, status, launcher::describe);
        assertFalse(launcher.log().contains("Exception"), () -> "exception logged during the run or the stop\n" + launcher.describe());
    }

    HttpResponse<String> get(String path, String... headers) throws IOException, InterruptedException
    {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(30));
        if (headers.length > 0)
            request.headers(headers);
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    URI uri(String path)
    {
        return URI.create("http://127.0.0.1:" + httpPort + path);
    }

    @Test
    void testLogSaysWhichEnvironmentAndWhy()
    {
        String log = launcher.log();
        assertTrue(log.contains("Deploying " + FEATURES_WAR + " at / in " + expectedEnvironment() + ": " + expectedReason()), launcher::describe);
        assertTrue(log.contains("Deployed " + FEATURES_WAR + " at / in " + expectedEnvironment()), launcher::describe);
        assertTrue(log.contains("Deployed " + FEATURES_BASIC_WAR + " at /basic in " + expectedEnvironment()), launcher::describe);
        assertTrue(log.contains("http socket bound: 127.0.0.1:" + httpPort), launcher::describe);
    }

    @Test
    void testAnnotatedServlet() throws Exception
    {
        HttpResponse<String> response = get("/annotated");

        assertEquals(200, response.statusCode());
        assertEquals("annotated servlet, init-param origin=@WebServlet\n", response.body());
    }

    @Test
    void testServletContainerInitializer() throws Exception
    {
        HttpResponse<String> response = get("/sci");

        assertEquals(200, response.statusCode());
        assertEquals("registered by FeaturesInitializer\n", response.body());
    }

    @Test
    void testJspWithJstl() throws Exception
    {
        HttpResponse<String> response = get("/jstl.jsp");

        assertEquals(200, response.statusCode(), response::body);
        String body = response.body();
        assertTrue(body.contains("jsp: servlet API " + expectedServletApi() + "\n"), body);
        assertTrue(body.contains("forEach: item-1;item-2;item-3;\n"), body);
        assertTrue(body.contains("formatNumber: 1,234,567.89"), body);
    }

    @Test
    void testEnvEntryByLookupAndByInjection() throws Exception
    {
        HttpResponse<String> response = get("/jndi");

        assertEquals(200, response.statusCode());
        assertEquals("lookup=Hello from an env-entry\ninjected=Hello from an env-entry\n", response.body());
    }

    @Test
    void testJettyWebXml() throws Exception
    {
        HttpResponse<String> response = get("/jetty-web");

        assertEquals(200, response.statusCode());
        assertEquals("features.jettyWebXml=applied by WEB-INF/jetty-web.xml\n", response.body());
    }

    @Test
    void testBasicAuthentication() throws Exception
    {
        HttpResponse<String> anonymous = get("/basic/secure/page");
        assertEquals(401, anonymous.statusCode());
        assertEquals("Basic realm=\"features\"", anonymous.headers().firstValue("WWW-Authenticate").orElse(null));

        HttpResponse<String> wrongPassword = get("/basic/secure/page", "Authorization", basic("alice", "wrong"));
        assertEquals(401, wrongPassword.statusCode());

        HttpResponse<String> noRole = get("/basic/secure/page", "Authorization", basic("bob", "hunter2"));
        assertEquals(403, noRole.statusCode(), "bob is in the realm but not in role user");

        HttpResponse<String> alice = get("/basic/secure/page", "Authorization", basic("alice", "secret"));
        assertEquals(200, alice.statusCode());
        assertEquals("user=alice auth=BASIC inRole(user)=true\n", alice.body());
    }

    private static String basic(String user, String password)
    {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void testFormAuthentication() throws Exception
    {
        // The protected page sends the browser to the login page and remembers where it was going.
        HttpResponse<String> anonymous = get("/secure/page");
        assertEquals(302, anonymous.statusCode());
        String loginPage = anonymous.headers().firstValue("Location").orElseThrow();
        assertTrue(loginPage.contains("/login.html"), loginPage);
        HttpResponse<String> form = client.send(HttpRequest.newBuilder(uri("/secure/page").resolve(loginPage)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, form.statusCode());
        assertTrue(form.body().contains("action=\"j_security_check\""), form.body());

        HttpResponse<String> wrongPassword = postLogin("alice", "wrong");
        assertRedirect(wrongPassword);
        assertTrue(wrongPassword.headers().firstValue("Location").orElseThrow().contains("/login-error.html"), wrongPassword.headers().map()::toString);

        get("/secure/page");
        HttpResponse<String> login = postLogin("alice", "secret");
        assertRedirect(login);
        assertTrue(login.headers().firstValue("Location").orElseThrow().endsWith("/secure/page"), login.headers().map()::toString);

        HttpResponse<String> page = get("/secure/page");
        assertEquals(200, page.statusCode());
        assertEquals("user=alice auth=FORM inRole(user)=true\n", page.body());
    }

    /**
     * After a POST, Jetty redirects with 303 See Other to HTTP/1.1 clients (302 to HTTP/1.0 ones).
     */
    private static void assertRedirect(HttpResponse<String> response)
    {
        assertTrue(response.statusCode() == 302 || response.statusCode() == 303, () -> "expected a redirect, got " + response.statusCode() + " " + response.headers().map());
    }

    private HttpResponse<String> postLogin(String user, String password) throws IOException, InterruptedException
    {
        HttpRequest request = HttpRequest.newBuilder(uri("/j_security_check"))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString("j_username=" + user + "&j_password=" + password))
            .build();
        return client.send(request, HttpResponse.BodyHandlers.ofString());
    }
}

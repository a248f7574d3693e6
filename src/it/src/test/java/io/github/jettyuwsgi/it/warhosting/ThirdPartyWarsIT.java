package io.github.jettyuwsgi.it.warhosting;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.github.jettyuwsgi.it.Exchange;
import io.github.jettyuwsgi.it.ItSettings;
import io.github.jettyuwsgi.it.NginxLauncherRig;
import io.github.jettyuwsgi.it.NginxLauncherRig.Route;
import io.github.jettyuwsgi.it.RawHttpClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * <p>WARs we did not write, as published on Maven Central (Jetty's own ee10 demos, see docs/deployment.md), deployed
 * unchanged in one launcher behind a real nginx, each page, form, session and login compared with the same request
 * on the launcher's HTTP socket:</p>
 * <ul>
 * <li>{@code jetty-ee10-demo-jetty-webapp} at {@code /test}: a {@code jetty-web.xml} configuring an ee10 class, Jetty's
 * {@code QoSFilter}, FORM login against the realm "Test Realm", sessions; deployed through a context XML file, the
 * way a jetty-home user deploys it without the WebSocket module;</li>
 * <li>{@code jetty-ee10-demo-jsp-webapp} at {@code /jsp}: JSP, JSTL, tag files, an ee10 {@code jetty-web.xml};</li>
 * <li>{@code jetty-ee10-demo-simple-webapp} at {@code /simple}: a plain Servlet 6.0 WAR, in the default environment;</li>
 * <li>{@code jetty-ee10-demo-async-rest-webapp} at {@code /async}: an ee10 {@code jetty-web.xml} and its own Jetty
 * jars in {@code WEB-INF/lib} (its REST calls go to the internet, so only its pages are asked);</li>
 * <li>Jetty 9.4's {@code test-jetty-webapp} at {@code /legacy}: a {@code javax.servlet} WAR (ee8) with JSP, JSTL, tag
 * files, a session bean and a FORM login against the realm "Test Realm", deployed through a context XML file with the
 * settings a jetty-home 12 user gives it (its Jetty 9.4 {@code jetty-web.xml} left out, two Jetty 9.4 components
 * replaced in an override descriptor).</li>
 * </ul>
 * <p>Documented differences only: none besides the route's own port, which no page shows since every request names
 * the same Host, and {@code getLocalAddr()} over the Unix socket (docs/protocol.md), which the demo's TestFilter
 * reads: the context XML's override descriptor sets its "remote" parameter, as the demo's front page tells its
 * users. No answer carries a stack trace.</p>
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ThirdPartyWarsIT
{
    private static final int TIMEOUT_MILLIS = 60_000;
    private static final String HOST = "app.example";
    private static final List<Route> UWSGI_ROUTES = List.of(Route.NGINX_UWSGI_TCP, Route.NGINX_UWSGI_UNIX);
    private static final Pattern SESSION_ID = Pattern.compile("node0[0-9a-z]+(\\.node0)?");
    /**
     * The JSP demo's tag.jsp prints the time to the second: two fetches of it straddle a second (a CI run saw 21:16:26
     * against 21:16:27), so the comparison leaves its dates out.
     */
    private static final Pattern RENDERED_DATE = Pattern.compile("\\w{3}, \\d{2}[/-]\\w{3}[/-]\\d{4} \\d{2}:\\d{2}:\\d{2}");
    private static final Pattern SET_COOKIE_SESSION = Pattern.compile("JSESSIONID=([^;]+)");
    /** Pages whose answer is the same bytes on every route. */
    private static final List<String> PAGES = List.of(
        "/test/", "/test/hello", "/test/jetty.websocket/", "/test/auth/relax.txt", "/test/auth/file.txt", "/test/logon.html",
        "/jsp/", "/jsp/jstl.jsp", "/jsp/tag.jsp", "/jsp/tagfile.jsp", "/jsp/expr.jsp?A=1", "/jsp/bean1.jsp",
        "/simple/", "/simple/hello", "/simple/hello/x?y=1", "/async/", "/nowhere",
        "/legacy/", "/legacy/jsp/jstl.jsp", "/legacy/jsp/foo/", "/legacy/jsp/tagfile.jsp", "/legacy/jsp/expr.jsp?A=1",
        "/legacy/jsp/bean1.jsp", "/legacy/hello", "/legacy/logon.html", "/legacy/auth/relax.txt");

    private NginxLauncherRig rig;
    private final List<Exchange> everything = new ArrayList<>();

    @BeforeAll
    void start() throws IOException
    {
        ItSettings settings = ItSettings.fromSystemProperties();
        Path wars = settings.echoWar().getParent();
        Path webapps = Files.createDirectories(settings.workDir().resolve("third-party-wars/webapps"));
        Files.copy(wars.resolve("jetty-ee10-demo-jetty-webapp.war"), webapps.resolve("jetty-demo.war"), StandardCopyOption.REPLACE_EXISTING);
        copyResource("jetty-demo.xml", webapps);
        copyResource("jetty-demo-override-web.xml", webapps);
        Files.copy(wars.resolve("test-jetty-webapp.war"), webapps.resolve("legacy-demo.war"), StandardCopyOption.REPLACE_EXISTING);
        copyResource("legacy-demo.xml", webapps);
        copyResource("legacy-demo-override-web.xml", webapps);
        Path realm = Files.writeString(webapps.getParent().resolve("realm.properties"), "admin: admin,admin,user\nuser: password,user\n");
        rig = NginxLauncherRig.start(settings, "third-party-wars", launcher -> launcher
            .startTimeout(Duration.ofMinutes(3))
            .option("--mount", "/test=" + webapps.resolve("jetty-demo.xml"))
            .option("--mount", "/jsp=" + wars.resolve("jetty-ee10-demo-jsp-webapp.war"))
            .option("--mount", "/simple=" + wars.resolve("jetty-ee10-demo-simple-webapp.war"))
            .option("--mount", "/async=" + wars.resolve("jetty-ee10-demo-async-rest-webapp.war"))
            .option("--mount", "/legacy=" + webapps.resolve("legacy-demo.xml"))
            .option("--realm", "Test Realm=" + realm)
            .option("--jetty-module", "servlets")
            .option("--jetty-module", "jsp")
            .option("--jetty-module", "jstl")
            // Jetty's own worker name, so that session ids read as in jetty-home (node0...): SESSION_ID below
            .option("--session-worker", "node0"));
    }

    private static void copyResource(String name, Path directory) throws IOException
    {
        try (InputStream in = ThirdPartyWarsIT.class.getResourceAsStream("/warhosting/" + name))
        {
            assertNotNull(in, name);
            Files.copy(in, directory.resolve(name), StandardCopyOption.REPLACE_EXISTING);
        }
    }

    @AfterAll
    void stop()
    {
        try
        {
            for (Exchange exchange : everything)
            {
                String body = exchange.bodyText();
                assertFalse(body.contains("at org.") || body.contains("at java."), () -> exchange + ": a stack trace sent to the client\n" + body);
            }
        }
        finally
        {
            if (rig != null)
                rig.close();
        }
    }

    @Test
    void everyWarStartedInTheEnvironmentItWasBuiltFor()
    {
        String log = rig.launcher().readLog();
        assertTrue(log.contains("Deploying jetty-demo.xml at /test in ee10: jetty-demo.xml configures org.eclipse.jetty.ee10.webapp.WebAppContext"), log);
        assertTrue(log.contains("Deploying jetty-ee10-demo-jsp-webapp.war at /jsp in ee10: WEB-INF/jetty-web.xml configures org.eclipse.jetty.ee10.webapp.WebAppContext"), log);
        assertTrue(log.contains("Deploying jetty-ee10-demo-async-rest-webapp.war at /async in ee10"), log);
        assertTrue(log.contains("Deploying jetty-ee10-demo-simple-webapp.war at /simple in ee11"), log);
        assertTrue(log.contains("Deploying legacy-demo.xml at /legacy in ee8: legacy-demo.xml configures org.eclipse.jetty.ee8.webapp.WebAppContext"), log);
        assertFalse(log.contains("did not start"), log);
    }

    @Test
    void pagesAreTheSameBehindNginx() throws IOException
    {
        for (String page : PAGES)
        {
            Exchange overHttp = send(Route.LAUNCHER_HTTP, "GET", page, List.of(), null);
            assertTrue(overHttp.status() < 500, () -> page + " -> " + overHttp.status() + "\n" + overHttp.abbreviated());
            for (Route route : UWSGI_ROUTES)
            {
                Exchange overUwsgi = send(route, "GET", page, List.of(), null);
                assertSame(page, overHttp, overUwsgi);
            }
        }
    }

    @Test
    void qosFilterAndContextXmlAreAtWork() throws IOException
    {
        for (Route route : List.of(Route.LAUNCHER_HTTP, Route.NGINX_UWSGI_TCP))
        {
            // Jetty's QoSFilter (jetty-ee10-servlets) marks every request of /test with an attribute the dump lists
            Exchange dump = send(route, "GET", "/test/dump/info?x=1", List.of(), null);
            assertEquals(200, dump.status(), dump::abbreviated);
            assertTrue(dump.bodyText().contains("QoSFilter@"), dump::abbreviated);
            // the context XML's override descriptor serves the WebSocket path with the demo's HelloWorld
            Exchange hello = send(route, "GET", "/test/jetty.websocket/", List.of(), null);
            assertEquals(200, hello.status(), hello::abbreviated);
            assertTrue(hello.bodyText().contains("Hello World"), hello::abbreviated);
        }
    }

    @Test
    void formPostIsTheSame() throws IOException
    {
        byte[] form = "name=J%C3%BCrgen&list=1&list=2".getBytes(StandardCharsets.US_ASCII);
        List<String[]> headers = List.<String[]>of(new String[]{"Content-Type", "application/x-www-form-urlencoded"});
        for (Route route : List.of(Route.LAUNCHER_HTTP, Route.NGINX_UWSGI_TCP, Route.NGINX_UWSGI_UNIX))
        {
            Exchange posted = send(route, "POST", "/test/dump/info", headers, form);
            assertEquals(200, posted.status(), () -> route + "\n" + posted.abbreviated());
            assertTrue(posted.bodyText().contains("Jürgen"), () -> route + "\n" + posted.abbreviated());
        }
    }

    @Test
    void sessionIsKeptBehindNginx() throws IOException
    {
        for (Route route : List.of(Route.LAUNCHER_HTTP, Route.NGINX_UWSGI_TCP, Route.NGINX_UWSGI_UNIX))
        {
            Exchange first = send(route, "GET", "/test/session/?Action=New%20Session", List.of(), null);
            assertEquals(200, first.status(), first::abbreviated);
            String session = sessionCookie(first);
            assertNotNull(session, () -> route + ": no session cookie " + first.headers());
            Exchange second = send(route, "GET", "/test/session/", List.<String[]>of(new String[]{"Cookie", "JSESSIONID=" + session}), null);
            assertEquals(200, second.status(), second::abbreviated);
            assertEquals(null, sessionCookie(second), () -> route + ": a new session instead of " + session);
            assertTrue(second.bodyText().contains(session.replaceAll("\\.node0$", "")), () -> route + "\n" + second.abbreviated());
        }
    }

    /**
     * FORM login as a browser does it: the protected page redirects to the login page, the form posts to
     * j_security_check, which redirects back, and the page is then served; every status and Location as over HTTP.
     */
    @Test
    void formLoginAsOverHttp() throws IOException
    {
        assertLoginAsOverHttp("/test", List.of("302 /test/logon.html;jsessionid=S?param=test", "303 /test/auth2/", "200 null"));
    }

    /**
     * The same in the Jetty 9.4 WAR running in ee8, whose protected page is a static one behind Jetty's FORM login;
     * ee8 redirects to absolute URLs, made of the Host as the client sent it.
     */
    @Test
    void formLoginInTheLegacyWarAsOverHttp() throws IOException
    {
        assertLoginAsOverHttp("/legacy", List.of("303 /legacy/logon.html;jsessionid=S?param=test", "303 http://app.example/legacy/auth2/", "200 null"));
    }

    private void assertLoginAsOverHttp(String context, List<String> expected) throws IOException
    {
        List<String> overHttp = login(Route.LAUNCHER_HTTP, context, "admin", "admin");
        for (Route route : UWSGI_ROUTES)
            assertEquals(overHttp, login(route, context, "admin", "admin"), route::toString);
        assertEquals(expected, overHttp);
        List<String> refused = login(Route.NGINX_UWSGI_TCP, context, "admin", "wrong");
        assertEquals(login(Route.LAUNCHER_HTTP, context, "admin", "wrong"), refused);
        assertFalse(refused.get(2).startsWith("200"), refused::toString);
    }

    /** A JSP session bean (JSP's {@code jsp:useBean scope='session'}) counts the requests of one session on every route. */
    @Test
    void jspSessionBeanCountsBehindNginx() throws IOException
    {
        for (Route route : List.of(Route.LAUNCHER_HTTP, Route.NGINX_UWSGI_TCP, Route.NGINX_UWSGI_UNIX))
        {
            Exchange first = send(route, "GET", "/legacy/jsp/bean1.jsp", List.of(), null);
            String session = sessionCookie(first);
            assertNotNull(session, () -> route + ": no session cookie " + first.headers());
            List<String[]> cookie = List.<String[]>of(new String[]{"Cookie", "JSESSIONID=" + session});
            send(route, "GET", "/legacy/jsp/bean1.jsp", cookie, null);
            Exchange third = send(route, "GET", "/legacy/jsp/bean2.jsp", cookie, null);
            assertEquals(200, third.status(), third::abbreviated);
            assertTrue(third.bodyText().contains("Counter accessed 3 times"), () -> route + "\n" + third.abbreviated());
            assertTrue(third.bodyText().contains("/legacy/jsp/bean1.jsp"), () -> route + "\n" + third.abbreviated());
        }
    }

    private List<String> login(Route route, String context, String user, String password) throws IOException
    {
        List<String> steps = new ArrayList<>();
        Exchange protectedPage = send(route, "GET", context + "/auth2/", List.of(), null);
        steps.add(step(protectedPage));
        String session = sessionCookie(protectedPage);
        assertNotNull(session, () -> route + ": no session cookie at the login redirect " + protectedPage.headers());
        List<String[]> cookie = List.<String[]>of(new String[]{"Cookie", "JSESSIONID=" + session});
        List<String[]> form = List.of(new String[]{"Cookie", "JSESSIONID=" + session}, new String[]{"Content-Type", "application/x-www-form-urlencoded"});
        Exchange check = send(route, "POST", context + "/j_security_check", form,
            ("j_username=" + user + "&j_password=" + password).getBytes(StandardCharsets.US_ASCII));
        steps.add(step(check));
        String after = sessionCookie(check);
        List<String[]> loggedIn = after == null ? cookie : List.<String[]>of(new String[]{"Cookie", "JSESSIONID=" + after});
        steps.add(step(send(route, "GET", context + "/auth2/", loggedIn, null)));
        return steps;
    }

    private static String step(Exchange exchange)
    {
        List<String> location = exchange.headers().get("location");
        return exchange.status() + " " + (location == null ? null : SESSION_ID.matcher(location.get(0)).replaceAll("S"));
    }

    private static String sessionCookie(Exchange exchange)
    {
        for (String cookie : exchange.headers().getOrDefault("set-cookie", List.of()))
        {
            Matcher matcher = SET_COOKIE_SESSION.matcher(cookie);
            if (matcher.find())
                return matcher.group(1);
        }
        return null;
    }

    private static void assertSame(String page, Exchange overHttp, Exchange overUwsgi)
    {
        assertEquals(overHttp.status(), overUwsgi.status(), () -> page + " over " + overUwsgi.route() + "\n" + overUwsgi.abbreviated());
        assertEquals(overHttp.headers().get("content-type"), overUwsgi.headers().get("content-type"), () -> page + " over " + overUwsgi.route());
        assertEquals(overHttp.headers().get("location"), overUwsgi.headers().get("location"), () -> page + " over " + overUwsgi.route());
        assertEquals(normalized(overHttp), normalized(overUwsgi), () -> page + " over " + overUwsgi.route());
    }

    private static String normalized(Exchange exchange)
    {
        return RENDERED_DATE.matcher(SESSION_ID.matcher(exchange.bodyText()).replaceAll("S")).replaceAll("DATE");
    }

    private Exchange send(Route route, String method, String target, List<String[]> headers, byte[] body)
    {
        List<String[]> all = new ArrayList<>();
        all.add(new String[]{"Host", HOST});
        all.addAll(headers);
        try
        {
            Exchange exchange = RawHttpClient.send(route, rig.port(route), method, target, all, body, TIMEOUT_MILLIS);
            everything.add(exchange);
            return exchange;
        }
        catch (IOException x)
        {
            throw new UncheckedIOException(route + " " + method + " " + target + "\n" + rig.describeLogs(), x);
        }
    }
}

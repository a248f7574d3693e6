package io.github.jettyuwsgi.launcher.dist;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A Jetty context XML file deployed by the real launcher as jetty-home deploys {@code webapps/shop.xml}: every setting
 * of the file is seen by the WAR (an attribute, an init parameter, {@code extraClasspath}, {@code tempDirectory}, a
 * security handler with the file's own login service, which needs no {@code --realm}), each by a test that fails
 * without it; and a server-wide default of a context attribute given as a system property on the launcher's
 * {@code java -jar} command line ({@code -Dorg.eclipse.jetty.server.webapp.WebInfIncludeJarPattern}) changes what
 * Jetty scans, as it does in jetty-home. The WAR is written here, exploded, with JSPs that print what they see.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ContextXmlIT
{
    private static final String REPORT_JSP = """
        <%@ page contentType="text/plain; charset=UTF-8" trimDirectiveWhitespaces="true" %>
        attribute=<%= application.getAttribute("shop.attribute") %>
        init=<%= application.getInitParameter("shop.mode") %>
        extra=<%= Thread.currentThread().getContextClassLoader().getResource("shop-extra.properties") != null %>
        tempdir=<%= application.getAttribute("jakarta.servlet.context.tempdir") %>
        user=<%= request.getRemoteUser() %>
        """;
    private static final String WEB_XML = """
        <?xml version="1.0" encoding="UTF-8"?>
        <web-app xmlns="https://jakarta.ee/xml/ns/jakartaee" version="6.0">
          <security-constraint>
            <web-resource-collection><web-resource-name>private</web-resource-name><url-pattern>/private/*</url-pattern></web-resource-collection>
            <auth-constraint><role-name>buyer</role-name></auth-constraint>
          </security-constraint>
          <login-config><auth-method>BASIC</auth-method><realm-name>Shop Realm</realm-name></login-config>
          <security-role><role-name>buyer</role-name></security-role>
        </web-app>
        """;
    private static final String SHOP_XML = """
        <?xml version="1.0" encoding="UTF-8"?>
        <!DOCTYPE Configure PUBLIC "-//Jetty//Configure//EN" "https://jetty.org/configure_10_0.dtd">
        <Configure id="shop" class="org.eclipse.jetty.ee11.webapp.WebAppContext">
          <Set name="contextPath">/shop</Set>
          <Set name="war"><Property name="jetty.webapps"/>/shop</Set>
          <Set name="extraClasspath"><Property name="jetty.webapps"/>/shop-extra/</Set>
          <Set name="tempDirectory"><Property name="jetty.webapps"/>/shop-tmp</Set>
          <Call name="setAttribute"><Arg>shop.attribute</Arg><Arg>from shop.xml</Arg></Call>
          <Call name="setInitParameter"><Arg>shop.mode</Arg><Arg>production</Arg></Call>
          <Call id="shopUsers" name="newResource"><Arg><Property name="jetty.webapps"/>/shop-realm.properties</Arg></Call>
          <Get name="securityHandler">
            <Set name="loginService">
              <New class="org.eclipse.jetty.security.HashLoginService">
                <Arg>Shop Realm</Arg>
                <Arg><Ref refid="shopUsers"/></Arg>
              </New>
            </Set>
          </Get>
        </Configure>
        """;
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private LauncherRun withDefaults;
    private LauncherRun withIncludeJarPattern;
    private Path webapps;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();

    @BeforeAll
    void start(@TempDir Path work) throws IOException
    {
        webapps = Files.createDirectories(work.resolve("base/webapps"));
        Path shop = webapps.resolve("shop");
        Files.createDirectories(shop.resolve("WEB-INF/lib"));
        Files.createDirectories(shop.resolve("private"));
        Files.writeString(shop.resolve("WEB-INF/web.xml"), WEB_XML);
        Files.writeString(shop.resolve("report.jsp"), REPORT_JSP);
        Files.writeString(shop.resolve("private/report.jsp"), REPORT_JSP);
        // a jar whose META-INF/resources Jetty serves only if it scans the jar (WebInfIncludeJarPattern)
        try (OutputStream file = Files.newOutputStream(shop.resolve("WEB-INF/lib/shop-assets.jar"));
             JarOutputStream jar = new JarOutputStream(file))
        {
            jar.putNextEntry(new JarEntry("META-INF/resources/from-jar.txt"));
            jar.write("from a WEB-INF/lib jar\n".getBytes(StandardCharsets.UTF_8));
            jar.closeEntry();
        }
        Files.createDirectories(webapps.resolve("shop-extra"));
        Files.writeString(webapps.resolve("shop-extra/shop-extra.properties"), "extra=1\n");
        Files.createDirectories(webapps.resolve("shop-tmp"));
        Files.writeString(webapps.resolve("shop-realm.properties"), "ann: secret,buyer\n");
        Files.writeString(webapps.resolve("shop.xml"), SHOP_XML);

        // no --realm: the context XML's login service answers the WAR's "Shop Realm"
        withDefaults = LauncherRun.start(work.resolve("defaults"), "--http-socket", "127.0.0.1:0", "--war", webapps.resolve("shop.xml").toString());
        withIncludeJarPattern = LauncherRun.launch()
            .javaOptions(List.of("-Dorg.eclipse.jetty.server.webapp.WebInfIncludeJarPattern=.*/none-[^/]*\\.jar$"))
            .start(work.resolve("include-jar-pattern"), "--http-socket", "127.0.0.1:0", "--war", webapps.resolve("shop.xml").toString());
    }

    @AfterAll
    void stop()
    {
        if (withDefaults != null)
            withDefaults.close();
        if (withIncludeJarPattern != null)
            withIncludeJarPattern.close();
    }

    @Test
    void deployedAtTheContextPathOfTheFile()
    {
        assertTrue(withDefaults.log().contains("Deploying shop.xml at /shop in ee11: shop.xml configures org.eclipse.jetty.ee11.webapp.WebAppContext"), withDefaults::describe);
    }

    @Test
    void attributeOfTheFile() throws Exception
    {
        assertTrue(report(withDefaults, "/shop/report.jsp", null).contains("attribute=from shop.xml\n"));
    }

    @Test
    void initParameterOfTheFile() throws Exception
    {
        assertTrue(report(withDefaults, "/shop/report.jsp", null).contains("init=production\n"));
    }

    @Test
    void extraClasspathOfTheFile() throws Exception
    {
        assertTrue(report(withDefaults, "/shop/report.jsp", null).contains("extra=true\n"));
    }

    @Test
    void tempDirectoryOfTheFile() throws Exception
    {
        assertTrue(report(withDefaults, "/shop/report.jsp", null).contains("tempdir=" + webapps.resolve("shop-tmp") + "\n"));
        // Jasper compiles the JSPs into the context's temp directory
        try (var files = Files.walk(webapps.resolve("shop-tmp")))
        {
            assertTrue(files.anyMatch(path -> path.getFileName().toString().startsWith("report_jsp")), "no compiled JSP in shop-tmp");
        }
    }

    @Test
    void loginServiceOfTheFile() throws Exception
    {
        assertEquals(401, get(withDefaults, "/shop/private/report.jsp", null).statusCode());
        assertEquals(401, get(withDefaults, "/shop/private/report.jsp", "ann:wrong").statusCode());
        String report = report(withDefaults, "/shop/private/report.jsp", "ann:secret");
        assertTrue(report.contains("user=ann"), report);
    }

    /** Without the system property Jetty scans every WEB-INF/lib jar; with it, only those the pattern matches. */
    @Test
    void webInfIncludeJarPatternFromTheCommandLine() throws Exception
    {
        HttpResponse<String> scanned = get(withDefaults, "/shop/from-jar.txt", null);
        assertEquals(200, scanned.statusCode(), scanned::body);
        assertEquals("from a WEB-INF/lib jar\n", scanned.body());
        HttpResponse<String> notScanned = get(withIncludeJarPattern, "/shop/from-jar.txt", null);
        assertEquals(404, notScanned.statusCode(), notScanned::body);
        // the rest of the file applies as before
        assertTrue(report(withIncludeJarPattern, "/shop/report.jsp", null).contains("attribute=from shop.xml\n"));
    }

    private String report(LauncherRun launcher, String path, String credentials) throws Exception
    {
        HttpResponse<String> response = get(launcher, path, credentials);
        assertEquals(200, response.statusCode(), response::body);
        return response.body();
    }

    private HttpResponse<String> get(LauncherRun launcher, String path, String credentials) throws Exception
    {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + launcher.boundPort("http") + path)).timeout(TIMEOUT);
        if (credentials != null)
            request.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)));
        HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        assertFalse(response.body().contains("at org.") || response.body().contains("at java."), response::body);
        return response;
    }
}

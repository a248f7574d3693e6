package io.github.jettyuwsgi.launcher.dist;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpTester;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The launcher as it is meant to run: every WAR in the environment it detects (features-war in ee11, legacy-war in
 * ee8, side by side in one JVM), served over uwsgi TCP and Unix sockets as well as HTTP. Inherits every features-war
 * check; adds the legacy WAR and one hand-written uwsgi request per socket kind.
 */
class DetectedEnvironmentsIT extends FeaturesWarChecks
{
    private Path unixSocket()
    {
        return work.resolve("uwsgi.sock");
    }

    @Override
    List<String> moreOptions()
    {
        return List.of(
            "--socket", "127.0.0.1:0",
            "--socket", unixSocket().toString(),
            "--chmod-socket", "660",
            "--mount", "/legacy=" + LauncherRun.war(LEGACY_WAR));
    }

    @Override
    String expectedEnvironment()
    {
        return "ee11";
    }

    @Override
    String expectedReason()
    {
        return "WEB-INF/web.xml version 6.0 is jakarta.servlet: the default environment";
    }

    @Override
    String expectedServletApi()
    {
        return "6.1";
    }

    @Test
    void testLegacyWarDetectedAsEe8()
    {
        String log = launcher.log();
        assertTrue(log.contains("Deploying " + LEGACY_WAR + " at /legacy in ee8: WEB-INF/web.xml version 4.0 is javax.servlet (namespace http://xmlns.jcp.org/xml/ns/javaee)"), launcher::describe);
        assertTrue(log.contains("Deployed " + LEGACY_WAR + " at /legacy in ee8"), launcher::describe);
    }

    @Test
    void testLegacyServletAndJsp() throws Exception
    {
        var servlet = get("/legacy/hello");
        assertEquals(200, servlet.statusCode());
        assertEquals("legacy javax servlet: servlet API 4.0, class javax.servlet.http.HttpServlet\n", servlet.body());

        var jsp = get("/legacy/hello.jsp");
        assertEquals(200, jsp.statusCode(), jsp::body);
        assertTrue(jsp.body().contains("legacy jsp: servlet API 4.0\n"), jsp.body());
        assertTrue(jsp.body().contains("forEach: item-1;item-2;item-3;"), jsp.body());
    }

    @Test
    void testOneLogLinePerSocket()
    {
        String log = launcher.log();
        assertTrue(log.contains("uwsgi socket bound: 127.0.0.1:" + launcher.boundPort("uwsgi") + "\n"), launcher::describe);
        assertTrue(log.contains("uwsgi socket bound: " + unixSocket() + " (mode 660)\n"), launcher::describe);
        assertEquals(3, log.lines().filter(line -> line.contains(" socket bound: ")).count(), launcher::describe);
    }

    @Test
    void testUwsgiOverTcp() throws Exception
    {
        HttpTester.Response response = UwsgiPacket.get("/jstl.jsp").sendTo(launcher.boundPort("uwsgi"));

        assertEquals(200, response.getStatus(), response::toString);
        assertTrue(response.getContent().contains("jsp: servlet API 6.1\n"), response::getContent);
        assertTrue(response.getContent().contains("forEach: item-1;item-2;item-3;\n"), response::getContent);
        // nginx cannot read a chunked uwsgi response: the length is known or the connection close ends the body.
        assertFalse(response.contains(HttpHeader.TRANSFER_ENCODING), response::toString);
    }

    @Test
    void testUwsgiOverUnixSocket() throws Exception
    {
        assertEquals("rw-rw----", PosixFilePermissions.toString(Files.getPosixFilePermissions(unixSocket())), "--chmod-socket 660");

        HttpTester.Response response = UwsgiPacket.get("/legacy/hello?from=unix").sendTo(unixSocket());

        assertEquals(200, response.getStatus(), response::toString);
        assertEquals("legacy javax servlet: servlet API 4.0, class javax.servlet.http.HttpServlet\n", response.getContent());
        assertNotNull(response.get(HttpHeader.CONTENT_LENGTH), response::toString);
    }
}

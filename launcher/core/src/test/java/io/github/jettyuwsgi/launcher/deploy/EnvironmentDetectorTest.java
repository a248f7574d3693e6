package io.github.jettyuwsgi.launcher.deploy;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

public class EnvironmentDetectorTest
{
    private static final String DTD_23 = """
        <?xml version="1.0"?>
        <!DOCTYPE web-app PUBLIC "-//Sun Microsystems, Inc.//DTD Web Application 2.3//EN" "http://java.sun.com/dtd/web-app_2_3.dtd">
        <web-app><display-name>old</display-name></web-app>
        """;

    @TempDir
    Path dir;

    private static String webXml(String namespace, String version)
    {
        return "<?xml version=\"1.0\"?>\n<web-app xmlns=\"" + namespace + "\" version=\"" + version + "\"><display-name>x</display-name></web-app>\n";
    }

    /**
     * The bytes of a class file only as far as the detector reads them: the constant pool names the types a class uses.
     */
    private static byte[] classReferencing(String internalName)
    {
        return ("\u00ca\u00fe\u00ba\u00be....." + internalName + "....").getBytes(StandardCharsets.ISO_8859_1);
    }

    private Path war(String name, Map<String, byte[]> entries) throws IOException
    {
        Path war = dir.resolve(name);
        try (OutputStream file = Files.newOutputStream(war); ZipOutputStream zip = new ZipOutputStream(file))
        {
            for (Map.Entry<String, byte[]> entry : entries.entrySet())
            {
                zip.putNextEntry(new ZipEntry(entry.getKey()));
                zip.write(entry.getValue());
                zip.closeEntry();
            }
        }
        return war;
    }

    private Path exploded(String name, Map<String, byte[]> entries) throws IOException
    {
        Path root = dir.resolve(name);
        for (Map.Entry<String, byte[]> entry : entries.entrySet())
        {
            Path file = root.resolve(entry.getKey());
            Files.createDirectories(file.getParent());
            Files.write(file, entry.getValue());
        }
        Files.createDirectories(root);
        return root;
    }

    private static Map<String, byte[]> webXmlEntry(String xml)
    {
        return Map.of("WEB-INF/web.xml", xml.getBytes(StandardCharsets.UTF_8));
    }

    public static Stream<Arguments> descriptors()
    {
        return Stream.of(
            Arguments.of(DTD_23, "ee8", "WEB-INF/web.xml has no namespace (a DTD-era javax.servlet descriptor)"),
            Arguments.of(webXml("http://java.sun.com/xml/ns/j2ee", "2.4"), "ee8", "WEB-INF/web.xml version 2.4 is javax.servlet (namespace http://java.sun.com/xml/ns/j2ee)"),
            Arguments.of(webXml("http://java.sun.com/xml/ns/javaee", "3.0"), "ee8", "WEB-INF/web.xml version 3.0 is javax.servlet (namespace http://java.sun.com/xml/ns/javaee)"),
            Arguments.of(webXml("http://xmlns.jcp.org/xml/ns/javaee", "4.0"), "ee8", "WEB-INF/web.xml version 4.0 is javax.servlet (namespace http://xmlns.jcp.org/xml/ns/javaee)"),
            Arguments.of(webXml("https://jakarta.ee/xml/ns/jakartaee", "4.0"), "ee8", "WEB-INF/web.xml version 4.0 is below Servlet 5, so javax.servlet"),
            Arguments.of(webXml("https://jakarta.ee/xml/ns/jakartaee", "5.0"), "ee11", "WEB-INF/web.xml version 5.0 is jakarta.servlet: the default environment"),
            Arguments.of(webXml("https://jakarta.ee/xml/ns/jakartaee", "6.0"), "ee11", "WEB-INF/web.xml version 6.0 is jakarta.servlet: the default environment"),
            Arguments.of(webXml("https://jakarta.ee/xml/ns/jakartaee", "6.1"), "ee11", "WEB-INF/web.xml version 6.1 is Servlet 6.1"),
            Arguments.of("<web-app xmlns=\"https://jakarta.ee/xml/ns/jakartaee\"/>", "ee11", "WEB-INF/web.xml is jakarta.servlet: the default environment"),
            Arguments.of(webXml("urn:example", "6.0"), "ee11", "WEB-INF/web.xml version 6.0 has an unknown namespace urn:example: the default environment"));
    }

    @ParameterizedTest
    @MethodSource("descriptors")
    public void testEnvironmentFromWebXml(String xml, String environment, String reason) throws IOException
    {
        Path war = war("app.war", webXmlEntry(xml));

        assertEquals(new EnvironmentDetector.Choice(environment, reason), EnvironmentDetector.choose(war, null));
    }

    @Test
    public void testForcedEnvironmentWins() throws IOException
    {
        Path war = war("app.war", webXmlEntry(webXml("http://xmlns.jcp.org/xml/ns/javaee", "4.0")));

        assertEquals(new EnvironmentDetector.Choice("ee10", "forced by --environment"), EnvironmentDetector.choose(war, "ee10"));
    }

    @Test
    public void testWithoutWebXmlJavaxClassMeansEe8() throws IOException
    {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("index.html", "<p>hi</p>".getBytes(StandardCharsets.UTF_8));
        entries.put("WEB-INF/classes/app/Plain.class", classReferencing("java/lang/Object"));
        entries.put("WEB-INF/classes/app/OldServlet.class", classReferencing("javax/servlet/http/HttpServlet"));
        Path war = war("app.war", entries);

        assertEquals(new EnvironmentDetector.Choice("ee8", "no WEB-INF/web.xml, and WEB-INF/classes/app/OldServlet.class references javax.servlet"),
            EnvironmentDetector.choose(war, null));
    }

    @Test
    public void testWithoutWebXmlJakartaClassMeansDefault() throws IOException
    {
        Path war = war("app.war", Map.of("WEB-INF/classes/app/NewServlet.class", classReferencing("jakarta/servlet/http/HttpServlet")));

        assertEquals(new EnvironmentDetector.Choice("ee11", "no WEB-INF/web.xml and no class referencing javax.servlet: the default environment"),
            EnvironmentDetector.choose(war, null));
    }

    @Test
    public void testJavaxOutsideWebInfClassesIsIgnored() throws IOException
    {
        // A library in WEB-INF/lib may support both namespaces; only the application's own classes decide.
        Path war = war("app.war", Map.of("WEB-INF/lib/both.jar", classReferencing("javax/servlet/Filter")));

        assertEquals("ee11", EnvironmentDetector.choose(war, null).environment());
    }

    @Test
    public void testExplodedWar() throws IOException
    {
        Path javaxApp = exploded("javax-app", Map.of("WEB-INF/classes/app/OldServlet.class", classReferencing("javax/servlet/Servlet")));
        Path modernApp = exploded("modern-app", webXmlEntry(webXml("https://jakarta.ee/xml/ns/jakartaee", "6.1")));
        Path emptyApp = exploded("empty-app", Map.of());

        assertEquals(new EnvironmentDetector.Choice("ee8", "no WEB-INF/web.xml, and WEB-INF/classes/app/OldServlet.class references javax.servlet"),
            EnvironmentDetector.choose(javaxApp, null));
        assertEquals("ee11", EnvironmentDetector.choose(modernApp, null).environment());
        assertEquals("ee11", EnvironmentDetector.choose(emptyApp, null).environment());
    }

    @Test
    public void testMalformedWebXmlIsReported() throws IOException
    {
        Path war = war("app.war", webXmlEntry("<web-app><servlet></web-app>"));

        IllegalArgumentException failure = assertThrows(IllegalArgumentException.class, () -> EnvironmentDetector.choose(war, null));
        assertTrue(failure.getMessage().startsWith("WEB-INF/web.xml is not well-formed XML: "), failure.getMessage());
    }

    @Test
    public void testNotAZipIsReported() throws IOException
    {
        Path war = Files.writeString(dir.resolve("text.war"), "not a zip");

        RuntimeException failure = assertThrows(RuntimeException.class, () -> EnvironmentDetector.choose(war, null));
        assertTrue(failure.getMessage().contains("text.war"), failure.getMessage());
    }

    @Test
    public void testWebXmlLoginConfig() throws IOException
    {
        String xml = """
            <web-app xmlns="https://jakarta.ee/xml/ns/jakartaee" version="6.0">
              <security-constraint><display-name>realm-name outside login-config is not the realm</display-name></security-constraint>
              <login-config>
                <auth-method>FORM</auth-method>
                <realm-name> shop </realm-name>
              </login-config>
            </web-app>
            """;
        Path war = war("app.war", webXmlEntry(xml));

        WebXml webXml = WebXml.read(war).orElseThrow();
        assertEquals(WebXml.JAKARTA_NAMESPACE, webXml.namespace());
        assertEquals("6.0", webXml.version());
        assertEquals("FORM", webXml.authMethod());
        assertEquals("shop", webXml.realmName());
        assertTrue(webXml.hasLoginConfig());
        assertEquals(6, webXml.majorVersion());
        assertFalse(webXml.isServlet61OrLater());
    }

    @Test
    public void testWebXmlWithoutLoginConfig() throws IOException
    {
        WebXml webXml = WebXml.read(war("app.war", webXmlEntry(DTD_23))).orElseThrow();

        assertEquals("", webXml.namespace());
        assertNull(webXml.version());
        assertEquals(-1, webXml.majorVersion());
        assertFalse(webXml.hasLoginConfig());
        assertEquals(Optional.empty(), WebXml.read(war("empty.war", Map.of("index.html", new byte[0]))));
    }
}

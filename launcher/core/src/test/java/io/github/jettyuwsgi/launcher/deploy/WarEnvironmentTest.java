package io.github.jettyuwsgi.launcher.deploy;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import io.github.jettyuwsgi.launcher.webapps.ContextXml;
import io.github.jettyuwsgi.launcher.webapps.MountEnvironments;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

public class WarEnvironmentTest
{
    private static final String JAKARTA_WEB_XML = "<web-app xmlns=\"https://jakarta.ee/xml/ns/jakartaee\" version=\"6.0\"/>";
    private static final String JAVAX_WEB_XML = "<web-app xmlns=\"http://xmlns.jcp.org/xml/ns/javaee\" version=\"4.0\"/>";
    private static final String EE10_JETTY_WEB_XML = """
        <?xml version="1.0" encoding="UTF-8"?>
        <!DOCTYPE Configure PUBLIC "-//Jetty//Configure//EN" "https://eclipse.dev/jetty/configure_10_0.dtd">
        <!-- a comment naming <Configure class="org.eclipse.jetty.ee8.webapp.WebAppContext"> is no configuration -->
        <Configure class="org.eclipse.jetty.ee10.webapp.WebAppContext">
          <Set name="parentLoaderPriority">true</Set>
        </Configure>
        """;

    @TempDir
    Path work;

    private Path war(String name, Map<String, String> entries) throws IOException
    {
        Path war = work.resolve(name);
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(war)))
        {
            for (Map.Entry<String, String> entry : entries.entrySet())
            {
                zip.putNextEntry(new ZipEntry(entry.getKey()));
                zip.write(entry.getValue().getBytes(StandardCharsets.UTF_8));
                zip.closeEntry();
            }
        }
        return war;
    }

    private static EnvironmentDetector.Choice choose(Path war, String mount, String forced, ContextXml xml)
    {
        Optional<WebXml> webXml = war == null ? Optional.empty() : WebXml.read(war);
        return WarEnvironment.choose(war, webXml, mount, forced, xml);
    }

    @Test
    public void jettyWebXmlOfAnEnvironmentPicksIt() throws IOException
    {
        Path war = war("ee10.war", Map.of("WEB-INF/web.xml", JAKARTA_WEB_XML, "WEB-INF/jetty-web.xml", EE10_JETTY_WEB_XML));
        EnvironmentDetector.Choice choice = choose(war, null, null, null);
        assertEquals("ee10", choice.environment());
        assertEquals("WEB-INF/jetty-web.xml configures org.eclipse.jetty.ee10.webapp.WebAppContext", choice.reason());
    }

    @Test
    public void jettyEeNWebXmlNamesItsEnvironment() throws IOException
    {
        Path war = war("ee8.war", Map.of("WEB-INF/web.xml", JAKARTA_WEB_XML, "WEB-INF/jetty-ee8-web.xml", "<Configure/>",
            "WEB-INF/jetty-web.xml", EE10_JETTY_WEB_XML));
        assertEquals(new EnvironmentDetector.Choice("ee8", "WEB-INF/jetty-ee8-web.xml is for ee8"), choose(war, null, null, null));
    }

    @Test
    public void withoutJettyDescriptorTheWebXmlDecides() throws IOException
    {
        assertEquals("ee8", choose(war("javax.war", Map.of("WEB-INF/web.xml", JAVAX_WEB_XML)), null, null, null).environment());
        assertEquals(EnvironmentDetector.DEFAULT_ENVIRONMENT, choose(war("jakarta.war", Map.of("WEB-INF/web.xml", JAKARTA_WEB_XML)), null, null, null).environment());
        // a jetty-web.xml of an older Jetty names no environment the launcher has
        Path old = war("old.war", Map.of("WEB-INF/web.xml", JAVAX_WEB_XML, "WEB-INF/jetty-web.xml", "<Configure class=\"org.eclipse.jetty.webapp.WebAppContext\"/>"));
        assertEquals("ee8", choose(old, null, null, null).environment());
    }

    @Test
    public void mountEnvironmentWinsOverEverything() throws IOException
    {
        Path war = war("ee10.war", Map.of("WEB-INF/web.xml", JAKARTA_WEB_XML, "WEB-INF/jetty-web.xml", EE10_JETTY_WEB_XML));
        assertEquals(new EnvironmentDetector.Choice("ee11", "given by --mount-environment"), choose(war, "ee11", "ee8", null));
        assertEquals(new EnvironmentDetector.Choice("ee8", "forced by --environment"), choose(war, null, "ee8", null));
    }

    @Test
    public void contextXmlClassPicksTheEnvironment() throws IOException
    {
        Path war = war("app.war", Map.of("WEB-INF/web.xml", JAKARTA_WEB_XML));
        Path xml = Files.writeString(work.resolve("app.xml"), """
            <Configure class="org.eclipse.jetty.ee10.webapp.WebAppContext">
              <Set name="war"><Property name="jetty.webapps" default="."/>/app.war</Set>
            </Configure>
            """);
        ContextXml contextXml = ContextXml.read(xml);
        assertEquals(war, contextXml.war());
        assertEquals(new EnvironmentDetector.Choice("ee10", "app.xml configures org.eclipse.jetty.ee10.webapp.WebAppContext"), choose(war, null, null, contextXml));
    }

    @Test
    public void mountEnvironmentsAreParsed()
    {
        assertEquals(Map.of("/shop", "ee10", "/", "ee8"), MountEnvironments.parse(List.of("/shop/=ee10", "/=ee8")));
        IllegalArgumentException noPath = assertThrows(IllegalArgumentException.class, () -> MountEnvironments.parse(List.of("shop=ee10")));
        assertEquals("--mount-environment: 'shop=ee10' (expected: /CONTEXT=ENVIRONMENT, e.g. /shop=ee10)", noPath.getMessage());
        IllegalArgumentException badEnvironment = assertThrows(IllegalArgumentException.class, () -> MountEnvironments.parse(List.of("/shop=ee9")));
        assertTrue(badEnvironment.getMessage().endsWith("names environment 'ee9' (expected: one of ee8, ee10, ee11)"), badEnvironment.getMessage());
    }
}

package io.github.jettyuwsgi.launcher.webapps;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

public class ContextXmlTest
{
    @TempDir
    Path base;

    private Path xml(String name, String content) throws IOException
    {
        Path webapps = Files.createDirectories(base.resolve("webapps"));
        return Files.writeString(webapps.resolve(name), content);
    }

    @Test
    public void readsAJettyHomeContextXml() throws IOException
    {
        // the shape of jetty-home's demo context files; the DTD is on the web and must not be fetched
        Path file = xml("demo.xml", """
            <?xml version="1.0"  encoding="ISO-8859-1"?>
            <!DOCTYPE Configure PUBLIC "-//Jetty//Configure//EN" "https://jetty.org/configure_10_0.dtd">
            <Configure class="org.eclipse.jetty.ee10.webapp.WebAppContext">
              <Set name="contextPath">/demo</Set>
              <Set name="war"><Property name="jetty.webapps" default="."/>/demo.war</Set>
              <Call name="setAttribute">
                <Arg>org.eclipse.jetty.containerInitializerExclusionPattern</Arg>
                <Arg>com.example.*</Arg>
              </Call>
            </Configure>
            """);
        ContextXml contextXml = ContextXml.read(file);
        assertEquals("org.eclipse.jetty.ee10.webapp.WebAppContext", contextXml.configureClass());
        assertEquals("ee10", contextXml.environment());
        assertEquals("/demo", contextXml.contextPath());
        assertEquals(base.resolve("webapps/demo.war").toAbsolutePath().normalize(), contextXml.war());
        assertEquals(base.resolve("webapps").toAbsolutePath().normalize().toString(), contextXml.properties().get("jetty.webapps"));
        assertEquals(base.toAbsolutePath().normalize().toString(), contextXml.properties().get("jetty.base"));
    }

    @Test
    public void aLoginServiceOfTheFileIsSeen() throws IOException
    {
        ContextXml withLoginService = ContextXml.read(xml("secured.xml", """
            <Configure class="org.eclipse.jetty.ee11.webapp.WebAppContext">
              <Get name="securityHandler">
                <Set name="loginService"><New class="org.eclipse.jetty.security.HashLoginService"/></Set>
              </Get>
            </Configure>
            """));
        assertTrue(withLoginService.setsLoginService());
        ContextXml withCall = ContextXml.read(xml("called.xml", """
            <Configure class="org.eclipse.jetty.ee11.webapp.WebAppContext">
              <Get name="securityHandler"><Call name="setLoginService"><Arg><Ref refid="realm"/></Arg></Call></Get>
            </Configure>
            """));
        assertTrue(withCall.setsLoginService());
        assertFalse(ContextXml.read(xml("plain.xml", """
            <Configure class="org.eclipse.jetty.ee11.webapp.WebAppContext"><Set name="contextPath">/x</Set></Configure>
            """)).setsLoginService());
    }

    @Test
    public void aWarBuiltByOtherElementsIsUnknown() throws IOException
    {
        ContextXml contextXml = ContextXml.read(xml("built.xml", """
            <Configure class="org.eclipse.jetty.ee8.webapp.WebAppContext">
              <Set name="war"><Call class="java.lang.System" name="getenv"><Arg>WAR</Arg></Call></Set>
            </Configure>
            """));
        assertEquals("ee8", contextXml.environment());
        assertNull(contextXml.war());
        assertNull(contextXml.contextPath());
    }

    @Test
    public void contextXmlOfNoEnvironmentIsRefused() throws IOException
    {
        Path file = xml("old.xml", "<Configure class=\"org.eclipse.jetty.webapp.WebAppContext\"/>");
        IllegalArgumentException x = assertThrows(IllegalArgumentException.class, () -> ContextXml.read(file));
        assertTrue(x.getMessage().endsWith("<Configure class=\"org.eclipse.jetty.webapp.WebAppContext\"> is of no environment the launcher has " +
            "(expected: a class of org.eclipse.jetty.ee8, ee10 or ee11, e.g. org.eclipse.jetty.ee10.webapp.WebAppContext)"), x.getMessage());
        Path notJetty = xml("web.xml", "<web-app/>");
        IllegalArgumentException y = assertThrows(IllegalArgumentException.class, () -> ContextXml.read(notJetty));
        assertTrue(y.getMessage().endsWith("root element <web-app> (expected: <Configure class=\"org.eclipse.jetty.eeN.webapp.WebAppContext\">)"), y.getMessage());
        Path broken = xml("broken.xml", "<Configure class=");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ContextXml.read(broken)).getMessage().contains("not well-formed XML"));
    }

    @Test
    public void onlyXmlFilesAreContextXml() throws IOException
    {
        assertTrue(ContextXml.isContextXml(Path.of("webapps/app.XML")));
        assertFalse(ContextXml.isContextXml(Path.of("webapps/app.war")));
        assertFalse(ContextXml.isContextXml(Files.createDirectories(base.resolve("exploded.xml"))));
    }
}

package io.github.jettyuwsgi.launcher.webapps;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;

public class JettyDescriptorsTest
{
    @Test
    public void configureClassIsTheRootElements()
    {
        assertEquals(Optional.of("org.eclipse.jetty.ee10.webapp.WebAppContext"),
            JettyDescriptors.configureClass("<?xml version=\"1.0\"?>\n<Configure id='wac' class='org.eclipse.jetty.ee10.webapp.WebAppContext'>\n</Configure>"));
        assertEquals(Optional.empty(), JettyDescriptors.configureClass("<Configure/>"));
    }

    @Test
    public void environmentOfAClass()
    {
        assertEquals(Optional.of("ee11"), JettyDescriptors.environmentOf("org.eclipse.jetty.ee11.webapp.WebAppContext"));
        assertEquals(Optional.of("ee8"), JettyDescriptors.environmentOf("org.eclipse.jetty.ee8.webapp.WebAppContext"));
        assertEquals(Optional.empty(), JettyDescriptors.environmentOf("org.eclipse.jetty.ee9.webapp.WebAppContext"));
        assertEquals(Optional.empty(), JettyDescriptors.environmentOf("org.eclipse.jetty.webapp.WebAppContext"));
    }

    @Test
    public void explodedWarWithoutJettyDescriptor(@TempDir Path war) throws IOException
    {
        Files.createDirectories(war.resolve("WEB-INF"));
        assertEquals(Optional.empty(), JettyDescriptors.of(war));
        Files.writeString(war.resolve("WEB-INF/jetty-web.xml"), "<Configure class=\"org.eclipse.jetty.ee11.webapp.WebAppContext\"/>");
        assertEquals(Optional.of(new JettyDescriptors.Hint("ee11", "WEB-INF/jetty-web.xml configures org.eclipse.jetty.ee11.webapp.WebAppContext")), JettyDescriptors.of(war));
    }
}

package io.github.jettyuwsgi.launcher.webapps;

import java.util.Map;
import java.util.Properties;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

public class ContextAttributeDefaultsTest
{
    @Test
    public void onlyJettysContextAttributesAreDefaults()
    {
        Properties system = new Properties();
        system.setProperty("org.eclipse.jetty.containerInitializerExclusionPattern", "com.example.*");
        system.setProperty("org.eclipse.jetty.server.webapp.WebInfIncludeJarPattern", ".*/app-[^/]*\\.jar$");
        system.setProperty("org.eclipse.jetty.util.log.announce", "false");
        system.setProperty("user.home", "/root");
        assertEquals(Map.of("org.eclipse.jetty.containerInitializerExclusionPattern", "com.example.*",
            "org.eclipse.jetty.server.webapp.WebInfIncludeJarPattern", ".*/app-[^/]*\\.jar$"), ContextAttributeDefaults.of(system));
    }
}

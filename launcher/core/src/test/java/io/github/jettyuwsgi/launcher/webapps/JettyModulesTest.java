package io.github.jettyuwsgi.launcher.webapps;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

public class JettyModulesTest
{
    @Test
    public void knownModulesWithOrWithoutEnvironment()
    {
        assertEquals(List.of("servlets", "jsp", "jstl", "annotations", "plus", "jndi", "jaas"), JettyModules.names());
        assertTrue(JettyModules.describe("jsp").startsWith("Apache Jasper JSP"));
        assertEquals(JettyModules.describe("jsp"), JettyModules.describe("ee10-jsp"));
        assertTrue(JettyModules.describe("jaas").contains("java.security.auth.login.config"));
    }

    @Test
    public void unknownModuleListsTheKnownOnes()
    {
        for (String name : List.of("jdbc-session", "ee9-jsp", "websocket"))
        {
            IllegalArgumentException x = assertThrows(IllegalArgumentException.class, () -> JettyModules.describe(name));
            assertEquals("--jetty-module: '" + name + "' is not a module the launcher has (expected: one of servlets, jsp, jstl, annotations, plus, jndi, jaas, " +
                "optionally prefixed with ee8-, ee10- or ee11-; session stores and WebSocket have options of their own)", x.getMessage());
        }
    }
}

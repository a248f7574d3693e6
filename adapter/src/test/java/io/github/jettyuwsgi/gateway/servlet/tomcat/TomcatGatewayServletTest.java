package io.github.jettyuwsgi.gateway.servlet.tomcat;

import io.github.jettyuwsgi.gateway.servlet.GatewayServletContract;
import io.github.jettyuwsgi.gateway.servlet.TomcatServletContainer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * <p>{@link GatewayServletContract} in an embedded Tomcat 11, run by the {@code tomcat-test} surefire execution whose
 * class path has no Jetty artifact: the adapter must need nothing but the Servlet API.</p>
 */
class TomcatGatewayServletTest extends GatewayServletContract
{
    @Override
    protected TomcatServletContainer newContainer()
    {
        return new TomcatServletContainer();
    }

    @Test
    void noJettyClassIsOnTheClassPath()
    {
        assertThrows(ClassNotFoundException.class, () -> Class.forName("org.eclipse.jetty.server.Server"));
        assertThrows(ClassNotFoundException.class, () -> Class.forName("org.eclipse.jetty.util.StringUtil"));
        assertThrows(ClassNotFoundException.class, () -> Class.forName("org.eclipse.jetty.ee10.servlet.ServletContextHandler"));
    }
}

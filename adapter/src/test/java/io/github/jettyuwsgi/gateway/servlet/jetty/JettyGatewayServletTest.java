package io.github.jettyuwsgi.gateway.servlet.jetty;


import io.github.jettyuwsgi.gateway.servlet.GatewayServletContract;
import io.github.jettyuwsgi.gateway.servlet.JettyServletContainer;

/**
 * <p>{@link GatewayServletContract} in an embedded Jetty 12.1 ee10.</p>
 */
class JettyGatewayServletTest extends GatewayServletContract
{
    @Override
    protected JettyServletContainer newContainer()
    {
        return new JettyServletContainer();
    }
}

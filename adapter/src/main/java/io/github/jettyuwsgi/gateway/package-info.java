/**
 * <p>The gateway contract: PEP 3333 (WSGI) for Java. A {@link io.github.jettyuwsgi.gateway.GatewayApplication} is
 * called with an {@link io.github.jettyuwsgi.gateway.Environ} (CGI variables plus {@code gateway.*} keys) and a
 * {@link io.github.jettyuwsgi.gateway.StartResponse}, and returns a
 * {@link io.github.jettyuwsgi.gateway.ResponseBody}; {@link io.github.jettyuwsgi.gateway.GatewayMiddleware} wraps
 * applications. Nothing here depends on a container: {@link io.github.jettyuwsgi.gateway.GatewayExchange} runs a call
 * against any sink, and the {@code servlet} subpackage plugs it into a Servlet 6 container.</p>
 */
package io.github.jettyuwsgi.gateway;

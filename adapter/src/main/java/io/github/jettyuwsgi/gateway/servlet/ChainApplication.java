package io.github.jettyuwsgi.gateway.servlet;

import io.github.jettyuwsgi.gateway.Environ;
import io.github.jettyuwsgi.gateway.GatewayApplication;
import io.github.jettyuwsgi.gateway.GatewayException;
import io.github.jettyuwsgi.gateway.ResponseBody;
import io.github.jettyuwsgi.gateway.StartResponse;
import jakarta.servlet.FilterChain;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * <p>The rest of a servlet filter chain seen as a gateway application, so gateway middleware can wrap it: the
 * downstream request is an {@link EnvironRequest} over the environ the middleware passes down (rewrites included),
 * and the downstream response a {@link CapturingResponse} that calls {@code start_response} at commit and pushes
 * its bytes through {@code write} (PEP 3333's way for frameworks that can only push). The returned body is empty:
 * everything went through {@code write} while the chain ran.</p>
 * <p>The chain must finish within {@code doFilter}: a downstream servlet that goes async cannot be captured and is
 * reported as an error.</p>
 */
final class ChainApplication implements GatewayApplication
{
    private final HttpServletRequest request;
    private final HttpServletResponse response;
    private final FilterChain chain;

    ChainApplication(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
    {
        this.request = request;
        this.response = response;
        this.chain = chain;
    }

    @Override
    public ResponseBody call(Environ environ, StartResponse startResponse) throws Exception
    {
        EnvironRequest downstreamRequest = new EnvironRequest(request, environ);
        CapturingResponse downstreamResponse = new CapturingResponse(response, startResponse);
        chain.doFilter(downstreamRequest, downstreamResponse);
        if (request.isAsyncStarted())
            throw new GatewayException("downstream servlet: went async (expected: a blocking servlet behind a gateway middleware)");
        downstreamResponse.finish();
        return ResponseBody.empty();
    }
}

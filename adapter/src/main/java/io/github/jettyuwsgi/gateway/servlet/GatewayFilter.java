package io.github.jettyuwsgi.gateway.servlet;

import java.io.IOException;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import io.github.jettyuwsgi.gateway.Environ;
import io.github.jettyuwsgi.gateway.GatewayApplication;
import io.github.jettyuwsgi.gateway.GatewayExchange;
import io.github.jettyuwsgi.gateway.Header;
import io.github.jettyuwsgi.gateway.ResponseRules;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * <p>A gateway application mounted as a servlet {@link Filter}, in front of the servlets of a web application. It
 * takes {@link GatewayServlet}'s init-params ({@code application} or {@code jwsgi}, {@code middleware},
 * {@code validate}) plus {@value #CASCADE}:</p>
 * <ul>
 * <li>{@code none} (default): the application answers every request it is mapped to; the chain is never called.</li>
 * <li>{@code app-first} (Rack::Cascade): the application is called first; if it answers 404, or sets
 * {@code X-Cascade: pass}, its answer is dropped unsent (decided at {@code start_response}, before anything was
 * sent) and the chain answers instead.</li>
 * <li>{@code chain-first} (jruby-rack): the chain runs first with a capturing response; if its status is in
 * {@value #NOT_HANDLED} (default {@code 404,405,501}) its answer is dropped unsent and the application answers.</li>
 * </ul>
 * <p>In both modes the real response is never reset, so headers and cookies set by filters upstream survive
 * whichever side answers. The request body is not rewound: the side that answers second sees what the first left
 * unread (in practice a side that declines does not read the body).</p>
 */
public class GatewayFilter extends AbstractGatewayFilter
{
    /** Init-param: {@code none}, {@code app-first} or {@code chain-first}. */
    public static final String CASCADE = "cascade";
    /** Init-param: the chain statuses that mean "not handled" in chain-first mode, comma-separated. */
    public static final String NOT_HANDLED = "notHandled";

    private GatewayApplication application;
    private String cascade;
    private final Set<Integer> notHandled = new HashSet<>();

    /**
     * <p>For {@code web.xml}: the application comes from the init-params.</p>
     */
    public GatewayFilter()
    {
    }

    /**
     * @param application the application (for programmatic registration and tests)
     */
    public GatewayFilter(GatewayApplication application)
    {
        this.application = application;
    }

    @Override
    void configure(FilterConfig config) throws ServletException
    {
        GatewayApplication app = application != null ? application : ApplicationLoader.load(params(), context().getClassLoader());
        application = Serving.validated(app, params().validate(), context());
        String mode = config.getInitParameter(CASCADE);
        cascade = mode == null ? "none" : mode.strip().toLowerCase(Locale.ROOT);
        if (!List.of("none", "app-first", "chain-first").contains(cascade))
            throw new ServletException("init-param " + CASCADE + ": " + mode + " (expected: none, app-first or chain-first)");
        String statuses = config.getInitParameter(NOT_HANDLED);
        for (String status : (statuses == null ? "404,405,501" : statuses).split(","))
        {
            try
            {
                notHandled.add(Integer.parseInt(status.strip()));
            }
            catch (NumberFormatException x)
            {
                throw new ServletException("init-param " + NOT_HANDLED + ": " + statuses + " (expected: comma-separated status codes)");
            }
        }
    }

    @Override
    void filter(HttpServletRequest request, HttpServletResponse response, FilterChain chain, Environ environ) throws IOException, ServletException
    {
        switch (cascade)
        {
            case "app-first" -> appFirst(request, response, chain, environ);
            case "chain-first" -> chainFirst(request, response, chain, environ);
            default -> Serving.serve(application, environ, response, failure -> onFailure(request, failure));
        }
    }

    private void onFailure(HttpServletRequest request, Throwable failure)
    {
        context().log("gateway filter failed: " + request.getMethod() + " " + request.getRequestURI(), failure);
    }

    private void appFirst(HttpServletRequest request, HttpServletResponse response, FilterChain chain, Environ environ) throws IOException, ServletException
    {
        GatewayApplication passing = (env, startResponse) -> application.call(env, (status, headers, excInfo) ->
        {
            if (passes(status, headers))
                throw Pass.INSTANCE;
            return startResponse.start(status, headers, excInfo);
        });
        GatewayExchange exchange = new GatewayExchange(new ServletSink(response, false));
        try
        {
            exchange.run(passing, environ);
        }
        catch (Pass pass)
        {
            // Nothing was sent and the body, if any, is closed: the chain answers on the untouched response.
            chain.doFilter(request, response);
        }
        catch (Exception | Error x)
        {
            onFailure(request, x);
            Serving.answerFailure(exchange, x);
        }
    }

    private static boolean passes(String status, List<Header> headers)
    {
        if (status != null && status.startsWith("404"))
            return true;
        return headers != null && headers.stream().anyMatch(h -> h != null && h.is("X-Cascade") && "pass".equalsIgnoreCase(h.value()));
    }

    private void chainFirst(HttpServletRequest request, HttpServletResponse response, FilterChain chain, Environ environ) throws ServletException
    {
        boolean[] declined = {false};
        ChainApplication chainApplication = new ChainApplication(request, response, chain);
        GatewayApplication chainUnlessDeclined = (env, startResponse) -> chainApplication.call(env, (status, headers, excInfo) ->
        {
            if (notHandled.contains(ResponseRules.parseStatus(status).code()))
            {
                declined[0] = true;
                // The chain's answer (a container 404 page, say) is swallowed, never sent.
                return chunk -> { };
            }
            return startResponse.start(status, headers, excInfo);
        });
        GatewayExchange exchange = new GatewayExchange(new ServletSink(response, false));
        try
        {
            exchange.begin(chainUnlessDeclined, environ);
            if (!declined[0])
            {
                while (exchange.step())
                {
                    // The chain pushed its bytes through write(); the body is empty.
                }
                exchange.finish();
            }
        }
        catch (Exception | Error x)
        {
            exchange.close();
            onFailure(request, x);
            Serving.answerFailure(exchange, x);
            return;
        }
        exchange.close();
        if (declined[0])
            Serving.serve(application, environ, response, failure -> onFailure(request, failure));
    }

    /**
     * <p>Thrown through the application when it declines a request in app-first mode; carries no stack.</p>
     */
    private static final class Pass extends RuntimeException
    {
        private static final long serialVersionUID = 1L;
        private static final Pass INSTANCE = new Pass();

        private Pass()
        {
            super("cascade: pass", null, false, false);
        }
    }
}

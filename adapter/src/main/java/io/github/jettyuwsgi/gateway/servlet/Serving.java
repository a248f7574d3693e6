package io.github.jettyuwsgi.gateway.servlet;

import java.util.function.Consumer;

import io.github.jettyuwsgi.gateway.Environ;
import io.github.jettyuwsgi.gateway.GatewayApplication;
import io.github.jettyuwsgi.gateway.GatewayExchange;
import io.github.jettyuwsgi.gateway.GatewayValidator;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletResponse;

/**
 * <p>What the servlet and the filters share: a blocking run of an application onto an
 * {@link HttpServletResponse}, and the one failure rule (generic 500 before commit, abort after).</p>
 */
final class Serving
{
    private Serving()
    {
    }

    /**
     * @param application the application
     * @param environ its environ
     * @param response where the answer goes
     * @param onFailure told about every application failure, not about client disconnects
     * @throws ServletException after commit, so that the container aborts the connection
     */
    static void serve(GatewayApplication application, Environ environ, HttpServletResponse response, Consumer<Throwable> onFailure) throws ServletException
    {
        GatewayExchange exchange = new GatewayExchange(new ServletSink(response, false));
        try
        {
            exchange.run(application, environ);
        }
        catch (Exception | Error x)
        {
            onFailure.accept(x);
            answerFailure(exchange, x);
        }
    }

    /**
     * @param exchange the failed exchange, its body closed
     * @param failure what failed
     * @throws ServletException when the headers were sent: throwing from the container call makes every container
     * abort the connection, so a chunked body lacks its last chunk and a sized one falls short
     */
    static void answerFailure(GatewayExchange exchange, Throwable failure) throws ServletException
    {
        if (exchange.sendInternalError())
            return;
        throw new ServletException("gateway application failed after the response was committed; connection aborted", failure);
    }

    /**
     * @param application an application
     * @param validate the {@code validate} init-param: none, wsgiref or strict
     * @param context where wsgiref warnings are logged
     * @return the application, under the validator if asked
     */
    static GatewayApplication validated(GatewayApplication application, String validate, ServletContext context)
    {
        return switch (validate)
        {
            case "strict" -> GatewayValidator.strict().wrap(application);
            case "wsgiref" -> new GatewayValidator(GatewayValidator.Profile.WSGIREF, context::log).wrap(application);
            default -> application;
        };
    }
}

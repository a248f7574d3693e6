package io.github.jettyuwsgi.gateway.servlet;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.UnaryOperator;

import jakarta.servlet.ServletConfig;
import jakarta.servlet.ServletException;

/**
 * <p>The init-params of {@link GatewayServlet}, their defaults, and their parsing: an unknown value is an error at
 * deployment, not a silent default.</p>
 *
 * @param application {@value #APPLICATION}: the class name of the {@code GatewayApplication}, with a public no-arg constructor
 * @param jwsgi {@value #JWSGI}: instead of {@code application}, a uWSGI JWSGI application as {@code Class[:method]}
 * @param middleware {@value #MIDDLEWARE}: comma-separated {@code GatewayMiddleware} class names, first = outermost
 * @param async {@value #ASYNC}: serve the body from a {@code WriteListener} instead of the request thread
 * @param asyncTimeoutMillis {@value #ASYNC_TIMEOUT}: the async timeout in milliseconds, 0 for none
 * @param multiprocess {@value #MULTIPROCESS}: the value of {@code gateway.multiprocess}
 * @param validate {@value #VALIDATE}: {@code none}, {@code wsgiref} or {@code strict}: run the application under
 * the {@code GatewayValidator}
 */
public record GatewayInitParams(String application, String jwsgi, List<String> middleware, boolean async, long asyncTimeoutMillis,
                                boolean multiprocess, String validate)
{
    public static final String APPLICATION = "application";
    public static final String JWSGI = "jwsgi";
    public static final String MIDDLEWARE = "middleware";
    public static final String ASYNC = "async";
    public static final String ASYNC_TIMEOUT = "asyncTimeout";
    public static final String MULTIPROCESS = "multiprocess";
    public static final String VALIDATE = "validate";
    /** The async timeout when none is configured; set explicitly, never the container's default. */
    public static final long DEFAULT_ASYNC_TIMEOUT_MILLIS = 30_000;

    /**
     * @param config the servlet's configuration
     * @return the parsed parameters
     * @throws ServletException when a value is malformed
     */
    public static GatewayInitParams from(ServletConfig config) throws ServletException
    {
        return from(config::getInitParameter);
    }

    /**
     * @param config a servlet's or a filter's {@code getInitParameter}
     * @return the parsed parameters
     * @throws ServletException when a value is malformed
     */
    public static GatewayInitParams from(UnaryOperator<String> config) throws ServletException
    {
        String application = config.apply(APPLICATION);
        List<String> middleware = new ArrayList<>();
        String names = config.apply(MIDDLEWARE);
        if (names != null)
        {
            for (String name : names.split(","))
            {
                if (!name.isBlank())
                    middleware.add(name.strip());
            }
        }
        boolean async = bool(config, ASYNC, false);
        long timeout = DEFAULT_ASYNC_TIMEOUT_MILLIS;
        String timeoutText = config.apply(ASYNC_TIMEOUT);
        if (timeoutText != null)
        {
            try
            {
                timeout = Long.parseLong(timeoutText.strip());
            }
            catch (NumberFormatException x)
            {
                timeout = -1;
            }
            if (timeout < 0)
                throw new ServletException("init-param " + ASYNC_TIMEOUT + ": " + timeoutText + " (expected: milliseconds >= 0, 0 for none)");
        }
        boolean multiprocess = bool(config, MULTIPROCESS, false);
        String validate = config.apply(VALIDATE);
        validate = validate == null ? "none" : validate.strip().toLowerCase(Locale.ROOT);
        if (!List.of("none", "wsgiref", "strict").contains(validate))
            throw new ServletException("init-param " + VALIDATE + ": " + validate + " (expected: none, wsgiref or strict)");
        String jwsgi = config.apply(JWSGI);
        if (application != null && jwsgi != null)
            throw new ServletException("init-params " + APPLICATION + " and " + JWSGI + ": both set (expected: one of them)");
        return new GatewayInitParams(application == null ? null : application.strip(), jwsgi == null ? null : jwsgi.strip(), List.copyOf(middleware), async, timeout, multiprocess, validate);
    }

    private static boolean bool(UnaryOperator<String> config, String name, boolean defaultValue) throws ServletException
    {
        String value = config.apply(name);
        if (value == null)
            return defaultValue;
        return switch (value.strip().toLowerCase(Locale.ROOT))
        {
            case "true" -> true;
            case "false" -> false;
            default -> throw new ServletException("init-param " + name + ": " + value + " (expected: true or false)");
        };
    }
}

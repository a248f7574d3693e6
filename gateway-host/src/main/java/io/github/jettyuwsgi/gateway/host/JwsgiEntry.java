package io.github.jettyuwsgi.gateway.host;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import io.github.jettyuwsgi.gateway.Environ;
import io.github.jettyuwsgi.gateway.EnvironKeys;
import io.github.jettyuwsgi.gateway.FileWrapper;
import io.github.jettyuwsgi.gateway.GatewayApplication;
import io.github.jettyuwsgi.gateway.GatewayErrors;
import io.github.jettyuwsgi.gateway.GatewayExchange;
import io.github.jettyuwsgi.gateway.GatewayInput;
import io.github.jettyuwsgi.gateway.GatewayMiddleware;
import io.github.jettyuwsgi.gateway.GatewayValidator;
import io.github.jettyuwsgi.gateway.Header;

/**
 * <p>The entry point for uWSGI's own JVM plugin: {@code uwsgi --plugins jvm,jwsgi --jwsgi
 * io/github/jettyuwsgi/gateway/host/JwsgiEntry:application} (slashes: uWSGI hands the name to JNI {@code FindClass})
 * serves a gateway application or a whole WAR (hosted by
 * {@link HostedApplication}) through the bridge, configured with system properties given as {@code --jvm-opt}:</p>
 * <ul>
 * <li>{@value #WAR_PROPERTY}: a WAR file or directory to host, with {@value #CONTEXT_PATH_PROPERTY} (default {@code /});
 * or {@value #APPLICATION_PROPERTY}: the class of a {@code GatewayApplication} (public, no-arg constructor);</li>
 * <li>{@value #MIDDLEWARE_PROPERTY}: comma-separated {@code GatewayMiddleware} classes, first = outermost;</li>
 * <li>{@value #VALIDATE_PROPERTY}: {@code none} (default), {@code wsgiref} or {@code strict}; warnings go to stderr,
 * which uWSGI logs.</li>
 * </ul>
 *
 * <p>uWSGI gives a {@code HashMap} of String vars (made with JNI {@code NewStringUTF}, i.e. the UTF-8 reading of the
 * bytes) plus {@code jwsgi.input}. The environ gets them back as latin-1 bytes-as-chars, {@code gateway.input} over
 * {@code jwsgi.input} bounded by {@code CONTENT_LENGTH}, the scheme from {@code UWSGI_SCHEME}, {@code REQUEST_SCHEME} or
 * {@code HTTPS}, and {@code gateway.multiprocess=true} (uWSGI forks workers). The application runs on a thread of this
 * class; the uWSGI thread waits for the status and headers and returns {@code {Integer status, Map<String, String[]>
 * headers, InputStream body}}, the body being a {@link ResponsePipe} that uWSGI reads in 8 KiB blocks and then closes.
 * Every read of {@code jwsgi.input} is relayed to the uWSGI thread, the only one its native methods work on,
 * which guarantees the application body's {@code close()} on every path (uWSGI never closes an Iterable). An
 * application failure before the headers is answered with the gateway's generic 500.</p>
 */
public final class JwsgiEntry
{
    public static final String WAR_PROPERTY = "jettyuwsgi.jwsgi.war";
    public static final String CONTEXT_PATH_PROPERTY = "jettyuwsgi.jwsgi.contextPath";
    public static final String APPLICATION_PROPERTY = "jettyuwsgi.jwsgi.application";
    public static final String MIDDLEWARE_PROPERTY = "jettyuwsgi.jwsgi.middleware";
    public static final String VALIDATE_PROPERTY = "jettyuwsgi.jwsgi.validate";
    /** The var JWSGI adds for the request body. */
    public static final String JWSGI_INPUT = "jwsgi.input";

    private static final ExecutorService EXCHANGES = Executors.newCachedThreadPool(runnable ->
    {
        Thread thread = new Thread(runnable, "jwsgi-exchange");
        thread.setDaemon(true);
        return thread;
    });

    private JwsgiEntry()
    {
    }

    /** Built on first use, so that uWSGI's JVM and its options exist; once per worker process. */
    private static final class Holder
    {
        static final GatewayApplication APPLICATION = load();
    }

    /**
     * @param env what uWSGI's jwsgi plugin passes: String vars plus {@code jwsgi.input}
     * @return {@code {Integer status, Map<String, String[]> headers, InputStream body}}
     */
    public static Object[] application(HashMap<String, Object> env)
    {
        return application(Holder.APPLICATION, env);
    }

    /**
     * @param application the application to run
     * @param env a JWSGI env
     * @return the JWSGI response triple
     */
    static Object[] application(GatewayApplication application, Map<String, Object> env)
    {
        InputStream requestBody = env.get(JWSGI_INPUT) instanceof InputStream in ? in : InputStream.nullInputStream();
        ResponsePipe pipe = new ResponsePipe(requestBody);
        Environ environ = environ(env, pipe.relayedRequestBody());
        EXCHANGES.execute(() -> exchange(application, environ, pipe));
        ResponsePipe.Head head;
        try
        {
            head = pipe.awaitHead();
        }
        catch (InterruptedException x)
        {
            Thread.currentThread().interrupt();
            pipe.close();
            throw new IllegalStateException("jwsgi: interrupted while waiting for the application's headers", x);
        }
        catch (ExecutionException x)
        {
            // Only a failure the exchange could not answer with a 500 ends here (uWSGI then logs it and sends nothing).
            pipe.close();
            throw new IllegalStateException("jwsgi: application failed before its headers: " + x.getCause(), x.getCause());
        }
        Map<String, String[]> headers = new LinkedHashMap<>();
        for (Header header : head.headers())
        {
            headers.merge(header.name(), new String[]{header.value()}, (a, b) ->
            {
                String[] both = Arrays.copyOf(a, a.length + 1);
                both[a.length] = b[0];
                return both;
            });
        }
        return new Object[]{head.status(), headers, pipe};
    }

    private static void exchange(GatewayApplication application, Environ environ, ResponsePipe pipe)
    {
        GatewayExchange exchange = new GatewayExchange(pipe);
        try
        {
            exchange.run(application, environ);
            pipe.end();
        }
        catch (Throwable x)
        {
            try
            {
                if (exchange.sendInternalError())
                {
                    environ.errors().write("jwsgi: application failed: " + x + "\n");
                    pipe.end();
                    return;
                }
            }
            catch (IOException | RuntimeException ignored)
            {
                // The server went away too; the failure below is what matters.
            }
            pipe.fail(x);
        }
    }

    /**
     * @param env a JWSGI env
     * @param body the request body, as the exchange thread may read it
     */
    static Environ environ(Map<String, Object> env, InputStream body)
    {
        Environ environ = new Environ();
        for (Map.Entry<String, Object> entry : env.entrySet())
        {
            if (entry.getValue() instanceof String value && !entry.getKey().equals(JWSGI_INPUT))
                environ.put(entry.getKey(), new String(value.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1));
        }
        // PEP 3333 requires these; uWSGI's HTTP router leaves SCRIPT_NAME empty and may omit QUERY_STRING.
        for (String key : List.of(EnvironKeys.SCRIPT_NAME, EnvironKeys.PATH_INFO, EnvironKeys.QUERY_STRING))
        {
            if (!environ.has(key))
                environ.put(key, "");
        }
        long length = parseLength(environ.get(EnvironKeys.CONTENT_LENGTH, ""));
        environ.put(EnvironKeys.VERSION, Environ.VERSION_1_0);
        environ.put(EnvironKeys.URL_SCHEME, scheme(environ));
        environ.put(EnvironKeys.INPUT, GatewayInput.of(body, Math.max(length, 0)));
        environ.put(EnvironKeys.ERRORS, GatewayErrors.lines(System.err::println));
        environ.put(EnvironKeys.MULTITHREAD, Boolean.TRUE);
        environ.put(EnvironKeys.MULTIPROCESS, Boolean.TRUE);
        environ.put(EnvironKeys.RUN_ONCE, Boolean.FALSE);
        // uWSGI hands over exactly CONTENT_LENGTH bytes; there is no chunked input through JWSGI.
        environ.put(EnvironKeys.INPUT_TERMINATED, Boolean.FALSE);
        environ.put(EnvironKeys.FILE_WRAPPER, FileWrapper.BLOCKS);
        return environ;
    }

    private static long parseLength(String value)
    {
        try
        {
            return value.isEmpty() ? 0 : Long.parseLong(value);
        }
        catch (NumberFormatException x)
        {
            throw new IllegalArgumentException("CONTENT_LENGTH: '" + value + "' (expected: a decimal number)", x);
        }
    }

    private static String scheme(Environ environ)
    {
        String explicit = environ.get("UWSGI_SCHEME", environ.get("REQUEST_SCHEME", ""));
        if (!explicit.isEmpty())
            return explicit.toLowerCase(Locale.ROOT);
        String https = environ.get(EnvironKeys.HTTPS, "");
        return https.equalsIgnoreCase("on") || https.equals("1") || https.equalsIgnoreCase("true") ? "https" : "http";
    }

    private static GatewayApplication load()
    {
        String war = System.getProperty(WAR_PROPERTY);
        String applicationClass = System.getProperty(APPLICATION_PROPERTY);
        GatewayApplication application;
        try
        {
            if (war != null && applicationClass != null)
                throw new IllegalStateException(WAR_PROPERTY + " and " + APPLICATION_PROPERTY + ": both set (expected: one of them)");
            if (war != null)
                application = HostedApplication.ofWar(Path.of(war), System.getProperty(CONTEXT_PATH_PROPERTY, "/")).start();
            else if (applicationClass != null)
                application = instantiate(applicationClass, GatewayApplication.class);
            else
                throw new IllegalStateException(WAR_PROPERTY + " or " + APPLICATION_PROPERTY + ": neither set (expected: --jvm-opt -D" + WAR_PROPERTY + "=app.war or -D" + APPLICATION_PROPERTY + "=com.example.App)");
            List<GatewayMiddleware> middleware = new ArrayList<>();
            String validate = System.getProperty(VALIDATE_PROPERTY, "none");
            switch (validate)
            {
                case "none" ->
                {
                }
                case "wsgiref" -> middleware.add(new GatewayValidator(GatewayValidator.Profile.WSGIREF, w -> System.err.println("validator: " + w)));
                case "strict" -> middleware.add(new GatewayValidator(GatewayValidator.Profile.STRICT, w -> System.err.println("validator: " + w)));
                default -> throw new IllegalStateException(VALIDATE_PROPERTY + ": '" + validate + "' (expected: none, wsgiref or strict)");
            }
            for (String name : System.getProperty(MIDDLEWARE_PROPERTY, "").split(","))
            {
                if (!name.isBlank())
                    middleware.add(instantiate(name.trim(), GatewayMiddleware.class));
            }
            return GatewayMiddleware.compose(middleware).wrap(application);
        }
        catch (RuntimeException x)
        {
            throw x;
        }
        catch (Exception x) // the web application failed to start, or a class could not be instantiated
        {
            throw new IllegalStateException("jwsgi: cannot start the application: " + x, x);
        }
    }

    private static <T> T instantiate(String className, Class<T> type) throws ReflectiveOperationException
    {
        Class<?> loaded = Class.forName(className, true, JwsgiEntry.class.getClassLoader());
        if (!type.isAssignableFrom(loaded))
            throw new IllegalStateException(className + ": not a " + type.getSimpleName() + " (expected: a class implementing " + type.getName() + ")");
        return type.cast(loaded.getConstructor().newInstance());
    }
}

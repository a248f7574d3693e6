package io.github.jettyuwsgi.gateway.servlet;

import java.lang.reflect.InvocationTargetException;
import java.util.ArrayList;
import java.util.List;

import io.github.jettyuwsgi.gateway.GatewayApplication;
import io.github.jettyuwsgi.gateway.GatewayException;
import io.github.jettyuwsgi.gateway.GatewayMiddleware;
import io.github.jettyuwsgi.gateway.jwsgi.JwsgiApplication;
import jakarta.servlet.ServletException;

/**
 * <p>Instantiates the application and middleware classes named by {@link GatewayInitParams}, once per servlet, with
 * the web application's class loader, and composes them (first declared = outermost).</p>
 */
public final class ApplicationLoader
{
    private ApplicationLoader()
    {
    }

    /**
     * @param params the servlet's init-params
     * @param loader the web application's class loader
     * @return the application wrapped in its middleware
     * @throws ServletException when a class is missing, of the wrong type, or cannot be instantiated
     */
    public static GatewayApplication load(GatewayInitParams params, ClassLoader loader) throws ServletException
    {
        GatewayApplication application;
        if (params.jwsgi() != null && !params.jwsgi().isEmpty())
        {
            try
            {
                Class<?> type = loadClass(GatewayInitParams.JWSGI, JwsgiApplication.className(params.jwsgi()), loader);
                application = new JwsgiApplication(type, JwsgiApplication.methodName(params.jwsgi()));
            }
            catch (GatewayException x)
            {
                throw new ServletException("init-param " + GatewayInitParams.JWSGI + ": " + x.getMessage(), x);
            }
        }
        else if (params.application() == null || params.application().isEmpty())
        {
            throw new ServletException("init-param " + GatewayInitParams.APPLICATION + ": absent (expected: the class name of a " + GatewayApplication.class.getName() + ")");
        }
        else
        {
            application = instantiate(GatewayInitParams.APPLICATION, params.application(), GatewayApplication.class, loader);
        }
        List<GatewayMiddleware> middleware = new ArrayList<>();
        for (String name : params.middleware())
        {
            middleware.add(instantiate(GatewayInitParams.MIDDLEWARE, name, GatewayMiddleware.class, loader));
        }
        return GatewayMiddleware.compose(middleware).wrap(application);
    }

    static <T> T instantiate(String param, String className, Class<T> type, ClassLoader loader) throws ServletException
    {
        Class<?> loaded = loadClass(param, className, loader);
        if (!type.isAssignableFrom(loaded))
            throw new ServletException("init-param " + param + ": " + className + " does not implement " + type.getName() + " (expected: an implementation)");
        try
        {
            return type.cast(loaded.getConstructor().newInstance());
        }
        catch (NoSuchMethodException x)
        {
            throw new ServletException("init-param " + param + ": " + className + " has no public no-arg constructor (expected: one)", x);
        }
        catch (InvocationTargetException x)
        {
            throw new ServletException("init-param " + param + ": " + className + " constructor failed", x.getCause());
        }
        catch (ReflectiveOperationException x)
        {
            throw new ServletException("init-param " + param + ": " + className + " cannot be instantiated (expected: a public concrete class)", x);
        }
    }

    private static Class<?> loadClass(String param, String className, ClassLoader loader) throws ServletException
    {
        Class<?> loaded = null;
        Throwable notFound = null;
        // The context's loader first (a WAR's classes); embedded containers may leave it null or a bare parent, so
        // the thread's and the adapter's own loaders come next.
        for (ClassLoader candidate : new ClassLoader[]{loader, Thread.currentThread().getContextClassLoader(), ApplicationLoader.class.getClassLoader()})
        {
            if (candidate == null || loaded != null)
                continue;
            try
            {
                loaded = Class.forName(className, true, candidate);
            }
            catch (ClassNotFoundException | LinkageError x)
            {
                notFound = x;
            }
        }
        if (loaded == null)
            throw new ServletException("init-param " + param + ": class " + className + " not found (expected: a class on the web application's class path)", notFound);
        return loaded;
    }
}

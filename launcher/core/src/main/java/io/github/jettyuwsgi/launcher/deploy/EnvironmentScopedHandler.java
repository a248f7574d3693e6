package io.github.jettyuwsgi.launcher.deploy;

import org.eclipse.jetty.server.Handler;

/**
 * Runs the start, stop and destroy of one context with its environment's class loader as the thread context class
 * loader; in the handler chain just above each application's context. Jetty's contexts do that for their own start,
 * but not everything around it does: the shutdown hook stops and destroys them from a thread of the core, where JNDI
 * (whose {@code jndi.properties} lives in {@code lib/eeN}) would not be found. Requests need nothing: each context sets
 * its class loader itself.
 */
public final class EnvironmentScopedHandler extends Handler.Wrapper
{
    private final ClassLoader classLoader;

    /**
     * @param classLoader the environment's class loader ({@link EnvironmentLoader#getClassLoader(String)})
     * @param context the application's context, created in that environment
     */
    public EnvironmentScopedHandler(ClassLoader classLoader, Handler context)
    {
        super(context);
        this.classLoader = classLoader;
    }

    @Override
    protected void doStart() throws Exception
    {
        ClassLoader previous = enter();
        try
        {
            super.doStart();
        }
        finally
        {
            Thread.currentThread().setContextClassLoader(previous);
        }
    }

    @Override
    protected void doStop() throws Exception
    {
        ClassLoader previous = enter();
        try
        {
            super.doStop();
        }
        finally
        {
            Thread.currentThread().setContextClassLoader(previous);
        }
    }

    @Override
    public void destroy()
    {
        ClassLoader previous = enter();
        try
        {
            super.destroy();
        }
        finally
        {
            Thread.currentThread().setContextClassLoader(previous);
        }
    }

    private ClassLoader enter()
    {
        ClassLoader previous = Thread.currentThread().getContextClassLoader();
        Thread.currentThread().setContextClassLoader(classLoader);
        return previous;
    }
}

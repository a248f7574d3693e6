package io.github.jettyuwsgi.launcher.process;

import java.lang.reflect.Proxy;

/**
 * SIGHUP for the launcher's graceful reload, the emperor's reload of every vassal and a vassal still starting: Java 17
 * has no public API for it, so this reaches the JDK's {@code sun.misc.Signal} (module {@code jdk.unsupported}) by
 * reflection. Compiled directly against it, the launcher would draw javac's "internal proprietary API" warning, which
 * no option silences and the build's style gate treats as an error.
 */
public final class Signals
{
    private Signals()
    {
    }

    /**
     * Replaces the JVM's own SIGHUP handler, which would stop the process, with {@code action}.
     *
     * @param action what a SIGHUP does; it runs on the JVM's signal dispatch thread
     * @throws IllegalStateException if this JVM has no {@code sun.misc.Signal}
     */
    public static void onHangUp(Runnable action)
    {
        try
        {
            Class<?> signalClass = Class.forName("sun.misc.Signal");
            Class<?> handlerClass = Class.forName("sun.misc.SignalHandler");
            Object hangUp = signalClass.getConstructor(String.class).newInstance("HUP");
            Object handler = Proxy.newProxyInstance(handlerClass.getClassLoader(), new Class<?>[]{handlerClass}, (proxy, method, args) ->
                switch (method.getName())
                {
                    case "handle" ->
                    {
                        action.run();
                        yield null;
                    }
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    case "toString" -> "SIGHUP handler";
                    default -> throw new UnsupportedOperationException(method.getName());
                });
            signalClass.getMethod("handle", signalClass, handlerClass).invoke(null, hangUp, handler);
        }
        catch (ReflectiveOperationException x)
        {
            throw new IllegalStateException("SIGHUP: no handler can be installed (expected: the JDK's sun.misc.Signal)", x);
        }
    }
}

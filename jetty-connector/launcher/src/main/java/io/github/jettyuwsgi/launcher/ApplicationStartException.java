package io.github.jettyuwsgi.launcher;

import java.util.Optional;

/**
 * An application (a WAR, an {@code --app} or {@code --jwsgi} class) that did not start while {@code need-app} is set:
 * thrown by the context's wrapper in {@link ServerAssembler} so that the start fails, and turned by {@link Launcher}
 * into exit status {@value #EXIT_STATUS}, or by {@link Reloader} into a refused reload. Without {@code need-app} the
 * same failure is only logged and the application's context path answers 503.
 */
public final class ApplicationStartException extends Exception
{
    /** uWSGI's exit status when {@code need-app} finds an application that did not load. */
    public static final int EXIT_STATUS = 22;

    /**
     * @param what the application, e.g. "WAR shop.war at /shop"
     * @param cause why it did not start
     */
    public ApplicationStartException(String what, Throwable cause)
    {
        super(what + " did not start: " + Launcher.describe(cause), cause);
    }

    /**
     * @param failure a failure of the server's start, which may have wrapped or collected this exception
     * @return this exception, if it is the failure, one of its causes or suppressed exceptions
     */
    public static Optional<ApplicationStartException> find(Throwable failure)
    {
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause())
        {
            if (cause instanceof ApplicationStartException applicationStartException)
                return Optional.of(applicationStartException);
            for (Throwable suppressed : cause.getSuppressed())
            {
                Optional<ApplicationStartException> found = find(suppressed);
                if (found.isPresent())
                    return found;
            }
        }
        return Optional.empty();
    }
}

package io.github.jettyuwsgi.launcher.deploy;

import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

import io.github.jettyuwsgi.launcher.options.Failures;

/**
 * An application (a WAR, an {@code --app} or {@code --jwsgi} class) that did not start: kept by its
 * {@link ApplicationStartGuard}, which answers 503 in its place. When no application of a deployment started and
 * {@code need-app} is set, {@link StartedApplications} fails the start with one of these that names them all, which
 * {@code Launcher} turns into exit status {@value #EXIT_STATUS} and {@code Reloader} into a refused reload.
 */
public final class ApplicationStartException extends Exception
{
    /** uWSGI's exit status ({@code UWSGI_FAILED_APP_CODE}) when {@code need-app} finds that no application loaded. */
    public static final int EXIT_STATUS = 22;

    /**
     * @param what the application, e.g. "WAR shop.war at /shop"
     * @param cause why it did not start
     */
    public ApplicationStartException(String what, Throwable cause)
    {
        super(what + " did not start: " + Failures.describe(cause), cause);
    }

    private ApplicationStartException(String message, List<ApplicationStartException> failures)
    {
        super(message, failures.get(0));
        failures.stream().skip(1).forEach(this::addSuppressed);
    }

    /**
     * @param failures every application of a deployment, none of which started; at least one
     * @return the failure of the whole deployment, e.g. "no application started: WAR shop.war at /shop did not start: ..."
     */
    public static ApplicationStartException noneStarted(List<ApplicationStartException> failures)
    {
        String each = failures.stream().map(Throwable::getMessage).collect(Collectors.joining("; "));
        return new ApplicationStartException("no application started: " + each, failures);
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

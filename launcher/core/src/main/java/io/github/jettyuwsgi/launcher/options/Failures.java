package io.github.jettyuwsgi.launcher.options;

/**
 * How the launcher tells an operator about a failure in one line, as it tells a usage problem
 * ({@link UsageException}): the messages of the failure and of its causes, each once. Used wherever the launcher
 * logs or prints a failure without its stack trace: a start that fails, a refused reload, an application that did
 * not start, an environment variable that cannot be set.
 */
public final class Failures
{
    private Failures()
    {
    }

    /**
     * @param failure the failure
     * @return the messages of a failure and its causes, each once, e.g.
     * "Failed to bind to /127.0.0.1:3031: Address already in use"
     */
    public static String describe(Throwable failure)
    {
        StringBuilder description = new StringBuilder();
        for (Throwable cause = failure; cause != null && cause != cause.getCause(); cause = cause.getCause())
        {
            String message = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
            if (description.indexOf(message) >= 0)
                continue;
            if (description.length() > 0)
                description.append(": ");
            description.append(message);
        }
        return description.toString();
    }
}

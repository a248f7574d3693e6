package io.github.jettyuwsgi.launcher.session;

import java.util.List;

/**
 * A session store that cannot be used as configured: a wrong value of a {@code session-*} key, a JDBC URL no driver
 * accepts, a driver that is not on the class path, a database that cannot be reached when the launcher starts. The
 * launcher reports it as a usage mistake: one line per problem, naming the option, exit status 2, no stack trace.
 */
public class SessionStoreException extends Exception
{
    private final List<String> problems;

    /**
     * @param problems one line per problem, "key: actual (expected: ...)"
     */
    public SessionStoreException(List<String> problems)
    {
        super(String.join("; ", problems));
        this.problems = List.copyOf(problems);
    }

    /**
     * @param problem "key: actual (expected: ...)"
     * @param cause what the driver or the file system said
     */
    public SessionStoreException(String problem, Throwable cause)
    {
        super(problem, cause);
        this.problems = List.of(problem);
    }

    /**
     * @return the problems, one line each
     */
    public List<String> getProblems()
    {
        return problems;
    }
}

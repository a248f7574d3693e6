package io.github.jettyuwsgi.launcher.options;

import java.util.List;

/**
 * A user mistake found while assembling the server rather than while parsing the command line (a WAR that asks for a
 * realm nobody gave, a descriptor that is not XML): {@code Launcher} reports it like a bad option, one line per
 * problem, exit status 2, no stack trace.
 */
public class UsageException extends Exception
{
    private final List<String> problems;

    /**
     * @param problems one line per problem, "what: actual (expected: ...)"
     */
    public UsageException(List<String> problems)
    {
        super(String.join("; ", problems));
        this.problems = List.copyOf(problems);
    }

    /**
     * @return the problems, one line each
     */
    public List<String> getProblems()
    {
        return problems;
    }
}

package io.github.jettyuwsgi.launcher.emperor;

import java.io.PrintStream;

import io.github.jettyuwsgi.launcher.LauncherOptions;

/**
 * uWSGI's emperor for the launcher ({@code --emperor DIR}): run by {@code Launcher} instead of a server. Being
 * written: until then it refuses to run.
 */
public final class Emperor
{
    private Emperor()
    {
    }

    /**
     * @param options validated options with {@link LauncherOptions#getEmperor()} set
     * @param err where problems are printed
     * @return the exit status
     */
    public static int run(LauncherOptions options, PrintStream err)
    {
        err.println("jetty-uwsgi: emperor: not available yet");
        return 1;
    }
}

package io.github.jettyuwsgi.launcher.options;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A command line that is no configuration: {@code --help} (or {@code -h}), or a command to another running instance,
 * {@code --stop PIDFILE} or {@code --reload PIDFILE}, which uWSGI runs instead of starting. Found by
 * {@code OptionsReader} before anything else is read, so that nothing else on the line is checked.
 *
 * @param kind what to do
 * @param pidFile the pidfile of the instance to stop or reload; null for {@link Kind#HELP}
 */
public record ControlCommand(Kind kind, Path pidFile)
{
    /**
     * What a control command does.
     */
    public enum Kind
    {
        /** print the help text ({@link Usage}) */
        HELP,
        /** stop the instance of the pidfile gracefully (SIGTERM) and wait until it has exited */
        STOP,
        /** reload the instance of the pidfile gracefully (SIGHUP) */
        RELOAD
    }

    /**
     * @param args the command line
     * @return the control command the line is, if it is one
     */
    public static Optional<ControlCommand> find(String... args)
    {
        List<String> arguments = List.of(args);
        if (arguments.contains("--help") || arguments.contains("-h"))
            return Optional.of(new ControlCommand(Kind.HELP, null));
        for (int i = 0; i < args.length; i++)
        {
            // a command to another instance, not a configuration: uWSGI runs it instead of starting
            Path stop = null;
            Path reload = null;
            if (args[i].startsWith("--stop="))
                stop = Path.of(args[i].substring("--stop=".length()));
            else if (args[i].equals("--stop") && i + 1 < args.length)
                stop = Path.of(args[i + 1]);
            else if (args[i].startsWith("--reload="))
                reload = Path.of(args[i].substring("--reload=".length()));
            else if (args[i].equals("--reload") && i + 1 < args.length)
                reload = Path.of(args[i + 1]);
            if (stop != null)
                return Optional.of(new ControlCommand(Kind.STOP, stop));
            if (reload != null)
                return Optional.of(new ControlCommand(Kind.RELOAD, reload));
        }
        return Optional.empty();
    }
}

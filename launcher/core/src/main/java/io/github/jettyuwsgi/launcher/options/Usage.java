package io.github.jettyuwsgi.launcher.options;

/**
 * The launcher's {@code --help} text, generated from the {@code Option} table, so that an option is described once:
 * its table entry gives its line here, and docs/configuration.md has the same row.
 */
public final class Usage
{
    private Usage()
    {
    }

    /**
     * @return the help text
     */
    public static String text()
    {
        StringBuilder usage = new StringBuilder();
        usage.append("Usage: java -jar jetty-uwsgi-launcher.jar [OPTIONS]\n");
        usage.append("       java -jar jetty-uwsgi-launcher.jar [OPTIONS] FILE.ini ...\n");
        usage.append("Serves Java web applications (WARs) to uwsgi frontends (nginx uwsgi_pass, Apache mod_proxy_uwsgi,\n");
        usage.append("uWSGI routers) and over plain HTTP.\n\n");
        usage.append("Configuration is read as uWSGI reads it: UWSGI_<KEY> environment variables, then the command line in\n");
        usage.append("order (--KEY VALUE is the ini line KEY = VALUE), then bare FILE.ini arguments; a later value wins,\n");
        usage.append("repeatable keys add up. See docs/configuration.md for every key.\n\n");
        appendOption(usage, "--ini FILE[:SECTION]", "read an ini file, section [uwsgi] unless named; repeatable");
        appendOption(usage, "--json FILE[:SECTION]", "read a JSON config with the same keys; repeatable");
        for (Option option : Option.values())
        {
            appendOption(usage, ("--" + option.key + " " + option.valueName).strip(), option.help + (option.repeatable ? "; repeatable" : ""));
        }
        appendOption(usage, "--strict", "unknown keys are errors, not warnings");
        appendOption(usage, "--show-config", "print the effective configuration in uWSGI's format");
        appendOption(usage, "--dry-run", "check the configuration and exit: status 0 if it can be used");
        appendOption(usage, "--stop PIDFILE", "stop the instance that wrote PIDFILE gracefully (SIGTERM) and wait until it has exited");
        appendOption(usage, "--reload PIDFILE", "reload the instance that wrote PIDFILE gracefully (SIGHUP): configuration and WARs, sockets kept open");
        appendOption(usage, "-h, --help", "print this help");
        usage.append("\n");
        usage.append("Nothing listens unless a --socket or --http-socket asks for it. The uwsgi vars (REMOTE_ADDR, HTTPS, ...)\n");
        usage.append("are trusted, so only the frontend may reach a uwsgi socket: 127.0.0.1:PORT or a Unix socket is the safe\n");
        usage.append("form; :PORT (all interfaces) or another address needs --frontend-secret or --allow-frontend, or\n");
        usage.append("--insecure-frontend to start anyway (a warning is logged). The same holds for a --fastcgi-socket and its\n");
        usage.append("params, with --allow-frontend only.\n");
        usage.append("uWSGI's process options (master, processes, lazy-apps, ...) are accepted and reported as ignored.\n");
        usage.append("SIGTERM and SIGINT stop gracefully: requests in flight get up to " + LauncherOptions.STOP_TIMEOUT_MILLIS / 1000 + "s to finish, then the exit\n");
        usage.append("status is 143 (130 for SIGINT). SIGQUIT prints the JVM's thread dump: the JVM keeps that signal.\n");
        usage.append("SIGHUP reloads gracefully: the configuration is read again and the WARs deployed anew, the sockets stay open.\n");
        usage.append("Exit status 1: start-up failed; 2: a usage error.\n");
        return usage.toString();
    }

    private static void appendOption(StringBuilder usage, String left, String description)
    {
        // Wrap the description in its column, so the help reads well in an 80-to-120-column terminal.
        int indent = 26;
        int width = 110;
        StringBuilder line = new StringBuilder(String.format("  %-" + (indent - 2) + "s", left));
        if (line.length() > indent)
        {
            usage.append(line.toString().stripTrailing()).append('\n');
            line = new StringBuilder(" ".repeat(indent));
        }
        for (String word : description.split(" "))
        {
            if (line.length() + 1 + word.length() > width && line.length() > indent)
            {
                usage.append(line.toString().stripTrailing()).append('\n');
                line = new StringBuilder(" ".repeat(indent));
            }
            else if (line.length() > indent)
            {
                line.append(' ');
            }
            line.append(word);
        }
        usage.append(line).append('\n');
    }
}

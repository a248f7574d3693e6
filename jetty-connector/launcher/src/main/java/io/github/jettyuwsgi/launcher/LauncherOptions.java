package io.github.jettyuwsgi.launcher;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;

import io.github.jettyuwsgi.uwsgi.Uwsgi;
import io.github.jettyuwsgi.uwsgi.UwsgiConfiguration;

/**
 * The launcher's command line, parsed and checked: the first step of the launcher, before {@link ServerAssembler}
 * builds a server from it and {@link Launcher} runs that server.
 *
 * <p>Parsing never throws for a user mistake: {@link #parse(String...)} records what it cannot understand and
 * {@link #validate()} returns every problem at once, each as one line "what: actual (expected: ...)", so a user fixes
 * a command line in one go. Defaults are the named constants below. This class knows nothing of Jetty, so that the
 * uWSGI-style ini configuration planned next can replace it without touching server assembly.</p>
 */
public final class LauncherOptions
{
    /** uWSGI's {@code buffer-size}: the largest uwsgi vars block accepted, the most a 16-bit datasize can say. */
    public static final int DEFAULT_BUFFER_SIZE = UwsgiConfiguration.DEFAULT_MAX_VARS_SIZE;
    /** The maximum number of request threads: Jetty's own default. */
    public static final int DEFAULT_THREADS = 200;
    /** Fewer threads than this cannot even run the acceptors and selectors of a few sockets. */
    public static final int MIN_THREADS = 8;
    /** How long a stop (SIGTERM) waits for requests in flight before closing connections, in milliseconds. */
    public static final long STOP_TIMEOUT_MILLIS = 5000;
    /** The EE environments a WAR can be deployed in. */
    public static final List<String> ENVIRONMENTS = List.of("ee8", "ee10", "ee11");

    private static final String ADDRESS_FORMS = "HOST:PORT, :PORT or a Unix socket path";

    /**
     * The option table: parsing, the help text and the "did you mean" hint all read it, so they cannot drift apart.
     */
    private enum Option
    {
        SOCKET("--socket", "ADDRESS", true, "a uwsgi socket: HOST:PORT, :PORT (all interfaces) or a Unix socket path",
            (options, value) -> options.addAddress("--socket", value, options.uwsgiSockets)),
        HTTP_SOCKET("--http-socket", "ADDRESS", true, "a plain HTTP socket, same forms as --socket",
            (options, value) -> options.addAddress("--http-socket", value, options.httpSockets)),
        WAR("--war", "FILE", false, "deploy a WAR (file or exploded directory) at /",
            (options, value) -> options.war = Path.of(value)),
        MOUNT("--mount", "PATH=FILE", true, "deploy a WAR at context path PATH, e.g. /shop=shop.war",
            LauncherOptions::addMount),
        CHMOD_SOCKET("--chmod-socket", "MODE", false, "permission bits of the Unix sockets, e.g. 660 (default: the umask's)",
            LauncherOptions::setChmodSocket),
        BUFFER_SIZE("--buffer-size", "BYTES", false, "largest uwsgi vars block accepted, " + UwsgiConfiguration.MIN_MAX_VARS_SIZE + " to " + Uwsgi.MAX_DATASIZE + " (default: " + DEFAULT_BUFFER_SIZE + ")",
            LauncherOptions::setBufferSize),
        REALM("--realm", "NAME=FILE", true, "a login realm for BASIC and FORM security: a properties file of 'user: password[,role...]' lines; NAME must match the WAR's <realm-name>",
            LauncherOptions::addRealm),
        THREADS("--threads", "N", false, "maximum number of request threads, at least " + MIN_THREADS + " (default: " + DEFAULT_THREADS + ")",
            LauncherOptions::setThreads),
        ENVIRONMENT("--environment", "ENV", false, "deploy every WAR in " + String.join(", ", ENVIRONMENTS) + " (default: detected per WAR)",
            LauncherOptions::setEnvironment);

        private final String flag;
        private final String valueName;
        private final boolean repeatable;
        private final String description;
        private final BiConsumer<LauncherOptions, String> apply;

        Option(String flag, String valueName, boolean repeatable, String description, BiConsumer<LauncherOptions, String> apply)
        {
            this.flag = flag;
            this.valueName = valueName;
            this.repeatable = repeatable;
            this.description = description;
            this.apply = apply;
        }

        static Option of(String flag)
        {
            for (Option option : values())
            {
                if (option.flag.equals(flag))
                    return option;
            }
            return null;
        }
    }

    /**
     * A WAR to deploy and where.
     *
     * @param contextPath the context path, {@code /} for the root
     * @param war the WAR file or exploded WAR directory
     */
    public record Mount(String contextPath, Path war)
    {
    }

    private final List<String> problems = new ArrayList<>();
    private final Set<Option> given = new HashSet<>();
    private final List<ListenAddress> uwsgiSockets = new ArrayList<>();
    private final List<ListenAddress> httpSockets = new ArrayList<>();
    private final List<Mount> mounts = new ArrayList<>();
    private final Map<String, Path> realms = new LinkedHashMap<>();
    private Path war;
    private String chmodSocket;
    private int bufferSize = DEFAULT_BUFFER_SIZE;
    private int threads = DEFAULT_THREADS;
    private String environment;
    private boolean help;

    private LauncherOptions()
    {
    }

    /**
     * Reads a command line. Options take their value as the next argument or after {@code =}
     * ({@code --socket :3031} or {@code --socket=:3031}).
     *
     * @param args the command line arguments
     * @return the options; problems found so far are reported by {@link #validate()}
     */
    public static LauncherOptions parse(String... args)
    {
        LauncherOptions options = new LauncherOptions();
        for (int i = 0; i < args.length; i++)
        {
            String arg = args[i];
            if ("--help".equals(arg) || "-h".equals(arg))
            {
                options.help = true;
                continue;
            }
            if (!arg.startsWith("-"))
            {
                options.problems.add("unexpected argument: '" + arg + "' (expected: options starting with --" +
                    (arg.endsWith(".war") ? "; did you mean --war " + arg + "?)" : ")"));
                continue;
            }
            int equals = arg.indexOf('=');
            String flag = equals > 0 ? arg.substring(0, equals) : arg;
            Option option = Option.of(flag);
            if (option == null)
            {
                options.problems.add("unknown option: " + flag + suggestion(flag));
                // Every option takes a value: skip this one's too, or it would be reported again as an argument.
                if (equals < 0 && i + 1 < args.length && !args[i + 1].startsWith("-"))
                    i++;
                continue;
            }
            String value;
            if (equals > 0)
                value = arg.substring(equals + 1);
            else if (i + 1 < args.length && !args[i + 1].startsWith("--"))
                value = args[++i];
            else
            {
                options.problems.add(flag + ": missing value (expected: " + flag + " " + option.valueName + ")");
                continue;
            }
            if (!options.given.add(option) && !option.repeatable)
            {
                options.problems.add(flag + ": given more than once (expected: once)");
                continue;
            }
            try
            {
                option.apply.accept(options, value);
            }
            catch (InvalidPathException x)
            {
                options.problems.add(flag + ": '" + value + "' is not a valid path (" + x.getReason() + ")");
            }
        }
        return options;
    }

    private static String suggestion(String flag)
    {
        // "-socket" is most likely "--socket" with a dash missing: compare in the double-dash form
        String typed = flag.startsWith("--") ? flag : "-" + flag;
        List<String> known = new ArrayList<>();
        for (Option option : Option.values())
        {
            known.add(option.flag);
        }
        known.add("--help");
        // An abbreviation (--env) is recognised by its prefix, a typo (--sockt) by its edit distance.
        List<String> extensions = known.stream().filter(candidate -> candidate.startsWith(typed)).toList();
        if (typed.length() > 3 && extensions.size() == 1)
            return " (did you mean " + extensions.get(0) + "?)";
        String best = known.get(0);
        for (String candidate : known)
        {
            if (editDistance(typed, candidate) < editDistance(typed, best))
                best = candidate;
        }
        if (editDistance(typed, best) <= 2)
            return " (did you mean " + best + "?)";
        return " (see --help)";
    }

    /**
     * @return the Levenshtein distance: the fewest single-character edits that turn one string into the other
     */
    static int editDistance(String a, String b)
    {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++)
        {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++)
        {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++)
            {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }

    private void addAddress(String flag, String value, List<ListenAddress> addresses)
    {
        try
        {
            ListenAddress address = ListenAddress.parse(value);
            // Port 0 is "any free port": each socket gets its own, so it can be given any number of times.
            if (address.getPort() != 0 && (uwsgiSockets.contains(address) || httpSockets.contains(address)))
                problems.add(flag + ": " + value + " is already given (expected: each address once)");
            else
                addresses.add(address);
        }
        catch (IllegalArgumentException x)
        {
            problems.add(flag + ": " + x.getMessage());
        }
    }

    private void addMount(String value)
    {
        int equals = value.indexOf('=');
        if (equals < 0)
        {
            problems.add("--mount: '" + value + "' (expected: PATH=FILE, e.g. /shop=shop.war)");
            return;
        }
        String contextPath = value.substring(0, equals);
        String file = value.substring(equals + 1);
        if (!contextPath.startsWith("/") || (contextPath.length() > 1 && contextPath.endsWith("/")) || contextPath.contains("//"))
            problems.add("--mount: context path '" + contextPath + "' (expected: / or /NAME[/NAME...], without a trailing /)");
        else if (file.isEmpty())
            problems.add("--mount: '" + value + "' has no file (expected: PATH=FILE, e.g. /shop=shop.war)");
        else
            mounts.add(new Mount(contextPath, Path.of(file)));
    }

    private void setChmodSocket(String value)
    {
        if (value.matches("[0-7]{3}"))
            chmodSocket = value;
        else
            problems.add("--chmod-socket: '" + value + "' (expected: three octal digits as for chmod, e.g. 660)");
    }

    private void setBufferSize(String value)
    {
        bufferSize = parseNumber("--buffer-size", value, UwsgiConfiguration.MIN_MAX_VARS_SIZE, Uwsgi.MAX_DATASIZE, DEFAULT_BUFFER_SIZE);
    }

    private void setThreads(String value)
    {
        threads = parseNumber("--threads", value, MIN_THREADS, 100_000, DEFAULT_THREADS);
    }

    private int parseNumber(String flag, String value, int min, int max, int fallback)
    {
        try
        {
            int number = Integer.parseInt(value);
            if (number >= min && number <= max)
                return number;
        }
        catch (NumberFormatException ignored)
        {
            // reported below, like an out-of-range number
        }
        problems.add(flag + ": '" + value + "' (expected: a whole number from " + min + " to " + max + ")");
        return fallback;
    }

    private void addRealm(String value)
    {
        int equals = value.indexOf('=');
        if (equals <= 0 || equals == value.length() - 1)
            problems.add("--realm: '" + value + "' (expected: NAME=FILE, e.g. myrealm=etc/users.properties)");
        else if (realms.putIfAbsent(value.substring(0, equals), Path.of(value.substring(equals + 1))) != null)
            problems.add("--realm: realm '" + value.substring(0, equals) + "' is given more than once (expected: one file per realm name)");
    }

    private void setEnvironment(String value)
    {
        String name = value.toLowerCase(Locale.ROOT);
        if (ENVIRONMENTS.contains(name))
            environment = name;
        else
            problems.add("--environment: '" + value + "' (expected: one of " + String.join(", ", ENVIRONMENTS) + ")");
    }

    /**
     * Checks the options as a whole: everything {@link #parse(String...)} could not read, plus missing sockets or
     * WARs, files that do not exist, clashing context paths.
     *
     * @return every problem, one line each; empty when the options can be used
     */
    public List<String> validate()
    {
        List<String> all = new ArrayList<>(problems);
        if (help)
            return all;
        // Only when none was given at all: a socket given wrongly has been reported already.
        if (!given.contains(Option.SOCKET) && !given.contains(Option.HTTP_SOCKET))
            all.add("nothing to listen on (expected: at least one --socket or --http-socket, e.g. --socket 127.0.0.1:3031)");
        for (ListenAddress address : getAllSockets())
        {
            if (address.isUnix() && !Files.isDirectory(address.getUnixPath().getParent()))
                all.add("socket " + address + ": directory " + address.getUnixPath().getParent() + " does not exist (expected: an existing directory)");
        }
        if (chmodSocket != null && getAllSockets().stream().noneMatch(ListenAddress::isUnix))
            all.add("--chmod-socket: " + chmodSocket + " but no Unix socket is given (expected: a --socket or --http-socket with a path)");

        List<Mount> deployments = getDeployments();
        if (!given.contains(Option.WAR) && !given.contains(Option.MOUNT))
            all.add("nothing to deploy (expected: --war FILE or --mount PATH=FILE)");
        Set<String> contextPaths = new HashSet<>();
        for (Mount mount : deployments)
        {
            String flag = war != null && mount == deployments.get(0) ? "--war" : "--mount";
            if (!contextPaths.add(mount.contextPath()))
                all.add(flag + ": context path " + mount.contextPath() + " is deployed twice (expected: one WAR per context path)");
            if (!Files.exists(mount.war()))
                all.add(flag + ": " + mount.war() + " does not exist (expected: a WAR file or an exploded WAR directory)");
            else if (!Files.isReadable(mount.war()))
                all.add(flag + ": " + mount.war() + " is not readable (expected: a readable WAR file or directory)");
        }
        for (Map.Entry<String, Path> realm : realms.entrySet())
        {
            if (!Files.isRegularFile(realm.getValue()) || !Files.isReadable(realm.getValue()))
                all.add("--realm: " + realm.getKey() + "=" + realm.getValue() + ": file not found or not readable (expected: a readable properties file)");
        }
        return Collections.unmodifiableList(all);
    }

    /**
     * @return the help text, generated from the option table
     */
    public static String usage()
    {
        StringBuilder usage = new StringBuilder();
        usage.append("Usage: java -jar jetty-uwsgi-launcher.jar [OPTIONS]\n");
        usage.append("Serves Java web applications (WARs) to uwsgi frontends (nginx uwsgi_pass, Apache mod_proxy_uwsgi,\n");
        usage.append("uWSGI routers) and over plain HTTP.\n\n");
        for (Option option : Option.values())
        {
            appendOption(usage, option.flag + " " + option.valueName, option.description + (option.repeatable ? "; repeatable" : ""));
        }
        appendOption(usage, "-h, --help", "print this help");
        usage.append("\n");
        usage.append("Nothing listens unless a --socket or --http-socket asks for it. The uwsgi vars (REMOTE_ADDR, HTTPS, ...)\n");
        usage.append("are trusted, so only the frontend may reach a uwsgi socket: 127.0.0.1:PORT or a Unix socket is the safe\n");
        usage.append("form; :PORT listens on all interfaces, as in uWSGI, and logs a warning.\n");
        usage.append("SIGTERM stops gracefully: requests in flight get up to " + STOP_TIMEOUT_MILLIS / 1000 + "s to finish, then the exit status is 143.\n");
        usage.append("Exit status 1: start-up failed; 2: a usage error.\n");
        return usage.toString();
    }

    private static void appendOption(StringBuilder usage, String left, String description)
    {
        // Wrap the description in its column, so the help reads well in an 80-to-120-column terminal.
        int indent = 26;
        int width = 110;
        StringBuilder line = new StringBuilder(String.format("  %-" + (indent - 2) + "s", left));
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

    /**
     * @return true if {@code --help} or {@code -h} was given
     */
    public boolean isHelp()
    {
        return help;
    }

    /**
     * @return the uwsgi sockets, in command line order
     */
    public List<ListenAddress> getUwsgiSockets()
    {
        return Collections.unmodifiableList(uwsgiSockets);
    }

    /**
     * @return the plain HTTP sockets, in command line order
     */
    public List<ListenAddress> getHttpSockets()
    {
        return Collections.unmodifiableList(httpSockets);
    }

    private List<ListenAddress> getAllSockets()
    {
        List<ListenAddress> all = new ArrayList<>(uwsgiSockets);
        all.addAll(httpSockets);
        return all;
    }

    /**
     * @return the WARs to deploy: {@code --war} at {@code /} first, then the {@code --mount}s in command line order
     */
    public List<Mount> getDeployments()
    {
        List<Mount> deployments = new ArrayList<>();
        if (war != null)
            deployments.add(new Mount("/", war));
        deployments.addAll(mounts);
        return Collections.unmodifiableList(deployments);
    }

    /**
     * @return the permission bits for Unix sockets, e.g. {@code "660"}, or null to leave the umask's
     */
    public String getChmodSocket()
    {
        return chmodSocket;
    }

    /**
     * @return the largest uwsgi vars block accepted, in bytes
     */
    public int getBufferSize()
    {
        return bufferSize;
    }

    /**
     * @return realm name to properties file, in command line order
     */
    public Map<String, Path> getRealms()
    {
        return Collections.unmodifiableMap(realms);
    }

    /**
     * @return the maximum number of request threads
     */
    public int getThreads()
    {
        return threads;
    }

    /**
     * @return the environment forced for every WAR, or null to detect it per WAR
     */
    public String getEnvironment()
    {
        return environment;
    }
}

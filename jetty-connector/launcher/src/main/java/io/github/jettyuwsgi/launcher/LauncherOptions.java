package io.github.jettyuwsgi.launcher;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.github.jettyuwsgi.config.ConfigEntry;
import io.github.jettyuwsgi.config.ConfigException;
import io.github.jettyuwsgi.config.HostFacts;
import io.github.jettyuwsgi.config.UwsgiConfig;
import io.github.jettyuwsgi.config.UwsgiConfigLoader;
import io.github.jettyuwsgi.config.UwsgiOptions;
import io.github.jettyuwsgi.launcher.subscribe.SubscriptionSpec;
import io.github.jettyuwsgi.uwsgi.Uwsgi;
import io.github.jettyuwsgi.launcher.session.SessionStoreSettings;
import io.github.jettyuwsgi.uwsgi.UwsgiConfiguration;
import io.github.jettyuwsgi.uwsgi.log.UwsgiLogFormat;

/**
 * The launcher's configuration, loaded and checked: the first step of the launcher, before {@link ServerAssembler}
 * builds a server from it and {@link Launcher} runs that server.
 *
 * <p>The sources are uWSGI's own, loaded by {@link UwsgiConfigLoader}: {@code UWSGI_*} environment variables, the
 * command line ({@code --threads 8} is {@code threads = 8}), {@code --ini file[:section]}, {@code --json} and bare
 * {@code file.ini} arguments, with uWSGI's expansion rules; a later single value wins, repeatable keys append. This
 * class gives the keys their meaning. Reading never throws for a user mistake: {@link #validate()} returns every
 * problem at once, each as one line "what: actual (expected: ...)", prefixed with where the value came from when that
 * is not the command line. Keys that only mean something to uWSGI's multi-process C core are accepted and listed by
 * {@link #getNotices()}, once each, with the reason. This class knows nothing of Jetty.</p>
 */
public final class LauncherOptions
{
    /** uWSGI's {@code buffer-size}: the largest uwsgi vars block accepted, the most a 16-bit datasize can say. */
    public static final int DEFAULT_BUFFER_SIZE = UwsgiConfiguration.DEFAULT_MAX_VARS_SIZE;
    /** uWSGI's {@code listen}: the sockets' listen backlog. */
    public static final int DEFAULT_LISTEN = 100;
    /** The maximum number of request threads: Jetty's own default. */
    public static final int DEFAULT_THREADS = 200;
    /** uWSGI's smallest {@code threads}: the sockets' own threads come on top (see ServerAssembler). */
    public static final int MIN_THREADS = 1;
    /** How long a stop (SIGTERM) waits for requests in flight before closing connections, in milliseconds. */
    public static final long STOP_TIMEOUT_MILLIS = 5000;
    /** uWSGI's {@code subscribe-freq}: how often a subscription is sent again, in seconds. */
    public static final int DEFAULT_SUBSCRIBE_FREQ = 10;
    /** uWSGI's {@code emperor-throttle}: the first wait before a vassal that died is started again, in milliseconds. */
    public static final int DEFAULT_EMPEROR_THROTTLE_MILLIS = 1000;
    /** uWSGI's {@code emperor-max-throttle}: the longest wait before a vassal that keeps dying is started again. */
    public static final int DEFAULT_EMPEROR_MAX_THROTTLE_MILLIS = 180_000;
    /** uWSGI's {@code emperor-freq}: seconds between two scans of the vassals directory. */
    public static final int DEFAULT_EMPEROR_FREQ_SECONDS = 3;
    /** The EE environments a WAR can be deployed in. */
    public static final List<String> ENVIRONMENTS = List.of("ee8", "ee10", "ee11");

    /** Keys of ours that uWSGI does not have; {@code war} is already known to the loader. */
    private static final Set<String> LAUNCHER_KEYS = Set.of("realm", "environment", "classpath", "jvm-classpath");
    /** Flags of ours that take no value. */
    private static final Set<String> LAUNCHER_FLAGS = Set.of("dry-run");
    private static final UwsgiOptions KNOWN_OPTIONS = UwsgiOptions.defaults()
        .with(LAUNCHER_KEYS)
        .with(SessionStoreSettings.KEYS)
        .with(LAUNCHER_FLAGS, UwsgiOptions.Argument.NO);

    /**
     * Options that only mean something for uWSGI's multi-process C core, each with the reason it has no job here.
     */
    private static final Map<String, String> IGNORED = ignoredOptions();

    /**
     * The keys of the configuration language itself (includes, placeholders, logic): the loader has applied them.
     */
    private static final Set<String> LANGUAGE_KEYS = Set.of("ini", "json", "js", "include", "inherit", "set", "set-ph",
        "set-placeholder", "declare-option", "declare-option2", "strict", "print", "iprint", "for", "for-times",
        "for-readline", "endfor", "end-for", "endif", "end-if", "end", "ifdir", "ifenv", "ifexists", "ifplugin",
        "show-config", "dry-run", "help");

    private static final Pattern SIZE = Pattern.compile("([0-9]+)([kK]?)");
    /** The variables {@code UwsgiLogFormat} fills in (see docs/request-log.md); any other prints {@code -}. */
    private static final Pattern LOG_FORMAT_VARIABLE = Pattern.compile("%\\(([^)]*)\\)");
    private static final Pattern LEADING_NUMBER = Pattern.compile("^\\s*([0-9]+)(.*)$", Pattern.DOTALL);

    /**
     * The keys the launcher applies: applying, the help text and the documentation all read this table.
     */
    private enum Option
    {
        SOCKET("socket", "ADDRESS", true, "a uwsgi socket: HOST:PORT, :PORT (all interfaces) or a Unix socket path; also uwsgi-socket, -s",
            (options, entry) -> options.addAddress(entry, options.uwsgiSockets)),
        HTTP_SOCKET("http-socket", "ADDRESS", true, "a plain HTTP socket, same forms as --socket",
            (options, entry) -> options.addAddress(entry, options.httpSockets)),
        WAR("war", "FILE", false, "deploy a WAR (file or exploded directory) at /",
            LauncherOptions::setWar),
        MOUNT("mount", "PATH=FILE", true, "deploy a WAR at context path PATH, e.g. /shop=shop.war",
            LauncherOptions::addMount),
        APP("app", "[PATH=]CLASS", true, "serve a gateway application (a GatewayApplication class from --classpath) at PATH, default /",
            (options, entry) -> options.addGateway(entry, "application")),
        JWSGI("jwsgi", "[PATH=]CLASS:METHOD", true, "serve a JWSGI application, as uWSGI's --jwsgi, from --classpath at PATH, default /",
            (options, entry) -> options.addGateway(entry, "jwsgi")),
        CLASSPATH("classpath", "DIR|JAR", true, "where the classes of --app and --jwsgi come from; also jvm-classpath",
            (options, entry) -> options.classpath.add(Path.of(entry.displayValue()))),
        CHMOD_SOCKET("chmod-socket", "MODE", false, "permission bits of the Unix sockets, e.g. 660; alone: 666 (default: the umask's)",
            LauncherOptions::setChmodSocket),
        CHOWN_SOCKET("chown-socket", "USER[:GROUP]", false, "owner of the Unix sockets, names or ids, e.g. app:www-data (needs root)",
            LauncherOptions::setChownSocket),
        LISTEN("listen", "N", false, "the sockets' listen backlog: connections the kernel queues before they are accepted, capped by net.core.somaxconn (default: " + DEFAULT_LISTEN + ", as uWSGI)",
            (options, entry) -> options.listen = options.parseNumber(entry, entry.displayValue(), 1, 65_535, DEFAULT_LISTEN)),
        BUFFER_SIZE("buffer-size", "BYTES", false, "largest uwsgi vars block accepted, " + UwsgiConfiguration.MIN_MAX_VARS_SIZE + " to " + Uwsgi.MAX_DATASIZE + "; 32k means 32768 and 64k means 65535 (default: " + DEFAULT_BUFFER_SIZE + ")",
            LauncherOptions::setBufferSize),
        REALM("realm", "NAME=FILE", true, "a login realm for BASIC and FORM security: a properties file of 'user: password[,role...]' lines; NAME must match the WAR's <realm-name>",
            LauncherOptions::addRealm),
        THREADS("threads", "N", false, "request threads: how many requests run at once; the sockets' accept and select threads come on top (default: " + DEFAULT_THREADS + ")",
            LauncherOptions::setThreads),
        ENVIRONMENT("environment", "ENV", false, "deploy every WAR in " + String.join(", ", ENVIRONMENTS) + " (default: detected per WAR)",
            LauncherOptions::setEnvironment),
        PIDFILE("pidfile", "FILE", false, "write the process id to FILE once started; a stale one is overwritten",
            (options, entry) -> options.pidFile = Path.of(entry.displayValue())),
        TOUCH_RELOAD("touch-reload", "FILE", true, "reload gracefully when FILE's modification time changes (see SIGHUP)",
            (options, entry) -> options.touchReload.add(Path.of(entry.displayValue()))),
        MASTER_FIFO("master-fifo", "FILE", false, "create a named pipe that takes uWSGI's commands: r reload, q stop, Q stop at once, l reopen logs",
            (options, entry) -> options.masterFifo = Path.of(entry.displayValue())),
        LOG_FORMAT("log-format", "FORMAT", false, "the request log line, with uWSGI's %(name) variables, e.g. '%(addr) %(method) %(uri) %(status)'; also logformat (default: uWSGI's default line)",
            LauncherOptions::setLogFormat),
        DISABLE_LOGGING("disable-logging", "", false, "write no request log line; also -L",
            (options, entry) -> options.disableLogging = isTrue(entry)),
        VACUUM("vacuum", "", false, "remove the pidfile when stopping (Unix socket files are always removed)",
            (options, entry) -> options.vacuum = isTrue(entry)),
        HARAKIRI("harakiri", "SECONDS", false, "a request still running after SECONDS is interrupted, logged and answered 504, or cut off if its response had begun (default: 0, never; a reload keeps the value)",
            (options, entry) -> options.harakiri = options.parseNumber(entry, entry.displayValue(), 0, 86_400, 0)),
        NEED_APP("need-app", "", false, "exit with status 22 if no application starts, and refuse a reload that would leave none started, as uWSGI's need-app (an application that does not start next to others that do is logged and answers 503 at its path, with or without it)",
            (options, entry) -> options.needApp = isTrue(entry)),
        ENV("env", "KEY=VALUE", true, "set an environment variable of the launcher process (System.getenv) before the applications start; KEY alone removes it",
            LauncherOptions::addEnv),
        UNENV("unenv", "KEY", true, "remove an environment variable of the launcher process, as env = KEY",
            LauncherOptions::addUnenv),
        CHDIR("chdir", "DIR", false, "resolve the relative paths uWSGI reads after its chdir (war, mount, classpath, realm, Unix sockets, touch-reload, master-fifo) against DIR; pidfile and logto stay relative to the launch directory, as in uWSGI, and so does the applications' new File(\"x\")",
            (options, entry) -> options.chdir = Path.of(entry.displayValue())),
        LOGTO("logto", "FILE", false, "append the log, the request log and the applications' System.out and System.err to FILE instead of the terminal; master-fifo l and a reload reopen it (for logrotate)",
            LauncherOptions::setLogTo),
        STATS("stats", "ADDRESS", false, "serve uWSGI's stats JSON document on HOST:PORT or a Unix socket path (for uwsgitop, exporters); also stats-server",
            (options, entry) -> options.stats = options.parseAddress(entry)),
        STATS_HTTP("stats-http", "", false, "serve the stats document as an HTTP response",
            (options, entry) -> options.statsHttp = isTrue(entry)),
        SUBSCRIBE_TO("subscribe-to", "ROUTER:PORT:KEY", true, "subscribe to a uWSGI router's subscription server for the virtual host KEY; also subscribe",
            (options, entry) -> options.subscriptions.add(new Subscription(entry.key(), entry.displayValue(), source(entry)))),
        SUBSCRIBE2("subscribe2", "server=ROUTER:PORT,key=KEY[,...]", true, "a subscription in key=value form (server, key, addr, weight, modifier1, modifier2)",
            (options, entry) -> options.subscriptions.add(new Subscription(entry.key(), entry.displayValue(), source(entry)))),
        SUBSCRIBE_FREQ("subscribe-freq", "SECONDS", false, "send the subscriptions again every SECONDS (default: " + DEFAULT_SUBSCRIBE_FREQ + ")",
            (options, entry) -> options.subscribeFreq = options.parseNumber(entry, entry.displayValue(), 1, 86_400, DEFAULT_SUBSCRIBE_FREQ)),
        EMPEROR("emperor", "DIR", false, "run each .ini or .json file of DIR as a vassal in a JVM of its own: a new file starts it, a touched one reloads it, a removed one stops it",
            (options, entry) -> options.emperor = Path.of(entry.displayValue())),
        EMPEROR_THROTTLE("emperor-throttle", "MILLIS", false, "wait before starting again a vassal that died; the wait grows by MILLIS each time it dies again soon after its start (default: " + DEFAULT_EMPEROR_THROTTLE_MILLIS + ")",
            (options, entry) -> options.emperorThrottle = options.parseNumber(entry, entry.displayValue(), 1, 3_600_000, DEFAULT_EMPEROR_THROTTLE_MILLIS)),
        EMPEROR_MAX_THROTTLE("emperor-max-throttle", "MILLIS", false, "the longest wait before starting a vassal again (default: " + DEFAULT_EMPEROR_MAX_THROTTLE_MILLIS + ")",
            (options, entry) -> options.emperorMaxThrottle = options.parseNumber(entry, entry.displayValue(), 1, 86_400_000, DEFAULT_EMPEROR_MAX_THROTTLE_MILLIS)),
        EMPEROR_FREQ("emperor-freq", "SECONDS", false, "scan the vassals directory every SECONDS; a change is acted on within two scans (default: " + DEFAULT_EMPEROR_FREQ_SECONDS + ")",
            (options, entry) -> options.emperorFreq = options.parseNumber(entry, entry.displayValue(), 1, 3600, DEFAULT_EMPEROR_FREQ_SECONDS)),
        SESSION_STORE("session-store", "memory|file:DIR|jdbc:URL", false, "where the HTTP sessions of every application live: memory (lost at stop), a directory, or a database shared by a fleet (see docs/fleet.md)",
            LauncherOptions::putSession),
        SESSION_WORKER("session-worker", "NAME", false, "this instance's suffix of session ids, unique in the fleet (default: host and first socket)",
            LauncherOptions::putSession),
        SESSION_SAVE("session-save", "always|changed", false, "write a session after every request that used it, or when it changed (default: always)",
            LauncherOptions::putSession),
        SESSION_FLUSH("session-flush", "commit|exit", false, "write a changed session before the response is sent, so the next request on any instance sees it, or after (default: commit)",
            LauncherOptions::putSession),
        SESSION_CACHE("session-cache", "none|SECONDS", false, "keep sessions in memory until SECONDS after their last request; none reads the store on every request, as a fleet needs (default: none)",
            LauncherOptions::putSession),
        SESSION_TABLE("session-table", "NAME", false, "the JDBC table of the sessions, created at start if missing (default: JettySessions)",
            LauncherOptions::putSession),
        SESSION_SCHEMA("session-schema", "NAME", false, "the schema of the JDBC table (default: the connection's)",
            LauncherOptions::putSession),
        SESSION_SCAVENGE("session-scavenge", "SECONDS", false, "look for expired sessions every SECONDS (default: 600)",
            LauncherOptions::putSession),
        SESSION_DRIVER("session-driver", "CLASS", false, "the JDBC driver class (default: the driver of the class path that accepts the URL)",
            LauncherOptions::putSession),
        SESSION_DRIVER_CLASSPATH("session-driver-classpath", "JAR[:JAR...]", false, "where the JDBC driver is loaded from (default: --classpath)",
            LauncherOptions::putSession);

        private final String key;
        private final String valueName;
        private final boolean repeatable;
        private final String description;
        private final BiConsumer<LauncherOptions, ConfigEntry> apply;

        Option(String key, String valueName, boolean repeatable, String description, BiConsumer<LauncherOptions, ConfigEntry> apply)
        {
            this.key = key;
            this.valueName = valueName;
            this.repeatable = repeatable;
            this.description = description;
            this.apply = apply;
        }

        static Option of(String key)
        {
            if (key.equals("uwsgi-socket"))
                return SOCKET;
            if (key.equals("jvm-classpath"))
                return CLASSPATH;
            if (key.equals("logformat"))
                return LOG_FORMAT;
            if (key.equals("stats-server"))
                return STATS;
            if (key.equals("subscribe"))
                return SUBSCRIBE_TO;
            for (Option option : values())
            {
                if (option.key.equals(key))
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

    /**
     * A gateway application to serve and where.
     *
     * @param contextPath the context path, {@code /} for the root
     * @param kind the {@code GatewayServlet} init-param naming it: {@code application} or {@code jwsgi}
     * @param target the class name, or {@code Class:method} for {@code jwsgi}
     * @param source the option that gave it, for messages
     */
    public record GatewayMount(String contextPath, String kind, String target, String source)
    {
        /**
         * @return the class name alone
         */
        public String className()
        {
            int colon = target.indexOf(':');
            return colon < 0 ? target : target.substring(0, colon);
        }
    }

    /**
     * A subscription to a uWSGI router, as given: parsed by the subscription client, which owns its syntax.
     *
     * @param key {@code subscribe-to} or {@code subscribe2}
     * @param value the value as written
     * @param source where it was given, for messages
     */
    public record Subscription(String key, String value, String source)
    {
    }

    private final List<String> problems = new ArrayList<>();
    private final List<GatewayMount> gateways = new ArrayList<>();
    private final List<Path> classpath = new ArrayList<>();
    private final Set<String> notices = new LinkedHashSet<>();
    private final List<ListenAddress> uwsgiSockets = new ArrayList<>();
    private final List<ListenAddress> httpSockets = new ArrayList<>();
    private final List<Mount> mounts = new ArrayList<>();
    /** Where each deployment was given, for the messages of {@link #validate()}. */
    private final Map<Mount, String> mountSources = new IdentityHashMap<>();
    private final Map<String, Path> realms = new LinkedHashMap<>();
    /** The session-* keys as given, checked by SessionStoreSettings. */
    private final Map<String, String> sessionSettings = new LinkedHashMap<>();
    private UwsgiConfig config;
    private boolean socketGiven;
    private boolean deploymentGiven;
    private Mount war;
    private String chmodSocket;
    private String chmodSocketSource;
    private String chownSocket;
    private String chownSocketSource;
    private int listen = DEFAULT_LISTEN;
    private int bufferSize = DEFAULT_BUFFER_SIZE;
    private int threads = DEFAULT_THREADS;
    private String environment;
    private boolean help;
    private Path pidFile;
    private boolean vacuum;
    private String logFormat;
    private boolean disableLogging;
    private Path stopPidFile;
    private Path reloadPidFile;
    private Path masterFifo;
    private final List<Path> touchReload = new ArrayList<>();
    private int harakiri;
    private boolean needApp;
    /** KEY to VALUE, or KEY to null to remove it; in configuration order, a later one wins. */
    private final Map<String, String> env = new LinkedHashMap<>();
    private Path chdir;
    private Path logTo;
    private ListenAddress stats;
    private boolean statsHttp;
    private final List<Subscription> subscriptions = new ArrayList<>();
    private int subscribeFreq = DEFAULT_SUBSCRIBE_FREQ;
    private Path emperor;
    private int emperorThrottle = DEFAULT_EMPEROR_THROTTLE_MILLIS;
    private int emperorMaxThrottle = DEFAULT_EMPEROR_MAX_THROTTLE_MILLIS;
    private int emperorFreq = DEFAULT_EMPEROR_FREQ_SECONDS;

    private LauncherOptions()
    {
    }

    /**
     * Loads the configuration the way {@code uwsgi} reads its command line, with this process's environment.
     *
     * @param args the command line arguments
     * @return the options; problems found are reported by {@link #validate()}
     */
    public static LauncherOptions parse(String... args)
    {
        return parse(HostFacts.current(), args);
    }

    /**
     * @param facts the working directory and environment the configuration is read with
     * @param args the command line arguments
     * @return the options; problems found are reported by {@link #validate()}
     */
    public static LauncherOptions parse(HostFacts facts, String... args)
    {
        LauncherOptions options = new LauncherOptions();
        List<String> arguments = List.of(args);
        if (arguments.contains("--help") || arguments.contains("-h"))
        {
            options.help = true;
            return options;
        }
        for (int i = 0; i < args.length; i++)
        {
            // a command to another instance, not a configuration: uWSGI runs it instead of starting
            if (args[i].startsWith("--stop="))
                options.stopPidFile = Path.of(args[i].substring("--stop=".length()));
            else if (args[i].equals("--stop") && i + 1 < args.length)
                options.stopPidFile = Path.of(args[i + 1]);
            else if (args[i].startsWith("--reload="))
                options.reloadPidFile = Path.of(args[i].substring("--reload=".length()));
            else if (args[i].equals("--reload") && i + 1 < args.length)
                options.reloadPidFile = Path.of(args[i + 1]);
            if (options.stopPidFile != null || options.reloadPidFile != null)
                return options;
        }
        List<String> normalized = options.normalize(arguments);
        if (!options.problems.isEmpty())
            return options;
        try
        {
            options.config = new UwsgiConfigLoader(facts, KNOWN_OPTIONS).load(normalized);
        }
        catch (ConfigException x)
        {
            options.problems.add(x.getMessage());
            return options;
        }
        options.notices.addAll(options.config.warnings());
        for (ConfigEntry entry : options.config.entries())
        {
            if (!entry.placeholderOnly())
                options.apply(entry);
        }
        options.resolveAgainstChdir();
        return options;
    }

    /**
     * Catches the slips that getopt would turn into something else, and keeps the launcher's own earlier forms working.
     */
    private List<String> normalize(List<String> args)
    {
        List<String> normalized = new ArrayList<>();
        for (int i = 0; i < args.size(); i++)
        {
            String arg = args.get(i);
            if (arg.equals("--"))
            {
                normalized.addAll(args.subList(i, args.size()));
                break;
            }
            String name = arg.startsWith("--") ? arg.substring(2).split("=", 2)[0] : null;
            if (arg.startsWith("-") && !arg.startsWith("--") && arg.length() > 2 && KNOWN_OPTIONS.isKnown(arg.substring(1).split("=", 2)[0]))
            {
                // getopt would read -socket as -s ocket: a socket named "ocket"
                problems.add("unknown option: " + arg.split("=", 2)[0] + " (did you mean -" + arg.split("=", 2)[0] + "?)");
                return normalized;
            }
            if (name != null && !arg.contains("=") && name.equals("chmod-socket") && i + 1 < args.size() && isChmodValue(args.get(i + 1)))
            {
                // uWSGI takes this optional value only as --chmod-socket=660; the launcher always took the next word
                normalized.add(arg + "=" + args.get(++i));
                continue;
            }
            if (name != null && !arg.contains("=") && KNOWN_OPTIONS.argument(name).orElse(null) == UwsgiOptions.Argument.REQUIRED &&
                (i + 1 == args.size() || (args.get(i + 1).startsWith("--") && args.get(i + 1).length() > 2)))
            {
                Option option = Option.of(name);
                problems.add(arg + ": missing value (expected: " + arg + " " + (option == null ? "VALUE" : option.valueName) + ")");
                return normalized;
            }
            normalized.add(arg);
        }
        return normalized;
    }

    /**
     * @return whether the word after {@code --chmod-socket} is its value (the launcher's form) rather than an option or
     * a config file (uWSGI's reading)
     */
    private static boolean isChmodValue(String word)
    {
        return !word.startsWith("-") && !word.endsWith(".ini") && !word.endsWith(".json") && !word.endsWith(".js");
    }

    private void apply(ConfigEntry entry)
    {
        String key = entry.key();
        Option option = Option.of(key);
        try
        {
            if (option != null)
                option.apply.accept(this, entry);
            else if (IGNORED.containsKey(key))
                notices.add("option " + key + " ignored: " + IGNORED.get(key));
            else if (KNOWN_OPTIONS.isKnown(key) && !isLanguageKey(key))
                notices.add(entry.origin() + ": option " + key + " is not supported by jetty-uwsgi, ignored");
        }
        catch (InvalidPathException x)
        {
            problems.add(source(entry) + ": '" + entry.value() + "' is not a valid path (" + x.getReason() + ")");
        }
    }

    private static boolean isLanguageKey(String key)
    {
        return LANGUAGE_KEYS.contains(key) || key.startsWith("if-");
    }

    /**
     * @return how a message names the value: {@code --threads} when it came from the command line (as the user typed
     * it), {@code app.ini:3: threads} or {@code environment UWSGI_THREADS: threads} otherwise
     */
    private static String source(ConfigEntry entry)
    {
        String origin = entry.origin().source();
        if (origin.startsWith("command line "))
            return "--" + entry.key();
        return entry.origin() + ": " + entry.key();
    }

    private static Map<String, String> ignoredOptions()
    {
        Map<String, String> ignored = new LinkedHashMap<>();
        String oneProcess = "one JVM serves every request with threads (see threads), there are no worker processes";
        ignored.put("master", "the JVM is a single process; there is no master forking workers");
        ignored.put("processes", oneProcess);
        ignored.put("workers", oneProcess);
        ignored.put("cheaper", oneProcess);
        ignored.put("enable-threads", "JVM threads are always enabled");
        ignored.put("lazy-apps", "each WAR is deployed once, in the only process");
        ignored.put("lazy", "each WAR is deployed once, in the only process");
        ignored.put("thunder-lock", "there are no worker processes competing for accept()");
        ignored.put("plugins", "Java support is built in; no uWSGI plugin is loaded");
        ignored.put("plugin", "Java support is built in; no uWSGI plugin is loaded");
        ignored.put("single-interpreter", "there is no interpreter; each WAR has its own class loader");
        ignored.put("max-requests", "not applicable: there is no worker process to recycle; the JVM's garbage collector reclaims memory");
        ignored.put("die-on-term", "SIGTERM always stops the launcher gracefully");
        ignored.put("memory-report", "use the JVM's own tools (jcmd, JFR) for memory");
        return Collections.unmodifiableMap(ignored);
    }

    private void addAddress(ConfigEntry entry, List<ListenAddress> addresses)
    {
        socketGiven = true;
        String value = entry.displayValue();
        try
        {
            ListenAddress address = ListenAddress.parse(value);
            // Port 0 is "any free port": each socket gets its own, so it can be given any number of times.
            if (address.getPort() != 0 && (uwsgiSockets.contains(address) || httpSockets.contains(address)))
                problems.add(source(entry) + ": " + value + " is already given (expected: each address once)");
            else
                addresses.add(address);
        }
        catch (IllegalArgumentException x)
        {
            problems.add(source(entry) + ": " + x.getMessage());
        }
    }

    private ListenAddress parseAddress(ConfigEntry entry)
    {
        try
        {
            return ListenAddress.parse(entry.displayValue());
        }
        catch (IllegalArgumentException x)
        {
            problems.add(source(entry) + ": " + x.getMessage());
            return null;
        }
    }

    private void addEnv(ConfigEntry entry)
    {
        String value = entry.displayValue();
        int equals = value.indexOf('=');
        String name = equals < 0 ? value : value.substring(0, equals);
        if (name.isEmpty() || value.indexOf('\0') >= 0)
            problems.add(source(entry) + ": '" + value.replace("\0", "\\0") + "' (expected: KEY=VALUE without NUL characters, or KEY alone to remove it)");
        else
            env.put(name, equals < 0 ? null : value.substring(equals + 1));
    }

    private void addUnenv(ConfigEntry entry)
    {
        String name = entry.displayValue();
        if (name.isEmpty() || name.indexOf('=') >= 0 || name.indexOf('\0') >= 0)
            problems.add(source(entry) + ": '" + name.replace("\0", "\\0") + "' (expected: the name of an environment variable)");
        else
            env.put(name, null);
    }

    private void setLogTo(ConfigEntry entry)
    {
        String value = entry.displayValue();
        // uWSGI sends the log to a UDP address when the value has a colon
        if (value.indexOf(':') >= 0)
            problems.add(source(entry) + ": '" + value + "' is a UDP address to uWSGI, which the launcher does not send to (expected: a file path without ':')");
        else
            logTo = Path.of(value);
    }

    /**
     * uWSGI reads the pidfile and logto paths before its {@code chdir()}, and everything else (sockets, applications,
     * the JVM plugin's classpath, touch-reload, the master FIFO) after it: core/uwsgi.c in 2.0.21. The JVM cannot
     * change its working directory, so the paths uWSGI would read after the chdir are resolved against it here, once
     * the whole configuration is read (uWSGI applies chdir wherever the key stands).
     */
    private void resolveAgainstChdir()
    {
        if (chdir == null)
            return;
        if (war != null)
        {
            String source = mountSources.remove(war);
            war = new Mount(war.contextPath(), underChdir(war.war()));
            mountSources.put(war, source);
        }
        for (int i = 0; i < mounts.size(); i++)
        {
            Mount mount = mounts.get(i);
            String source = mountSources.remove(mount);
            mounts.set(i, new Mount(mount.contextPath(), underChdir(mount.war())));
            mountSources.put(mounts.get(i), source);
        }
        classpath.replaceAll(this::underChdir);
        realms.replaceAll((name, file) -> underChdir(file));
        touchReload.replaceAll(this::underChdir);
        if (masterFifo != null)
            masterFifo = underChdir(masterFifo);
        uwsgiSockets.replaceAll(this::underChdir);
        httpSockets.replaceAll(this::underChdir);
        if (stats != null)
            stats = underChdir(stats);
    }

    private Path underChdir(Path path)
    {
        return chdir.resolve(path);
    }

    private ListenAddress underChdir(ListenAddress address)
    {
        if (!address.isUnix() || Path.of(address.toString()).isAbsolute())
            return address;
        try
        {
            return ListenAddress.parse(chdir.resolve(address.toString()).toString());
        }
        catch (IllegalArgumentException x)
        {
            problems.add("chdir: socket " + address + " under " + chdir + ": " + x.getMessage());
            return address;
        }
    }

    private void setWar(ConfigEntry entry)
    {
        // a single value: a later one (the command line after an ini file) replaces the earlier
        deploymentGiven = true;
        war = new Mount("/", Path.of(entry.displayValue()));
        mountSources.put(war, source(entry));
    }

    private void addMount(ConfigEntry entry)
    {
        deploymentGiven = true;
        String value = entry.displayValue();
        int equals = value.indexOf('=');
        if (equals < 0)
        {
            problems.add(source(entry) + ": '" + value + "' (expected: PATH=FILE, e.g. /shop=shop.war)");
            return;
        }
        String contextPath = value.substring(0, equals);
        String file = value.substring(equals + 1);
        if (!contextPath.startsWith("/") || (contextPath.length() > 1 && contextPath.endsWith("/")) || contextPath.contains("//"))
            problems.add(source(entry) + ": context path '" + contextPath + "' (expected: / or /NAME[/NAME...], without a trailing /)");
        else if (file.isEmpty())
            problems.add(source(entry) + ": '" + value + "' has no file (expected: PATH=FILE, e.g. /shop=shop.war)");
        else
        {
            Mount mount = new Mount(contextPath, Path.of(file));
            mounts.add(mount);
            mountSources.put(mount, source(entry));
        }
    }

    private void addGateway(ConfigEntry entry, String kind)
    {
        deploymentGiven = true;
        String value = entry.displayValue();
        String contextPath = "/";
        int equals = value.indexOf('=');
        if (equals >= 0)
        {
            contextPath = value.substring(0, equals);
            value = value.substring(equals + 1);
        }
        if (!isContextPath(contextPath))
            problems.add(source(entry) + ": context path '" + contextPath + "' (expected: / or /NAME[/NAME...], without a trailing /)");
        else if (!value.matches("[\\p{javaJavaIdentifierStart}][\\p{javaJavaIdentifierPart}.$]*" + ("jwsgi".equals(kind) ? "(:[\\p{javaJavaIdentifierStart}][\\p{javaJavaIdentifierPart}]*)?" : "")))
            problems.add(source(entry) + ": '" + entry.displayValue() + "' (expected: " + ("jwsgi".equals(kind) ? "[PATH=]CLASS[:METHOD], e.g. com.example.Hello:application" : "[PATH=]CLASS, e.g. /api=com.example.App") + ")");
        else
            gateways.add(new GatewayMount(contextPath, kind, value, source(entry)));
    }

    private static boolean isContextPath(String contextPath)
    {
        return contextPath.startsWith("/") && !(contextPath.length() > 1 && contextPath.endsWith("/")) && !contextPath.contains("//");
    }

    private void setChmodSocket(ConfigEntry entry)
    {
        // uWSGI: chmod-socket without a value is 666
        String value = entry.value() == null || entry.value().isEmpty() ? "666" : entry.value();
        chmodSocketSource = source(entry);
        if (value.matches("[0-7]{3}"))
            chmodSocket = value;
        else
            problems.add(chmodSocketSource + ": '" + value + "' (expected: three octal digits as for chmod, e.g. 660)");
    }

    private void setChownSocket(ConfigEntry entry)
    {
        String value = entry.displayValue();
        chownSocketSource = source(entry);
        if (value.isBlank() || value.equals(":") || value.indexOf(':') != value.lastIndexOf(':'))
            problems.add(chownSocketSource + ": '" + value + "' (expected: USER, USER:GROUP or :GROUP, e.g. app:www-data)");
        else
            chownSocket = value;
    }

    private void setBufferSize(ConfigEntry entry)
    {
        String value = entry.displayValue();
        Matcher size = SIZE.matcher(value);
        if (size.matches() && !size.group(2).isEmpty() && size.group(1).length() < 9)
        {
            // uWSGI 2.0 reads 32k as 32 (strtoul); that is never what was meant, so take k as KiB and say so
            long bytes = Long.parseLong(size.group(1)) * 1024;
            if (bytes == Uwsgi.MAX_DATASIZE + 1)
                bytes = Uwsgi.MAX_DATASIZE;
            notices.add(source(entry) + " = " + value + " read as " + bytes + " bytes (uWSGI 2.0 would read " + size.group(1) +
                "; write " + bytes + " for a config that both read alike)");
            value = Long.toString(bytes);
        }
        bufferSize = parseNumber(entry, value, UwsgiConfiguration.MIN_MAX_VARS_SIZE, Uwsgi.MAX_DATASIZE, DEFAULT_BUFFER_SIZE);
    }

    /**
     * @return a boolean option as uWSGI's {@code uwsgi_opt_true} reads it: given alone or with any value but false,
     * off, no or 0, it is on
     */
    private static boolean isTrue(ConfigEntry entry)
    {
        return entry.value() == null || !List.of("false", "off", "no", "0").contains(entry.value().toLowerCase(Locale.ROOT));
    }

    private void setLogFormat(ConfigEntry entry)
    {
        // uWSGI prints - for a variable it does not know, so a typo would only show in the log: say it at start
        logFormat = entry.displayValue();
        Matcher variable = LOG_FORMAT_VARIABLE.matcher(logFormat);
        while (variable.find())
        {
            String name = variable.group(1);
            if (!UwsgiLogFormat.isKnownVariable(name))
                notices.add(source(entry) + ": unknown variable %(" + name + ") is logged as - (expected: one of %(" +
                    String.join(") %(", new TreeSet<>(UwsgiLogFormat.VARIABLES)) + ") or %(var.NAME); see docs/request-log.md)");
        }
    }

    private void setThreads(ConfigEntry entry)
    {
        threads = parseNumber(entry, entry.displayValue(), MIN_THREADS, 100_000, DEFAULT_THREADS);
    }

    private int parseNumber(ConfigEntry entry, String value, int min, int max, int fallback)
    {
        // uWSGI reads numbers with atoi, and ini files have no inline comments: "64   # max" is 64 there, and here
        Matcher digits = LEADING_NUMBER.matcher(value);
        if (digits.find() && digits.group(1).length() < 10)
        {
            int number = Integer.parseInt(digits.group(1));
            if (!digits.group(2).isEmpty())
                notices.add(source(entry) + " = '" + value + "' read as " + number + " (the rest is not a number; ini files have no inline comments)");
            if (number >= min && number <= max)
                return number;
        }
        problems.add(source(entry) + ": '" + entry.displayValue() + "' (expected: a whole number from " + min + " to " + max + ")");
        return fallback;
    }

    private void addRealm(ConfigEntry entry)
    {
        String value = entry.displayValue();
        int equals = value.indexOf('=');
        if (equals <= 0 || equals == value.length() - 1)
            problems.add(source(entry) + ": '" + value + "' (expected: NAME=FILE, e.g. myrealm=etc/users.properties)");
        else if (realms.putIfAbsent(value.substring(0, equals), Path.of(value.substring(equals + 1))) != null)
            problems.add(source(entry) + ": realm '" + value.substring(0, equals) + "' is given more than once (expected: one file per realm name)");
    }

    private void setEnvironment(ConfigEntry entry)
    {
        String name = entry.displayValue().toLowerCase(Locale.ROOT);
        if (ENVIRONMENTS.contains(name))
            environment = name;
        else
            problems.add(source(entry) + ": '" + entry.displayValue() + "' (expected: one of " + String.join(", ", ENVIRONMENTS) + ")");
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
        if (help || stopPidFile != null || reloadPidFile != null || config == null)
            return all;
        if (emperor != null)
        {
            // an emperor only watches: its vassals have the sockets and the applications
            if (!Files.isDirectory(emperor))
                all.add("emperor: " + emperor + " is not a directory (expected: a directory of vassal ini files)");
            if (socketGiven || deploymentGiven)
                all.add("emperor: " + emperor + " with sockets or applications of its own (expected: --emperor alone; each vassal file gives its sockets and applications)");
            if (emperorMaxThrottle < emperorThrottle)
                all.add("emperor-max-throttle: " + emperorMaxThrottle + " (expected: at least emperor-throttle, " + emperorThrottle + ")");
            return Collections.unmodifiableList(all);
        }
        if (chdir != null && !Files.isDirectory(chdir))
            all.add("chdir: " + chdir + " is not a directory (expected: an existing directory)");
        // Only when none was given at all: a socket given wrongly has been reported already.
        if (!socketGiven)
            all.add("nothing to listen on (expected: at least one --socket or --http-socket, e.g. --socket 127.0.0.1:3031)");
        for (ListenAddress address : getAllSockets())
        {
            if (address.isUnix() && !Files.isDirectory(address.getUnixPath().getParent()))
                all.add("socket " + address + ": directory " + address.getUnixPath().getParent() + " does not exist (expected: an existing directory)");
        }
        if (chmodSocket != null && getAllSockets().stream().noneMatch(ListenAddress::isUnix))
            all.add(chmodSocketSource + ": " + chmodSocket + " but no Unix socket is given (expected: a --socket or --http-socket with a path)");
        if (chownSocket != null && getAllSockets().stream().noneMatch(ListenAddress::isUnix))
            all.add(chownSocketSource + ": " + chownSocket + " but no Unix socket is given (expected: a --socket or --http-socket with a path)");

        List<Mount> deployments = getDeployments();
        if (!deploymentGiven)
            all.add("nothing to deploy (expected: --war FILE, --mount PATH=FILE, --app CLASS or --jwsgi CLASS:METHOD)");
        Set<String> contextPaths = new HashSet<>();
        for (Mount mount : deployments)
        {
            String source = mountSources.get(mount);
            if (!contextPaths.add(mount.contextPath()))
                all.add(source + ": context path " + mount.contextPath() + " is deployed twice (expected: one WAR per context path)");
            if (!Files.exists(mount.war()))
                all.add(source + ": " + mount.war() + " does not exist (expected: a WAR file or an exploded WAR directory)");
            else if (!Files.isReadable(mount.war()))
                all.add(source + ": " + mount.war() + " is not readable (expected: a readable WAR file or directory)");
        }
        for (GatewayMount gateway : gateways)
        {
            if (!contextPaths.add(gateway.contextPath()))
                all.add(gateway.source() + ": context path " + gateway.contextPath() + " is deployed twice (expected: one application per context path)");
        }
        if (!gateways.isEmpty() && "ee8".equals(environment))
            all.add("environment: ee8 cannot serve --app or --jwsgi (expected: ee10 or ee11; gateway applications use jakarta.servlet)");
        if (!gateways.isEmpty() && classpath.isEmpty())
            all.add("classpath: none given for --app or --jwsgi (expected: --classpath DIR|JAR holding the application's classes)");
        for (Path entry : classpath)
        {
            if (!Files.isReadable(entry))
                all.add("classpath: " + entry + " does not exist or is not readable (expected: a directory of classes or a jar)");
        }
        for (Map.Entry<String, Path> realm : realms.entrySet())
        {
            if (!Files.isRegularFile(realm.getValue()) || !Files.isReadable(realm.getValue()))
                all.add("--realm: " + realm.getKey() + "=" + realm.getValue() + ": file not found or not readable (expected: a readable properties file)");
        }
        // the subscription client owns the syntax of subscribe-to and subscribe2, and reports here what it cannot send
        all.addAll(SubscriptionSpec.problems(subscriptions, uwsgiSockets.size()));
        return Collections.unmodifiableList(all);
    }

    /**
     * @return the help text, generated from the option table
     */
    public static String usage()
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
            appendOption(usage, ("--" + option.key + " " + option.valueName).strip(), option.description + (option.repeatable ? "; repeatable" : ""));
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
        usage.append("form; :PORT listens on all interfaces, as in uWSGI, and logs a warning.\n");
        usage.append("uWSGI's process options (master, processes, lazy-apps, ...) are accepted and reported as ignored.\n");
        usage.append("SIGTERM and SIGINT stop gracefully: requests in flight get up to " + STOP_TIMEOUT_MILLIS / 1000 + "s to finish, then the exit\n");
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

    /**
     * @return true if {@code --help} or {@code -h} was given
     */
    public boolean isHelp()
    {
        return help;
    }

    /**
     * @return true if {@code --show-config} (or {@code show-config = true}) was given
     */
    public boolean isShowConfig()
    {
        return config != null && config.isTrue("show-config");
    }

    /**
     * @return true if {@code --dry-run} was given: check the configuration, do not start
     */
    public boolean isDryRun()
    {
        return config != null && config.isTrue("dry-run");
    }

    /**
     * @return the loaded configuration in uWSGI's {@code --show-config} format, if it could be loaded
     */
    public Optional<String> showConfig()
    {
        return Optional.ofNullable(config).map(UwsgiConfig::showConfig);
    }

    /**
     * @return what the operator should know but that does not stop the start, once each: unknown keys (with a "did
     * you mean"), uWSGI options that are ignored here and why, values read differently from uWSGI
     */
    public List<String> getNotices()
    {
        return List.copyOf(notices);
    }

    /**
     * @return the pidfile to write once started, or null
     */
    public Path getPidFile()
    {
        return pidFile;
    }

    /**
     * @return whether to remove the pidfile when stopping ({@code vacuum})
     */
    public boolean isVacuum()
    {
        return vacuum;
    }

    /**
     * @return the pidfile of {@code --stop PIDFILE}: stop that instance instead of starting one; or null
     */
    public Path getStopPidFile()
    {
        return stopPidFile;
    }

    /**
     * @return the pidfile of {@code --reload PIDFILE}: reload that instance instead of starting one; or null
     */
    public Path getReloadPidFile()
    {
        return reloadPidFile;
    }

    /**
     * @return the named pipe to read uWSGI's master-fifo commands from, or null
     */
    public Path getMasterFifo()
    {
        return masterFifo;
    }

    /**
     * @return the files whose modification time triggers a graceful reload
     */
    public List<Path> getTouchReload()
    {
        return Collections.unmodifiableList(touchReload);
    }

    /**
     * @return the uwsgi sockets, in configuration order
     */
    public List<ListenAddress> getUwsgiSockets()
    {
        return Collections.unmodifiableList(uwsgiSockets);
    }

    /**
     * @return the plain HTTP sockets, in configuration order
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
     * @return the WARs to deploy: {@code war} at {@code /} first, then the {@code mount}s in configuration order
     */
    public List<Mount> getDeployments()
    {
        List<Mount> deployments = new ArrayList<>();
        if (war != null)
            deployments.add(war);
        deployments.addAll(mounts);
        return Collections.unmodifiableList(deployments);
    }

    /**
     * @return the gateway applications of {@code --app} and {@code --jwsgi}, in configuration order
     */
    public List<GatewayMount> getGateways()
    {
        return Collections.unmodifiableList(gateways);
    }

    /**
     * @return where the gateway applications' classes come from ({@code classpath}, {@code jvm-classpath})
     */
    public List<Path> getClasspath()
    {
        return Collections.unmodifiableList(classpath);
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
     * @return the {@code session-*} keys given, key to value, for {@code SessionStores.of}
     */
    public Map<String, String> getSessionSettings()
    {
        return Collections.unmodifiableMap(sessionSettings);
    }

    private void putSession(ConfigEntry entry)
    {
        sessionSettings.put(entry.key(), entry.displayValue());
    }

    /**
     * @return realm name to properties file, in configuration order
     */
    public Map<String, Path> getRealms()
    {
        return Collections.unmodifiableMap(realms);
    }

    /**
     * @return the request log's {@code log-format}, or null for uWSGI's default line
     */
    public String getLogFormat()
    {
        return logFormat;
    }

    /**
     * @return true if {@code disable-logging} is on: no request log at all
     */
    public boolean isDisableLogging()
    {
        return disableLogging;
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

    /**
     * @return seconds after which a running request is interrupted and answered 504 if uncommitted; 0 for never
     */
    public int getHarakiri()
    {
        return harakiri;
    }

    /**
     * @return true if the launcher must exit when no application starts ({@code need-app})
     */
    public boolean isNeedApp()
    {
        return needApp;
    }

    /**
     * @return the {@code env} variables to set, KEY to VALUE, or KEY to null to remove it, in configuration order
     */
    public Map<String, String> getEnv()
    {
        return Collections.unmodifiableMap(env);
    }

    /**
     * @return the {@code chdir} directory, against which the relative paths uWSGI reads after its chdir are already
     * resolved in the other getters; or null
     */
    public Path getChdir()
    {
        return chdir;
    }

    /**
     * @return the {@code logto} file, relative to the launch directory as in uWSGI (not to {@code chdir}), or null
     * for the terminal
     */
    public Path getLogTo()
    {
        return logTo;
    }

    /**
     * @return where to serve the stats document ({@code stats}), or null
     */
    public ListenAddress getStats()
    {
        return stats;
    }

    /**
     * @return true if the stats document is served as an HTTP response ({@code stats-http})
     */
    public boolean isStatsHttp()
    {
        return statsHttp;
    }

    /**
     * @return the {@code subscribe-to} and {@code subscribe2} values, in configuration order
     */
    public List<Subscription> getSubscriptions()
    {
        return Collections.unmodifiableList(subscriptions);
    }

    /**
     * @return seconds between two sends of the subscriptions
     */
    public int getSubscribeFreq()
    {
        return subscribeFreq;
    }

    /**
     * @return the vassals directory of {@code --emperor}, or null when this launcher serves applications itself
     */
    public Path getEmperor()
    {
        return emperor;
    }

    /**
     * @return the first wait before respawning a vassal that died, in milliseconds
     */
    public int getEmperorThrottle()
    {
        return emperorThrottle;
    }

    /**
     * @return the longest wait before respawning a vassal, in milliseconds
     */
    public int getEmperorMaxThrottle()
    {
        return emperorMaxThrottle;
    }

    /**
     * @return seconds between two scans of the vassals directory ({@code emperor-freq})
     */
    public int getEmperorFreq()
    {
        return emperorFreq;
    }

    /**
     * @return the owner for Unix sockets, {@code USER[:GROUP]}, or null to leave the process's
     */
    public String getChownSocket()
    {
        return chownSocket;
    }

    /**
     * @return the listen backlog of every socket ({@code listen})
     */
    public int getListen()
    {
        return listen;
    }
}
